#include "http/cookies.hpp"
#include "http/form.hpp"
#include "http/target.hpp"
#include "modules/home/handlers.hpp"
#include "web/i18n.hpp"

namespace haven::home {
namespace {

// Only a path of our own: never "//host" or "https://…" (no open redirect).
std::string safe_return(std::string_view wanted) {
    if (wanted.empty() || wanted.front() != '/' || wanted.starts_with("//") || wanted.size() > 2048) return "/";
    auto target = http::parse_target(wanted);
    return target ? std::string(wanted) : "/";
}

}  // namespace

Result<Response> language_save(Request& request, bool secure_cookies) {
    if (!request.header("Content-Type").starts_with("application/x-www-form-urlencoded"))
        return make_error(ErrorKind::unsupported_media, "unsupported_media_type", "Send the form as application/x-www-form-urlencoded.");
    HAVEN_TRY(form, http::Form::parse(request.body));
    std::string lang(form.get("lang"));
    if (!web::Messages::shipped().supports(lang)) return make_error(ErrorKind::invalid, "bad_language", "This language is not available.", "lang");
    http::CookieOptions options;
    options.secure = secure_cookies;
    options.same_site = "Lax";
    options.max_age_seconds = 365L * 24 * 3600;
    Response r = Response::redirect(safe_return(form.get("return")));
    r.set_header("Set-Cookie", *http::set_cookie("haven_lang", lang, options));
    return r;
}

}  // namespace haven::home
