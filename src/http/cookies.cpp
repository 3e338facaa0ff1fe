#include "http/cookies.hpp"

namespace haven::http {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool token_char(unsigned char c) {
    if (c <= 0x20 || c >= 0x7f) return false;
    switch (c) {
        case '(':
        case ')':
        case '<':
        case '>':
        case '@':
        case ',':
        case ';':
        case ':':
        case '\\':
        case '"':
        case '/':
        case '[':
        case ']':
        case '?':
        case '=':
        case '{':
        case '}': return false;
        default: return true;
    }
}

// RFC 6265 cookie-octet.
bool value_char(unsigned char c) {
    return c == 0x21 || (c >= 0x23 && c <= 0x2B) || (c >= 0x2D && c <= 0x3A) || (c >= 0x3C && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
}

bool all_of(std::string_view s, bool (*pred)(unsigned char)) {
    for (unsigned char c : s)
        if (!pred(c)) return false;
    return true;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> parse_cookies(std::string_view header) {
    std::vector<std::pair<std::string, std::string>> out;
    size_t start = 0;
    while (start < header.size() && out.size() < max_cookies) {
        size_t end = header.find(';', start);
        if (end == std::string_view::npos) end = header.size();
        std::string_view pair = trim(header.substr(start, end - start));
        start = end + 1;
        size_t eq = pair.find('=');
        if (eq == std::string_view::npos) continue;
        std::string_view name = trim(pair.substr(0, eq));
        std::string_view value = trim(pair.substr(eq + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
        if (name.empty() || !all_of(name, token_char) || !all_of(value, value_char)) continue;
        out.emplace_back(std::string(name), std::string(value));
    }
    return out;
}

std::optional<std::string> find_cookie(std::string_view header, std::string_view name) {
    for (auto& [k, v] : parse_cookies(header))
        if (k == name) return v;
    return std::nullopt;
}

std::optional<std::string> set_cookie(std::string_view name, std::string_view value, const CookieOptions& o) {
    if (name.empty() || !all_of(name, token_char) || !all_of(value, value_char)) return std::nullopt;
    std::string out;
    out.append(name).append("=").append(value);
    out += "; Path=" + o.path;
    if (o.max_age_seconds) out += "; Max-Age=" + std::to_string(*o.max_age_seconds);
    if (o.secure) out += "; Secure";
    if (o.http_only) out += "; HttpOnly";
    if (!o.same_site.empty()) out += "; SameSite=" + o.same_site;
    return out;
}

}  // namespace haven::http
