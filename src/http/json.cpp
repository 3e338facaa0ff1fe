#include "http/json.hpp"

#include <boost/json/error.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace haven::http {

Result<boost::json::value> parse_json(std::string_view body) {
    boost::json::parse_options options;
    options.max_depth = max_json_depth;
    options.allow_invalid_utf8 = false;
    options.allow_comments = false;
    options.allow_trailing_commas = false;
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(body, ec, {}, options);
    if (ec == boost::json::error::too_deep)
        return make_error(ErrorKind::bad_request, "too_deep", "The JSON body is nested deeper than 32 levels.");
    if (ec) return make_error(ErrorKind::bad_request, "bad_json", "The body is not valid JSON (UTF-8).");
    return v;
}

std::string to_json(const boost::json::value& value) { return boost::json::serialize(value); }

}  // namespace haven::http
