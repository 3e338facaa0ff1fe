#include "http/form.hpp"
#include "http/params.hpp"
#include "modules/accounts/common.hpp"
#include "web/widgets.hpp"

namespace haven::accounts {
namespace {

Response sites_page(Request& request, Context& c, int status, const std::string& error) {
    auto ctx = web::page_context(request);
    const Principal& me = *request.principal;
    auto sites = c.service.sites_visible_to(me);
    return web::page(ctx, status, "sites.title", [&](web::Html& h) {
        web::notice(h, error);
        if (sites.empty()) h.element("p", {}, ctx.t("sites.none"));
        h.element("ul", {{"class", "cards"}, {"id", "sites"}}, [&] {
            for (const auto& s : sites) {
                h.element("li", {{"class", "card"}}, [&] {
                    h.element("h2", {}, s.name);
                    h.element("p", {{"class", "small"}}, s.city + ", " + s.country + " · " + s.time_zone);
                    h.element("ul", {{"class", "roles"}}, [&] {
                        for (const auto& r : me.roles)
                            if (r.site_id == s.id) h.element("li", {}, role_label(ctx, r.role));
                    });
                    const std::pair<Action, const char*> links[] = {{Action::dashboard_view, "dashboard"}, {Action::dashboard_view, "occupancy"},
                                                                    {Action::requests_manage, "requests"}, {Action::people_open, "people"},
                                                                    {Action::spaces_view, "spaces"},       {Action::spaces_view, "desks"},
                                                                    {Action::courses_view, "courses"},     {Action::events_view, "events"}};
                    for (const auto& link : links)
                        if (const std::string page = link.second; may(me, link.first, s.id))
                            h.element("p", {}, [&] {
                                h.element("a", {{"href", "/sites/" + std::to_string(s.id) + "/" + page}}, ctx.t("sites." + page + "_link"));
                            });
                    if (may(me, Action::accounts_view, s.id))
                        h.element("a", {{"href", "/sites/" + std::to_string(s.id) + "/accounts"}}, ctx.t("sites.accounts_link"));
                });
            }
        });
        if (may(me, Action::vault_seal, std::nullopt)) {
            h.element("h2", {}, ctx.t("vault.panic_heading"));
            h.element("p", {}, ctx.t("vault.panic_help"));
            web::post_form(h, request, "/seal", {}, [&] {
                h.element("button", {{"type", "submit"}, {"class", "danger"}, {"id", "panic-seal"}}, ctx.t("vault.panic"));
            });
        }
        if (may(me, Action::sites_manage, std::nullopt)) {
            h.element("h2", {}, ctx.t("sites.new"));
            web::post_form(h, request, "/sites", {{"class", "stack"}}, [&] {
                web::field(h, ctx, "name", "sites.name", "text");
                web::field(h, ctx, "city", "sites.city", "text");
                web::field(h, ctx, "country", "sites.country", "text");
                web::field(h, ctx, "time_zone", "sites.time_zone", "text", "Europe/Paris");
                h.element("div", {{"class", "field check"}}, [&] {
                    h.empty("input", {{"id", "require_second_factor"}, {"name", "require_second_factor"}, {"type", "checkbox"}, {"value", "1"}});
                    h.element("label", {{"for", "require_second_factor"}}, ctx.t("sites.require_second_factor"));
                });
                h.element("button", {{"type", "submit"}}, ctx.t("sites.create"));
            });
        }
    });
}

Response accounts_page(Request& request, Context& c, const Site& site, int status, const std::string& message, bool error, const std::string& link) {
    auto ctx = web::page_context(request);
    ctx.site_name = site.name;
    const Principal& me = *request.principal;
    auto accounts = c.service.accounts_at(me, site.id);
    const bool manage = may(me, Action::accounts_manage, site.id);
    const std::string base = "/sites/" + std::to_string(site.id) + "/accounts";
    return web::page(ctx, status, "accounts.title", [&](web::Html& h) {
        h.element("p", {{"class", "lead"}}, site.name);
        web::notice(h, message, error);
        if (!link.empty()) {
            h.element("div", {{"class", "notice"}, {"role", "status"}}, [&] {
                h.element("p", {}, ctx.t("accounts.link_help"));
                h.element("p", {}, [&] { h.element("code", {{"id", "enrolment-link"}}, link); });
            });
        }
        h.element("table", {{"class", "list"}, {"id", "accounts"}}, [&] {
            h.element("thead", {}, [&] {
                h.element("tr", {}, [&] {
                    h.element("th", {{"scope", "col"}}, ctx.t("accounts.username"));
                    h.element("th", {{"scope", "col"}}, ctx.t("accounts.role"));
                    h.element("th", {{"scope", "col"}}, ctx.t("accounts.status"));
                    if (manage) h.element("th", {{"scope", "col"}}, ctx.t("account.action"));
                });
            });
            h.element("tbody", {}, [&] {
                for (const auto& a : accounts.ok() ? accounts.value() : std::vector<Account>{}) {
                    h.element("tr", {}, [&] {
                        h.element("td", {{"data-label", ctx.t("accounts.username")}}, a.username);
                        h.element("td", {{"data-label", ctx.t("accounts.role")}}, [&] {
                            for (const auto& r : a.roles) h.element("span", {{"class", "tag"}}, role_label(ctx, r.role));
                        });
                        h.element("td", {{"data-label", ctx.t("accounts.status")}}, ctx.t("status." + std::string(status_name(a.status))));
                        if (!manage) return;
                        h.element("td", {{"data-label", ctx.t("account.action")}}, [&] {
                            if (a.id == me.account_id || a.status == AccountStatus::offboarded) return;
                            const std::string url = base + "/" + std::to_string(a.id);
                            web::post_form(h, request, url + "/roles", {{"class", "inline"}}, [&] {
                                h.open("select", {{"name", "role"}, {"aria-label", ctx.t("accounts.role")}});
                                for (Role role : all_roles()) {
                                    bool held = !a.roles.empty() && a.roles.front().role == role;
                                    if (held)
                                        h.element("option", {{"value", std::string(role_name(role))}, {"selected", "selected"}},
                                                  role_label(ctx, role));
                                    else
                                        h.element("option", {{"value", std::string(role_name(role))}}, role_label(ctx, role));
                                }
                                h.close();
                                h.element("button", {{"type", "submit"}, {"class", "secondary"}}, ctx.t("accounts.change_role"));
                            });
                            web::post_form(h, request, url + "/status", {{"class", "inline"}}, [&] {
                                if (a.status == AccountStatus::suspended) {
                                    h.empty("input", {{"type", "hidden"}, {"name", "status"}, {"value", "active"}});
                                    h.element("button", {{"type", "submit"}, {"class", "secondary"}}, ctx.t("accounts.reinstate"));
                                } else {
                                    h.empty("input", {{"type", "hidden"}, {"name", "status"}, {"value", "suspended"}});
                                    h.element("button", {{"type", "submit"}, {"class", "secondary"}}, ctx.t("accounts.suspend"));
                                }
                            });
                            web::post_form(h, request, url + "/status", {{"class", "inline"}}, [&] {
                                h.empty("input", {{"type", "hidden"}, {"name", "status"}, {"value", "offboarded"}});
                                h.element("button", {{"type", "submit"}, {"class", "danger"}}, ctx.t("accounts.offboard"));
                            });
                        });
                    });
                }
            });
        });
        if (manage) {
            h.element("h2", {}, ctx.t("accounts.invite"));
            web::post_form(h, request, base, {{"class", "stack"}}, [&] {
                web::field(h, ctx, "username", "accounts.username", "text");
                h.element("div", {{"class", "field"}}, [&] {
                    h.element("label", {{"for", "role"}}, ctx.t("accounts.role"));
                    // No role is chosen for the inviter: a name and Enter must not make an administrator.
                    h.element("select", {{"id", "role"}, {"name", "role"}, {"required", "required"}}, [&] {
                        h.element("option", {{"value", ""}, {"selected", "selected"}}, ctx.t("accounts.choose_role"));
                        for (Role role : all_roles()) h.element("option", {{"value", std::string(role_name(role))}}, role_label(ctx, role));
                    });
                });
                h.element("button", {{"type", "submit"}}, ctx.t("accounts.invite_submit"));
            });
        }
    });
}

std::string enrolment_url(const Request& request, const std::string& token) {
    std::string host(request.header("Host"));
    return (request.header("X-Forwarded-Proto") == "https" ? "https://" : "http://") + host + "/enrol/" + token;
}

}  // namespace

Result<Response> sites_show(Request& request, Context& c) { return sites_page(request, c, 200, ""); }

Result<Response> site_save(Request& request, Context& c) {
    HAVEN_TRY(form, http::form_body(request));
    SiteInput in{std::string(form.get("name")), std::string(form.get("city")), std::string(form.get("country")), std::string(form.get("time_zone")),
                 form.get("require_second_factor") == "1"};
    auto site = c.service.create_site(&*request.principal, in);
    if (!site) return web::show_again(request, site.error(), [&] { return sites_page(request, c, 200, ""); });
    return Response::redirect("/sites");
}

Result<Response> site_accounts_show(Request& request, Context& c) {
    HAVEN_TRY(site_id, http::id_param(request, "site"));
    HAVEN_TRY(site, c.service.site_for(*request.principal, site_id, Action::accounts_view));
    return accounts_page(request, c, site, 200, "", false, "");
}

Result<Response> invite_save(Request& request, Context& c) {
    HAVEN_TRY(site_id, http::id_param(request, "site"));
    HAVEN_TRY(site, c.service.site_for(*request.principal, site_id, Action::accounts_manage));
    HAVEN_TRY(form, http::form_body(request));
    auto role = parse_role(form.get("role"));
    auto again = [&](const Error& e) { return web::show_again(request, e, [&] { return accounts_page(request, c, site, 200, "", true, ""); }); };
    if (!role) return again(invalid("role", "role must be one of the roles Haven knows.", "choose"));
    auto inv = c.service.invite(&*request.principal, site_id, std::string(form.get("username")), *role);
    if (!inv) return again(inv.error());
    return accounts_page(request, c, site, 201, web::page_context(request).t("accounts.invited", {{"name", inv->account.username}}), false,
                         enrolment_url(request, inv->token));
}

Result<Response> account_roles_save(Request& request, Context& c) {
    HAVEN_TRY(site_id, http::id_param(request, "site"));
    HAVEN_TRY(account_id, http::id_param(request, "id"));
    HAVEN_TRY(form, http::form_body(request));
    auto role = parse_role(form.get("role"));
    if (!role) return make_error(ErrorKind::invalid, "bad_role", "Choose a role from the list.", "role");
    if (auto s = c.service.set_roles(*request.principal, site_id, account_id, {*role}); !s) return s.error();
    return Response::redirect("/sites/" + std::to_string(site_id) + "/accounts");
}

Result<Response> account_status_save(Request& request, Context& c) {
    HAVEN_TRY(site_id, http::id_param(request, "site"));
    HAVEN_TRY(account_id, http::id_param(request, "id"));
    HAVEN_TRY(form, http::form_body(request));
    auto status = parse_status(form.get("status"));
    if (!status || *status == AccountStatus::invited)
        return make_error(ErrorKind::invalid, "bad_status", "status must be active, suspended or offboarded.", "status");
    const std::string back = "/sites/" + std::to_string(site_id) + "/accounts";
    if (*status == AccountStatus::offboarded) {
        HAVEN_TRY(accounts, c.service.accounts_at(*request.principal, site_id));
        auto it = std::find_if(accounts.begin(), accounts.end(), [&](const Account& a) { return a.id == account_id; });
        const std::string name = it == accounts.end() ? "" : it->username;
        if (auto ask = web::confirm_first(request, form, web::page_context(request).t("confirm.offboard", {{"name", name}}), back)) return *ask;
    }
    if (auto s = c.service.set_status(&*request.principal, site_id, account_id, *status); !s) return s.error();
    return Response::redirect("/sites/" + std::to_string(site_id) + "/accounts");
}

}  // namespace haven::accounts
