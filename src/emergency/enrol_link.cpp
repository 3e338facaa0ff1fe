#include "emergency/enrol_link.hpp"

#include <algorithm>
#include <cctype>

#include "crypto/totp.hpp"

namespace haven::emergency {

namespace {

constexpr std::string_view v1_prefix = "haven-enrol:1;", v2_prefix = "HAVEN:2/";

std::string upper(std::string_view s) {
    std::string out(s);
    for (auto& ch : out) ch = char(std::toupper(static_cast<unsigned char>(ch)));
    return out;
}
std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& ch : out) ch = char(std::tolower(static_cast<unsigned char>(ch)));
    return out;
}

Error damaged(const std::string& part, const std::string& why) { return invalid(part, "The enrolment link is damaged: " + why + "."); }

// scheme://authority/path, split; false when it is not an http(s) URL with a plain authority.
struct Url {
    std::string scheme, authority, path;
};
bool split_url(std::string_view text, Url& url) {
    const size_t sep = text.find("://");
    if (sep == std::string_view::npos) return false;
    url.scheme = lower(text.substr(0, sep));
    std::string_view rest = text.substr(sep + 3);
    const size_t slash = rest.find('/');
    url.authority = std::string(rest.substr(0, slash));
    url.path = slash == std::string_view::npos ? "" : std::string(rest.substr(slash));
    if (url.scheme != "https" && url.scheme != "http") return false;
    return !url.authority.empty() && std::all_of(url.authority.begin(), url.authority.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
    });
}

bool alphanumeric_host(const Url& url) {
    return (url.path.empty() || url.path == "/") && std::all_of(url.authority.begin(), url.authority.end(),
                                                                [](unsigned char c) { return std::isalnum(c) || c == '.' || c == '-' || c == ':'; });
}

bool base32_text(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return (c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7'); });
}

}  // namespace

std::string enrol_link_v2(std::string_view server, std::string_view code, const Bytes& fingerprint) {
    Url url;
    std::string hub(server);
    if (split_url(server, url) && alphanumeric_host(url)) hub = upper(url.scheme == "https" ? url.authority : "http://" + url.authority);
    return std::string(v2_prefix) + std::string(code) + "/" + crypto::base32_encode(fingerprint) + "/" + hub;
}

Result<EnrolLink> parse_enrol_link(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    EnrolLink link;
    if (text.starts_with(v1_prefix)) {
        std::vector<std::string> parts;
        size_t at = 0;
        for (size_t next; (next = text.find(';', at)) != std::string_view::npos; at = next + 1) parts.emplace_back(text.substr(at, next - at));
        parts.emplace_back(text.substr(at));
        if (parts.size() != 5) return damaged("link", "it has " + std::to_string(parts.size()) + " parts, not 5");
        auto org = from_hex(parts[3]), box = from_hex(parts[4]);
        if (!org || org->size() != 32) return damaged("org_pk", "the organisation key is not 32 bytes of hex");
        if (!box || box->size() != 32) return damaged("box_pk", "the operators' key is not 32 bytes of hex");
        Url url;
        if (!split_url(parts[1], url)) return damaged("server", "the hub is not an http(s) URL");
        if (parts[2].empty()) return damaged("code", "the code is missing");
        link.version = 1;
        link.server = parts[1];
        link.code = parts[2];
        link.org_pk = *org;
        link.box_pk = *box;
        return link;
    }
    if (text.size() < v2_prefix.size() || upper(text.substr(0, v2_prefix.size())) != v2_prefix)
        return invalid("link", "This is not a Haven enrolment link (it begins HAVEN:2/ or haven-enrol:1;).");
    std::string_view rest = text.substr(v2_prefix.size());
    const size_t a = rest.find('/'), b = a == std::string_view::npos ? a : rest.find('/', a + 1);
    if (b == std::string_view::npos) return damaged("link", "it needs a code, a fingerprint and the hub, separated by /");
    const std::string code = upper(rest.substr(0, a));
    const std::string fingerprint = upper(rest.substr(a + 1, b - a - 1));
    const std::string_view hub = rest.substr(b + 1);
    if (!base32_text(code) || code.size() > 100) return damaged("code", "the code is not base32");
    auto fp = base32_text(fingerprint) ? crypto::base32_decode(fingerprint) : std::nullopt;
    if (!fp || fp->size() != enrolment_fingerprint_size || crypto::base32_encode(*fp) != fingerprint)
        return damaged("fingerprint", "the fingerprint is not 16 bytes of base32");
    // Scheme and host are case-insensitive (lower case, as typed); a path keeps its case.
    Url url;
    if (!split_url(hub.find("://") == std::string_view::npos ? "https://" + std::string(hub) : std::string(hub), url))
        return damaged("server", "the hub is not a host name or an http(s) URL");
    link.version = 2;
    link.server = url.scheme + "://" + lower(url.authority) + (url.path == "/" ? "" : url.path);
    link.code = code;
    link.fingerprint = *fp;
    return link;
}

}  // namespace haven::emergency
