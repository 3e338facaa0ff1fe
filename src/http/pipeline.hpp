// What happens to every request between the transport and a handler, in this order:
// request id → target check → locale → route → handler (exceptions become 500) → error rendering →
// security headers → metrics → access log. Security headers and CSP are set here and nowhere else. A parked
// answer (a long poll, http::Park) skips the last three until the transport runs it again and it is an answer.
#pragma once

#include <optional>
#include <vector>

#include <functional>
#include <string>

#include "core/result.hpp"
#include "http/message.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"

namespace haven::http {

struct PipelineHooks {
    // Picks the reader's language (cookie, account, Accept-Language).
    std::function<std::string(const Request&)> choose_locale;
    // Renders an error as an HTML page for browsers (API paths always get JSON).
    std::function<Response(const Request&, int status, const Error&)> error_page;
    // Runs after routing, before the handler: authenticates, checks CSRF and the route's access rule, and reads
    // the matched route's other facts (Route::sealed_ok). An Error stops the request. Without a gate only "public"
    // routes are served (deny by default).
    std::function<Status(Request&, const Route&)> gate;
    // Runs on every response of a routed request (e.g. to set the CSRF cookie).
    std::function<void(const Request&, Response&)> after;
    // Turns an exception that is an expected outcome (a write that collided with another on a unique key) into
    // an Error answered as such (409); anything else stays a 500.
    std::function<std::optional<Error>(const std::exception&)> expected_failure;
    bool hsts = false;
    // Peers whose X-Forwarded-For is believed (the TLS proxy in front); from anyone else it is ignored.
    std::vector<std::string> trusted_proxies;
};

// The client's address: the peer's, or — when the peer is a trusted proxy — the last address of X-Forwarded-For
// (the one that proxy appended; whatever the client wrote before it is not believed).
std::string client_address(const Request& request, const std::vector<std::string>& trusted_proxies);

class Pipeline {
public:
    Pipeline(const Router& router, Metrics& metrics, PipelineHooks hooks);

    // Never throws.
    Response handle(Request& request);
    // The answer for a request the transport refuses before it is complete.
    Response reject(int status, const std::string& code, const std::string& message) const;

    // Asked by the transport once a request's header is read, before any of its body. The body limit of the route
    // the method and target match exactly (Route::max_body_bytes; 0 when unmatched or the default). No I/O.
    size_t body_limit(std::string_view method, std::string_view target) const;
    // Whether the caller of a header-only request passes the gate for its route (who asks — session or bearer —
    // and the route's access rule; sealed, nobody does), so that it may send more than the default body. Asked
    // as a read: a form's CSRF token is in the body, and is checked with it when the request is handled.
    // Never throws.
    bool admits_large_body(const Request& header_only) const;

private:
    Response render_error(const Request& request, const Error& error) const;
    // `route` is the matched route, or null when none matched.
    void finish(Response& response, const Route* route, const Request& request) const;

    const Router& router_;
    Metrics& metrics_;
    PipelineHooks hooks_;
};

int status_for(ErrorKind kind);
// {"error":{"code":…,"message":…,"fields":{…}},"request_id":…}
std::string error_json(const Error& error, const std::string& request_id);
std::string new_request_id();

}  // namespace haven::http
