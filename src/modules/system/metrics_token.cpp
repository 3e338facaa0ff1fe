#include <fcntl.h>
#include <unistd.h>

#include "core/config.hpp"
#include "crypto/random.hpp"
#include "modules/system/handlers.hpp"

namespace haven::system {

std::string metrics_token(const std::string& data_dir) {
    const std::string path = data_dir + "/metrics-token";
    if (auto token = read_secret_file(path); token && !token->empty()) return *token;
    // A data directory from before the token existed: made now, readable by the service account only.
    const std::string token = crypto::random_token();
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return {};
    const std::string line = token + "\n";
    const bool written = ::write(fd, line.data(), line.size()) == ssize_t(line.size());
    ::close(fd);
    return written ? token : std::string();
}

Status check_metrics_token(const Request& request, const std::string& token) {
    const std::string_view authorization = request.header("Authorization");
    const bool given = authorization.starts_with("Bearer ");
    if (token.empty() || !given || !crypto::equal_secret(authorization.substr(7), token))
        return make_error(ErrorKind::unauthorized, "metrics_token", "The metrics need the token in DATA/metrics-token (Authorization: Bearer).");
    return {};
}

}  // namespace haven::system
