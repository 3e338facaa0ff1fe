// Small pieces of pages shared by the modules' handlers: a labelled field, a drop-down, a notice, a QR code,
// a time.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "http/form.hpp"
#include "http/message.hpp"
#include "web/html.hpp"
#include "web/layout.hpp"

namespace haven::web {

inline web::PageContext page_context(const http::Request& request) { return web::PageContext{request, web::Messages::shipped(), {}}; }

// "2026-11-26 16:28 Europe/Paris": a stored instant (UTC) as the clock on the site's wall shows it, saying which.
std::string site_time(int64_t ms, const std::string& time_zone);

// A labelled input. On a page shown again after its form failed (show_again) it keeps what was typed (never a
// password) and, when it is the field at fault, is marked invalid with the reason beside it. `id`: the element's id
// when a page holds several forms with the same field (default: the field's name).
void field(web::Html& h, const web::PageContext& ctx, const char* name, const char* label_key, const char* type, const std::string& value = {},
           const char* autocomplete = "off", const std::string& id = {});

// A labelled textarea (`help_key`, when given, a line of help under the label); keeps what was typed as field() does.
void textarea(web::Html& h, const web::PageContext& ctx, const char* name, const char* label_key, const std::string& value, int rows = 3,
              const char* help_key = nullptr);

// Whether the checkbox `name`=`value` is ticked: as it was posted on a page shown again after its form failed,
// else `checked`.
bool echoed_check(const http::Request& request, std::string_view name, std::string_view value, bool checked);

// A labelled drop-down of (value, label) options.
void select_field(web::Html& h, const web::PageContext& ctx, const char* name, const char* label_key,
                  const std::vector<std::pair<std::string, std::string>>& options, const std::string& chosen = {});

// What was typed into `name` when the page is shown again after its form failed, else `value`: for the inputs a
// page writes by hand (a textarea, a checkbox's state).
std::string echoed(const http::Request& request, std::string_view name, const std::string& value);

// A form failed: unless `error` is about the caller (signed out, forbidden, not found …), show the page that
// holds the form again (`render`, the page's own GET handler or builder) with the reason at the top and beside the
// field at fault, every field keeping what was typed, answered with the error's status (422 mostly).
Result<http::Response> show_again(const http::Request& request, const Error& error, const std::function<Result<http::Response>()>& render);

// The QR code of `text`, drawn as SVG (scales to the page; prints sharp).
void qr_code(web::Html& h, const std::string& text, const std::string& label);

// The second step of an act that cannot be undone (offboarding, sealing, erasing, closing, cancelling), which
// works without JavaScript: unless the posted `form` carries confirm=1, a page (200) that says what will happen
// (`what`, already in the page's language) and posts the same fields again with confirm=1 — beside a link back
// to `back`. None once confirmed: the handler then acts.
std::optional<http::Response> confirm_first(const http::Request& request, const http::Form& form, const std::string& what, const std::string& back);

// A section folded away (<details>), open when the page is shown again after its form failed: the reason and
// the fields at fault are in view.
template <class F>
void folded(web::Html& h, const web::PageContext& ctx, F&& body) {
    if (ctx.request.echo.active)
        h.element("details", {{"open", "open"}}, body);
    else
        h.element("details", {}, body);
}

// A paragraph announcing `text` (an alert when an error, a status otherwise); nothing when `text` is empty.
void notice(web::Html& h, const std::string& text, bool error = true);

}  // namespace haven::web
