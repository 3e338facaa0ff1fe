// Time-based one-time passwords (RFC 6238, HMAC-SHA1, 6 digits, 30 s steps — what authenticator apps
// support), their secrets in base32 (RFC 4648), and single-use recovery codes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace haven::crypto {

std::string sha1(std::string_view data);                             // RFC 3174, 20 bytes
std::string hmac_sha1(std::string_view key, std::string_view data);  // RFC 2104

std::string base32_encode(std::string_view bytes);                // no padding
std::optional<std::string> base32_decode(std::string_view text);  // ignores spaces, case-insensitive

std::string new_totp_secret();  // 20 random bytes
// The code for the step that holds `unix_seconds` (RFC 6238 §4: T = floor(t / 30)).
std::string totp_code(std::string_view secret, int64_t unix_seconds, int digits = 6);
// Which step within ±1 of now `code` matches, if any (a code a little early or late still works).
std::optional<int64_t> totp_match(std::string_view secret, std::string_view code, int64_t unix_seconds);
// otpauth://totp/Haven:NAME?secret=…&issuer=Haven — what the QR code holds.
std::string totp_uri(std::string_view account_label, std::string_view secret);
// An SVG <path> "d" for the QR code of `text` (modules as unit squares), and the side in modules.
struct QrPath {
    std::string d;
    int size = 0;
};
QrPath qr_path(const std::string& text);

// Ten codes like "k7dq-m2xp-9fha", to be shown once and stored hashed.
std::vector<std::string> new_recovery_codes();
// Folds a typed recovery code to its canonical form (lower case, no spaces or dashes).
std::string normalise_recovery_code(std::string_view typed);

}  // namespace haven::crypto
