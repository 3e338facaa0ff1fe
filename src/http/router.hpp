// Maps (method, path) to a handler. Patterns are literal segments and {name} parameters; no regex.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "http/message.hpp"

namespace haven::http {

// A handler returns its Response, or an expected failure that the pipeline renders as JSON or a page.
using Handler = std::function<Result<Response>(Request&)>;

struct Route {
    std::string method;
    std::string pattern;                 // "/api/v1/items/{id}"
    std::vector<std::string> segments;   // {"api","v1","items","{id}"}
    std::string access;                  // who may call it: "public", "signed-in" or an action name
    Handler handler;
};

struct RouteMatch {
    const Route* route = nullptr;            // set when method and path match
    std::map<std::string, std::string> params;
    std::string allow;                       // when only the method is wrong: "GET, POST"
};

class Router {
public:
    // Throws std::logic_error on a malformed pattern or a duplicate (a programming error, caught at start-up).
    // `access` says who may call the route (checked by the pipeline's gate, deny by default).
    void add(std::string method, std::string pattern, std::string access, Handler handler);
    void get(std::string pattern, std::string access, Handler h) { add("GET", std::move(pattern), std::move(access), std::move(h)); }
    void post(std::string pattern, std::string access, Handler h) { add("POST", std::move(pattern), std::move(access), std::move(h)); }

    // A literal segment beats a parameter at the same place; HEAD falls back to GET.
    RouteMatch match(std::string_view method, const std::vector<std::string>& segments) const;
    const std::vector<Route>& routes() const { return routes_; }

private:
    std::vector<Route> routes_;
};

}  // namespace haven::http
