// The gate every routed request passes before its handler (http::PipelineHooks::gate):
// 1. who is asking — a session cookie, or `Authorization: Bearer` for scripts;
// 2. CSRF — a state-changing form post, or API call with a session cookie, must carry the token of its
//    CSRF cookie (form field `_csrf` or header `X-CSRF-Token`); bearer requests are exempt (read-only
//    tokens may not change state), and so are anonymous JSON calls;
// 3. the route's access rule — "public", "signed-in", or an action of the permission table, checked
//    against the `{site}` of the URL when it has one.
#pragma once

#include "http/message.hpp"
#include "modules/accounts/service.hpp"

namespace haven::accounts {

class Gate {
public:
    Gate(Service& service, bool secure_cookies) : service_(service), secure_(secure_cookies) {}

    Status check(http::Request& request);
    // Sets the CSRF cookie when the request came without one.
    void after(const http::Request& request, http::Response& response) const;

    // "__Host-haven_session" (or "haven_session" for a plain-HTTP demo, as __Host- requires Secure).
    std::string session_cookie() const;
    std::string csrf_cookie() const;
    // Set-Cookie values for a new session, and for ending it.
    std::string session_set_cookie(const std::string& token) const;
    std::string session_clear_cookie() const;
    // The session token of a request, if it has one.
    std::string session_token(const http::Request& request) const;

private:
    Service& service_;
    bool secure_;
};

// Whether a route's access rule names a known action, "public" or "signed-in" (checked at start-up).
bool known_access(const std::string& access);

}  // namespace haven::accounts
