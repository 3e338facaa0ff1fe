#include "http/form.hpp"
#include "modules/accounts/handlers.hpp"
#include "web/widgets.hpp"

namespace haven::accounts {
namespace {

Response login_page(Request& request, int status, const std::string& error, const std::string& username) {
    auto ctx = web::page_context(request);
    return web::page(ctx, status, "login.title", [&](web::Html& h) {
        web::notice(h, error);
        web::post_form(h, request, "/login", {{"class", "stack"}}, [&] {
            web::field(h, ctx, "username", "login.username", "text", username, "username");
            web::field(h, ctx, "password", "login.password", "password", "", "current-password");
            h.element("div", {{"class", "field"}}, [&] {
                h.element("label", {{"for", "code"}}, ctx.t("login.code"));
                h.empty("input", {{"id", "code"},
                                  {"name", "code"},
                                  {"type", "text"},
                                  {"inputmode", "numeric"},
                                  {"autocomplete", "one-time-code"},
                                  {"aria-describedby", "code-help"}});
                h.element("p", {{"id", "code-help"}, {"class", "small"}}, ctx.t("login.code_help"));
            });
            h.element("button", {{"type", "submit"}}, ctx.t("login.submit"));
        });
    });
}

}  // namespace

Result<Response> login_show(Request& request, Context&) { return login_page(request, 200, "", ""); }

Result<Response> login_save(Request& request, Context& c) {
    HAVEN_TRY(form, http::form_body(request));
    LoginInput in{std::string(form.get("username")), std::string(form.get("password")), std::string(form.get("code")), request.remote_address};
    auto login = c.service.login(in);
    if (!login) {
        auto ctx = web::page_context(request);
        const Error& e = login.error();
        Response r = login_page(request, e.kind == ErrorKind::too_many ? 429 : 401,
                                ctx.t(e.kind == ErrorKind::too_many ? "login.too_many" : "login.failed"), in.username);
        if (e.retry_after_seconds) r.set_header("Retry-After", std::to_string(e.retry_after_seconds));
        return r;
    }
    // Where the day starts: a volunteer's tasks, a letter writer's letters (when they hold no other role), everyone
    // else's sites.
    auto who = c.service.principal_for_session(login->session_token);
    auto only = [&](Role role) {
        return who && !who->roles.empty() && std::all_of(who->roles.begin(), who->roles.end(), [&](const SiteRole& r) { return r.role == role; });
    };
    Response r = Response::redirect(only(Role::volunteer) ? "/tasks" : only(Role::writer) ? "/write" : "/sites");
    r.add_header("Set-Cookie", c.gate.session_set_cookie(login->session_token));
    return r;
}

Result<Response> logout_save(Request& request, Context& c) {
    c.service.logout(c.gate.session_token(request));
    Response r = Response::redirect("/login");
    r.add_header("Set-Cookie", c.gate.session_clear_cookie());
    return r;
}

}  // namespace haven::accounts
