#include "crypto/mac.hpp"

#include <sodium.h>

#include "crypto/secret_key.hpp"

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
    crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(), reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), key32, 32);
    return out;
}

std::optional<std::string> keyed_hash(std::string_view key, std::string_view message, size_t bytes) {
    if (key.size() < crypto_generichash_KEYBYTES_MIN || key.size() > crypto_generichash_KEYBYTES_MAX) return std::nullopt;
    std::string out(bytes, '\0');
    crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(), reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), reinterpret_cast<const unsigned char*>(key.data()), key.size());
    return out;
}

std::string hash(std::string_view message, size_t bytes) {
    std::string out(bytes, '\0');
    crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(), reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), nullptr, 0);
    return out;
}

namespace {
struct KeyPair {
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    explicit KeyPair(const SecretKey& seed) { crypto_sign_seed_keypair(pk, sk, seed.data()); }
    ~KeyPair() { sodium_memzero(sk, sizeof sk); }
};
}  // namespace

std::string sign(const SecretKey& seed, std::string_view message) {
    KeyPair k(seed);
    std::string sig(crypto_sign_BYTES, '\0');
    crypto_sign_detached(reinterpret_cast<unsigned char*>(sig.data()), nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                         message.size(), k.sk);
    return sig;
}

std::string signing_public_key(const SecretKey& seed) {
    KeyPair k(seed);
    return std::string(reinterpret_cast<const char*>(k.pk), sizeof k.pk);
}

bool verify(std::string_view public_key, std::string_view message, std::string_view signature) {
    if (signature.size() != crypto_sign_BYTES || public_key.size() != crypto_sign_PUBLICKEYBYTES) return false;
    return crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(signature.data()),
                                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                                       reinterpret_cast<const unsigned char*>(public_key.data())) == 0;
}

}  // namespace haven::crypto
