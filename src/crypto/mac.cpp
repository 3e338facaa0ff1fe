#include "crypto/mac.hpp"

#include <sodium.h>

namespace haven::crypto {

std::string hmac_sha256(std::string_view key, std::string_view message) {
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()), message.size());
    crypto_auth_hmacsha256_final(&state, mac);
    sodium_memzero(&state, sizeof state);
    return std::string(reinterpret_cast<const char*>(mac), sizeof mac);
}

std::string keyed_hash(const unsigned char* key32, std::string_view message, size_t bytes) {
    std::string out(bytes, '\0');
    crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(), reinterpret_cast<const unsigned char*>(message.data()), message.size(), key32, 32);
    return out;
}

}  // namespace haven::crypto
