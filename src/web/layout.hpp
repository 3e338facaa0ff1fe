// The frame of every page: header (Haven, site, account), navigation, main, footer with the language
// switcher. Pages write only what goes inside <main>.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "http/message.hpp"
#include "web/html.hpp"
#include "web/i18n.hpp"

namespace haven::web {

struct PageContext {
    const http::Request& request;
    const Messages& messages;
    std::string site_name;                  // the site the page is about, if any
    std::vector<std::string> scripts = {};  // our own assets this page loads after app.js (deferred, in order)
    bool staff_links = true;                // Home, the navigation and Sign in; off on the member app, which is not for staff

    std::string t(std::string_view key) const { return messages.t(request.locale, key); }
    // A date ("2026-11-30") as the reader's language writes it (format_date).
    std::string date(std::string_view iso_date, std::string_view style = "medium") const { return format_date(request.locale, iso_date, style); }
    std::string t(std::string_view key, std::initializer_list<std::pair<std::string_view, MessageArg>> args) const {
        return messages.t(request.locale, key, args);
    }
};

// The navigation a signed-in person sees beyond Home, decided by the app from the permission table
// (src/app/app.cpp); set once at start-up.
struct NavItem {
    std::string href;
    std::string key;  // message key
};
void set_navigation(std::function<std::vector<NavItem>(const Principal&)> items);

// A whole page; `title_key` is a message key. Pages with personal data keep the pipeline's no-store.
http::Response page(const PageContext& ctx, int status, std::string_view title_key, const std::function<void(Html&)>& main);

// An error in the reader's language: the catalogue's "error.<code>" when it has one, else its message.
std::string localized(const PageContext& ctx, const Error& error);

// <input type=hidden name=_csrf>: every form that posts carries it (see modules/accounts/gate.hpp).
void csrf_field(Html& h, const http::Request& request);

// A form that posts to `action` with its CSRF field; `fields` writes the rest.
void post_form(Html& h, const http::Request& request, const std::string& action, std::initializer_list<Attr> attrs,
               const std::function<void()>& fields);

// The page for an error (404, 400, 500 …) in the reader's language: the catalogue's "error.<code>" when it
// has one, else the error's own message.
http::Response error_page(const http::Request& request, int status, const Error& error);

}  // namespace haven::web
