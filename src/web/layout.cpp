#include "web/layout.hpp"

#include "crypto/random.hpp"
#include "web/assets.hpp"

namespace haven::web {

namespace {
std::function<std::vector<NavItem>(const Principal&)>& navigation() {
    static std::function<std::vector<NavItem>(const Principal&)> items;
    return items;
}
}  // namespace

void set_navigation(std::function<std::vector<NavItem>(const Principal&)> items) { navigation() = std::move(items); }

http::Response page(const PageContext& ctx, int status, std::string_view title_key, const std::function<void(Html&)>& main) {
    const std::string& locale = ctx.request.locale;
    Html h;
    h.raw("<!doctype html>");
    h.open("html", {{"lang", locale}});
    h.element("head", {}, [&] {
        h.empty("meta", {{"charset", "utf-8"}});
        h.empty("meta", {{"name", "viewport"}, {"content", "width=device-width, initial-scale=1"}});
        h.element("title", {}, ctx.t(title_key) + " · Haven");
        h.empty("link", {{"rel", "stylesheet"}, {"href", asset_url("app.css")}});
        h.empty("link", {{"rel", "icon"}, {"type", "image/svg+xml"}, {"href", asset_url("icon.svg")}});
        h.script_asset("app.js");
        for (const auto& s : ctx.scripts) h.script_asset(s);
    });
    h.open("body");
    h.element("a", {{"class", "skip"}, {"href", "#main"}}, ctx.t("layout.skip"));
    h.element("header", {{"class", "top"}}, [&] {
        h.element("div", {{"class", "brand"}}, [&] {
            if (ctx.staff_links)
                h.element("a", {{"href", "/"}, {"class", "logo"}}, "Haven");
            else
                h.element("span", {{"class", "logo"}}, "Haven");
            if (!ctx.site_name.empty()) h.element("span", {{"class", "site"}}, ctx.site_name);
        });
        const auto& who = ctx.request.principal;
        if (!ctx.staff_links) return;
        h.element("nav", {{"aria-label", ctx.t("layout.nav")}}, [&] {
            std::vector<NavItem> items = {{"/", "nav.home"}};
            if (who && navigation())
                for (auto& n : navigation()(*who)) items.push_back(std::move(n));
            // The current item is the one named deepest in the path: /sites/3/people is People, not Sites.
            const std::string_view path = ctx.request.path;
            size_t current = items.size(), deepest = 0;
            for (size_t i = 1; i < items.size(); ++i) {
                const std::string& href = items[i].href;
                for (size_t at = path.find(href); at != std::string_view::npos; at = path.find(href, at + 1)) {
                    const size_t end = at + href.size();
                    if ((end == path.size() || path[end] == '/') && (current == items.size() || at >= deepest)) current = i, deepest = at;
                }
            }
            if (path == "/") current = 0;
            h.element("ul", {}, [&] {
                for (size_t i = 0; i < items.size(); ++i)
                    h.element("li", {}, [&] {
                        h.element("a", {{"href", items[i].href}, {"aria-current", i == current ? "page" : "false"}}, ctx.t(items[i].key));
                    });
            });
        });
        h.element("div", {{"class", "account"}}, [&] {
            if (!who) {
                h.element("a", {{"href", "/login"}}, ctx.t("layout.sign_in"));
                return;
            }
            h.element("span", {}, ctx.t("layout.signed_in", {{"name", who->username}}));
            post_form(h, ctx.request, "/logout", {{"class", "inline"}}, [&] {
                h.element("button", {{"type", "submit"}, {"class", "link"}}, ctx.t("layout.sign_out"));
            });
        });
    });
    h.element("main", {{"id", "main"}}, [&] {
        h.element("h1", {}, ctx.t(title_key));
        // A page shown again after its form failed (web::show_again) says why first.
        if (ctx.request.echo.active && !ctx.request.echo.notice.empty())
            h.element("p", {{"class", "notice error"}, {"role", "alert"}}, ctx.request.echo.notice);
        main(h);
    });
    h.element("footer", {}, [&] {
        post_form(h, ctx.request, "/language", {{"class", "language"}}, [&] {
            h.empty("input", {{"type", "hidden"}, {"name", "return"}, {"value", ctx.request.path}});
            h.element("label", {{"for", "page-language"}}, ctx.t("layout.language"));
            h.element("select", {{"id", "page-language"}, {"name", "lang"}}, [&] {
                for (const auto& l : ctx.messages.locales()) {
                    // Each language is named in itself, so a reader can always find their own.
                    std::string name = ctx.messages.t(l, "language.self");
                    if (l == locale)
                        h.element("option", {{"value", l}, {"lang", l}, {"selected", "selected"}}, name);
                    else
                        h.element("option", {{"value", l}, {"lang", l}}, name);
                }
            });
            h.element("button", {{"type", "submit"}}, ctx.t("layout.language_change"));
        });
        // The member app has no sign-in: it locks instead.
        h.element("p", {{"class", "small"}}, ctx.t(ctx.staff_links ? "layout.footer" : "layout.footer_member"));
    });
    h.close();  // body
    h.close();  // html
    return http::Response::html(status, h.take());
}

std::string localized(const PageContext& ctx, const Error& error) {
    const auto* catalogue = ctx.messages.catalogue(ctx.request.locale);
    auto has = [&](const std::string& key) { return catalogue && catalogue->count(key); };
    if (error.code == "validation_failed") {
        // "Date of birth: after today." — the field as the form labels it and what is wrong with it, never the
        // internal name nor the API's English words. legal_names[1] is legal_names; recurrence.until is until.
        std::string name = error.field.substr(0, error.field.find('['));
        if (!has("field." + name) && name.find('.') != std::string::npos) name = name.substr(name.rfind('.') + 1);
        const std::string label = ctx.t(has("field." + name) ? "field." + name : "field.unknown");
        const std::string problem = has("problem." + error.problem) ? "problem." + error.problem : "problem.invalid";
        return ctx.t("error.field", {{"field", label}, {"problem", ctx.t(problem, {{"max", error.limit}})}});
    }
    const std::string key = "error." + error.code;
    return has(key) ? ctx.t(key) : error.message;
}

void csrf_field(Html& h, const http::Request& request) {
    if (request.csrf_token.empty()) {
        // Made only when a page has a form: most requests never pay for the randomness. 32 random bytes,
        // base64url without padding (43 characters), as every token Haven makes.
        request.csrf_token = crypto::random_token();
    }
    h.empty("input", {{"type", "hidden"}, {"name", "_csrf"}, {"value", request.csrf_token}});
}

void post_form(Html& h, const http::Request& request, const std::string& action, std::initializer_list<Attr> attrs,
               const std::function<void()>& fields) {
    h.open("form", {{"method", "post"}, {"action", action}}, attrs);
    csrf_field(h, request);
    fields();
    h.close();
}

http::Response error_page(const http::Request& request, int status, const Error& error) {
    PageContext ctx{request, Messages::shipped(), {}};
    const std::string message = localized(ctx, error);
    std::string_view title = status == 404 ? "error.not_found_title" : status >= 500 ? "error.server_title" : "error.bad_request_title";
    return page(ctx, status, title, [&](Html& h) {
        h.element("p", {{"class", "notice"}}, message);
        if (status == 401) h.element("p", {}, [&] { h.element("a", {{"href", "/login"}, {"class", "button"}}, ctx.t("layout.sign_in")); });
        if (!request.request_id.empty()) h.element("p", {{"class", "small"}}, ctx.t("error.request_id", {{"id", request.request_id}}));
        h.element("p", {}, [&] { h.element("a", {{"href", "/"}}, ctx.t("error.back_home")); });
    });
}

}  // namespace haven::web
