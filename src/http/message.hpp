// Plain request and response types: what handlers see. No Beast here.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/principal.hpp"

namespace haven::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

class Signal;

// A handler with nothing to answer yet (a long poll) answers Response::park(...): the transport then holds the
// connection — no thread, no handler slot — until `signal` moves past `seen` or `until` passes, and runs the
// handler again, with Request::park_over set once its first deadline has passed; it must then answer (parking
// again is answered 500). Parking again before that keeps the first deadline. A parked request is logged and measured once, when it is answered.
struct Park {
    Signal* signal = nullptr;
    uint64_t seen = 0;
    std::chrono::steady_clock::time_point until;
};

struct Request {
    std::string method;  // "GET", "POST", ...
    std::string target;  // as received, e.g. "/api/v1/x?y=1" (never logged)
    std::string path;    // percent-decoded, validated path
    std::string query;   // raw query string, without '?'
    Headers headers;
    std::string body;
    std::string remote_address;

    // Filled in by the pipeline.
    std::string request_id;
    std::string route;                          // the matching pattern, e.g. "/api/v1/items/{id}"
    std::map<std::string, std::string> params;  // path parameters by name
    std::string locale = "en";
    std::string access;                  // the route's access rule, e.g. "public", "sites.manage"
    std::optional<Principal> principal;  // set by the gate when signed in
    // The token forms must carry back (see accounts/gate): the cookie's, or one made when a page first
    // needs it (web::csrf_field) — mutable so rendering can make it; the gate then sets the cookie.
    mutable std::string csrf_token;
    // A page shown again because its form failed (web::show_again): the failure in the reader's words, the
    // field at fault, and the posted fields, so the page's fields keep what was typed (never a password).
    struct Echo {
        bool active = false;
        std::string notice;
        std::string field;
        std::vector<std::pair<std::string, std::string>> values;
    };
    mutable Echo echo;
    // Set by the transport when this request was parked and must now be answered with what there is.
    bool park_over = false;

    // Case-insensitive lookup; empty when absent.
    std::string_view header(std::string_view name) const;
    bool is_api() const { return (path.empty() ? target : path).rfind("/api/", 0) == 0; }
};

struct Response {
    int status = 200;
    Headers headers;
    std::string body;
    std::optional<Park> parked;  // not an answer yet: see Park

    void set_header(std::string name, std::string value);
    void add_header(std::string name, std::string value);  // another field of the same name (Set-Cookie)
    std::string_view header(std::string_view name) const;

    static Response text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
    static Response html(int status, std::string body);
    static Response json(int status, std::string body);
    static Response redirect(std::string location, int status = 303);
    static Response park(Signal& signal, uint64_t seen, std::chrono::steady_clock::duration wait);
};

bool iequals(std::string_view a, std::string_view b);

}  // namespace haven::http
