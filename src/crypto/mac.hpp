// Message authentication for what Haven sends out: HMAC-SHA256 (a webhook's receiver checks it with the secret it
// shares with the member's device; RFC 2104).
#pragma once

#include <string>
#include <string_view>

namespace haven::crypto {

// The 32-byte HMAC-SHA256 of `message` under `key` (any length).
std::string hmac_sha256(std::string_view key, std::string_view message);

// BLAKE2b of `message` keyed by a 32-byte key, `bytes` long (16 to 64): a pseudonym for an id that only a holder
// of the key can compute (a doorbell's owner).
std::string keyed_hash(const unsigned char* key32, std::string_view message, size_t bytes);

}  // namespace haven::crypto
