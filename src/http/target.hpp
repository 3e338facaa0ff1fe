// The request target (RFC 9112 origin-form: "/path?query"), decoded and checked.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace haven::http {

struct Target {
    std::string path;                   // decoded, e.g. "/api/v1/people/42"
    std::vector<std::string> segments;  // decoded, without the slashes: {"api","v1","people","42"}
    std::string query;                  // raw, without '?'
};

// Refuses (400) anything but origin-form; bad percent-encoding; characters outside RFC 3986 pchar;
// decoded NUL or control characters, invalid UTF-8, an encoded '/', and "." or ".." segments.
Result<Target> parse_target(std::string_view raw);

// Percent-decodes `in`; with `plus_as_space` a '+' becomes ' ' (forms). False on a bad escape.
bool percent_decode(std::string_view in, std::string& out, bool plus_as_space);

}  // namespace haven::http
