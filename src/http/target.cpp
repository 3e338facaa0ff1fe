#include "http/target.hpp"

#include "core/utf8.hpp"

namespace haven::http {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// RFC 3986 pchar, less '%' (checked separately), plus '/'.
bool path_char(unsigned char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    switch (c) {
        case '-':
        case '.':
        case '_':
        case '~':  // unreserved
        case '!':
        case '$':
        case '&':
        case '\'':
        case '(':
        case ')':
        case '*':
        case '+':
        case ',':
        case ';':
        case '=':  // sub-delims
        case ':':
        case '@':
        case '/': return true;
        default: return false;
    }
}

Error bad_target(std::string message) { return make_error(ErrorKind::bad_request, "bad_target", std::move(message)); }

}  // namespace

bool percent_decode(std::string_view in, std::string& out, bool plus_as_space) {
    out.clear();
    out.reserve(in.size());
    for (size_t i = 0; i < in.size(); ++i) {
        char c = in[i];
        if (c == '%') {
            if (i + 2 >= in.size()) return false;
            int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
            if (hi < 0 || lo < 0) return false;
            out += char(hi * 16 + lo);
            i += 2;
        } else if (c == '+' && plus_as_space) {
            out += ' ';
        } else {
            out += c;
        }
    }
    return true;
}

Result<Target> parse_target(std::string_view raw) {
    if (raw.empty() || raw.front() != '/') return bad_target("The request target must be a path starting with '/'.");
    Target t;
    std::string_view path = raw;
    if (auto q = raw.find('?'); q != std::string_view::npos) {
        path = raw.substr(0, q);
        t.query = std::string(raw.substr(q + 1));
        for (unsigned char c : t.query)
            if (!path_char(c) && c != '?' && c != '%') return bad_target("The query string holds a character that must be percent-encoded.");
    }
    for (unsigned char c : path)
        if (!path_char(c) && c != '%') return bad_target("The path holds a character that must be percent-encoded.");

    // Split on raw '/', so an encoded "%2F" stays inside its segment (and is then refused).
    size_t start = 1;
    while (start <= path.size()) {
        size_t end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        std::string segment;
        if (!percent_decode(path.substr(start, end - start), segment, false)) return bad_target("The path has a malformed percent-escape.");
        if (segment.find('/') != std::string::npos) return bad_target("The path may not hold an encoded '/'.");
        if (segment.find('\0') != std::string::npos || has_control_chars(segment) || segment.find_first_of("\t\r\n") != std::string::npos)
            return bad_target("The path may not hold control characters.");
        if (!valid_utf8(segment)) return bad_target("The path is not valid UTF-8.");
        if (segment == "." || segment == "..") return bad_target("The path may not hold '.' or '..' segments.");
        t.segments.push_back(std::move(segment));
        start = end + 1;
    }
    if (t.segments.size() == 1 && t.segments[0].empty()) t.segments.clear();  // "/" is the root, no segments
    t.path = "/";
    for (size_t i = 0; i < t.segments.size(); ++i) {
        if (i) t.path += '/';
        t.path += t.segments[i];
    }
    return t;
}

}  // namespace haven::http
