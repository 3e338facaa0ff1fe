#include <boost/json.hpp>

#include "http/api.hpp"
#include "http/json.hpp"
#include "http/params.hpp"
#include "modules/accounts/handlers.hpp"

namespace haven::accounts {

namespace json = boost::json;

namespace {

json::object site_json(const Site& s) {
    return {{"id", s.id},           {"name", s.name},           {"city", s.city},
            {"country", s.country}, {"time_zone", s.time_zone}, {"require_second_factor", s.require_second_factor}};
}

json::array roles_json(const std::vector<SiteRole>& roles) {
    json::array a;
    for (const auto& r : roles) a.push_back(json::object{{"site_id", r.site_id}, {"role", std::string(role_name(r.role))}});
    return a;
}

json::object me_json(const Principal& p) { return {{"id", p.account_id}, {"username", p.username}, {"roles", roles_json(p.roles)}, {"via", p.via}}; }

}  // namespace

Result<Response> api_login(Request& request, Context& c) {
    HAVEN_TRY(body, http::json_body(request));
    HAVEN_TRY(username, http::text(body, "username", 64));
    HAVEN_TRY(password, http::text(body, "password", 256));
    HAVEN_TRY(totp, http::text(body, "totp", 64));
    HAVEN_TRY(login, c.service.login({username, password, totp, request.remote_address}));
    Response r = http::ok(200, json::object{{"account", me_json(login.principal)}});
    r.add_header("Set-Cookie", c.gate.session_set_cookie(login.session_token));
    return r;
}

Result<Response> api_logout(Request& request, Context& c) {
    c.service.logout(c.gate.session_token(request));
    Response r = Response::json(200, R"({"signed_out":true})");
    r.add_header("Set-Cookie", c.gate.session_clear_cookie());
    return r;
}

Result<Response> api_me(Request& request, Context&) { return http::ok(200, me_json(*request.principal)); }

Result<Response> api_contact(Request& request, Context& c) {
    HAVEN_TRY(contact, c.service.contact(*request.principal));
    return http::ok(200, json::object{{"real_name", contact.real_name}, {"email", contact.email}, {"phone", contact.phone}});
}

Result<Response> api_contact_save(Request& request, Context& c) {
    HAVEN_TRY(body, http::json_body(request));
    HAVEN_TRY(real_name, http::text(body, "real_name", 200));
    HAVEN_TRY(email, http::text(body, "email", 254));
    HAVEN_TRY(phone, http::text(body, "phone", 40));
    if (auto s = c.service.set_contact(*request.principal, {real_name, email, phone}); !s) return s.error();
    return http::ok(200, json::object{{"saved", true}});
}

Result<Response> api_sites(Request& request, Context& c) {
    json::array sites;
    for (const auto& s : c.service.sites_visible_to(*request.principal)) sites.push_back(site_json(s));
    return http::ok(200, json::object{{"sites", sites}});
}

Result<Response> api_site_create(Request& request, Context& c) {
    HAVEN_TRY(body, http::json_body(request));
    SiteInput in;
    HAVEN_TRY(name, http::text(body, "name", 100));
    HAVEN_TRY(city, http::text(body, "city", 100));
    HAVEN_TRY(country, http::text(body, "country", 100));
    HAVEN_TRY(zone, http::text(body, "time_zone", 64));
    in = {name, city, country, zone, false};
    if (const auto* v = body.if_contains("require_second_factor")) {
        if (!v->is_bool())
            return make_error(ErrorKind::invalid, "validation_failed", "require_second_factor must be true or false.", "require_second_factor");
        in.require_second_factor = v->get_bool();
    }
    HAVEN_TRY(site, c.service.create_site(&*request.principal, in));
    return http::ok(201, site_json(site));
}

Result<Response> api_site_accounts(Request& request, Context& c) {
    HAVEN_TRY(site_id, http::id_param(request, "site"));
    HAVEN_TRY(accounts, c.service.accounts_at(*request.principal, site_id));
    json::array out;
    for (const auto& a : accounts)
        out.push_back(json::object{{"id", a.id},
                                   {"username", a.username},
                                   {"status", std::string(status_name(a.status))},
                                   {"roles", roles_json(a.roles)},
                                   {"second_factor", a.has_second_factor}});
    return http::ok(200, json::object{{"accounts", out}});
}

Result<Response> api_invite(Request& request, Context& c) {
    HAVEN_TRY(site_id, http::id_param(request, "site"));
    HAVEN_TRY(body, http::json_body(request));
    HAVEN_TRY(username, http::text(body, "username", 64));
    HAVEN_TRY(role_text, http::text(body, "role", 64));
    auto role = parse_role(role_text);
    if (!role) return make_error(ErrorKind::invalid, "validation_failed", "role must be one of the roles Haven knows.", "role");
    HAVEN_TRY(inv, c.service.invite(&*request.principal, site_id, username, *role));
    return http::ok(
        201,
        json::object{{"id", inv.account.id}, {"username", inv.account.username}, {"enrolment_token", inv.token}, {"expires_at", inv.expires_at}});
}

Result<Response> api_account_status(Request& request, Context& c) {
    HAVEN_TRY(site_id, http::id_param(request, "site"));
    HAVEN_TRY(account_id, http::id_param(request, "id"));
    HAVEN_TRY(body, http::json_body(request));
    HAVEN_TRY(status_text, http::text(body, "status", 32));
    auto status = parse_status(status_text);
    if (!status || *status == AccountStatus::invited)
        return make_error(ErrorKind::invalid, "validation_failed", "status must be active, suspended or offboarded.", "status");
    if (auto s = c.service.set_status(&*request.principal, site_id, account_id, *status); !s) return s.error();
    return http::ok(200, json::object{{"id", account_id}, {"status", status_text}});
}

}  // namespace haven::accounts
