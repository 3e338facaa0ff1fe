// Hashes, MACs and signatures: HMAC-SHA256 for what Haven sends out (a webhook's receiver checks it with the
// secret it shares with the member's device; RFC 2104), BLAKE2b for content and keyed pseudonyms, Ed25519 for the
// audit chain's checkpoints.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace haven::crypto {

// The 32-byte HMAC-SHA256 of `message` under `key` (any length).
std::string hmac_sha256(std::string_view key, std::string_view message);

// BLAKE2b of `message` keyed by a 32-byte key, `bytes` long (16 to 64): a pseudonym for an id that only a holder
// of the key can compute (a doorbell's owner).
std::string keyed_hash(const unsigned char* key32, std::string_view message, size_t bytes);
// The same under a key of 16 to 64 bytes given as text (an enrolment code); nullopt for a key of another length.
std::optional<std::string> keyed_hash(std::string_view key, std::string_view message, size_t bytes);
// Unkeyed BLAKE2b, `bytes` long (16 to 64): an asset's content hash, the audit chain's links.
std::string hash(std::string_view message, size_t bytes);

class SecretKey;
// Ed25519: the signature (64 bytes) of `message` under the key pair made from a 32-byte seed, that key pair's
// public key (32 bytes), and checking a signature against one.
std::string sign(const SecretKey& seed, std::string_view message);
std::string signing_public_key(const SecretKey& seed);
bool verify(std::string_view public_key, std::string_view message, std::string_view signature);

}  // namespace haven::crypto
