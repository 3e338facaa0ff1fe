// The JSON API's request and response helpers, shared by the modules' API handlers. http/json.hpp stays the
// parser; this is what a handler writes with it.
#pragma once

#include <string>

#include <boost/json.hpp>

#include "core/result.hpp"
#include "http/json.hpp"
#include "http/message.hpp"

namespace haven::http {

namespace json = boost::json;

// The body as a JSON object: 415 unless sent as application/json, 400 unless an object.
inline Result<json::object> json_body(const Request& request) {
    if (!request.header("Content-Type").starts_with("application/json"))
        return make_error(ErrorKind::unsupported_media, "unsupported_media_type", "Send the body as application/json.");
    HAVEN_TRY(v, http::parse_json(request.body));
    if (!v.is_object()) return make_error(ErrorKind::bad_request, "bad_json", "The body must be a JSON object.");
    return std::move(v.as_object());
}

// A string member, "" when absent; an error naming the field when it is not a string or too long.
inline Result<std::string> text(const json::object& o, const char* name, size_t max = 1000) {
    const auto* v = o.if_contains(name);
    if (!v) return std::string();
    if (!v->is_string() || v->get_string().size() > max)
        return make_error(ErrorKind::invalid, "validation_failed",
                          std::string(name) + " must be a string of at most " + std::to_string(max) + " bytes.", name);
    return std::string(v->get_string());
}

inline Response ok(int status, const json::value& v) { return Response::json(status, json::serialize(v)); }

// 200 {"items": [to_json(x) for x in list]}: the shape of every list the API returns.
template <class List, class ToJson>
Response items(const List& list, ToJson to_json) {
    json::array out;
    for (const auto& x : list) out.push_back(to_json(x));
    return ok(200, json::object{{"items", out}});
}

}  // namespace haven::http
