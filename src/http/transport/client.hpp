// A small blocking HTTP(S) client: one request per connection, the system's CA store (or a given CA file) for
// https, a deadline on every step. Used by the emergency network's command-line clients and by its doorbells
// (webhook, Matrix). Beside the server, the other place that knows Beast and Asio.
#pragma once

#include <optional>
#include <string>
#include <string_view>
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
    // For addresses a stranger chose (a member's webhook): refuse unless every address the name resolves to is a
    // public one, and connect only to the addresses checked (no second lookup that DNS rebinding could switch).
    bool public_only = false;
};

// Whether an IP address literal ("192.0.2.1", "::ffff:10.0.0.1", "[fe80::1]") is one the public Internet routes:
// not loopback, private, link-local, shared (CGNAT), multicast, documentation or reserved; IPv4 inside IPv6
// (mapped, NAT64, 6to4) is judged as IPv4. nullopt when `host` is not an IP literal.
std::optional<bool> public_address(std::string_view host);

// 503 with the reason when the server cannot be reached; 403 "refused_target" when `public_only` refuses it.
Result<Reply> request(const Endpoint& to, const std::string& method, const std::string& target, const std::string& body = {},
                      const std::string& content_type = {}, const std::vector<std::pair<std::string, std::string>>& headers = {});

}  // namespace haven::http::client
