#include "core/config.hpp"
#include "crypto/random.hpp"
#include "modules/system/handlers.hpp"

namespace haven::system {

// Made now for a data directory from before the token existed.
std::string metrics_token(const std::string& data_dir) { return crypto::token_file(data_dir + "/metrics-token"); }

Status check_metrics_token(const Request& request, const std::string& token) {
    const std::string_view authorization = request.header("Authorization");
    const bool given = authorization.starts_with("Bearer ");
    if (token.empty() || !given || !crypto::equal_secret(authorization.substr(7), token))
        return make_error(ErrorKind::unauthorized, "metrics_token", "The metrics need the token in DATA/metrics-token (Authorization: Bearer).");
    return {};
}

}  // namespace haven::system
