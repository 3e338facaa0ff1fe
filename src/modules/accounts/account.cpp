#include "modules/accounts/common.hpp"

namespace haven::accounts {

Result<Response> account_show(Request& request, Context& c) {
    auto ctx = page_context(request);
    const Principal& me = *request.principal;
    auto sessions = c.service.sessions(me);
    return web::page(ctx, 200, "account.title", [&](web::Html& h) {
        h.element("p", {{"class", "lead"}}, ctx.t("layout.signed_in", {{"name", me.username}}));
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
                for (const auto& s : sessions) {
                    h.element("tr", {}, [&] {
                        h.element("td", {}, utc_time(s.created_at));
                        h.element("td", {}, utc_time(s.last_seen_at));
                        h.element("td", {}, [&] {
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
