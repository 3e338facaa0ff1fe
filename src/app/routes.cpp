// Every URL Haven serves, in one place, with who may call it: "public", "signed-in", or an action of
// the permission table (src/modules/accounts/permissions.cpp), checked against the URL's {site}.
// A test dumps this table to tests/golden/routes.txt, so a change of URL or access shows in review,
// and tests/integration/authorization_test.cpp walks every route with every role.
#include "app/app.hpp"
#include "modules/accounts/handlers.hpp"
#include "modules/casework/handlers.hpp"
#include "modules/home/handlers.hpp"
#include "modules/people/handlers.hpp"
#include "modules/spaces/handlers.hpp"
#include "modules/centre/handlers.hpp"
#include "modules/network/handlers.hpp"
#include "modules/system/handlers.hpp"

namespace haven {

void add_routes(App& app) {
    auto& r = app.router_;
    auto& db = *app.db_;
    const Clock& clock = app.clock_;
    const bool secure = app.config_.secure_cookies;
    home::Installation installation{db, clock, app.started_ms_};
    auto& ac = *app.accounts_context_;
    // Spreadsheet imports and the network's wraps (≈ 260,000 members an upload) and roster take bodies this large
    // (`.takes_body`); every other route the transport's 1 MB. Only a caller the gate admits may send more.
    constexpr size_t upload = 16 * 1024 * 1024;
    // Binds an accounts handler to the module's context.
    auto acc = [&ac](Result<http::Response> (*handler)(http::Request&, accounts::Context&)) {
        return [&ac, handler](http::Request& q) { return handler(q, ac); };
    };

    // Machines
    r.get("/healthz", "public", [&v = *app.vault_](http::Request& q) { return system::health_show(q, v.sealed()); });
    r.get("/metrics", system::metrics_access, [&m = app.metrics_](http::Request& q) { return system::metrics_show(q, m); });
    r.get("/assets/{file}", "public", [](http::Request& q) { return system::asset_show(q); });

    // Pages
    r.get("/", "public", [installation](http::Request& q) { return home::home_show(q, installation); });
    r.post("/language", "public", [secure](http::Request& q) { return home::language_save(q, secure); });
    r.get("/login", "public", acc(accounts::login_show));
    r.post("/login", "public", acc(accounts::login_save));
    r.post("/logout", "signed-in", acc(accounts::logout_save));
    r.get("/enrol/{token}", "public", acc(accounts::enrol_show));
    r.post("/enrol/{token}", "public", acc(accounts::enrol_password_save));
    r.post("/enrol/{token}/code", "public", acc(accounts::enrol_code_save));
    r.get("/account", "signed-in", acc(accounts::account_show));
    r.post("/account/contact", "signed-in", acc(accounts::contact_save));
    r.post("/account/sessions/{id}/revoke", "signed-in", acc(accounts::session_revoke));
    r.post("/account/sessions/revoke-all", "signed-in", acc(accounts::sessions_revoke_all));
    r.get("/sites", "signed-in", acc(accounts::sites_show));
    r.post("/sites", "sites.manage", acc(accounts::site_save));
    r.get("/sites/{site}/accounts", "accounts.view", acc(accounts::site_accounts_show));
    r.post("/sites/{site}/accounts", "accounts.manage", acc(accounts::invite_save));
    r.post("/sites/{site}/accounts/{id}/roles", "accounts.manage", acc(accounts::account_roles_save));
    r.post("/sites/{site}/accounts/{id}/status", "accounts.manage", acc(accounts::account_status_save));
    r.get("/audit", "audit.view", acc(accounts::audit_show));

    // The vault
    auto& vc = *app.vault_context_;
    auto vlt = [&vc](Result<http::Response> (*handler)(http::Request&, vault::Context&)) {
        return [&vc, handler](http::Request& q) { return handler(q, vc); };
    };
    r.get("/unseal", "public", vlt(vault::unseal_show));
    r.post("/unseal", "public", vlt(vault::unseal_save));
    r.post("/seal", "vault.seal", vlt(vault::seal_save));
    r.post("/api/v1/vault/unseal", "public", vlt(vault::api_unseal));
    r.post("/api/v1/vault/seal", "public", vlt(vault::api_seal));
    r.post("/api/v1/vault/rotate", "public", vlt(vault::api_rotate));

    // People
    auto& pc = *app.people_context_;
    auto ppl = [&pc](Result<http::Response> (*handler)(http::Request&, people::Context&)) {
        return [&pc, handler](http::Request& q) { return handler(q, pc); };
    };
    r.get("/people", "people.open", ppl(people::people_home));
    r.get("/sites/{site}/people", "people.open", ppl(people::people_show));
    r.post("/sites/{site}/people/search", "people.open", ppl(people::people_search));
    r.get("/sites/{site}/people/new", "people.manage", ppl(people::intake_show));
    r.post("/sites/{site}/people", "people.manage", ppl(people::intake_save));
    r.get("/sites/{site}/people/retention", "people.erase", ppl(people::retention_show));
    r.get("/sites/{site}/people/import", "people.transfer", ppl(people::import_show));
    r.post("/sites/{site}/people/import/preview", "people.transfer", ppl(people::import_preview)).takes_body(upload);
    r.post("/sites/{site}/people/import", "people.transfer", ppl(people::import_save)).takes_body(upload);
    r.get("/sites/{site}/people/import/{id}", "people.transfer", ppl(people::import_progress));
    r.get("/sites/{site}/people/export", "people.transfer", ppl(people::export_show));
    r.post("/sites/{site}/people/export", "people.transfer", ppl(people::export_save));
    r.get("/people/{id}", "people.open", ppl(people::person_show));
    r.post("/people/{id}", "people.manage", ppl(people::person_save));
    r.post("/people/{id}/consents", "people.manage", ppl(people::consent_save));
    r.post("/people/{id}/erase", "people.erase", ppl(people::erase_save));
    r.post("/api/v1/people", "people.manage", ppl(people::api_people_create));
    r.get("/api/v1/people", "people.open", ppl(people::api_people_search));
    r.get("/api/v1/people/{id}", "people.open", ppl(people::api_person));
    r.add("PUT", "/api/v1/people/{id}", "people.manage", ppl(people::api_person_update));
    r.add("DELETE", "/api/v1/people/{id}", "people.erase", ppl(people::api_person_erase));
    r.get("/api/v1/people/{id}/consents", "people.open", ppl(people::api_consents));
    r.post("/api/v1/people/{id}/consents", "people.manage", ppl(people::api_consent_save));
    r.get("/api/v1/sites/{site}/people/retention", "people.erase", ppl(people::api_retention));
    r.post("/api/v1/sites/{site}/people/import", "people.transfer", ppl(people::api_import)).takes_body(upload);
    r.get("/api/v1/sites/{site}/people/export", "people.transfer", ppl(people::api_export));

    // Casework
    auto& cc = *app.casework_context_;
    auto cw = [&cc](Result<http::Response> (*handler)(http::Request&, casework::Context&)) {
        return [&cc, handler](http::Request& q) { return handler(q, cc); };
    };
    r.post("/people/{id}/cases", "cases.work", cw(casework::case_open_save));
    r.get("/cases/{id}", "cases.work", cw(casework::case_show));
    r.post("/cases/{id}/steps/{step}", "cases.work", cw(casework::step_save));
    r.post("/cases/{id}/documents/{doc}", "cases.work", cw(casework::document_save));
    r.post("/cases/{id}/close", "cases.work", cw(casework::case_close_save));
    r.get("/deadlines", "cases.work", cw(casework::deadlines_show));
    r.get("/templates", "templates.manage", cw(casework::templates_show));
    r.post("/templates/{id}", "templates.manage", cw(casework::template_save));
    r.post("/people/{id}/counselling", "counselling.assign", cw(casework::counsellor_save));
    r.get("/counselling", "counselling.write", cw(casework::counselling_show));
    r.get("/counselling/{id}", "counselling.write", cw(casework::compartment_show));
    r.post("/counselling/{id}/notes", "counselling.write", cw(casework::note_save));
    r.get("/volunteer", "signed-in", cw(casework::volunteer_show));
    r.post("/volunteer", "signed-in", cw(casework::volunteer_save));
    r.post("/people/{id}/requests", "requests.manage", cw(casework::request_save));
    r.get("/sites/{site}/requests", "requests.manage", cw(casework::requests_show));
    r.post("/requests/{id}/assign", "requests.manage", cw(casework::assign_save));
    r.get("/tasks", "signed-in", cw(casework::tasks_show));
    r.post("/tasks/{id}/done", "signed-in", cw(casework::task_done_save));
    r.get("/sites/{site}/dashboard", "dashboard.view", cw(casework::dashboard_show));
    r.get("/api/v1/templates", "cases.work", cw(casework::api_templates));
    r.add("PUT", "/api/v1/templates/{id}", "templates.manage", cw(casework::api_template_save));
    r.post("/api/v1/people/{id}/cases", "cases.work", cw(casework::api_case_open));
    r.get("/api/v1/people/{id}/cases", "cases.work", cw(casework::api_cases_of));
    r.get("/api/v1/cases/{id}", "cases.work", cw(casework::api_case));
    r.post("/api/v1/cases/{id}/steps/{step}", "cases.work", cw(casework::api_step_save));
    r.post("/api/v1/cases/{id}/documents/{doc}", "cases.work", cw(casework::api_document_save));
    r.post("/api/v1/cases/{id}/close", "cases.work", cw(casework::api_case_close));
    r.get("/api/v1/deadlines", "cases.work", cw(casework::api_deadlines));
    r.post("/api/v1/people/{id}/counselling", "counselling.assign", cw(casework::api_counsellor_save));
    r.get("/api/v1/people/{id}/counselling", "counselling.assign", cw(casework::api_compartments_of));
    r.get("/api/v1/counselling", "counselling.write", cw(casework::api_my_compartments));
    r.get("/api/v1/counselling/{id}/notes", "counselling.write", cw(casework::api_notes));
    r.post("/api/v1/counselling/{id}/notes", "counselling.write", cw(casework::api_note_save));
    r.get("/api/v1/me/volunteer", "signed-in", cw(casework::api_volunteer));
    r.add("PUT", "/api/v1/me/volunteer", "signed-in", cw(casework::api_volunteer_save));
    r.get("/api/v1/sites/{site}/volunteers", "requests.manage", cw(casework::api_volunteers));
    r.post("/api/v1/people/{id}/requests", "requests.manage", cw(casework::api_request_save));
    r.get("/api/v1/sites/{site}/requests", "requests.manage", cw(casework::api_requests));
    r.get("/api/v1/requests/{id}/suggestions", "requests.manage", cw(casework::api_suggestions));
    r.post("/api/v1/requests/{id}/assign", "requests.manage", cw(casework::api_assign));
    r.get("/api/v1/tasks", "signed-in", cw(casework::api_tasks));
    r.post("/api/v1/tasks/{id}/done", "signed-in", cw(casework::api_task_done));
    r.get("/api/v1/sites/{site}/dashboard", "dashboard.view", cw(casework::api_dashboard));

    // Spaces and bookings
    auto& sc = *app.spaces_context_;
    auto sp = [&sc](Result<http::Response> (*handler)(http::Request&, spaces::Context&)) {
        return [&sc, handler](http::Request& q) { return handler(q, sc); };
    };
    r.get("/sites/{site}/spaces", "spaces.view", sp(spaces::spaces_show));
    r.post("/sites/{site}/spaces", "spaces.manage", sp(spaces::space_save));
    r.get("/spaces/{id}", "spaces.view", sp(spaces::space_show));
    r.post("/spaces/{id}/bookings", "bookings.make", sp(spaces::booking_save));
    r.post("/api/v1/spaces", "spaces.manage", sp(spaces::api_space_create));
    r.get("/api/v1/spaces/{id}", "spaces.view", sp(spaces::api_space));
    r.get("/api/v1/sites/{site}/spaces", "spaces.view", sp(spaces::api_spaces));
    r.post("/api/v1/bookings", "bookings.make", sp(spaces::api_booking_create));
    r.get("/api/v1/spaces/{id}/bookings", "spaces.view", sp(spaces::api_bookings));
    r.add("DELETE", "/api/v1/bookings/{id}", "bookings.make", sp(spaces::api_booking_cancel));
    r.post("/api/v1/spaces/{id}/feed/rotate", "spaces.manage", sp(spaces::api_feed_rotate));
    r.get("/feeds/spaces/{token}", "public", sp(spaces::feed_show));
    r.add("PUT", "/api/v1/spaces/{id}/opening-hours", "spaces.manage", sp(spaces::api_space_hours));
    r.post("/bookings/{id}/cancel", "bookings.make", sp(spaces::booking_cancel));

    // Desks, courses, events, occupancy, one's own calendar
    auto& ce = *app.centre_context_;
    auto cn = [&ce](Result<http::Response> (*handler)(http::Request&, centre::Context&)) {
        return [&ce, handler](http::Request& q) { return handler(q, ce); };
    };
    r.get("/sites/{site}/desks", "spaces.view", cn(centre::desks_show));
    r.post("/people/{id}/desk", "desks.manage", cn(centre::desk_allocate));
    r.post("/people/{id}/desk-waitlist", "desks.manage", cn(centre::desk_wait));
    r.post("/desk-allocations/{id}/release", "desks.manage", cn(centre::desk_release));
    r.post("/desk-waitlist/{id}/remove", "desks.manage", cn(centre::desk_unwait));
    r.get("/sites/{site}/courses", "courses.view", cn(centre::courses_show));
    r.post("/sites/{site}/courses", "courses.manage", cn(centre::course_save));
    r.get("/courses/{id}", "courses.view", cn(centre::course_show));
    r.post("/courses/{id}/sessions", "courses.manage", cn(centre::sessions_save));
    r.post("/people/{id}/courses", "courses.manage", cn(centre::enrolment_save));
    r.post("/course-enrolments/{id}/leave", "courses.manage", cn(centre::enrolment_leave));
    r.get("/course-enrolments/{id}/certificate", "courses.manage", cn(centre::certificate_show));
    r.get("/course-sessions/{id}", "attendance.take", cn(centre::attendance_show));
    r.post("/course-sessions/{id}", "attendance.take", cn(centre::attendance_save));
    r.get("/sites/{site}/events", "events.view", cn(centre::events_show));
    r.post("/sites/{site}/events", "events.manage", cn(centre::event_save));
    r.get("/events/{id}", "events.view", cn(centre::event_show));
    r.post("/events/{id}/registrations", "events.manage", cn(centre::guest_save));
    r.post("/people/{id}/events", "events.manage", cn(centre::person_register));
    r.post("/registrations/{id}/cancel", "events.manage", cn(centre::guest_cancel));
    r.get("/registrations/{id}/ticket", "events.manage", cn(centre::guest_ticket));
    r.post("/events/{id}/check-in", "events.checkin", cn(centre::check_in_save));
    r.post("/events/{id}/headcount", "events.checkin", cn(centre::headcount_save));
    r.get("/sites/{site}/occupancy", "dashboard.view", cn(centre::occupancy_show));
    r.get("/account/feed", "signed-in", cn(centre::own_feed_show));
    r.post("/account/feed", "signed-in", cn(centre::own_feed_save));
    r.post("/account/feed/rotate", "signed-in", cn(centre::own_feed_rotate));
    r.get("/feeds/people/{token}", "public", cn(centre::feed_show));
    r.get("/api/v1/sites/{site}/desks", "spaces.view", cn(centre::api_desks));
    r.post("/api/v1/desks/{id}/allocations", "desks.manage", cn(centre::api_desk_allocate));
    r.add("DELETE", "/api/v1/desk-allocations/{id}", "desks.manage", cn(centre::api_desk_release));
    r.post("/api/v1/desk-waitlist", "desks.manage", cn(centre::api_desk_wait));
    r.add("DELETE", "/api/v1/desk-waitlist/{id}", "desks.manage", cn(centre::api_desk_unwait));
    r.post("/api/v1/courses", "courses.manage", cn(centre::api_course_create));
    r.get("/api/v1/courses/{id}", "courses.view", cn(centre::api_course));
    r.get("/api/v1/sites/{site}/courses", "courses.view", cn(centre::api_courses));
    r.post("/api/v1/courses/{id}/sessions", "courses.manage", cn(centre::api_sessions_add));
    r.get("/api/v1/courses/{id}/enrolments", "courses.view", cn(centre::api_enrolments));
    r.post("/api/v1/courses/{id}/enrolments", "courses.manage", cn(centre::api_enrol));
    r.add("DELETE", "/api/v1/course-enrolments/{id}", "courses.manage", cn(centre::api_leave));
    r.add("PUT", "/api/v1/course-sessions/{id}/attendance", "attendance.take", cn(centre::api_attendance));
    r.post("/api/v1/events", "events.manage", cn(centre::api_event_create));
    r.get("/api/v1/events/{id}", "events.view", cn(centre::api_event));
    r.get("/api/v1/sites/{site}/events", "events.view", cn(centre::api_events));
    r.post("/api/v1/events/{id}/registrations", "events.manage", cn(centre::api_register));
    r.get("/api/v1/events/{id}/registrations", "events.view", cn(centre::api_registrations));
    r.add("DELETE", "/api/v1/registrations/{id}", "events.manage", cn(centre::api_unregister));
    r.post("/api/v1/events/{id}/check-in", "events.checkin", cn(centre::api_check_in));
    r.post("/api/v1/events/{id}/headcount", "events.checkin", cn(centre::api_headcount));
    r.get("/api/v1/sites/{site}/occupancy", "dashboard.view", cn(centre::api_occupancy));
    r.get("/api/v1/account/feed", "signed-in", cn(centre::api_own_feed));
    r.add("PUT", "/api/v1/account/feed", "signed-in", cn(centre::api_own_feed));
    r.post("/api/v1/account/feed/rotate", "signed-in", cn(centre::api_own_feed_rotate));

    // The emergency network: operators, then members' devices (docs/EMERGENCY.md)
    auto& nc = *app.network_context_;
    auto nw = [&nc](Result<http::Response> (*handler)(http::Request&, network::Context&)) {
        return [&nc, handler](http::Request& q) { return handler(q, nc); };
    };
    r.post("/api/v1/network/enrolments", "network.operate", nw(network::api_enrolment));
    r.get("/api/v1/network/enrolments", "network.operate", nw(network::api_codes));
    r.add("DELETE", "/api/v1/network/enrolments/{id}", "network.operate", nw(network::api_code_revoke));
    r.add("PUT", "/api/v1/network/enrolments/{id}/lists", "network.operate", nw(network::api_code_lists));
    r.get("/api/v1/network/members", "network.operate", nw(network::api_members));
    r.post("/api/v1/network/members/{id}/revoke", "network.operate", nw(network::api_member_revoke));
    r.get("/api/v1/network/inbox", "network.operate", nw(network::api_inbox));
    r.add("DELETE", "/api/v1/network/inbox/{id}", "network.operate", nw(network::api_inbox_drop));
    r.get("/api/v1/network/roster", "network.operate", nw(network::api_roster));
    r.add("PUT", "/api/v1/network/roster", "network.operate", nw(network::api_roster_put)).takes_body(upload);
    r.post("/api/v1/network/activations", "network.operate", nw(network::api_activation_create));
    r.post("/api/v1/network/activations/{id}/wraps", "network.operate", nw(network::api_wraps_add)).takes_body(upload);
    r.post("/api/v1/network/activations/{id}/publish", "network.operate", nw(network::api_publish));
    r.get("/api/v1/network/activations/{id}/state", "network.operate", nw(network::api_state));
    r.get("/api/v1/network/activations/{id}/acks", "network.operate", nw(network::api_acks));
    r.get("/api/v1/network/doorbells/queues", "network.operate", nw(network::api_queues));
    r.post("/api/v1/network/doorbells", "public", nw(network::api_doorbell));
    r.add("DELETE", "/api/v1/network/doorbells/{id}", "public", nw(network::api_doorbell_drop));
    r.get("/api/v1/network/push-key", "public", nw(network::api_push_key));
    r.get("/network/app", "public", nw(network::member_app));
    r.post("/api/v1/network/enrolment-keys", "public", nw(network::api_enrolment_keys));
    r.post("/api/v1/network/members", "public", nw(network::api_register));
    r.add("PUT", "/api/v1/network/members/{id}/prekey", "public", nw(network::api_prekey));
    r.add("DELETE", "/api/v1/network/members/{id}", "public", nw(network::api_member_leave));
    r.get("/api/v1/network/activations", "public", nw(network::api_activations));
    r.get("/api/v1/network/activations/{id}", "public", nw(network::api_body));
    r.get("/api/v1/network/activations/{id}/wraps/{locator}", "public", nw(network::api_wrap));
    r.post("/api/v1/network/activations/{id}/acks", "public", nw(network::api_ack));

    // JSON API
    r.post("/api/v1/auth/login", "public", acc(accounts::api_login));
    r.post("/api/v1/auth/logout", "signed-in", acc(accounts::api_logout));
    r.get("/api/v1/me", "signed-in", acc(accounts::api_me));
    r.get("/api/v1/me/contact", "signed-in", acc(accounts::api_contact));
    r.post("/api/v1/me/contact", "signed-in", acc(accounts::api_contact_save));
    r.get("/api/v1/sites", "signed-in", acc(accounts::api_sites));
    r.post("/api/v1/sites", "sites.manage", acc(accounts::api_site_create));
    r.get("/api/v1/sites/{site}/accounts", "accounts.view", acc(accounts::api_site_accounts));
    r.post("/api/v1/sites/{site}/accounts", "accounts.manage", acc(accounts::api_invite));
    r.post("/api/v1/sites/{site}/accounts/{id}/status", "accounts.manage", acc(accounts::api_account_status));

    // Test-only (config test-routes = true): the durability probe of the crash test and benchmarks.
    if (app.config_.test_routes) {
        r.post("/api/v1/test/writes", "public", [&db, &clock](http::Request& q) { return system::probe_save(q, db, clock); });
        r.get("/api/v1/test/writes/{id}", "public", [&db](http::Request& q) { return system::probe_show(q, db); });
    }
}

}  // namespace haven
