"""An independent member client for the emergency network's wire format, written from docs/EMERGENCY.md only,
with Debian's python3-nacl. Reads a JSON file of hex values, opens the activation, checks the organisation's
signature, and answers with a sealed, signed acknowledgement and the answer capability that goes with it. Prints
JSON: {"message": ..., "ack": hex, "capability": hex, "ack_tag": hex}."""
import json
import struct
import sys

from nacl.bindings import (crypto_aead_xchacha20poly1305_ietf_decrypt, crypto_scalarmult)
from nacl.encoding import RawEncoder
from nacl.hash import blake2b
from nacl.public import PublicKey, SealedBox
from nacl.signing import SigningKey, VerifyKey

given = {k: bytes.fromhex(v) if k != "member_id" else v for k, v in json.load(open(sys.argv[1])).items()}
body, wrap = given["body"], given["wrap"]

assert body[0] == 1, "version 1"
activation_id, ephemeral_pk, nonce = body[1:17], body[17:49], body[49:73]

# The wrap: X25519 with the prekey secret, BLAKE2b-256 over shared || ephemeral_pk || prekey_pk.
shared = crypto_scalarmult(given["prekey_sk"], ephemeral_pk)
wrap_key = blake2b(shared + ephemeral_pk + given["prekey_pk"], digest_size=32, encoder=RawEncoder)
body_key = crypto_aead_xchacha20poly1305_ietf_decrypt(wrap, activation_id, bytes(24), wrap_key)

# The body, then the frame: n, signature, message, padding.
frame = crypto_aead_xchacha20poly1305_ietf_decrypt(body[73:], activation_id, nonce, body_key)
assert len(frame) in (1024, 4096, 16384, 65536), "padded to a bucket"
(n,) = struct.unpack("<I", frame[:4])
signature, message = frame[4:68], frame[68:4 + n]
assert frame[4 + n:] == bytes(len(frame) - 4 - n), "zero padding"
VerifyKey(given["org_pk"]).verify(b"haven-alert-v1" + activation_id + message, signature)
alert = json.loads(message.decode("utf-8"))

# The answer: signed by the member's identity, sealed to the activation's ack key.
answer = json.dumps({"member_id": given["member_id"], "answer": "can", "eta_minutes": 25, "at": alert["issued_at"] + 60000}).encode()
identity = SigningKey(given["identity_seed"])
ack_signature = identity.sign(b"haven-ack-v1" + activation_id + answer).signature
ack = SealedBox(PublicKey(bytes.fromhex(alert["ack_pk"]))).encrypt(ack_signature + answer)
# The answer capability that lets the server accept it from a member the activation was wrapped for, and the
# tag the operator uploaded beside the wrap (the server's check: BLAKE2b-128 of the capability).
capability = blake2b(b"haven-ack-capability-v1" + activation_id, key=given["mailbox"], digest_size=16, encoder=RawEncoder)
tag = blake2b(capability, digest_size=16, encoder=RawEncoder)
print(json.dumps({"message": message.decode("utf-8"), "ack": ack.hex(), "capability": capability.hex(), "ack_tag": tag.hex()}))
