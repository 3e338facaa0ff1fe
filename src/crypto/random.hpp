// Random secrets and their encodings, from libsodium's CSPRNG.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace haven::crypto {

// Initialises libsodium (idempotent); throws if it cannot.
void init();

std::string random_bytes(size_t n);
// Uniform in [0, bound) (bound ≥ 1), without modulo bias.
uint32_t random_below(uint32_t bound);
// A 256-bit secret as URL-safe base64 without padding (43 characters, never beginning with '-'): session ids,
// tokens, links.
std::string random_token();
// The token in the file at `path` (a secret in DATA: metrics-token, unseal-throttle-key), made (random, 0600) when
// missing — once, even when several processes start together; "" when it can be neither read nor made.
std::string token_file(const std::string& path);
std::string base64url(std::string_view bytes);
// Standard base64 with padding (RFC 4648 §4), and back: nullopt for anything that is not.
std::string base64(std::string_view bytes);
std::optional<std::string> from_base64(std::string_view text);
std::string hex(std::string_view bytes);
// Hex (either case) back to bytes; nullopt for anything else.
std::optional<std::string> from_hex(std::string_view hex);
// BLAKE2b-256 of a token, in hex: how tokens and session ids are stored (never the token itself).
std::string token_hash(std::string_view token);
// Overwrites a secret's bytes with zeros (one the compiler may not skip), before its memory is let go.
void wipe(std::string& secret);
// Constant-time equality for secrets of equal length (false when lengths differ).
bool equal_secret(std::string_view a, std::string_view b);

}  // namespace haven::crypto
