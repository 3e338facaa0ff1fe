// Small helpers shared by the accounts handlers.
#pragma once

#include <charconv>
#include <ctime>
#include <string>

#include <boost/json.hpp>

#include "crypto/totp.hpp"
#include "http/form.hpp"
#include "http/json.hpp"
#include "modules/accounts/handlers.hpp"
#include "web/layout.hpp"

namespace haven::accounts {

inline web::PageContext page_context(const Request& request) { return web::PageContext{request, web::Messages::shipped(), {}}; }

inline Result<http::Form> form_body(const Request& request) {
    if (!request.header("Content-Type").starts_with("application/x-www-form-urlencoded"))
        return make_error(ErrorKind::unsupported_media, "unsupported_media_type", "Send the form as application/x-www-form-urlencoded.");
    return http::Form::parse(request.body);
}

inline Result<int64_t> id_param(const Request& request, const char* name) {
    const std::string& text = request.params.at(name);
    int64_t id = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || p != text.data() + text.size() || id <= 0)
        return make_error(ErrorKind::not_found, "not_found", "There is nothing at this address.");
    return id;
}

// "2026-11-26 15:28 UTC": dates here are for orientation; site time zones come with scheduling.
inline std::string utc_time(int64_t ms) {
    std::time_t t = std::time_t(ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
    return buf;
}

inline std::string role_label(const web::PageContext& ctx, Role role) { return ctx.t("role." + std::string(role_name(role))); }

// A labelled input.
inline void field(web::Html& h, const web::PageContext& ctx, const char* name, const char* label_key, const char* type,
                  const std::string& value = {}, const char* autocomplete = "off") {
    h.element("div", {{"class", "field"}}, [&] {
        h.element("label", {{"for", name}}, ctx.t(label_key));
        h.empty("input", {{"id", name}, {"name", name}, {"type", type}, {"value", value}, {"autocomplete", autocomplete}});
    });
}

// A labelled drop-down of (value, label) options.
inline void select_field(web::Html& h, const web::PageContext& ctx, const char* name, const char* label_key,
                         const std::vector<std::pair<std::string, std::string>>& options, const std::string& chosen = {}) {
    h.element("div", {{"class", "field"}}, [&] {
        h.element("label", {{"for", name}}, ctx.t(label_key));
        h.element("select", {{"id", name}, {"name", name}}, [&] {
            for (const auto& [value, label] : options) {
                if (value == chosen && !chosen.empty())
                    h.element("option", {{"value", value}, {"selected", "selected"}}, label);
                else
                    h.element("option", {{"value", value}}, label);
            }
        });
    });
}

// The QR code of `text`, drawn as SVG (scales to the page; prints sharp).
inline void qr_code(web::Html& h, const std::string& text, const std::string& label) {
    const auto qr = crypto::qr_path(text);
    h.element("div", {{"class", "qr"}}, [&] {
        const std::string box = "0 0 " + std::to_string(qr.size) + " " + std::to_string(qr.size);
        h.element("svg", {{"xmlns", "http://www.w3.org/2000/svg"}, {"viewbox", box}, {"role", "img"}, {"aria-label", label}, {"shape-rendering", "crispEdges"}},
                  [&] { h.empty("path", {{"d", qr.d}, {"fill", "currentColor"}}); });
    });
}

// (id, username) of the active accounts holding `role` at `site`, as options for a drop-down.
inline std::vector<std::pair<std::string, std::string>> accounts_with(accounts::Service& svc, const Principal& me, int64_t site, Role role) {
    std::vector<std::pair<std::string, std::string>> out;
    auto list = svc.accounts_at(me, site);
    if (!list) return out;
    for (const auto& a : list.value())
        for (const auto& r : a.roles)
            if (r.site_id == site && r.role == role && a.status == accounts::AccountStatus::active) out.emplace_back(std::to_string(a.id), a.username);
    return out;
}

using web::localized;

namespace json = boost::json;

// JSON API helpers, shared by the modules' API handlers.
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
        return make_error(ErrorKind::invalid, "validation_failed", std::string(name) + " must be a string of at most " + std::to_string(max) + " bytes.", name);
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



inline void notice(web::Html& h, const std::string& text, bool error = true) {
    if (!text.empty()) h.element("p", {{"class", error ? "notice error" : "notice"}, {"role", error ? "alert" : "status"}}, text);
}

}  // namespace haven::accounts
