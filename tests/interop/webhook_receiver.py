"""A doorbell webhook receiver for the tests: checks X-Haven-Signature (HMAC-SHA256 of the body with the shared
secret) and records "ok <idempotency key>" or "bad" per request. Usage: webhook_receiver.py PORT SECRET LOG"""
import hashlib
import hmac
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

port, secret, log = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3]


class Hook(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        want = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
        good = hmac.compare_digest(want, self.headers.get("X-Haven-Signature", ""))
        with open(log, "a") as out:
            out.write(("ok " + self.headers.get("Idempotency-Key", "") if good else "bad") + "\n")
        self.send_response(200 if good else 401)
        self.end_headers()

    def log_message(self, *args):
        pass


HTTPServer(("127.0.0.1", port), Hook).serve_forever()
