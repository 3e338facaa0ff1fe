// Every URL Haven serves, in one place, with who may call it: "public", "signed-in", or an action of
// the permission table (src/modules/accounts/permissions.cpp), checked against the URL's {site}; and every
// other fact about it, on it: the body it takes (`.takes_body`), whether it answers while the vault is sealed
// (`.while_sealed()`), whether its page may run WebAssembly and the camera (`.with_wasm_and_camera()`) or only the camera (`.with_camera()`).
// A test dumps this table to tests/golden/routes.txt, so a change of URL, access or any of these shows in
// review, and tests/integration/authorization_test.cpp walks every route with every role.
#include "app/app.hpp"
#include "http/form.hpp"
#include "modules/accounts/handlers.hpp"
#include "modules/casework/handlers.hpp"
#include "modules/centre/handlers.hpp"
#include "modules/home/handlers.hpp"
#include "modules/network/handlers.hpp"
#include "modules/people/handlers.hpp"
#include "modules/spaces/handlers.hpp"
#include "modules/system/handlers.hpp"

namespace haven {
namespace {

// Binds a handler to its module's context, which lives as long as the App.
template <class Context>
http::Handler with(Context& context, Result<http::Response> (*handler)(http::Request&, Context&)) {
    return [&context, handler](http::Request& q) { return handler(q, context); };
}

}  // namespace

void add_routes(App& app) {
    auto& r = app.router_;
    auto& db = *app.db_;
    const Clock& clock = app.clock_;
    const bool secure = app.config_.secure_cookies;
    home::Installation installation{db, clock, app.started_ms_};
    auto& ac = app.accounts_->context;
    // Spreadsheet imports and the network's wraps (≈ 260,000 members an upload) and roster take bodies this large
    // (`.takes_body`); every other route the transport's 1 MB. Only a caller the gate admits may send more.
    constexpr size_t upload = 16 * 1024 * 1024;

    // Machines (monitoring and the page's assets answer while sealed)
    r.get("/healthz", "public", [&v = *app.vault_](http::Request& q) { return system::health_show(q, v.sealed()); }).while_sealed();
    r.get("/metrics", system::metrics_access, [&m = app.metrics_](http::Request& q) { return system::metrics_show(q, m); }).while_sealed();
    r.get("/assets/{file}", "public", [](http::Request& q) { return system::asset_show(q); }).while_sealed();
    r.get("/api/v1/openapi.json", "public", [](http::Request& q) { return system::openapi_show(q); });

    // Pages
    r.get("/", "public", [installation](http::Request& q) { return home::home_show(q, installation); });
    // A visitor's choice is a cookie; a signed-in account also keeps it (its other devices, its next sign-in).
    r.post("/language", "public", [secure, &accounts = app.accounts_->service](http::Request& q) -> Result<http::Response> {
         HAVEN_TRY(response, home::language_save(q, secure));
         if (q.principal && !q.principal->read_only) {
             HAVEN_TRY(form, http::Form::parse(q.body));
             HAVEN_CHECK(accounts.set_locale(*q.principal, std::string(form.get("lang"))));
         }
         return response;
     }).while_sealed();
    r.get("/login", "public", with(ac, accounts::login_show));
    r.post("/login", "public", with(ac, accounts::login_save));
    r.post("/logout", "signed-in", with(ac, accounts::logout_save));
    r.get("/enrol/{token}", "public", with(ac, accounts::enrol_show));
    r.post("/enrol/{token}", "public", with(ac, accounts::enrol_password_save));
    r.post("/enrol/{token}/code", "public", with(ac, accounts::enrol_code_save));
    r.get("/account", "signed-in", with(ac, accounts::account_show));
    r.post("/account/contact", "signed-in", with(ac, accounts::contact_save));
    r.post("/account/sessions/{id}/revoke", "signed-in", with(ac, accounts::session_revoke));
    r.post("/account/sessions/revoke-all", "signed-in", with(ac, accounts::sessions_revoke_all));
    r.get("/sites", "signed-in", with(ac, accounts::sites_show));
    r.post("/sites", "sites.manage", with(ac, accounts::site_save));
    r.get("/sites/{site}/accounts", "accounts.view", with(ac, accounts::site_accounts_show));
    r.post("/sites/{site}/accounts", "accounts.manage", with(ac, accounts::invite_save));
    r.post("/sites/{site}/accounts/{id}/roles", "accounts.manage", with(ac, accounts::account_roles_save));
    r.post("/sites/{site}/accounts/{id}/status", "accounts.manage", with(ac, accounts::account_status_save));
    r.get("/audit", "audit.view", with(ac, accounts::audit_show));

    // The vault
    auto& vc = *app.vault_context_;
    r.get("/unseal", "public", with(vc, vault::unseal_show)).while_sealed();
    r.post("/unseal", "public", with(vc, vault::unseal_save)).while_sealed();
    r.post("/seal", "vault.seal", with(vc, vault::seal_save));
    r.post("/api/v1/vault/unseal", "public", with(vc, vault::api_unseal)).while_sealed();
    r.post("/api/v1/vault/seal", "public", with(vc, vault::api_seal)).while_sealed();
    // Rotation needs the keys, so a sealed server answers it 503 like any other API.
    r.post("/api/v1/vault/rotate", "public", with(vc, vault::api_rotate));
    r.post("/api/v1/vault/backup", "public", with(vc, vault::api_backup));

    // People
    auto& pc = app.people_->context;
    r.get("/people", "people.open", with(pc, people::people_home));
    r.get("/sites/{site}/people", "people.open", with(pc, people::people_show));
    r.post("/sites/{site}/people/search", "people.open", with(pc, people::people_search));
    r.get("/sites/{site}/people/new", "people.manage", with(pc, people::intake_show));
    r.post("/sites/{site}/people", "people.manage", with(pc, people::intake_save));
    r.get("/sites/{site}/people/retention", "people.erase", with(pc, people::retention_show));
    r.get("/sites/{site}/people/import", "people.transfer", with(pc, people::import_show));
    r.post("/sites/{site}/people/import/preview", "people.transfer", with(pc, people::import_preview)).takes_body(upload);
    r.post("/sites/{site}/people/import", "people.transfer", with(pc, people::import_save)).takes_body(upload);
    r.get("/sites/{site}/people/import/{id}", "people.transfer", with(pc, people::import_progress));
    r.get("/sites/{site}/people/export", "people.transfer", with(pc, people::export_show));
    r.post("/sites/{site}/people/export", "people.transfer", with(pc, people::export_save));
    r.get("/people/{id}", "people.open", with(pc, people::person_show));
    r.post("/people/{id}", "people.manage", with(pc, people::person_save));
    r.get("/people/{id}/edit", "people.manage", with(pc, people::person_edit_show));
    r.post("/people/{id}/consents", "people.manage", with(pc, people::consent_save));
    r.post("/people/{id}/erase", "people.erase", with(pc, people::erase_save));
    r.post("/api/v1/people", "people.manage", with(pc, people::api_people_create));
    r.get("/api/v1/people", "people.open", with(pc, people::api_people_search));
    r.get("/api/v1/people/{id}", "people.open", with(pc, people::api_person));
    r.add("PUT", "/api/v1/people/{id}", "people.manage", with(pc, people::api_person_update));
    r.add("DELETE", "/api/v1/people/{id}", "people.erase", with(pc, people::api_person_erase));
    r.get("/api/v1/people/{id}/consents", "people.open", with(pc, people::api_consents));
    r.post("/api/v1/people/{id}/consents", "people.manage", with(pc, people::api_consent_save));
    r.get("/api/v1/sites/{site}/people/retention", "people.erase", with(pc, people::api_retention));
    r.post("/api/v1/sites/{site}/people/import", "people.transfer", with(pc, people::api_import)).takes_body(upload);
    r.get("/api/v1/sites/{site}/people/export", "people.transfer", with(pc, people::api_export));

    // Casework
    auto& cc = app.casework_->context;
    r.post("/people/{id}/cases", "cases.work", with(cc, casework::case_open_save));
    r.get("/cases/{id}", "cases.work", with(cc, casework::case_show));
    r.post("/cases/{id}/steps/{step}", "cases.work", with(cc, casework::step_save));
    r.post("/cases/{id}/documents/{doc}", "cases.work", with(cc, casework::document_save));
    r.post("/cases/{id}/close", "cases.work", with(cc, casework::case_close_save));
    r.get("/deadlines", "cases.work", with(cc, casework::deadlines_show));
    r.get("/templates", "templates.manage", with(cc, casework::templates_show));
    r.post("/templates/{id}", "templates.manage", with(cc, casework::template_save));
    r.post("/people/{id}/counselling", "counselling.assign", with(cc, casework::counsellor_save));
    r.get("/counselling", "counselling.write", with(cc, casework::counselling_show));
    r.get("/counselling/{id}", "counselling.write", with(cc, casework::compartment_show));
    r.post("/counselling/{id}/notes", "counselling.write", with(cc, casework::note_save));
    r.get("/volunteer", "signed-in", with(cc, casework::volunteer_show));
    r.post("/volunteer", "signed-in", with(cc, casework::volunteer_save));
    r.post("/people/{id}/requests", "requests.manage", with(cc, casework::request_save));
    r.get("/sites/{site}/requests", "requests.manage", with(cc, casework::requests_show));
    r.post("/requests/{id}/assign", "requests.manage", with(cc, casework::assign_save));
    r.get("/tasks", "signed-in", with(cc, casework::tasks_show));
    r.post("/tasks/{id}/done", "signed-in", with(cc, casework::task_done_save));
    r.get("/sites/{site}/dashboard", "dashboard.view", with(cc, casework::dashboard_show));
    r.get("/api/v1/templates", "cases.work", with(cc, casework::api_templates));
    r.add("PUT", "/api/v1/templates/{id}", "templates.manage", with(cc, casework::api_template_save));
    r.post("/api/v1/people/{id}/cases", "cases.work", with(cc, casework::api_case_open));
    r.get("/api/v1/people/{id}/cases", "cases.work", with(cc, casework::api_cases_of));
    r.get("/api/v1/cases/{id}", "cases.work", with(cc, casework::api_case));
    r.post("/api/v1/cases/{id}/steps/{step}", "cases.work", with(cc, casework::api_step_save));
    r.post("/api/v1/cases/{id}/documents/{doc}", "cases.work", with(cc, casework::api_document_save));
    r.post("/api/v1/cases/{id}/close", "cases.work", with(cc, casework::api_case_close));
    r.get("/api/v1/deadlines", "cases.work", with(cc, casework::api_deadlines));
    r.post("/api/v1/people/{id}/counselling", "counselling.assign", with(cc, casework::api_counsellor_save));
    r.get("/api/v1/people/{id}/counselling", "counselling.assign", with(cc, casework::api_compartments_of));
    r.get("/api/v1/counselling", "counselling.write", with(cc, casework::api_my_compartments));
    r.get("/api/v1/counselling/{id}/notes", "counselling.write", with(cc, casework::api_notes));
    r.post("/api/v1/counselling/{id}/notes", "counselling.write", with(cc, casework::api_note_save));
    r.get("/api/v1/me/volunteer", "signed-in", with(cc, casework::api_volunteer));
    r.add("PUT", "/api/v1/me/volunteer", "signed-in", with(cc, casework::api_volunteer_save));
    r.get("/api/v1/sites/{site}/volunteers", "requests.manage", with(cc, casework::api_volunteers));
    r.post("/api/v1/people/{id}/requests", "requests.manage", with(cc, casework::api_request_save));
    r.get("/api/v1/sites/{site}/requests", "requests.manage", with(cc, casework::api_requests));
    r.get("/api/v1/requests/{id}/suggestions", "requests.manage", with(cc, casework::api_suggestions));
    r.post("/api/v1/requests/{id}/assign", "requests.manage", with(cc, casework::api_assign));
    r.get("/api/v1/tasks", "signed-in", with(cc, casework::api_tasks));
    r.post("/api/v1/tasks/{id}/done", "signed-in", with(cc, casework::api_task_done));
    r.get("/api/v1/sites/{site}/dashboard", "dashboard.view", with(cc, casework::api_dashboard));

    // Spaces and bookings
    auto& sc = app.spaces_->context;
    r.get("/sites/{site}/spaces", "spaces.view", with(sc, spaces::spaces_show));
    r.post("/sites/{site}/spaces", "spaces.manage", with(sc, spaces::space_save));
    r.get("/spaces/{id}", "spaces.view", with(sc, spaces::space_show));
    r.post("/spaces/{id}/bookings", "bookings.make", with(sc, spaces::booking_save));
    r.post("/spaces/{id}/feed/rotate", "spaces.manage", with(sc, spaces::feed_rotate_save));
    r.post("/api/v1/spaces", "spaces.manage", with(sc, spaces::api_space_create));
    r.get("/api/v1/spaces/{id}", "spaces.view", with(sc, spaces::api_space));
    r.get("/api/v1/sites/{site}/spaces", "spaces.view", with(sc, spaces::api_spaces));
    r.post("/api/v1/bookings", "bookings.make", with(sc, spaces::api_booking_create));
    r.get("/api/v1/spaces/{id}/bookings", "spaces.view", with(sc, spaces::api_bookings));
    r.add("DELETE", "/api/v1/bookings/{id}", "bookings.make", with(sc, spaces::api_booking_cancel));
    r.post("/api/v1/spaces/{id}/feed/rotate", "spaces.manage", with(sc, spaces::api_feed_rotate));
    r.get("/feeds/spaces/{token}", "public", with(sc, spaces::feed_show));
    r.add("PUT", "/api/v1/spaces/{id}/opening-hours", "spaces.manage", with(sc, spaces::api_space_hours));
    r.post("/bookings/{id}/cancel", "bookings.make", with(sc, spaces::booking_cancel));

    // Desks, courses, events, occupancy, one's own calendar
    auto& ce = app.centre_->context;
    r.get("/sites/{site}/desks", "spaces.view", with(ce, centre::desks_show));
    r.post("/people/{id}/desk", "desks.manage", with(ce, centre::desk_allocate));
    r.post("/people/{id}/desk-waitlist", "desks.manage", with(ce, centre::desk_wait));
    r.post("/desk-allocations/{id}/release", "desks.manage", with(ce, centre::desk_release));
    r.post("/desk-waitlist/{id}/remove", "desks.manage", with(ce, centre::desk_unwait));
    r.get("/sites/{site}/courses", "courses.view", with(ce, centre::courses_show));
    r.post("/sites/{site}/courses", "courses.manage", with(ce, centre::course_save));
    r.get("/courses/{id}", "courses.view", with(ce, centre::course_show));
    r.post("/courses/{id}/sessions", "courses.manage", with(ce, centre::sessions_save));
    r.post("/courses/{id}/enrolments", "courses.manage", with(ce, centre::course_enrol_save));
    r.post("/people/{id}/courses", "courses.manage", with(ce, centre::enrolment_save));
    r.post("/course-enrolments/{id}/leave", "courses.manage", with(ce, centre::enrolment_leave));
    r.get("/course-enrolments/{id}/certificate", "courses.manage", with(ce, centre::certificate_show));
    r.get("/course-sessions/{id}", "attendance.take", with(ce, centre::attendance_show));
    r.post("/course-sessions/{id}", "attendance.take", with(ce, centre::attendance_save));
    r.get("/sites/{site}/events", "events.view", with(ce, centre::events_show));
    r.post("/sites/{site}/events", "events.manage", with(ce, centre::event_save));
    r.get("/events/{id}", "events.view", with(ce, centre::event_show)).with_camera();  // the door scans tickets
    r.post("/events/{id}/registrations", "events.manage", with(ce, centre::guest_save));
    r.post("/people/{id}/events", "events.manage", with(ce, centre::person_register));
    r.post("/registrations/{id}/cancel", "events.manage", with(ce, centre::guest_cancel));
    r.get("/registrations/{id}/ticket", "events.manage", with(ce, centre::guest_ticket));
    r.post("/events/{id}/check-in", "events.checkin", with(ce, centre::check_in_save)).with_camera();  // answers with the door form
    r.post("/events/{id}/headcount", "events.checkin", with(ce, centre::headcount_save));
    r.get("/sites/{site}/occupancy", "dashboard.view", with(ce, centre::occupancy_show));
    r.get("/account/feed", "signed-in", with(ce, centre::own_feed_show));
    r.post("/account/feed", "signed-in", with(ce, centre::own_feed_save));
    r.post("/account/feed/rotate", "signed-in", with(ce, centre::own_feed_rotate));
    r.get("/feeds/people/{token}", "public", with(ce, centre::feed_show));
    r.get("/api/v1/sites/{site}/desks", "spaces.view", with(ce, centre::api_desks));
    r.post("/api/v1/desks/{id}/allocations", "desks.manage", with(ce, centre::api_desk_allocate));
    r.add("DELETE", "/api/v1/desk-allocations/{id}", "desks.manage", with(ce, centre::api_desk_release));
    r.post("/api/v1/desk-waitlist", "desks.manage", with(ce, centre::api_desk_wait));
    r.add("DELETE", "/api/v1/desk-waitlist/{id}", "desks.manage", with(ce, centre::api_desk_unwait));
    r.post("/api/v1/courses", "courses.manage", with(ce, centre::api_course_create));
    r.get("/api/v1/courses/{id}", "courses.view", with(ce, centre::api_course));
    r.get("/api/v1/sites/{site}/courses", "courses.view", with(ce, centre::api_courses));
    r.post("/api/v1/courses/{id}/sessions", "courses.manage", with(ce, centre::api_sessions_add));
    r.get("/api/v1/courses/{id}/enrolments", "courses.view", with(ce, centre::api_enrolments));
    r.post("/api/v1/courses/{id}/enrolments", "courses.manage", with(ce, centre::api_enrol));
    r.add("DELETE", "/api/v1/course-enrolments/{id}", "courses.manage", with(ce, centre::api_leave));
    r.add("PUT", "/api/v1/course-sessions/{id}/attendance", "attendance.take", with(ce, centre::api_attendance));
    r.post("/api/v1/events", "events.manage", with(ce, centre::api_event_create));
    r.get("/api/v1/events/{id}", "events.view", with(ce, centre::api_event));
    r.get("/api/v1/sites/{site}/events", "events.view", with(ce, centre::api_events));
    r.post("/api/v1/events/{id}/registrations", "events.manage", with(ce, centre::api_register));
    r.get("/api/v1/events/{id}/registrations", "events.view", with(ce, centre::api_registrations));
    r.add("DELETE", "/api/v1/registrations/{id}", "events.manage", with(ce, centre::api_unregister));
    r.post("/api/v1/events/{id}/check-in", "events.checkin", with(ce, centre::api_check_in));
    r.post("/api/v1/events/{id}/headcount", "events.checkin", with(ce, centre::api_headcount));
    r.get("/api/v1/sites/{site}/occupancy", "dashboard.view", with(ce, centre::api_occupancy));
    r.get("/api/v1/account/feed", "signed-in", with(ce, centre::api_own_feed));
    r.add("PUT", "/api/v1/account/feed", "signed-in", with(ce, centre::api_own_feed));
    r.post("/api/v1/account/feed/rotate", "signed-in", with(ce, centre::api_own_feed_rotate));

    // Prisoner support (issue 18): the registry, the writers' letters and the legal-aid funds' ledger. A writer's
    // routes answer only about their own letters ("signed-in" ones check writer or prisoner support in the service);
    // no route names a donor or a payee, nor puts a searched name in a URL.
    auto& fc = app.prisoners_->context;
    r.get("/prisoners", "signed-in", with(fc, prisoners::prisoners_home));
    r.get("/sites/{site}/prisoners", "prisoners.view", with(fc, prisoners::prisoners_show));
    r.post("/sites/{site}/prisoners", "prisoners.manage", with(fc, prisoners::prisoner_create));
    r.post("/sites/{site}/prisoners/search", "prisoners.view", with(fc, prisoners::prisoner_search));
    r.post("/sites/{site}/prisoners/import", "prisoners.manage", with(fc, prisoners::prisoner_import)).takes_body(upload);
    r.get("/sites/{site}/prisoners/calendar", "prisoners.view", with(fc, prisoners::calendar_show));
    r.get("/sites/{site}/prisoners/figures", "prisoners.figures", with(fc, prisoners::figures_show));
    r.get("/prisoners/{id}", "prisoners.view", with(fc, prisoners::prisoner_show));
    r.post("/prisoners/{id}", "prisoners.manage", with(fc, prisoners::prisoner_update));
    r.post("/prisoners/{id}/transfer", "prisoners.manage", with(fc, prisoners::transfer_save));
    r.post("/prisoners/{id}/approvals", "prisoners.manage", with(fc, prisoners::approvals_save));
    r.post("/prisoners/{id}/letters", "prisoners.manage", with(fc, prisoners::handwritten_save));
    r.get("/sites/{site}/institutions", "prisoners.view", with(fc, prisoners::institutions_show));
    r.post("/sites/{site}/institutions", "prisoners.manage", with(fc, prisoners::institution_save));
    r.get("/sites/{site}/censor", "prisoners.manage", with(fc, prisoners::censor_show));
    r.post("/sites/{site}/censor", "prisoners.manage", with(fc, prisoners::censor_save));
    r.get("/sites/{site}/letters", "prisoners.manage", with(fc, prisoners::site_letters_show));
    r.get("/sites/{site}/letters/batch", "prisoners.manage", with(fc, prisoners::batch_show));
    r.post("/sites/{site}/letters/batch", "prisoners.manage", with(fc, prisoners::batch_sent_save));
    r.get("/write", "letters.write", with(fc, prisoners::write_show));
    r.post("/write/profile", "letters.write", with(fc, prisoners::writer_save));
    r.post("/write/ask", "letters.write", with(fc, prisoners::ask_save));
    r.get("/letters/{id}", "signed-in", with(fc, prisoners::letter_show));
    r.post("/letters/{id}", "letters.write", with(fc, prisoners::letter_save));
    r.post("/letters/{id}/hand-in", "letters.write", with(fc, prisoners::hand_in_save));
    r.post("/letters/{id}/again", "letters.write", with(fc, prisoners::again_save));
    r.post("/letters/{id}/send", "prisoners.manage", with(fc, prisoners::send_save));
    r.post("/letters/{id}/outcome", "prisoners.manage", with(fc, prisoners::outcome_save));
    r.post("/letters/{id}/reply", "prisoners.manage", with(fc, prisoners::reply_save)).takes_body(upload);
    r.get("/letters/{id}/scans/{number}", "letters.write", with(fc, prisoners::scan_show));
    r.get("/api/v1/sites/{site}/prisoners", "prisoners.view", with(fc, prisoners::api_prisoners));
    r.post("/api/v1/sites/{site}/prisoners", "prisoners.manage", with(fc, prisoners::api_prisoner_create));
    r.post("/api/v1/sites/{site}/prisoners/search", "prisoners.view", with(fc, prisoners::api_prisoner_search));
    r.post("/api/v1/sites/{site}/prisoners/import", "prisoners.manage", with(fc, prisoners::api_prisoner_import)).takes_body(upload);
    r.get("/api/v1/sites/{site}/prisoners/calendar", "prisoners.view", with(fc, prisoners::api_calendar));
    r.get("/api/v1/sites/{site}/prisoners/figures", "prisoners.figures", with(fc, prisoners::api_figures));
    r.get("/api/v1/prisoners/{id}", "prisoners.view", with(fc, prisoners::api_prisoner));
    r.add("PUT", "/api/v1/prisoners/{id}", "prisoners.manage", with(fc, prisoners::api_prisoner_update));
    r.post("/api/v1/prisoners/{id}/transfer", "prisoners.manage", with(fc, prisoners::api_transfer));
    r.add("PUT", "/api/v1/prisoners/{id}/approvals", "prisoners.manage", with(fc, prisoners::api_approvals));
    r.get("/api/v1/prisoners/{id}/letters", "prisoners.manage", with(fc, prisoners::api_prisoner_letters));
    r.post("/api/v1/prisoners/{id}/letters", "prisoners.manage", with(fc, prisoners::api_handwritten));
    r.get("/api/v1/sites/{site}/institutions", "prisoners.view", with(fc, prisoners::api_institutions));
    r.post("/api/v1/sites/{site}/institutions", "prisoners.manage", with(fc, prisoners::api_institution_create));
    r.get("/api/v1/sites/{site}/writers", "prisoners.manage", with(fc, prisoners::api_writers));
    r.get("/api/v1/sites/{site}/writer", "letters.write", with(fc, prisoners::api_writer));
    r.add("PUT", "/api/v1/sites/{site}/writer", "letters.write", with(fc, prisoners::api_writer_save));
    r.post("/api/v1/sites/{site}/letters/ask", "letters.write", with(fc, prisoners::api_ask));
    r.get("/api/v1/sites/{site}/letters/mine", "letters.write", with(fc, prisoners::api_my_letters));
    r.get("/api/v1/sites/{site}/letters", "prisoners.manage", with(fc, prisoners::api_site_letters));
    r.get("/api/v1/letters/{id}", "signed-in", with(fc, prisoners::api_letter));
    r.add("PUT", "/api/v1/letters/{id}", "letters.write", with(fc, prisoners::api_letter_save));
    r.get("/api/v1/letters/{id}/prisoner", "signed-in", with(fc, prisoners::api_letter_prisoner));
    r.post("/api/v1/letters/{id}/hand-in", "letters.write", with(fc, prisoners::api_hand_in));
    r.post("/api/v1/letters/{id}/again", "letters.write", with(fc, prisoners::api_again));
    r.post("/api/v1/letters/{id}/send", "prisoners.manage", with(fc, prisoners::api_send));
    r.post("/api/v1/letters/{id}/outcome", "prisoners.manage", with(fc, prisoners::api_outcome));
    r.post("/api/v1/letters/{id}/replies", "prisoners.manage", with(fc, prisoners::api_reply_create)).takes_body(upload);
    r.get("/api/v1/letters/{id}/replies", "letters.write", with(fc, prisoners::api_replies));
    r.get("/api/v1/sites/{site}/censor-rules", "signed-in", with(fc, prisoners::api_censor_rules));
    r.add("PUT", "/api/v1/sites/{site}/censor-rules", "prisoners.manage", with(fc, prisoners::api_censor_rules_save));
    r.post("/api/v1/sites/{site}/censor-check", "signed-in", with(fc, prisoners::api_censor_check));
    r.get("/funds", "funds.view", with(fc, prisoners::funds_home));
    r.get("/sites/{site}/funds", "funds.view", with(fc, prisoners::funds_show));
    r.post("/sites/{site}/funds", "funds.manage", with(fc, prisoners::fund_save));
    r.get("/funds/{id}", "funds.view", with(fc, prisoners::fund_show));
    r.post("/funds/{id}/donations", "funds.manage", with(fc, prisoners::donation_save));
    r.post("/funds/{id}/disbursements", "funds.manage", with(fc, prisoners::disbursement_save));
    r.post("/funds/{id}/entries/{number}/reverse", "funds.manage", with(fc, prisoners::reversal_save));
    r.post("/api/v1/sites/{site}/funds", "funds.manage", with(fc, prisoners::api_fund_create));
    r.get("/api/v1/sites/{site}/funds", "funds.view", with(fc, prisoners::api_funds));
    r.get("/api/v1/funds/{id}", "funds.view", with(fc, prisoners::api_fund));
    r.post("/api/v1/funds/{id}/donations", "funds.manage", with(fc, prisoners::api_donation));
    r.post("/api/v1/funds/{id}/disbursements", "funds.manage", with(fc, prisoners::api_disbursement));
    r.post("/api/v1/funds/{id}/entries/{number}/reverse", "funds.manage", with(fc, prisoners::api_reversal));
    r.get("/api/v1/funds/{id}/ledger.csv", "funds.view", with(fc, prisoners::api_ledger_csv));
    r.get("/api/v1/funds/{id}/entries", "funds.view", with(fc, prisoners::api_entries));
    r.get("/api/v1/funds/{id}/entries/{number}/party", "funds.manage", with(fc, prisoners::api_party));
    r.add("DELETE", "/api/v1/funds/{id}/entries/{number}/party", "funds.manage", with(fc, prisoners::api_party_erase));

    // Reports for funders (issue 19): an editor prepares, an administrator other than the editor releases; every
    // figure has passed disclosure control (reports/disclosure.hpp); downloads are for released reports only. A
    // report covers sites: every route's service checks the caller's right at each of them.
    auto& rc = app.reports_->context;
    r.get("/reports", "reports.view", with(rc, reports::reports_show));
    r.post("/reports", "reports.prepare", with(rc, reports::report_prepare));
    r.get("/reports/{id}", "reports.view", with(rc, reports::report_show));
    r.get("/reports/{id}/charts/{number}", "reports.view", with(rc, reports::report_chart));
    r.post("/reports/{id}/release", "reports.release", with(rc, reports::report_release));
    r.post("/reports/{id}/discard", "reports.view", with(rc, reports::report_discard));
    r.get("/reports/{id}/csv", "reports.view", with(rc, reports::report_csv));
    r.get("/reports/{id}/xlsx", "reports.view", with(rc, reports::report_xlsx));
    r.get("/reports/{id}/pdf", "reports.view", with(rc, reports::report_pdf));
    r.get("/api/v1/reports", "reports.view", with(rc, reports::api_reports));
    r.post("/api/v1/reports", "reports.prepare", with(rc, reports::api_report_prepare));
    r.get("/api/v1/reports/{id}", "reports.view", with(rc, reports::api_report));
    r.post("/api/v1/reports/{id}/release", "reports.release", with(rc, reports::api_report_release));
    r.post("/api/v1/reports/{id}/discard", "reports.view", with(rc, reports::api_report_discard));
    // Funders and grants: what is due shows ahead of time; a grant's targets meet its released reports.
    r.get("/grants", "grants.view", with(rc, reports::grants_home));
    r.get("/sites/{site}/grants", "grants.view", with(rc, reports::grants_show));
    r.post("/sites/{site}/funders", "grants.manage", with(rc, reports::funder_save));
    r.post("/sites/{site}/grants", "grants.manage", with(rc, reports::grant_create));
    r.get("/grants/{id}", "grants.view", with(rc, reports::grant_show));
    r.post("/grants/{id}", "grants.manage", with(rc, reports::grant_update));
    r.post("/grants/{id}/tranches", "grants.manage", with(rc, reports::tranche_add));
    r.post("/grants/{id}/deadlines", "grants.manage", with(rc, reports::deadline_add));
    r.post("/grants/{id}/tranches/{number}/received", "grants.manage", with(rc, reports::tranche_received));
    r.post("/grants/{id}/deadlines/{number}/done", "grants.manage", with(rc, reports::deadline_done));
    r.get("/api/v1/sites/{site}/funders", "grants.view", with(rc, reports::api_funders));
    r.post("/api/v1/sites/{site}/funders", "grants.manage", with(rc, reports::api_funder_create));
    r.get("/api/v1/sites/{site}/grants", "grants.view", with(rc, reports::api_grants));
    r.post("/api/v1/sites/{site}/grants", "grants.manage", with(rc, reports::api_grant_create));
    r.get("/api/v1/grants/{id}", "grants.view", with(rc, reports::api_grant));
    r.add("PUT", "/api/v1/grants/{id}", "grants.manage", with(rc, reports::api_grant_update));
    r.get("/api/v1/sites/{site}/due", "grants.view", with(rc, reports::api_due));

    // The emergency network: operators, then members' devices (docs/EMERGENCY.md). It needs no vault key and holds
    // nothing readable, so it keeps serving through a panic seal, when it is needed most. What in it does need the
    // vault — a doorbell's sealed address, an operator's change (written to the signed audit log) — answers 503
    // "sealed" itself.
    auto& nc = app.network_->context;
    r.post("/api/v1/network/enrolments", "network.operate", with(nc, network::api_enrolment)).while_sealed();
    r.get("/api/v1/network/enrolments", "network.operate", with(nc, network::api_codes)).while_sealed();
    r.add("DELETE", "/api/v1/network/enrolments/{id}", "network.operate", with(nc, network::api_code_revoke)).while_sealed();
    r.add("PUT", "/api/v1/network/enrolments/{id}/lists", "network.operate", with(nc, network::api_code_lists)).while_sealed();
    r.get("/api/v1/network/members", "network.operate", with(nc, network::api_members)).while_sealed();
    r.post("/api/v1/network/members/{id}/revoke", "network.operate", with(nc, network::api_member_revoke)).while_sealed();
    r.get("/api/v1/network/inbox", "network.operate", with(nc, network::api_inbox)).while_sealed();
    r.add("DELETE", "/api/v1/network/inbox/{id}", "network.operate", with(nc, network::api_inbox_drop)).while_sealed();
    r.get("/api/v1/network/roster", "network.operate", with(nc, network::api_roster)).while_sealed();
    r.add("PUT", "/api/v1/network/roster", "network.operate", with(nc, network::api_roster_put)).takes_body(upload).while_sealed();
    r.post("/api/v1/network/activations", "network.operate", with(nc, network::api_activation_create)).while_sealed();
    r.post("/api/v1/network/activations/{id}/wraps", "network.operate", with(nc, network::api_wraps_add)).takes_body(upload).while_sealed();
    r.post("/api/v1/network/activations/{id}/publish", "network.operate", with(nc, network::api_publish)).while_sealed();
    r.get("/api/v1/network/activations/{id}/state", "network.operate", with(nc, network::api_state)).while_sealed();
    r.get("/api/v1/network/activations/{id}/acks", "network.operate", with(nc, network::api_acks)).while_sealed();
    r.get("/api/v1/network/doorbells/queues", "network.operate", with(nc, network::api_queues)).while_sealed();
    r.post("/api/v1/network/doorbells", "public", with(nc, network::api_doorbell)).while_sealed();
    r.add("DELETE", "/api/v1/network/doorbells/{id}", "public", with(nc, network::api_doorbell_drop)).while_sealed();
    r.get("/api/v1/network/push-key", "public", with(nc, network::api_push_key)).while_sealed();
    r.get("/network/app", "public", with(nc, network::member_app)).while_sealed().with_wasm_and_camera();
    r.post("/api/v1/network/enrolment-keys", "public", with(nc, network::api_enrolment_keys)).while_sealed();
    r.post("/api/v1/network/members", "public", with(nc, network::api_register)).while_sealed();
    r.add("PUT", "/api/v1/network/members/{id}/prekey", "public", with(nc, network::api_prekey)).while_sealed();
    r.add("DELETE", "/api/v1/network/members/{id}", "public", with(nc, network::api_member_leave)).while_sealed();
    r.get("/api/v1/network/activations", "public", with(nc, network::api_activations)).while_sealed();
    r.get("/api/v1/network/activations/{id}", "public", with(nc, network::api_body)).while_sealed();
    r.get("/api/v1/network/activations/{id}/wraps/{locator}", "public", with(nc, network::api_wrap)).while_sealed();
    r.post("/api/v1/network/activations/{id}/acks", "public", with(nc, network::api_ack)).while_sealed();

    // JSON API
    r.post("/api/v1/auth/login", "public", with(ac, accounts::api_login));
    r.post("/api/v1/auth/logout", "signed-in", with(ac, accounts::api_logout));
    r.get("/api/v1/me", "signed-in", with(ac, accounts::api_me));
    r.get("/api/v1/me/contact", "signed-in", with(ac, accounts::api_contact));
    r.post("/api/v1/me/contact", "signed-in", with(ac, accounts::api_contact_save));
    r.get("/api/v1/sites", "signed-in", with(ac, accounts::api_sites));
    r.post("/api/v1/sites", "sites.manage", with(ac, accounts::api_site_create));
    r.get("/api/v1/sites/{site}/accounts", "accounts.view", with(ac, accounts::api_site_accounts));
    r.post("/api/v1/sites/{site}/accounts", "accounts.manage", with(ac, accounts::api_invite));
    r.post("/api/v1/sites/{site}/accounts/{id}/status", "accounts.manage", with(ac, accounts::api_account_status));

    // Test-only (config test-routes = true): the durability probe of the crash test and benchmarks.
    if (app.config_.test_routes) {
        r.post("/api/v1/test/writes", "public", [&db, &clock](http::Request& q) { return system::probe_save(q, db, clock); });
        r.get("/api/v1/test/writes/{id}", "public", [&db](http::Request& q) { return system::probe_show(q, db); });
    }
}

}  // namespace haven
