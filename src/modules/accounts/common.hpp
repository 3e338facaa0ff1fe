// Small helpers shared by the accounts handlers.
#pragma once

#include <charconv>
#include <ctime>
#include <string>

#include "http/form.hpp"
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

using web::localized;

inline void notice(web::Html& h, const std::string& text, bool error = true) {
    if (!text.empty()) h.element("p", {{"class", error ? "notice error" : "notice"}, {"role", error ? "alert" : "status"}}, text);
}

}  // namespace haven::accounts
