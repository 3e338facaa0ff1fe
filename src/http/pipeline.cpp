#include "http/pipeline.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <random>
#include <typeinfo>

#include "core/log.hpp"
#include "http/target.hpp"

namespace haven::http {

int status_for(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::bad_request: return 400;
        case ErrorKind::unauthorized: return 401;
        case ErrorKind::forbidden: return 403;
        case ErrorKind::not_found: return 404;
        case ErrorKind::conflict: return 409;
        case ErrorKind::too_large: return 413;
        case ErrorKind::unsupported_media: return 415;
        case ErrorKind::invalid: return 422;
        case ErrorKind::too_many: return 429;
        case ErrorKind::unavailable: return 503;
    }
    return 500;
}

namespace {

// Statuses the transport or the pipeline itself produce, beyond those of ErrorKind.
ErrorKind kind_for(int status) {
    switch (status) {
        case 404: return ErrorKind::not_found;
        case 413: return ErrorKind::too_large;
        case 429: return ErrorKind::too_many;
        case 503: return ErrorKind::unavailable;
        default: return ErrorKind::bad_request;
    }
}

void set_security_headers(Response& r, bool hsts, bool member_app, bool camera) {
    // The emergency network's member app (/network/app, Route::wasm_and_camera) runs libsodium compiled to
    // WebAssembly: that page alone may compile WebAssembly ('wasm-unsafe-eval' allows no JavaScript eval).
    // Scripts stay our own, same origin.
    r.set_header("Content-Security-Policy",
                 std::string("default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'") +
                     (member_app ? "; script-src 'self' 'wasm-unsafe-eval'" : ""));
    r.set_header("X-Content-Type-Options", "nosniff");
    r.set_header("X-Frame-Options", "DENY");
    // same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null" on our own form posts.
    r.set_header("Referrer-Policy", "same-origin");
    r.set_header("Cross-Origin-Opener-Policy", "same-origin");
    r.set_header("Cross-Origin-Resource-Policy", "same-origin");
    // That page may also ask for the camera (it scans the operator's enrolment QR code), and an event's page (the
    // door scans tickets); no other.
    r.set_header("Permissions-Policy",
                 std::string(member_app || camera ? "camera=(self)" : "camera=()") + ", microphone=(), geolocation=(), payment=(), usb=()");
    if (hsts) r.set_header("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
    if (r.header("Cache-Control").empty()) r.set_header("Cache-Control", "no-store");
}

// A browser names where a request comes from; a state-changing request from another site is refused.
// (Per-form CSRF tokens add to this once there are sessions.)
// The origin is scheme and host: behind TLS (`secure`) only https://HOST is ours, on a plain-HTTP demo only
// http://HOST — a page served over the other scheme is another origin.
Status check_origin(const Request& request, bool secure) {
    if (request.method == "GET" || request.method == "HEAD" || request.method == "OPTIONS") return {};
    if (request.header("Sec-Fetch-Site") == "cross-site")
        return make_error(ErrorKind::forbidden, "cross_origin", "Requests from other sites are refused.");
    std::string_view origin = request.header("Origin");
    if (origin.empty()) return {};
    const std::string ours = std::string(secure ? "https://" : "http://") + std::string(request.header("Host"));
    if (origin != ours) return make_error(ErrorKind::forbidden, "cross_origin", "Requests from other sites are refused.");
    return {};
}

}  // namespace

std::string client_address(const Request& request, const std::vector<std::string>& trusted_proxies) {
    if (std::find(trusted_proxies.begin(), trusted_proxies.end(), request.remote_address) == trusted_proxies.end()) return request.remote_address;
    // The last X-Forwarded-For line, and its last entry: what the proxy added. A client may send lines of its own,
    // and a proxy that adds a line of its own puts it last.
    std::string_view forwarded;
    for (const auto& [name, value] : request.headers)
        if (name.size() == 15 &&
            std::equal(name.begin(), name.end(), "x-forwarded-for", [](char a, char b) { return std::tolower((unsigned char)a) == b; }))
            forwarded = value;
    if (auto comma = forwarded.rfind(','); comma != std::string_view::npos) forwarded.remove_prefix(comma + 1);
    while (!forwarded.empty() && forwarded.front() == ' ') forwarded.remove_prefix(1);
    while (!forwarded.empty() && forwarded.back() == ' ') forwarded.remove_suffix(1);
    if (forwarded.empty() || forwarded.size() > 64) return request.remote_address;
    return std::string(forwarded);
}

std::string new_request_id() {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    static const char* hex = "0123456789abcdef";
    uint64_t v = rng();
    std::string id(16, '0');
    for (int i = 0; i < 16; ++i) id[i] = hex[(v >> (i * 4)) & 15];
    return id;
}

std::string error_json(const Error& error, const std::string& request_id) {
    std::string out = "{\"error\":{\"code\":";
    log::append_json_string(out, error.code.empty() ? "error" : error.code);
    out += ",\"message\":";
    log::append_json_string(out, error.message);
    if (!error.field.empty()) {
        out += ",\"fields\":{";
        log::append_json_string(out, error.field);
        out += ':';
        log::append_json_string(out, error.message);
        out += '}';
    }
    out += "}";
    if (!request_id.empty()) {
        out += ",\"request_id\":";
        log::append_json_string(out, request_id);
    }
    out += "}";
    return out;
}

Pipeline::Pipeline(const Router& router, Metrics& metrics, PipelineHooks hooks) : router_(router), metrics_(metrics), hooks_(std::move(hooks)) {}

Response Pipeline::render_error(const Request& request, const Error& error) const {
    int status = status_for(error.kind);
    Response r;
    bool rendered = false;
    if (!request.is_api() && hooks_.error_page) {
        try {
            r = hooks_.error_page(request, status, error);
            rendered = true;
        } catch (...) {
            // Fall through to the JSON answer: an error page must never turn into a 500.
        }
    }
    if (!rendered) r = Response::json(status, error_json(error, request.request_id));
    if (error.retry_after_seconds > 0) r.set_header("Retry-After", std::to_string(error.retry_after_seconds));
    return r;
}

void Pipeline::finish(Response& response, const Route* route, const Request& request) const {
    set_security_headers(response, hooks_.hsts, route && route->wasm_and_camera, route && route->camera);
    if (!request.request_id.empty()) response.set_header("X-Request-Id", request.request_id);
}

Response Pipeline::handle(Request& request) {
    const auto started = std::chrono::steady_clock::now();
    if (request.request_id.empty()) {  // a parked request keeps its id, and its client
        request.request_id = new_request_id();
        request.remote_address = client_address(request, hooks_.trusted_proxies);
    }
    Response response;
    const Route* matched = nullptr;
    try {
        response = [&]() -> Response {
            auto target = parse_target(request.target);
            if (!target) return render_error(request, target.error());
            request.path = target->path;
            request.query = target->query;
            if (hooks_.choose_locale) request.locale = hooks_.choose_locale(request);
            auto match = router_.match(request.method, target->segments);
            if (!match.route) {
                if (!match.allow.empty()) {
                    Response r = render_error(
                        request, make_error(ErrorKind::bad_request, "method_not_allowed", "This URL does not accept " + request.method + "."));
                    r.status = 405;
                    r.set_header("Allow", match.allow);
                    return r;
                }
                return render_error(request, make_error(ErrorKind::not_found, "not_found", "There is nothing at this address."));
            }
            if (auto s = check_origin(request, hooks_.hsts); !s) return render_error(request, s.error());
            matched = match.route;
            request.route = match.route->pattern;
            request.access = match.route->access;
            request.params = std::move(match.params);
            if (hooks_.gate) {
                if (auto s = hooks_.gate(request, *match.route); !s) {
                    // A refusal may be a page with a form (the sealed page's unseal form): it needs its CSRF cookie.
                    Response r = render_error(request, s.error());
                    if (hooks_.after) hooks_.after(request, r);
                    return r;
                }
            } else if (request.access != "public") {
                return render_error(request, make_error(ErrorKind::forbidden, "forbidden", "Not allowed."));
            }
            auto result = match.route->handler(request);
            Response r = result ? std::move(result).value() : render_error(request, result.error());
            if (hooks_.after && !r.parked) hooks_.after(request, r);
            return r;
        }();
    } catch (const std::exception& e) {
        // Exception text may come from a library and could hold anything: log only its type.
        if (auto expected = hooks_.expected_failure ? hooks_.expected_failure(e) : std::nullopt) {
            log::warn("handler_conflict", {{"id", request.request_id}, {"route", request.route}, {"type", typeid(e).name()}});
            response = render_error(request, *expected);
        } else {
            log::error("handler_exception", {{"id", request.request_id}, {"route", request.route}, {"type", typeid(e).name()}});
            Error err = make_error(ErrorKind::unavailable, "internal_error",
                                   "Something went wrong on our side. Quote request id " + request.request_id + " to an administrator.");
            response = render_error(request, err);
            response.status = 500;
        }
    } catch (...) {
        log::error("handler_exception", {{"id", request.request_id}, {"route", request.route}, {"type", "unknown"}});
        response = Response::json(
            500, error_json(make_error(ErrorKind::unavailable, "internal_error", "Something went wrong on our side."), request.request_id));
    }
    if (response.parked) return response;  // not an answer yet: logged and measured when it is one
    finish(response, matched, request);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const std::string& route = request.route.empty() ? std::string("unmatched") : request.route;
    metrics_.record(route, request.method, response.status, seconds);
    log::info("http", {{"id", request.request_id},
                       {"method", request.method},
                       {"route", route},
                       {"status", response.status},
                       {"ms", seconds * 1000.0},
                       {"bytes", response.body.size()}});
    return response;
}

size_t Pipeline::body_limit(std::string_view method, std::string_view target) const {
    auto parsed = parse_target(target);
    if (!parsed) return 0;
    auto match = router_.match(method, parsed->segments);
    return match.route ? match.route->max_body_bytes : 0;
}

bool Pipeline::admits_large_body(const Request& header_only) const {
    try {
        auto target = parse_target(header_only.target);
        if (!target || !hooks_.gate) return false;
        auto match = router_.match(header_only.method, target->segments);
        if (!match.route) return false;
        Request probe;
        probe.method = "GET";
        probe.target = header_only.target;
        probe.path = target->path;
        probe.query = target->query;
        probe.headers = header_only.headers;
        probe.remote_address = header_only.remote_address;
        probe.route = match.route->pattern;
        probe.access = match.route->access;
        probe.params = std::move(match.params);
        return hooks_.gate(probe, *match.route).ok();
    } catch (...) {
        log::error("body_admission_exception", {{"type", "unknown"}});
        return false;
    }
}

Response Pipeline::reject(int status, const std::string& code, const std::string& message) const {
    Request none;
    none.request_id = new_request_id();
    Response r = Response::json(status, error_json(make_error(kind_for(status), code, message), none.request_id));
    r.status = status;
    finish(r, nullptr, none);
    metrics_.record("rejected", "-", status, 0.0);
    log::info("http_rejected", {{"id", none.request_id}, {"status", status}, {"code", code}});
    return r;
}

}  // namespace haven::http
