// Maps (method, path) to a handler. Patterns are literal segments and {name} parameters; no regex.
#pragma once

#include <cstddef>
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
    std::string pattern;                // "/api/v1/items/{id}"
    std::vector<std::string> segments;  // {"api","v1","items","{id}"}
    std::string access;                 // who may call it: "public", "signed-in" or an action name
    Handler handler;
    // The largest body the route takes; 0: the transport's default (1 MB). More is read only for a caller the gate
    // admits from the header alone (see Pipeline::admits_large_body), so strangers never send it.
    size_t max_body_bytes = 0;
    // Served while the vault is sealed: what an operator needs to unseal, what monitoring needs, and the emergency
    // network, which needs no vault key. Every other route answers 503 "sealed" then.
    bool sealed_ok = false;
    // The page may compile WebAssembly and ask for the camera (the network's member app: libsodium in
    // WebAssembly, and the enrolment QR code); every other answer's CSP and Permissions-Policy forbid both.
    bool wasm_and_camera = false;
    // The page may ask for the camera, and nothing more (an event's page: volunteers at the door scan tickets).
    bool camera = false;

    Route& takes_body(size_t bytes) {
        max_body_bytes = bytes;
        return *this;
    }
    Route& while_sealed() {
        sealed_ok = true;
        return *this;
    }
    Route& with_wasm_and_camera() {
        wasm_and_camera = true;
        return *this;
    }
    Route& with_camera() {
        camera = true;
        return *this;
    }
};

struct RouteMatch {
    const Route* route = nullptr;  // set when method and path match
    std::map<std::string, std::string> params;
    std::string allow;  // when only the method is wrong: "GET, POST"
};

class Router {
public:
    // Throws std::logic_error on a malformed pattern or a duplicate (a programming error, caught at start-up).
    // `access` says who may call the route (checked by the pipeline's gate, deny by default).
    // Returns the route, to set its other facts in the same statement (`.takes_body(…)`, `.while_sealed()`; the
    // reference lasts until the next add).
    Route& add(std::string method, std::string pattern, std::string access, Handler handler);
    Route& get(std::string pattern, std::string access, Handler h) { return add("GET", std::move(pattern), std::move(access), std::move(h)); }
    Route& post(std::string pattern, std::string access, Handler h) { return add("POST", std::move(pattern), std::move(access), std::move(h)); }

    // A literal segment beats a parameter at the same place; HEAD falls back to GET.
    RouteMatch match(std::string_view method, const std::vector<std::string>& segments) const;
    const std::vector<Route>& routes() const { return routes_; }

private:
    std::vector<Route> routes_;
};

}  // namespace haven::http
