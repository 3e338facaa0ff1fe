#include "web/widgets.hpp"

#include "crypto/totp.hpp"
#include "http/pipeline.hpp"
#include "text/zones.hpp"

namespace haven::web {

std::string site_time(int64_t ms, const std::string& time_zone) {
    const std::string zone = text::valid_time_zone(time_zone) ? time_zone : "UTC";
    return text::local_time(ms, zone) + " " + zone;
}

namespace {

// The form field an error names, without a list index or a parent: legal_names[1] is legal_names.
std::string_view field_name(std::string_view field) { return field.substr(0, field.find('[')); }

bool at_fault(const http::Request& request, std::string_view name) {
    return request.echo.active && !request.echo.field.empty() && field_name(request.echo.field) == name;
}

// The reason beside the field at fault, which the field points to (aria-describedby).
void reason(web::Html& h, const http::Request& request, const std::string& id) {
    h.element("p", {{"class", "field-error"}, {"id", id}}, request.echo.notice);
}

}  // namespace

std::string echoed(const http::Request& request, std::string_view name, const std::string& value) {
    if (!request.echo.active) return value;
    for (const auto& [n, v] : request.echo.values)
        if (n == name) return v;
    return value;
}

void field(web::Html& h, const web::PageContext& ctx, const char* name, const char* label_key, const char* type, const std::string& value,
           const char* autocomplete, const std::string& id) {
    const bool secret = std::string_view(type) == "password";
    const std::string shown = secret ? value : echoed(ctx.request, name, value);
    const std::string element = id.empty() ? std::string(name) : id;
    h.element("div", {{"class", "field"}}, [&] {
        h.element("label", {{"for", element}}, ctx.t(label_key));
        if (!at_fault(ctx.request, name)) {
            h.empty("input", {{"id", element}, {"name", name}, {"type", type}, {"value", shown}, {"autocomplete", autocomplete}});
            return;
        }
        const std::string why = element + "-error";
        reason(h, ctx.request, why);
        h.empty("input", {{"id", element},
                          {"name", name},
                          {"type", type},
                          {"value", shown},
                          {"autocomplete", autocomplete},
                          {"aria-invalid", "true"},
                          {"aria-describedby", why}});
    });
}

void textarea(web::Html& h, const web::PageContext& ctx, const char* name, const char* label_key, const std::string& value, int rows,
              const char* help_key) {
    const std::string why = std::string(name) + "-error";
    h.element("div", {{"class", "field"}}, [&] {
        h.element("label", {{"for", name}}, ctx.t(label_key));
        if (help_key) h.element("p", {{"class", "small"}}, ctx.t(help_key));
        if (at_fault(ctx.request, name)) reason(h, ctx.request, why);
        const std::string r = std::to_string(rows);
        if (at_fault(ctx.request, name))
            h.open("textarea", {{"id", name}, {"name", name}, {"rows", r}}, {{"aria-invalid", "true"}, {"aria-describedby", why}});
        else
            h.open("textarea", {{"id", name}, {"name", name}, {"rows", r}});
        h.text(echoed(ctx.request, name, value));
        h.close();
    });
}

bool echoed_check(const http::Request& request, std::string_view name, std::string_view value, bool checked) {
    // Only where the failed form held boxes of that name: another form on the page keeps what is stored. (A form
    // posted with every box of a name unticked cannot be told from one without them: the stored state shows.)
    if (!request.echo.active) return checked;
    bool posted = false;
    for (const auto& [n, v] : request.echo.values) {
        if (n == name && v == value) return true;
        posted = posted || n == name;
    }
    return posted ? false : checked;
}

void select_field(web::Html& h, const web::PageContext& ctx, const char* name, const char* label_key,
                  const std::vector<std::pair<std::string, std::string>>& options, const std::string& given) {
    const std::string chosen = echoed(ctx.request, name, given);
    const bool fault = at_fault(ctx.request, name);
    const std::string why = std::string(name) + "-error";
    h.element("div", {{"class", "field"}}, [&] {
        h.element("label", {{"for", name}}, ctx.t(label_key));
        if (fault) reason(h, ctx.request, why);
        if (fault)
            h.open("select", {{"id", name}, {"name", name}}, {{"aria-invalid", "true"}, {"aria-describedby", why}});
        else
            h.open("select", {{"id", name}, {"name", name}});
        for (const auto& [value, label] : options) {
            if (value == chosen && !chosen.empty())
                h.element("option", {{"value", value}, {"selected", "selected"}}, label);
            else
                h.element("option", {{"value", value}}, label);
        }
        h.close();
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

Result<http::Response> show_again(const http::Request& request, const Error& error, const std::function<Result<http::Response>()>& render) {
    switch (error.kind) {
        case ErrorKind::invalid:
        case ErrorKind::conflict:
        case ErrorKind::bad_request: break;
        default: return error;  // about the caller or the address, not the form
    }
    auto form = http::form_body(request, {"*"});  // a file is never echoed
    if (!form) return error;
    auto& echo = request.echo;
    echo.active = true;
    echo.values = form->fields();
    echo.field = error.field;
    echo.notice = localized(page_context(request), error);
    auto shown = render();
    if (shown) shown->status = http::status_for(error.kind);
    return shown;
}

void notice(web::Html& h, const std::string& text, bool error) {
    if (!text.empty()) h.element("p", {{"class", error ? "notice error" : "notice"}, {"role", error ? "alert" : "status"}}, text);
}

}  // namespace haven::web
