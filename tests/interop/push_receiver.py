"""A Web Push service for the tests, checking Haven's pushes with independent implementations: PyJWT (Debian's
python3-jwt, with python3-cryptography) verifies the VAPID JWT of RFC 8292 against the key in "k=", and the
request is checked against RFC 8030 (TTL, no body) and RFC 8292 (aud is this service's origin, exp at most 24 h
ahead, sub a mailto: or https: contact). Records "ok K" (K: the public key) or "bad REASON" per request.
Usage: /usr/bin/python3 push_receiver.py PORT LOG"""
import base64
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import jwt
from cryptography.hazmat.primitives.asymmetric import ec

port, log = int(sys.argv[1]), sys.argv[2]
origin = "http://127.0.0.1:%d" % port


def unb64(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def check(headers, body):
    auth = headers.get("Authorization", "")
    if not auth.startswith("vapid "):
        return "no vapid authorization"
    parts = dict(p.strip().split("=", 1) for p in auth[len("vapid "):].split(","))
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64(parts["k"]))
    claims = jwt.decode(parts["t"], key, algorithms=["ES256"], audience=origin)  # checks signature, aud, exp
    if claims["exp"] > time.time() + 24 * 3600:
        return "exp more than 24 h ahead"
    if not (claims["sub"].startswith("mailto:") or claims["sub"].startswith("https:")):
        return "sub is not a contact"
    if body:
        return "a body (the push must carry nothing)"
    if not headers.get("TTL", "").isdigit():
        return "no TTL"
    return "ok " + parts["k"]


class Push(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        try:
            verdict = check(self.headers, body)
        except Exception as e:  # a bad signature, audience or expiry, a malformed header
            verdict = "bad " + type(e).__name__
        if not verdict.startswith("ok "):
            verdict = verdict if verdict.startswith("bad ") else "bad " + verdict
        with open(log, "a") as out:
            out.write(verdict + "\n")
        self.send_response(201 if verdict.startswith("ok ") else 400)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


HTTPServer(("127.0.0.1", port), Push).serve_forever()
