// JSON bodies through Boost.JSON, with a depth limit (deeply nested input must not exhaust the stack).
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace haven::http {

constexpr unsigned max_json_depth = 32;

// Refuses (400) malformed JSON, invalid UTF-8, and nesting deeper than max_json_depth.
Result<boost::json::value> parse_json(std::string_view body);

std::string to_json(const boost::json::value& value);

}  // namespace haven::http
