#include "crypto/totp.hpp"
#include "http/form.hpp"
#include "modules/accounts/handlers.hpp"
#include "web/widgets.hpp"

namespace haven::accounts {
namespace {

// The enrolment token is in the URL by necessity (it is the link); the page is never cached and the
// token is single-use and expires. Referrer-Policy same-origin keeps it from other sites.
Response enrol_page(Request& request, Context& c, const Enrolment& e, int status, const std::string& error) {
    auto ctx = web::page_context(request);
    const std::string action = "/enrol/" + request.params.at("token");
    return web::page(ctx, status, "enrol.title", [&](web::Html& h) {
        h.element("p", {{"class", "lead"}}, ctx.t("enrol.welcome", {{"name", e.account.username}}));
        web::notice(h, error);
        if (!e.password_set) {
            web::post_form(h, request, action, {{"class", "stack"}}, [&] {
                h.element("p", {}, ctx.t("enrol.password_help"));
                web::field(h, ctx, "password", "enrol.password", "password", "", "new-password");
                h.element("button", {{"type", "submit"}}, ctx.t("enrol.password_submit"));
            });
            return;
        }
        // Password set; the second factor remains.
        const std::string uri = crypto::totp_uri(e.account.username, e.totp_secret);
        h.element("h2", {}, ctx.t("enrol.totp_heading"));
        h.element("p", {}, ctx.t("enrol.totp_help"));
        web::qr_code(h, uri, ctx.t("enrol.qr_label"));
        h.element("p", {}, [&] {
            h.text(ctx.t("enrol.secret_text"));
            h.text(" ");
            h.element("code", {{"id", "totp-secret"}}, crypto::base32_encode(e.totp_secret));
        });
        web::post_form(h, request, action + "/code", {{"class", "stack"}}, [&] {
            h.element("div", {{"class", "field"}}, [&] {
                h.element("label", {{"for", "code"}}, ctx.t("enrol.code"));
                h.empty("input", {{"id", "code"}, {"name", "code"}, {"type", "text"}, {"inputmode", "numeric"}, {"autocomplete", "one-time-code"}});
            });
            h.element("button", {{"type", "submit"}}, ctx.t("enrol.code_submit"));
        });
    });
}

Response done_page(Request& request, const std::vector<std::string>& codes) {
    auto ctx = web::page_context(request);
    return web::page(ctx, 200, "enrol.done_title", [&](web::Html& h) {
        h.element("p", {{"class", "lead"}}, ctx.t("enrol.done"));
        if (!codes.empty()) {
            h.element("h2", {}, ctx.t("enrol.recovery_heading"));
            h.element("p", {}, ctx.t("enrol.recovery_help"));
            h.element("ul", {{"class", "codes"}, {"id", "recovery-codes"}}, [&] {
                for (const auto& code : codes) h.element("li", {}, [&] { h.element("code", {}, code); });
            });
        }
        h.element("p", {}, [&] { h.element("a", {{"href", "/login"}, {"class", "button"}}, ctx.t("enrol.to_login")); });
    });
}

}  // namespace

Result<Response> enrol_show(Request& request, Context& c) {
    HAVEN_TRY(e, c.service.enrolment(request.params.at("token")));
    return enrol_page(request, c, e, 200, "");
}

Result<Response> enrol_password_save(Request& request, Context& c) {
    const std::string& token = request.params.at("token");
    HAVEN_TRY(form, http::form_body(request));
    HAVEN_TRY(before, c.service.enrolment(token));
    if (auto s = c.service.enrol_password(token, std::string(form.get("password"))); !s) {
        if (s.error().field != "password") return s.error();
        return enrol_page(request, c, before, 422, web::localized(web::page_context(request), s.error()));
    }
    auto after = c.service.enrolment(token);
    if (!after) return done_page(request, {});  // no second factor needed: enrolment finished
    return enrol_page(request, c, after.value(), 200, "");
}

Result<Response> enrol_code_save(Request& request, Context& c) {
    const std::string& token = request.params.at("token");
    HAVEN_TRY(form, http::form_body(request));
    auto codes = c.service.enrol_second_factor(token, std::string(form.get("code")));
    if (!codes) {
        if (codes.error().field != "code") return codes.error();
        HAVEN_TRY(e, c.service.enrolment(token));
        return enrol_page(request, c, e, 422, web::page_context(request).t("enrol.wrong_code"));
    }
    return done_page(request, codes.value());
}

}  // namespace haven::accounts
