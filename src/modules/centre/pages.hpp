// What the centre's page handlers share: their includes, names and small helpers. Each pages_<noun>.cpp holds
// the pages of one noun; the routes are in src/app/routes.cpp.
#pragma once

#include <charconv>

#include "core/dates.hpp"
#include "http/form.hpp"
#include "http/params.hpp"
#include "http/pipeline.hpp"
#include "modules/centre/common.hpp"
#include "modules/centre/handlers.hpp"
#include "modules/spaces/handlers.hpp"
#include "web/widgets.hpp"

namespace haven::centre {

using accounts::Action;
using accounts::may;
using http::form_body;
using http::id_param;
using spaces::local_text;
using web::field;
using web::notice;
using web::page_context;
using web::select_field;

inline std::string url(const char* base, int64_t id, const char* tail = "") { return std::string(base) + std::to_string(id) + tail; }

// A whole number typed in a form; -1 when it is not one.
inline int64_t number(std::string_view text) {
    int64_t n = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    return ec == std::errc() && p == text.data() + text.size() ? n : -1;
}

// A one-button form posting to `action` (with hidden fields).
inline void button_form(web::Html& h, const Request& request, const std::string& action, const std::string& label, const char* css = "secondary",
                        const std::vector<std::pair<std::string, std::string>>& hidden = {}) {
    web::post_form(h, request, action, {{"class", "inline"}}, [&] {
        for (const auto& [name, value] : hidden) h.empty("input", {{"type", "hidden"}, {"name", name}, {"value", value}});
        h.element("button", {{"type", "submit"}, {"class", css}}, label);
    });
}

inline Result<Response> back(const std::string& to) { return Response::redirect(to); }

}  // namespace haven::centre
