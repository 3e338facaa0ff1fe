// A small blocking HTTP(S) client: one request per connection, the system's CA store (or a given CA file) for
// https, a deadline on every step. Used by the emergency network's command-line clients and by its doorbells
// (webhook, Matrix). Beside the server, the other place that knows Beast and Asio.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace haven::http::client {

struct Reply {
    int status = 0;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string header(const std::string& name) const;
};

struct Endpoint {
    std::string base;     // "https://haven.example.org" or "http://127.0.0.1:8080"
    std::string bearer;   // API token (operators); empty for members
    std::string ca_file;  // extra CA for https (self-signed hubs)
    int timeout_seconds = 40;
};

// 503 with the reason when the server cannot be reached.
Result<Reply> request(const Endpoint& to, const std::string& method, const std::string& target, const std::string& body = {},
                      const std::string& content_type = {}, const std::vector<std::pair<std::string, std::string>>& headers = {});

}  // namespace haven::http::client
