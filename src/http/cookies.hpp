// Cookie header parsing (RFC 6265 §5.4, leniently) and Set-Cookie building.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace haven::http {

constexpr size_t max_cookies = 50;

// Pairs in order. Malformed pairs are skipped, not fatal: a browser may hold junk from other apps.
std::vector<std::pair<std::string, std::string>> parse_cookies(std::string_view header);
std::optional<std::string> find_cookie(std::string_view header, std::string_view name);

struct CookieOptions {
    bool secure = true;
    bool http_only = true;
    std::string same_site = "Strict";
    std::string path = "/";
    std::optional<long> max_age_seconds;  // none: a session cookie; 0: delete
};

// Builds a Set-Cookie value. Returns nullopt when the name or value holds characters RFC 6265 forbids.
std::optional<std::string> set_cookie(std::string_view name, std::string_view value, const CookieOptions& options);

}  // namespace haven::http
