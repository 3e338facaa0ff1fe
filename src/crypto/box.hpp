// Public-key boxes (X25519, XSalsa20-Poly1305 sealed boxes): a counsellor's key pair, and the compartment keys
// sealed to it so that only that counsellor's secret key opens them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace haven::crypto {

struct BoxKeyPair {
    std::string public_key, secret_key;  // 32 bytes each; wipe the secret when done
};
BoxKeyPair box_keypair();
// Anonymous sealed box to `public_key`: only its secret key opens it (crypto_box_seal).
std::string seal_to(std::string_view public_key, std::string_view plaintext);
// nullopt when it does not open (another key, altered, not a box).
std::optional<std::string> open_sealed(std::string_view public_key, std::string_view secret_key, std::string_view sealed);

// The salt of a key made from a password (crypto::personal_key).
constexpr size_t personal_key_salt_bytes = 16;

}  // namespace haven::crypto
