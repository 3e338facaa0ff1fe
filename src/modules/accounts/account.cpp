#include "http/form.hpp"
#include "modules/accounts/handlers.hpp"
#include "web/widgets.hpp"

namespace haven::accounts {

namespace {

Response account_page(Request& request, Context& c, int status, const std::string& message, bool error) {
    auto ctx = web::page_context(request);
    const Principal& me = *request.principal;
    auto sessions = c.service.sessions(me);
    auto contact = c.service.contact(me);
    return web::page(ctx, status, "account.title", [&](web::Html& h) {
        h.element("p", {{"class", "lead"}}, ctx.t("layout.signed_in", {{"name", me.username}}));
        web::notice(h, message, error);
        h.element("p", {}, [&] { h.element("a", {{"href", "/account/feed"}}, ctx.t("account.feed_link")); });
        h.element("h2", {}, ctx.t("account.contact"));
        h.element("p", {}, ctx.t("account.contact_help"));
        web::post_form(h, request, "/account/contact", {{"class", "stack"}}, [&] {
            const Service::Contact none;
            const auto& cd = contact.ok() ? contact.value() : none;
            web::field(h, ctx, "real_name", "account.real_name", "text", cd.real_name, "name");
            web::field(h, ctx, "email", "account.email", "email", cd.email, "email");
            web::field(h, ctx, "phone", "account.phone", "tel", cd.phone, "tel");
            h.element("button", {{"type", "submit"}}, ctx.t("account.save"));
        });
        h.element("h2", {}, ctx.t("account.sessions"));
        h.element("p", {}, ctx.t("account.sessions_help"));
        h.element("table", {{"class", "list"}}, [&] {
            h.element("thead", {}, [&] {
                h.element("tr", {}, [&] {
                    h.element("th", {{"scope", "col"}}, ctx.t("account.started"));
                    h.element("th", {{"scope", "col"}}, ctx.t("account.last_seen"));
                    h.element("th", {{"scope", "col"}}, ctx.t("account.action"));
                });
            });
            h.element("tbody", {}, [&] {
                const std::string zone = c.service.home_zone(*request.principal);
                for (const auto& s : sessions) {
                    h.element("tr", {}, [&] {
                        h.element("td", {{"data-label", ctx.t("account.started")}}, web::site_time(s.created_at, zone));
                        h.element("td", {{"data-label", ctx.t("account.last_seen")}}, web::site_time(s.last_seen_at, zone));
                        h.element("td", {{"data-label", ctx.t("account.action")}}, [&] {
                            if (s.current) {
                                h.text(ctx.t("account.this_session"));
                                return;
                            }
                            web::post_form(h, request, "/account/sessions/" + s.public_id + "/revoke", {{"class", "inline"}}, [&] {
                                h.element("button", {{"type", "submit"}, {"class", "secondary"}}, ctx.t("account.revoke"));
                            });
                        });
                    });
                }
            });
        });
        web::post_form(h, request, "/account/sessions/revoke-all", {}, [&] {
            h.element("button", {{"type", "submit"}, {"class", "danger"}}, ctx.t("account.revoke_all"));
        });
    });
}

}  // namespace

Result<Response> account_show(Request& request, Context& c) { return account_page(request, c, 200, "", false); }

Result<Response> contact_save(Request& request, Context& c) {
    HAVEN_TRY(form, http::form_body(request));
    Service::Contact in{std::string(form.get("real_name")), std::string(form.get("email")), std::string(form.get("phone"))};
    if (auto s = c.service.set_contact(*request.principal, in); !s)
        return web::show_again(request, s.error(), [&] { return account_page(request, c, 200, "", true); });
    return account_page(request, c, 200, web::page_context(request).t("account.saved"), false);
}

Result<Response> session_revoke(Request& request, Context& c) {
    if (auto s = c.service.revoke_session(*request.principal, request.params.at("id")); !s) return s.error();
    return Response::redirect("/account");
}

Result<Response> sessions_revoke_all(Request& request, Context& c) {
    c.service.revoke_all_sessions(*request.principal);
    Response r = Response::redirect("/login");
    r.add_header("Set-Cookie", c.gate.session_clear_cookie());
    return r;
}

}  // namespace haven::accounts
