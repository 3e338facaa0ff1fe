#include "crypto/password.hpp"

#include <atomic>

#include <sodium.h>

#include <algorithm>
#include <set>
#include <stdexcept>

#include "core/embedded.hpp"
#include "core/utf8.hpp"
#include "crypto/random.hpp"

namespace haven::crypto {
namespace {

// OWASP's floor for Argon2id is 19 MiB and 2 passes; INTERACTIVE is 64 MiB and 2 passes.
constexpr auto ops_limit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
constexpr auto mem_limit = crypto_pwhash_MEMLIMIT_INTERACTIVE;

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](char c) { return char(std::tolower((unsigned char)c)); });
    return out;
}

const std::set<std::string>& common_passwords() {
    static const std::set<std::string> list = [] {
        std::set<std::string> s;
        for (const auto& f : common_password_files()) {
            std::string_view data = f.data;
            while (!data.empty()) {
                size_t nl = data.find('\n');
                std::string_view line = data.substr(0, nl);
                data = nl == std::string_view::npos ? std::string_view{} : data.substr(nl + 1);
                if (!line.empty() && line.front() != '#') s.insert(lower_ascii(line));
            }
        }
        return s;
    }();
    return list;
}

Error weak(const char* code, std::string message) { return make_error(ErrorKind::invalid, code, std::move(message), "password"); }

}  // namespace

namespace {
std::atomic<uint64_t> runs{0};
}  // namespace

uint64_t argon2_runs() { return runs.load(); }

std::string hash_password(std::string_view password) {
    init();
    ++runs;
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, password.data(), password.size(), ops_limit, mem_limit) != 0)
        throw std::runtime_error("out of memory hashing a password");
    return out;
}

bool verify_password(const std::string& stored_hash, std::string_view password) {
    init();
    ++runs;
    return crypto_pwhash_str_verify(stored_hash.c_str(), password.data(), password.size()) == 0;
}

void equalise_login_time(std::string_view password) {
    static const std::string reference = hash_password(random_token());
    (void)verify_password(reference, password);
}

Status check_new_password(std::string_view password, std::string_view username) {
    if (!valid_utf8(password)) return weak("password_invalid", "The password is not valid text.");
    // Length in characters, not bytes: a Cyrillic letter is two bytes.
    size_t chars = 0;
    for (unsigned char c : password) chars += (c & 0xC0) != 0x80;
    if (chars < min_password_length) return weak("password_too_short", "Use at least 12 characters; a few unrelated words work well.");
    if (password.size() > max_password_length) return weak("password_too_long", "Use at most 256 bytes.");
    std::string lower = lower_ascii(password);
    if (common_passwords().count(lower)) return weak("password_common", "This password is among the most commonly used; choose another.");
    if (!username.empty() && lower.find(lower_ascii(username)) != std::string::npos)
        return weak("password_has_username", "The password may not contain the username.");
    return {};
}

std::unique_ptr<SecretKey> personal_key(std::string_view password, std::string_view salt) {
    if (salt.size() != crypto_pwhash_SALTBYTES) throw std::invalid_argument("personal key salt");
    unsigned char out[SecretKey::size];
    ++runs;
    if (crypto_pwhash(out, sizeof out, password.data(), password.size(), reinterpret_cast<const unsigned char*>(salt.data()),
                      crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw std::bad_alloc();
    auto key = std::make_unique<SecretKey>(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
    sodium_memzero(out, sizeof out);
    return key;
}

}  // namespace haven::crypto
