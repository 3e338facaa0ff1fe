#include "modules/accounts/gate.hpp"

#include <charconv>

#include "crypto/random.hpp"
#include "http/cookies.hpp"
#include "http/form.hpp"

namespace haven::accounts {
namespace {

bool state_changing(const std::string& method) { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

bool well_formed_token(std::string_view t) {
    if (t.size() != 43) return false;
    for (char c : t)
        if (!std::isalnum((unsigned char)c) && c != '-' && c != '_') return false;
    return true;
}

Error csrf_error() {
    return make_error(ErrorKind::forbidden, "csrf", "This form has expired or came from elsewhere. Reload the page and try again.");
}

}  // namespace

bool known_access(const std::string& access) { return access == "public" || access == "signed-in" || parse_action(access).has_value(); }

std::string Gate::session_cookie() const { return secure_ ? "__Host-haven_session" : "haven_session"; }
std::string Gate::csrf_cookie() const { return secure_ ? "__Host-haven_csrf" : "haven_csrf"; }

std::string Gate::session_set_cookie(const std::string& token) const {
    http::CookieOptions o;
    o.secure = secure_;
    return *http::set_cookie(session_cookie(), token, o);
}

std::string Gate::session_clear_cookie() const {
    http::CookieOptions o;
    o.secure = secure_;
    o.max_age_seconds = 0;
    return *http::set_cookie(session_cookie(), "", o);
}

std::string Gate::session_token(const http::Request& request) const {
    return http::find_cookie(request.header("Cookie"), session_cookie()).value_or("");
}

Status Gate::check(http::Request& request) {
    // 1. Who is asking.
    std::string_view authorization = request.header("Authorization");
    const bool bearer = authorization.starts_with("Bearer ");
    const std::string session = bearer ? std::string() : session_token(request);
    if (bearer) {
        auto p = service_.principal_for_token(std::string(authorization.substr(7)));
        if (!p) return p.error();
        request.principal = std::move(p).value();
    } else if (!session.empty()) {
        if (auto p = service_.principal_for_session(session)) request.principal = std::move(p).value();
    }
    if (request.principal && !request.principal->locale.empty()) request.locale = request.principal->locale;

    // 2. CSRF (double submit, with a __Host- cookie so another site cannot plant it).
    auto cookie = http::find_cookie(request.header("Cookie"), csrf_cookie());
    if (cookie && well_formed_token(*cookie)) request.csrf_token = *cookie;
    // Needed where a browser could be tricked into sending the request with its ambient credentials:
    // every form post, and every API call that carries a session cookie. An API call with neither
    // cookie nor bearer is anonymous and must be application/json, which no other site can send
    // without a CORS preflight (which Haven never grants).
    if (state_changing(request.method)) {
        if (bearer) {
            if (request.principal->read_only) return make_error(ErrorKind::forbidden, "read_only_token", "This token may only read.");
        } else if (!request.is_api() || !session.empty()) {
            std::string sent(request.header("X-CSRF-Token"));
            const std::string_view type = request.header("Content-Type");
            if (sent.empty() && (type.starts_with("application/x-www-form-urlencoded") || type.starts_with("multipart/form-data"))) {
                auto form = http::form_body(request, {"*"});  // a file's bytes are the handler's to judge
                if (!form) return form.error();               // a malformed form is a 400, whoever sent it
                sent = form->get("_csrf");
            }
            if (!cookie || !crypto::equal_secret(sent, *cookie)) return csrf_error();
        }
    }

    // 3. The route's rule. Deny by default: an unknown rule refuses.
    if (request.access == "public") return {};
    if (!request.principal) return make_error(ErrorKind::unauthorized, "signed_out", "Please sign in.");
    if (request.access == "signed-in") return {};
    auto action = parse_action(request.access);
    if (!action) return make_error(ErrorKind::forbidden, "forbidden", "You are not allowed to do this.");
    std::optional<int64_t> site;
    if (auto it = request.params.find("site"); it != request.params.end()) {
        int64_t id = 0;
        auto [p, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), id);
        if (ec != std::errc() || p != it->second.data() + it->second.size())
            return make_error(ErrorKind::not_found, "not_found", "There is no such site.");
        site = id;
    }
    if (!may(*request.principal, *action, site)) return make_error(ErrorKind::forbidden, "forbidden", "You are not allowed to do this.");
    return {};
}

void Gate::after(const http::Request& request, http::Response& response) const {
    auto cookie = http::find_cookie(request.header("Cookie"), csrf_cookie());
    if (cookie && *cookie == request.csrf_token) return;
    if (request.csrf_token.empty()) return;
    http::CookieOptions o;
    o.secure = secure_;
    response.add_header("Set-Cookie", *http::set_cookie(csrf_cookie(), request.csrf_token, o));
}

}  // namespace haven::accounts
