#include "crypto/random.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "core/config.hpp"

#include <stdexcept>

namespace haven::crypto {

void init() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::string random_bytes(size_t n) {
    init();
    std::string out(n, '\0');
    randombytes_buf(out.data(), n);
    return out;
}

uint32_t random_below(uint32_t bound) {
    init();
    return randombytes_uniform(bound);
}

std::string base64url(std::string_view bytes) {
    std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(out.size() - 1);  // the terminating NUL
    return out;
}

std::string random_token() {
    // Never beginning with '-', which a command line takes for an option: `haven-operator token <token>` failed
    // with "token is required" for one token in 64 (it is 0.02 bits less random).
    for (;;)
        if (std::string t = base64url(random_bytes(32)); t.front() != '-') return t;
}

std::string token_file(const std::string& path) {
    for (int tries = 0; tries < 50; ++tries) {
        if (auto token = read_secret_file(path); token && !token->empty()) return *token;
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0) {
            if (errno != EEXIST) return {};
            std::this_thread::sleep_for(std::chrono::milliseconds(10));  // another process is writing it
            continue;
        }
        const std::string token = random_token(), line = token + "\n";
        const bool written = ::write(fd, line.data(), line.size()) == ssize_t(line.size());
        ::close(fd);
        return written ? token : std::string();
    }
    return {};
}

std::string hex(std::string_view bytes) {
    std::string out(bytes.size() * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    out.resize(bytes.size() * 2);
    return out;
}

std::string token_hash(std::string_view token) {
    unsigned char h[32];
    crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr, 0);
    return hex(std::string_view(reinterpret_cast<const char*>(h), sizeof h));
}

bool equal_secret(std::string_view a, std::string_view b) {
    if (a.size() != b.size() || a.empty()) return false;
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

void wipe(std::string& secret) { sodium_memzero(secret.data(), secret.size()); }

std::string base64(std::string_view bytes) {
    std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1);  // the terminating NUL
    return out;
}

std::optional<std::string> from_base64(std::string_view text) {
    std::string out(text.size(), '\0');
    size_t n = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr, &n, nullptr,
                          sodium_base64_VARIANT_ORIGINAL) != 0)
        return std::nullopt;
    out.resize(n);
    return out;
}

std::optional<std::string> from_hex(std::string_view hex) {
    if (hex.size() % 2) return std::nullopt;
    std::string out(hex.size() / 2, '\0');
    size_t n = 0;
    if (sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), hex.data(), hex.size(), nullptr, &n, nullptr) != 0 ||
        n != out.size())
        return std::nullopt;
    return out;
}

}  // namespace haven::crypto
