#include "crypto/stream.hpp"

#include <sodium.h>

#include "crypto/secret_key.hpp"

namespace haven::crypto {

using State = crypto_secretstream_xchacha20poly1305_state;
static_assert(sizeof(State) <= 64, "the stream state fits its buffer");

const size_t StreamOpener::header_size = crypto_secretstream_xchacha20poly1305_HEADERBYTES;
const size_t StreamOpener::overhead = crypto_secretstream_xchacha20poly1305_ABYTES;

StreamSealer::StreamSealer(const SecretKey& key) : header_(crypto_secretstream_xchacha20poly1305_HEADERBYTES, '\0') {
    crypto_secretstream_xchacha20poly1305_init_push(reinterpret_cast<State*>(state_), reinterpret_cast<unsigned char*>(header_.data()), key.data());
}

StreamSealer::~StreamSealer() { sodium_memzero(state_, sizeof state_); }

std::string StreamSealer::seal(std::string_view chunk, bool final) {
    std::string out(chunk.size() + crypto_secretstream_xchacha20poly1305_ABYTES, '\0');
    unsigned long long n = 0;
    crypto_secretstream_xchacha20poly1305_push(reinterpret_cast<State*>(state_), reinterpret_cast<unsigned char*>(out.data()), &n,
                                               reinterpret_cast<const unsigned char*>(chunk.data()), chunk.size(), nullptr, 0,
                                               final ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
    out.resize(n);
    return out;
}

StreamOpener::StreamOpener(const SecretKey& key, std::string_view header) {
    ok_ =
        header.size() == header_size && crypto_secretstream_xchacha20poly1305_init_pull(
                                            reinterpret_cast<State*>(state_), reinterpret_cast<const unsigned char*>(header.data()), key.data()) == 0;
}

StreamOpener::~StreamOpener() { sodium_memzero(state_, sizeof state_); }

std::optional<std::string> StreamOpener::open(std::string_view sealed, bool& final) {
    if (!ok_ || sealed.size() < overhead) return std::nullopt;
    std::string out(sealed.size() - overhead, '\0');
    unsigned long long n = 0;
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(reinterpret_cast<State*>(state_), reinterpret_cast<unsigned char*>(out.data()), &n, &tag,
                                                   reinterpret_cast<const unsigned char*>(sealed.data()), sealed.size(), nullptr, 0) != 0)
        return std::nullopt;
    out.resize(n);
    final = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
    return out;
}

}  // namespace haven::crypto
