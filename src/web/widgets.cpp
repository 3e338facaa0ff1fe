#include "web/widgets.hpp"

#include "crypto/totp.hpp"
#include "text/zones.hpp"

namespace haven::web {

std::string site_time(int64_t ms, const std::string& time_zone) {
    const std::string zone = text::valid_time_zone(time_zone) ? time_zone : "UTC";
    return text::local_time(ms, zone) + " " + zone;
}

void field(web::Html& h, const web::PageContext& ctx, const char* name, const char* label_key, const char* type, const std::string& value,
           const char* autocomplete) {
    h.element("div", {{"class", "field"}}, [&] {
        h.element("label", {{"for", name}}, ctx.t(label_key));
        h.empty("input", {{"id", name}, {"name", name}, {"type", type}, {"value", value}, {"autocomplete", autocomplete}});
    });
}

void select_field(web::Html& h, const web::PageContext& ctx, const char* name, const char* label_key,
                  const std::vector<std::pair<std::string, std::string>>& options, const std::string& chosen) {
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

void qr_code(web::Html& h, const std::string& text, const std::string& label) {
    const auto qr = crypto::qr_path(text);
    h.element("div", {{"class", "qr"}}, [&] {
        const std::string box = "0 0 " + std::to_string(qr.size) + " " + std::to_string(qr.size);
        h.element(
            "svg",
            {{"xmlns", "http://www.w3.org/2000/svg"}, {"viewbox", box}, {"role", "img"}, {"aria-label", label}, {"shape-rendering", "crispEdges"}},
            [&] {
                h.empty("path", {{"d", qr.d}, {"fill", "currentColor"}});
            });
    });
}

std::optional<http::Response> confirm_first(const http::Request& request, const http::Form& form, const std::string& what, const std::string& back) {
    if (form.get("confirm") == "1") return std::nullopt;
    auto ctx = page_context(request);
    return page(ctx, 200, "confirm.title", [&](web::Html& h) {
        h.element("p", {{"class", "lead"}, {"id", "confirm-what"}}, what);
        h.element("p", {}, ctx.t("confirm.cannot_undo"));
        post_form(h, request, std::string(request.path), {{"class", "stack"}, {"id", "confirm"}}, [&] {
            for (const auto& [name, value] : form.fields())
                if (name != "_csrf" && name != "confirm") h.empty("input", {{"type", "hidden"}, {"name", name}, {"value", value}});
            h.empty("input", {{"type", "hidden"}, {"name", "confirm"}, {"value", "1"}});
            h.element("p", {{"class", "actions"}}, [&] {
                h.element("button", {{"type", "submit"}, {"class", "danger"}}, ctx.t("confirm.yes"));
                h.element("a", {{"href", back}, {"id", "confirm-back"}}, ctx.t("confirm.back"));
            });
        });
    });
}

void notice(web::Html& h, const std::string& text, bool error) {
    if (!text.empty()) h.element("p", {{"class", error ? "notice error" : "notice"}, {"role", error ? "alert" : "status"}}, text);
}

}  // namespace haven::web
