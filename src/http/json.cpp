#include "http/json.hpp"

#include <boost/json/error.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cmath>

namespace haven::http {
namespace {

// Numbers beyond double's range parse as infinity, which no JSON text can represent: refuse them.
// (Found by fuzz/fuzz_json.) Recursion is bounded by max_json_depth.
bool all_finite(const boost::json::value& v) {
    switch (v.kind()) {
        case boost::json::kind::double_: return std::isfinite(v.get_double());
        case boost::json::kind::array:
            for (const auto& e : v.get_array())
                if (!all_finite(e)) return false;
            return true;
        case boost::json::kind::object:
            for (const auto& kv : v.get_object())
                if (!all_finite(kv.value())) return false;
            return true;
        default: return true;
    }
}

}  // namespace

Result<boost::json::value> parse_json(std::string_view body) {
    boost::json::parse_options options;
    options.max_depth = max_json_depth;
    options.allow_invalid_utf8 = false;
    options.allow_comments = false;
    options.allow_trailing_commas = false;
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(body, ec, {}, options);
    if (ec == boost::json::error::too_deep) return make_error(ErrorKind::bad_request, "too_deep", "The JSON body is nested deeper than 32 levels.");
    if (ec) return make_error(ErrorKind::bad_request, "bad_json", "The body is not valid JSON (UTF-8).");
    if (!all_finite(v)) return make_error(ErrorKind::bad_request, "bad_json", "A number in the JSON body is out of range.");
    return v;
}

std::string to_json(const boost::json::value& value) { return boost::json::serialize(value); }

}  // namespace haven::http
