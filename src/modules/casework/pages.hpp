// What the casework page handlers share: their includes, names and small helpers. Each pages_<noun>.cpp holds
// the pages of one noun (cases, counselling, requests and volunteers); pages.cpp the person's sections and the
// dashboard. The routes are in src/app/routes.cpp.
#pragma once

#include <algorithm>

#include "http/form.hpp"
#include "http/params.hpp"
#include "modules/accounts/common.hpp"
#include "modules/casework/handlers.hpp"
#include "web/widgets.hpp"

namespace haven::casework {

using accounts::accounts_with;
using accounts::Action;
using accounts::may;
using http::form_body;
using http::id_param;
using web::field;
using web::notice;
using web::page_context;
using web::select_field;

inline std::string url(const char* base, int64_t id) { return std::string(base) + std::to_string(id); }

inline std::string joined(const std::vector<std::string>& v, const char* sep) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
    return s;
}

inline void checkboxes(web::Html& h, const web::PageContext& ctx, const char* name, const char* legend_key,
                       const std::vector<std::string_view>& values, const std::vector<std::string>& checked, const std::string& label_prefix) {
    h.element("fieldset", {{"class", "stack"}}, [&] {
        h.element("legend", {}, ctx.t(legend_key));
        for (auto v : values) {
            const std::string value(v), id = std::string(name) + "-" + value;
            h.element("div", {{"class", "field check"}}, [&] {
                if (web::echoed_check(ctx.request, name, value, std::find(checked.begin(), checked.end(), value) != checked.end()))
                    h.empty("input", {{"id", id}, {"name", name}, {"type", "checkbox"}, {"value", value}, {"checked", "checked"}});
                else
                    h.empty("input", {{"id", id}, {"name", name}, {"type", "checkbox"}, {"value", value}});
                h.element("label", {{"for", id}}, ctx.t(label_prefix + value));
            });
        }
    });
}

inline std::vector<std::string> all(const http::Form& f, const char* name) {
    std::vector<std::string> out;
    for (auto v : f.all(name)) out.emplace_back(v);
    return out;
}

}  // namespace haven::casework
