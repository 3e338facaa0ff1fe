#include "emergency/client/state.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "crypto/password.hpp"
#include "crypto/random.hpp"
#include "crypto/vault.hpp"
#include "emergency/wire.hpp"

namespace haven::emergency::client {

namespace json = boost::json;

namespace {
Bytes key_of(const std::string& passphrase, const Bytes& salt) {
    auto key = crypto::personal_key(passphrase, salt);
    return Bytes(reinterpret_cast<const char*>(key->data()), crypto::SecretKey::size);
}
}  // namespace

Result<json::object> load_state(const std::string& path, const std::string& passphrase) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(ErrorKind::not_found, "no_state", "No state at " + path + ".", "state");
    std::stringstream all;
    all << in.rdbuf();
    const std::string bytes = all.str();
    if (bytes.size() < 16 + 40) return make_error(ErrorKind::invalid, "bad_state", "The state file is damaged.", "state");
    auto opened = open_secret(key_of(passphrase, bytes.substr(0, 16)), bytes.substr(16));
    if (!opened) return make_error(ErrorKind::forbidden, "wrong_passphrase", "The passphrase does not open this state.", "passphrase-file");
    boost::system::error_code ec;
    auto v = json::parse(*opened, ec);
    if (ec || !v.is_object()) return make_error(ErrorKind::invalid, "bad_state", "The state file is damaged.", "state");
    return std::move(v.as_object());
}

Status save_state(const std::string& path, const std::string& passphrase, const json::object& state) {
    const Bytes salt = crypto::random_bytes(16);
    const std::string bytes = salt + seal_secret(key_of(passphrase, salt), json::serialize(state));
    const std::string temp = path + ".new";
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) return make_error(ErrorKind::unavailable, "io", "Cannot write " + temp + ".", "state");
    const bool ok = ::write(fd, bytes.data(), bytes.size()) == ssize_t(bytes.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok || std::rename(temp.c_str(), path.c_str()) != 0) return make_error(ErrorKind::unavailable, "io", "Cannot write " + path + ".", "state");
    return {};
}

std::string hex_of(const json::object& o, const char* key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

}  // namespace haven::emergency::client
