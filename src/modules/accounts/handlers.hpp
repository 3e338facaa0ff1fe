// The pages and JSON endpoints of accounts, sites and sessions. Routes are in src/app/routes.cpp.
#pragma once

#include "core/config.hpp"
#include "core/result.hpp"
#include "http/message.hpp"
#include "modules/accounts/gate.hpp"
#include "modules/accounts/service.hpp"

namespace haven::accounts {

using http::Request;
using http::Response;

struct Context {
    Service& service;
    Gate& gate;
};

// The module as the app holds it, built from the configuration.
struct Module {
    Module(const modules::Shared& shared, const Config& config)
        : service(shared, {int64_t(config.session_idle_minutes) * 60 * 1000, int64_t(config.session_max_hours) * 3600 * 1000}),
          gate(service, config.secure_cookies) {
        service.set_read_policy({config.mass_read_limit, int64_t(config.mass_read_window_minutes) * 60 * 1000, config.mass_read_suspend});
    }
    Service service;
    Gate gate;
    Context context{service, gate};
};

// Pages
Result<Response> login_show(Request& request, Context& c);           // GET  /login
Result<Response> login_save(Request& request, Context& c);           // POST /login
Result<Response> logout_save(Request& request, Context& c);          // POST /logout
Result<Response> enrol_show(Request& request, Context& c);           // GET  /enrol/{token}
Result<Response> enrol_password_save(Request& request, Context& c);  // POST /enrol/{token}
Result<Response> enrol_code_save(Request& request, Context& c);      // POST /enrol/{token}/code
Result<Response> account_show(Request& request, Context& c);         // GET  /account
Result<Response> contact_save(Request& request, Context& c);         // POST /account/contact
Result<Response> session_revoke(Request& request, Context& c);       // POST /account/sessions/{id}/revoke
Result<Response> sessions_revoke_all(Request& request, Context& c);  // POST /account/sessions/revoke-all
Result<Response> sites_show(Request& request, Context& c);           // GET  /sites
Result<Response> site_save(Request& request, Context& c);            // POST /sites
Result<Response> site_accounts_show(Request& request, Context& c);   // GET  /sites/{site}/accounts
Result<Response> invite_save(Request& request, Context& c);          // POST /sites/{site}/accounts
Result<Response> account_roles_save(Request& request, Context& c);   // POST /sites/{site}/accounts/{id}/roles
Result<Response> account_status_save(Request& request, Context& c);  // POST /sites/{site}/accounts/{id}/status
Result<Response> audit_show(Request& request, Context& c);           // GET  /audit?account=&action=&from=&to=

// JSON API
Result<Response> api_login(Request& request, Context& c);           // POST /api/v1/auth/login
Result<Response> api_logout(Request& request, Context& c);          // POST /api/v1/auth/logout
Result<Response> api_me(Request& request, Context& c);              // GET  /api/v1/me
Result<Response> api_contact(Request& request, Context& c);         // GET  /api/v1/me/contact
Result<Response> api_contact_save(Request& request, Context& c);    // POST /api/v1/me/contact {"real_name","email","phone"}
Result<Response> api_sites(Request& request, Context& c);           // GET  /api/v1/sites
Result<Response> api_site_create(Request& request, Context& c);     // POST /api/v1/sites
Result<Response> api_site_accounts(Request& request, Context& c);   // GET  /api/v1/sites/{site}/accounts
Result<Response> api_invite(Request& request, Context& c);          // POST /api/v1/sites/{site}/accounts
Result<Response> api_account_status(Request& request, Context& c);  // POST /api/v1/sites/{site}/accounts/{id}/status

}  // namespace haven::accounts
