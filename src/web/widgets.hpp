// Small pieces of pages shared by the modules' handlers: a labelled field, a drop-down, a notice, a QR code,
// a time.
#pragma once

#include <cstdint>
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

// A labelled input.
void field(web::Html& h, const web::PageContext& ctx, const char* name, const char* label_key, const char* type, const std::string& value = {},
           const char* autocomplete = "off");

// A labelled drop-down of (value, label) options.
void select_field(web::Html& h, const web::PageContext& ctx, const char* name, const char* label_key,
                  const std::vector<std::pair<std::string, std::string>>& options, const std::string& chosen = {});

// The QR code of `text`, drawn as SVG (scales to the page; prints sharp).
void qr_code(web::Html& h, const std::string& text, const std::string& label);

// The second step of an act that cannot be undone (offboarding, sealing, erasing, closing, cancelling), which
// works without JavaScript: unless the posted `form` carries confirm=1, a page (200) that says what will happen
// (`what`, already in the page's language) and posts the same fields again with confirm=1 — beside a link back
// to `back`. None once confirmed: the handler then acts.
std::optional<http::Response> confirm_first(const http::Request& request, const http::Form& form, const std::string& what, const std::string& back);

// A paragraph announcing `text` (an alert when an error, a status otherwise); nothing when `text` is empty.
void notice(web::Html& h, const std::string& text, bool error = true);

}  // namespace haven::web
