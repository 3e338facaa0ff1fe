#include "crypto/box.hpp"

#include <sodium.h>

namespace haven::crypto {

static_assert(personal_key_salt_bytes == crypto_pwhash_SALTBYTES, "the password key's salt is libsodium's");

BoxKeyPair box_keypair() {
    BoxKeyPair k{std::string(crypto_box_PUBLICKEYBYTES, '\0'), std::string(crypto_box_SECRETKEYBYTES, '\0')};
    crypto_box_keypair(reinterpret_cast<unsigned char*>(k.public_key.data()), reinterpret_cast<unsigned char*>(k.secret_key.data()));
    return k;
}

std::string seal_to(std::string_view public_key, std::string_view plaintext) {
    std::string sealed(crypto_box_SEALBYTES + plaintext.size(), '\0');
    crypto_box_seal(reinterpret_cast<unsigned char*>(sealed.data()), reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                    reinterpret_cast<const unsigned char*>(public_key.data()));
    return sealed;
}

std::optional<std::string> open_sealed(std::string_view public_key, std::string_view secret_key, std::string_view sealed) {
    if (sealed.size() < crypto_box_SEALBYTES || public_key.size() != crypto_box_PUBLICKEYBYTES || secret_key.size() != crypto_box_SECRETKEYBYTES)
        return std::nullopt;
    std::string out(sealed.size() - crypto_box_SEALBYTES, '\0');
    if (crypto_box_seal_open(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(sealed.data()), sealed.size(),
                             reinterpret_cast<const unsigned char*>(public_key.data()),
                             reinterpret_cast<const unsigned char*>(secret_key.data())) != 0) {
        sodium_memzero(out.data(), out.size());
        return std::nullopt;
    }
    return out;
}

}  // namespace haven::crypto
