// The authorization matrix: every route × every role (and anonymous, and a suspended account) × own
// site and another site → allowed or denied, as this hand-written table says. A route missing from the
// table fails the test, so no URL ships without someone deciding who may call it.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include "app/app.hpp"
#include "support/accounts.hpp"
#include "support/app_fixture.hpp"
#include "support/engines.hpp"
#include "support/http_client.hpp"

namespace haven {
namespace {

using enum Role;

// Who may call each route. "public": everyone; "signed-in": any active account; otherwise the roles
// that may, at their own site only when the URL has a {site}.
struct Rule {
    bool is_public = false;
    bool signed_in = false;
    std::set<Role> roles;
};
const Rule anyone{true, false, {}};
const Rule member{false, true, {}};
Rule only(std::set<Role> roles) { return Rule{false, false, std::move(roles)}; }

const std::map<std::string, Rule>& expected() {
    static const std::map<std::string, Rule> table = {
        {"GET /healthz", anyone},
        {"GET /metrics", only({})},  // the holder of DATA/metrics-token only, whatever the role
        {"GET /assets/{file}", anyone},
        {"GET /api/v1/openapi.json", anyone},
        {"GET /", anyone},
        {"POST /language", anyone},
        {"GET /login", anyone},
        {"POST /login", anyone},
        {"POST /logout", member},
        {"GET /enrol/{token}", anyone},
        {"POST /enrol/{token}", anyone},
        {"POST /enrol/{token}/code", anyone},
        {"GET /account", member},
        {"POST /account/contact", member},
        {"POST /account/sessions/{id}/revoke", member},
        {"POST /account/sessions/revoke-all", member},
        {"GET /sites", member},
        {"POST /sites", only({administrator})},
        {"GET /sites/{site}/accounts", only({administrator, coordinator})},
        {"POST /sites/{site}/accounts", only({administrator})},
        {"POST /sites/{site}/accounts/{id}/roles", only({administrator})},
        {"POST /sites/{site}/accounts/{id}/status", only({administrator})},
        {"GET /audit", only({administrator})},
        {"GET /unseal", anyone},
        {"POST /unseal", anyone},
        {"POST /seal", only({administrator})},
        {"POST /api/v1/vault/unseal", anyone},
        {"POST /api/v1/vault/seal", anyone},    // anyone holding DATA/seal-token, which this test sends
        {"POST /api/v1/vault/rotate", anyone},  // likewise
        {"POST /api/v1/vault/backup", anyone},  // likewise
        {"POST /api/v1/auth/login", anyone},
        {"POST /api/v1/auth/logout", member},
        {"GET /api/v1/me", member},
        {"GET /api/v1/me/contact", member},
        {"POST /api/v1/me/contact", member},
        {"GET /api/v1/sites", member},
        {"POST /api/v1/sites", only({administrator})},
        {"GET /api/v1/sites/{site}/accounts", only({administrator, coordinator})},
        {"POST /api/v1/sites/{site}/accounts", only({administrator})},
        {"POST /api/v1/sites/{site}/accounts/{id}/status", only({administrator})},
        {"GET /people", only({administrator, coordinator, legal_adviser, counsellor})},
        {"GET /sites/{site}/people", only({administrator, coordinator, legal_adviser, counsellor})},
        {"POST /sites/{site}/people/search", only({administrator, coordinator, legal_adviser, counsellor})},
        {"GET /sites/{site}/people/new", only({administrator, coordinator})},
        {"POST /sites/{site}/people", only({administrator, coordinator})},
        {"GET /sites/{site}/people/retention", only({administrator, coordinator})},
        {"GET /sites/{site}/people/import", only({administrator, coordinator})},
        {"POST /sites/{site}/people/import/preview", only({administrator, coordinator})},
        {"POST /sites/{site}/people/import", only({administrator, coordinator})},
        {"GET /sites/{site}/people/import/{id}", only({administrator, coordinator})},
        {"GET /sites/{site}/people/export", only({administrator, coordinator})},
        {"POST /sites/{site}/people/export", only({administrator, coordinator})},
        {"GET /people/{id}", only({administrator, coordinator, legal_adviser, counsellor})},
        {"POST /people/{id}", only({administrator, coordinator})},
        {"GET /people/{id}/edit", only({administrator, coordinator})},
        {"POST /people/{id}/consents", only({administrator, coordinator})},
        {"POST /people/{id}/erase", only({administrator, coordinator})},
        {"POST /api/v1/people", only({administrator, coordinator})},
        {"GET /api/v1/people", only({administrator, coordinator, legal_adviser, counsellor})},
        {"GET /api/v1/people/{id}", only({administrator, coordinator, legal_adviser, counsellor})},
        {"PUT /api/v1/people/{id}", only({administrator, coordinator})},
        {"DELETE /api/v1/people/{id}", only({administrator, coordinator})},
        {"GET /api/v1/people/{id}/consents", only({administrator, coordinator, legal_adviser, counsellor})},
        {"POST /api/v1/people/{id}/consents", only({administrator, coordinator})},
        {"GET /api/v1/sites/{site}/people/retention", only({administrator, coordinator})},
        {"POST /api/v1/sites/{site}/people/import", only({administrator, coordinator})},
        {"GET /api/v1/sites/{site}/people/export", only({administrator, coordinator})},
        {"POST /people/{id}/cases", only({administrator, coordinator, legal_adviser})},
        {"GET /cases/{id}", only({administrator, coordinator, legal_adviser})},
        {"POST /cases/{id}/steps/{step}", only({administrator, coordinator, legal_adviser})},
        {"POST /cases/{id}/documents/{doc}", only({administrator, coordinator, legal_adviser})},
        {"POST /cases/{id}/close", only({administrator, coordinator, legal_adviser})},
        {"GET /deadlines", only({administrator, coordinator, legal_adviser})},
        {"GET /templates", only({administrator})},
        {"POST /templates/{id}", only({administrator})},
        {"POST /people/{id}/counselling", only({administrator, coordinator})},
        {"GET /counselling", only({counsellor})},
        {"GET /counselling/{id}", only({counsellor})},
        {"POST /counselling/{id}/notes", only({counsellor})},
        {"GET /volunteer", member},
        {"POST /volunteer", member},
        {"POST /people/{id}/requests", only({administrator, coordinator})},
        {"GET /sites/{site}/requests", only({administrator, coordinator})},
        {"POST /requests/{id}/assign", only({administrator, coordinator})},
        {"GET /tasks", member},
        {"POST /tasks/{id}/done", member},
        {"GET /sites/{site}/dashboard", only({administrator, coordinator})},
        {"GET /api/v1/templates", only({administrator, coordinator, legal_adviser})},
        {"PUT /api/v1/templates/{id}", only({administrator})},
        {"POST /api/v1/people/{id}/cases", only({administrator, coordinator, legal_adviser})},
        {"GET /api/v1/people/{id}/cases", only({administrator, coordinator, legal_adviser})},
        {"GET /api/v1/cases/{id}", only({administrator, coordinator, legal_adviser})},
        {"POST /api/v1/cases/{id}/steps/{step}", only({administrator, coordinator, legal_adviser})},
        {"POST /api/v1/cases/{id}/documents/{doc}", only({administrator, coordinator, legal_adviser})},
        {"POST /api/v1/cases/{id}/close", only({administrator, coordinator, legal_adviser})},
        {"GET /api/v1/deadlines", only({administrator, coordinator, legal_adviser})},
        {"POST /api/v1/people/{id}/counselling", only({administrator, coordinator})},
        {"GET /api/v1/people/{id}/counselling", only({administrator, coordinator})},
        {"GET /api/v1/counselling", only({counsellor})},
        {"GET /api/v1/counselling/{id}/notes", only({counsellor})},
        {"POST /api/v1/counselling/{id}/notes", only({counsellor})},
        {"GET /api/v1/me/volunteer", member},
        {"PUT /api/v1/me/volunteer", member},
        {"GET /api/v1/sites/{site}/volunteers", only({administrator, coordinator})},
        {"POST /api/v1/people/{id}/requests", only({administrator, coordinator})},
        {"GET /api/v1/sites/{site}/requests", only({administrator, coordinator})},
        {"GET /api/v1/requests/{id}/suggestions", only({administrator, coordinator})},
        {"POST /api/v1/requests/{id}/assign", only({administrator, coordinator})},
        {"GET /api/v1/tasks", member},
        {"POST /api/v1/tasks/{id}/done", member},
        {"GET /api/v1/sites/{site}/dashboard", only({administrator, coordinator})},
        {"GET /sites/{site}/spaces", only({administrator, coordinator, volunteer, legal_adviser, counsellor, teacher, studio_technician,
                                           emergency_operator, prisoner_support, report_editor})},
        {"GET /spaces/{id}", only({administrator, coordinator, volunteer, legal_adviser, counsellor, teacher, studio_technician, emergency_operator,
                                   prisoner_support, report_editor})},
        {"POST /spaces/{id}/bookings", only({administrator, coordinator, legal_adviser, counsellor, teacher, studio_technician})},
        {"POST /spaces/{id}/feed/rotate", only({administrator, coordinator, studio_technician})},
        {"POST /api/v1/spaces", only({administrator, coordinator, studio_technician})},
        {"POST /sites/{site}/spaces", only({administrator, coordinator, studio_technician})},
        {"GET /api/v1/spaces/{id}", only({administrator, coordinator, volunteer, legal_adviser, counsellor, teacher, studio_technician,
                                          emergency_operator, prisoner_support, report_editor})},
        {"GET /api/v1/sites/{site}/spaces", only({administrator, coordinator, volunteer, legal_adviser, counsellor, teacher, studio_technician,
                                                  emergency_operator, prisoner_support, report_editor})},
        {"POST /api/v1/bookings", only({administrator, coordinator, legal_adviser, counsellor, teacher, studio_technician})},
        {"GET /api/v1/spaces/{id}/bookings", only({administrator, coordinator, volunteer, legal_adviser, counsellor, teacher, studio_technician,
                                                   emergency_operator, prisoner_support, report_editor})},
        {"DELETE /api/v1/bookings/{id}", only({administrator, coordinator, legal_adviser, counsellor, teacher, studio_technician})},
        {"POST /api/v1/spaces/{id}/feed/rotate", only({administrator, coordinator, studio_technician})},
        {"GET /feeds/spaces/{token}", anyone},  // the token is the key; a wrong one gets 404
        {"PUT /api/v1/spaces/{id}/opening-hours", only({administrator, coordinator, studio_technician})},
        {"POST /bookings/{id}/cancel", only({administrator, coordinator, legal_adviser, counsellor, teacher, studio_technician})},
        {"GET /sites/{site}/desks", only({administrator, coordinator, volunteer, legal_adviser, counsellor, teacher, studio_technician,
                                          emergency_operator, prisoner_support, report_editor})},
        {"POST /people/{id}/desk", only({administrator, coordinator})},
        {"POST /people/{id}/desk-waitlist", only({administrator, coordinator})},
        {"POST /desk-allocations/{id}/release", only({administrator, coordinator})},
        {"POST /desk-waitlist/{id}/remove", only({administrator, coordinator})},
        {"GET /sites/{site}/courses", only({administrator, coordinator, teacher})},
        {"POST /sites/{site}/courses", only({administrator, coordinator})},
        {"GET /courses/{id}", only({administrator, coordinator, teacher})},
        {"POST /courses/{id}/sessions", only({administrator, coordinator})},
        {"POST /courses/{id}/enrolments", only({administrator, coordinator})},
        {"POST /people/{id}/courses", only({administrator, coordinator})},
        {"POST /course-enrolments/{id}/leave", only({administrator, coordinator})},
        {"GET /course-enrolments/{id}/certificate", only({administrator, coordinator})},
        {"GET /course-sessions/{id}", only({administrator, coordinator, teacher})},
        {"POST /course-sessions/{id}", only({administrator, coordinator, teacher})},
        {"GET /sites/{site}/events",
         only({administrator, coordinator, volunteer, legal_adviser, counsellor, teacher, studio_technician, report_editor})},
        {"POST /sites/{site}/events", only({administrator, coordinator})},
        {"GET /events/{id}", only({administrator, coordinator, volunteer, legal_adviser, counsellor, teacher, studio_technician, report_editor})},
        {"POST /events/{id}/registrations", only({administrator, coordinator})},
        {"POST /people/{id}/events", only({administrator, coordinator})},
        {"POST /registrations/{id}/cancel", only({administrator, coordinator})},
        {"GET /registrations/{id}/ticket", only({administrator, coordinator})},
        {"POST /events/{id}/check-in", only({administrator, coordinator, volunteer})},
        {"POST /events/{id}/headcount", only({administrator, coordinator, volunteer})},
        {"GET /sites/{site}/occupancy", only({administrator, coordinator})},
        {"GET /account/feed", member},
        {"POST /account/feed", member},
        {"POST /account/feed/rotate", member},
        {"GET /feeds/people/{token}", anyone},
        {"GET /api/v1/sites/{site}/desks", only({administrator, coordinator, volunteer, legal_adviser, counsellor, teacher, studio_technician,
                                                 emergency_operator, prisoner_support, report_editor})},
        {"POST /api/v1/desks/{id}/allocations", only({administrator, coordinator})},
        {"DELETE /api/v1/desk-allocations/{id}", only({administrator, coordinator})},
        {"POST /api/v1/desk-waitlist", only({administrator, coordinator})},
        {"DELETE /api/v1/desk-waitlist/{id}", only({administrator, coordinator})},
        {"POST /api/v1/courses", only({administrator, coordinator})},
        {"GET /api/v1/courses/{id}", only({administrator, coordinator, teacher})},
        {"GET /api/v1/sites/{site}/courses", only({administrator, coordinator, teacher})},
        {"POST /api/v1/courses/{id}/sessions", only({administrator, coordinator})},
        {"GET /api/v1/courses/{id}/enrolments", only({administrator, coordinator, teacher})},
        {"POST /api/v1/courses/{id}/enrolments", only({administrator, coordinator})},
        {"DELETE /api/v1/course-enrolments/{id}", only({administrator, coordinator})},
        {"PUT /api/v1/course-sessions/{id}/attendance", only({administrator, coordinator, teacher})},
        {"POST /api/v1/events", only({administrator, coordinator})},
        {"GET /api/v1/events/{id}",
         only({administrator, coordinator, volunteer, legal_adviser, counsellor, teacher, studio_technician, report_editor})},
        {"GET /api/v1/sites/{site}/events",
         only({administrator, coordinator, volunteer, legal_adviser, counsellor, teacher, studio_technician, report_editor})},
        {"POST /api/v1/events/{id}/registrations", only({administrator, coordinator})},
        {"GET /api/v1/events/{id}/registrations",
         only({administrator, coordinator, volunteer, legal_adviser, counsellor, teacher, studio_technician, report_editor})},
        {"DELETE /api/v1/registrations/{id}", only({administrator, coordinator})},
        {"POST /api/v1/events/{id}/check-in", only({administrator, coordinator, volunteer})},
        {"POST /api/v1/events/{id}/headcount", only({administrator, coordinator, volunteer})},
        {"GET /api/v1/sites/{site}/occupancy", only({administrator, coordinator})},
        {"GET /api/v1/account/feed", member},
        {"PUT /api/v1/account/feed", member},
        {"POST /api/v1/account/feed/rotate", member},
        {"GET /prisoners", only({administrator, prisoner_support, writer})},
        {"GET /sites/{site}/prisoners", only({administrator, prisoner_support})},
        {"POST /sites/{site}/prisoners", only({prisoner_support})},
        {"POST /sites/{site}/prisoners/search", only({administrator, prisoner_support})},
        {"POST /sites/{site}/prisoners/import", only({prisoner_support})},
        {"GET /sites/{site}/prisoners/calendar", only({administrator, prisoner_support})},
        {"GET /sites/{site}/prisoners/figures", only({administrator, prisoner_support})},
        {"GET /prisoners/{id}", only({administrator, prisoner_support})},
        {"POST /prisoners/{id}", only({prisoner_support})},
        {"POST /prisoners/{id}/transfer", only({prisoner_support})},
        {"POST /prisoners/{id}/approvals", only({prisoner_support})},
        {"POST /prisoners/{id}/letters", only({prisoner_support})},
        {"GET /sites/{site}/institutions", only({administrator, prisoner_support})},
        {"POST /sites/{site}/institutions", only({prisoner_support})},
        {"GET /sites/{site}/censor", only({prisoner_support})},
        {"POST /sites/{site}/censor", only({prisoner_support})},
        {"GET /sites/{site}/letters", only({prisoner_support})},
        {"GET /sites/{site}/letters/batch", only({prisoner_support})},
        {"POST /sites/{site}/letters/batch", only({prisoner_support})},
        {"GET /write", only({writer})},
        {"POST /write/profile", only({writer})},
        {"POST /write/ask", only({writer})},
        {"GET /letters/{id}", member},
        {"POST /letters/{id}", only({writer})},
        {"POST /letters/{id}/hand-in", only({writer})},
        {"POST /letters/{id}/again", only({writer})},
        {"POST /letters/{id}/send", only({prisoner_support})},
        {"POST /letters/{id}/outcome", only({prisoner_support})},
        {"POST /letters/{id}/reply", only({prisoner_support})},
        {"GET /letters/{id}/scans/{number}", only({writer})},
        {"GET /api/v1/sites/{site}/prisoners", only({administrator, prisoner_support})},
        {"POST /api/v1/sites/{site}/prisoners", only({prisoner_support})},
        {"POST /api/v1/sites/{site}/prisoners/search", only({administrator, prisoner_support})},
        {"POST /api/v1/sites/{site}/prisoners/import", only({prisoner_support})},
        {"GET /api/v1/sites/{site}/prisoners/calendar", only({administrator, prisoner_support})},
        {"GET /api/v1/sites/{site}/prisoners/figures", only({administrator, prisoner_support})},
        {"GET /api/v1/prisoners/{id}", only({administrator, prisoner_support})},
        {"PUT /api/v1/prisoners/{id}", only({prisoner_support})},
        {"POST /api/v1/prisoners/{id}/transfer", only({prisoner_support})},
        {"PUT /api/v1/prisoners/{id}/approvals", only({prisoner_support})},
        {"GET /api/v1/prisoners/{id}/letters", only({prisoner_support})},
        {"POST /api/v1/prisoners/{id}/letters", only({prisoner_support})},
        {"GET /api/v1/sites/{site}/institutions", only({administrator, prisoner_support})},
        {"POST /api/v1/sites/{site}/institutions", only({prisoner_support})},
        {"GET /api/v1/sites/{site}/writers", only({prisoner_support})},
        {"GET /api/v1/sites/{site}/writer", only({writer})},
        {"PUT /api/v1/sites/{site}/writer", only({writer})},
        {"POST /api/v1/sites/{site}/letters/ask", only({writer})},
        {"GET /api/v1/sites/{site}/letters/mine", only({writer})},
        {"GET /api/v1/sites/{site}/letters", only({prisoner_support})},
        {"GET /api/v1/letters/{id}", member},
        {"PUT /api/v1/letters/{id}", only({writer})},
        {"GET /api/v1/letters/{id}/prisoner", member},
        {"POST /api/v1/letters/{id}/hand-in", only({writer})},
        {"POST /api/v1/letters/{id}/again", only({writer})},
        {"POST /api/v1/letters/{id}/send", only({prisoner_support})},
        {"POST /api/v1/letters/{id}/outcome", only({prisoner_support})},
        {"POST /api/v1/letters/{id}/replies", only({prisoner_support})},
        {"GET /api/v1/letters/{id}/replies", only({writer})},
        {"GET /api/v1/sites/{site}/censor-rules", only({prisoner_support, writer})},
        {"PUT /api/v1/sites/{site}/censor-rules", only({prisoner_support})},
        {"POST /api/v1/sites/{site}/censor-check", only({prisoner_support, writer})},
        {"GET /reports", only({administrator, report_editor})},
        {"POST /reports", only({report_editor})},
        {"GET /reports/{id}", only({administrator, report_editor})},
        {"GET /reports/{id}/charts/{number}", only({administrator, report_editor})},
        {"POST /reports/{id}/release", only({administrator})},
        {"POST /reports/{id}/discard", only({administrator, report_editor})},
        {"GET /reports/{id}/csv", only({administrator, report_editor})},
        {"GET /reports/{id}/xlsx", only({administrator, report_editor})},
        {"GET /reports/{id}/pdf", only({administrator, report_editor})},
        {"GET /api/v1/reports", only({administrator, report_editor})},
        {"POST /api/v1/reports", only({report_editor})},
        {"GET /api/v1/reports/{id}", only({administrator, report_editor})},
        {"POST /api/v1/reports/{id}/release", only({administrator})},
        {"POST /api/v1/reports/{id}/discard", only({administrator, report_editor})},
        {"GET /grants", only({administrator, report_editor})},
        {"GET /sites/{site}/grants", only({administrator, report_editor})},
        {"POST /sites/{site}/funders", only({administrator, report_editor})},
        {"POST /sites/{site}/grants", only({administrator, report_editor})},
        {"GET /grants/{id}", only({administrator, report_editor})},
        {"POST /grants/{id}", only({administrator, report_editor})},
        {"POST /grants/{id}/tranches", only({administrator, report_editor})},
        {"POST /grants/{id}/deadlines", only({administrator, report_editor})},
        {"POST /grants/{id}/tranches/{number}/received", only({administrator, report_editor})},
        {"POST /grants/{id}/deadlines/{number}/done", only({administrator, report_editor})},
        {"GET /api/v1/sites/{site}/funders", only({administrator, report_editor})},
        {"POST /api/v1/sites/{site}/funders", only({administrator, report_editor})},
        {"GET /api/v1/sites/{site}/grants", only({administrator, report_editor})},
        {"POST /api/v1/sites/{site}/grants", only({administrator, report_editor})},
        {"GET /api/v1/grants/{id}", only({administrator, report_editor})},
        {"PUT /api/v1/grants/{id}", only({administrator, report_editor})},
        {"GET /api/v1/sites/{site}/due", only({administrator, report_editor})},
        {"GET /funds", only({administrator, prisoner_support})},
        {"GET /sites/{site}/funds", only({administrator, prisoner_support})},
        {"POST /sites/{site}/funds", only({prisoner_support})},
        {"GET /funds/{id}", only({administrator, prisoner_support})},
        {"POST /funds/{id}/donations", only({prisoner_support})},
        {"POST /funds/{id}/disbursements", only({prisoner_support})},
        {"POST /funds/{id}/entries/{number}/reverse", only({prisoner_support})},
        {"POST /api/v1/sites/{site}/funds", only({prisoner_support})},
        {"GET /api/v1/sites/{site}/funds", only({administrator, prisoner_support})},
        {"GET /api/v1/funds/{id}", only({administrator, prisoner_support})},
        {"POST /api/v1/funds/{id}/donations", only({prisoner_support})},
        {"POST /api/v1/funds/{id}/disbursements", only({prisoner_support})},
        {"POST /api/v1/funds/{id}/entries/{number}/reverse", only({prisoner_support})},
        {"GET /api/v1/funds/{id}/ledger.csv", only({administrator, prisoner_support})},
        {"GET /api/v1/funds/{id}/entries", only({administrator, prisoner_support})},
        {"GET /api/v1/funds/{id}/entries/{number}/party", only({prisoner_support})},
        {"DELETE /api/v1/funds/{id}/entries/{number}/party", only({prisoner_support})},
        {"POST /api/v1/network/enrolments", only({emergency_operator})},
        {"GET /api/v1/network/enrolments", only({emergency_operator})},
        {"DELETE /api/v1/network/enrolments/{id}", only({emergency_operator})},
        {"PUT /api/v1/network/enrolments/{id}/lists", only({emergency_operator})},
        {"GET /api/v1/network/members", only({emergency_operator})},
        {"POST /api/v1/network/members/{id}/revoke", only({emergency_operator})},
        {"GET /api/v1/network/inbox", only({emergency_operator})},
        {"DELETE /api/v1/network/inbox/{id}", only({emergency_operator})},
        {"GET /api/v1/network/roster", only({emergency_operator})},
        {"PUT /api/v1/network/roster", only({emergency_operator})},
        {"POST /api/v1/network/activations", only({emergency_operator})},
        {"POST /api/v1/network/activations/{id}/wraps", only({emergency_operator})},
        {"POST /api/v1/network/activations/{id}/publish", only({emergency_operator})},
        {"GET /api/v1/network/activations/{id}/state", only({emergency_operator})},
        {"GET /api/v1/network/activations/{id}/acks", only({emergency_operator})},
        {"GET /network/app", anyone},
        {"GET /api/v1/network/doorbells/queues", only({emergency_operator})},
        {"POST /api/v1/network/doorbells", anyone},
        {"DELETE /api/v1/network/doorbells/{id}", anyone},
        {"GET /api/v1/network/push-key", anyone},
        {"POST /api/v1/network/enrolment-keys", anyone},
        {"POST /api/v1/network/members", anyone},
        {"PUT /api/v1/network/members/{id}/prekey", anyone},
        {"DELETE /api/v1/network/members/{id}", anyone},
        {"GET /api/v1/network/activations", anyone},
        {"GET /api/v1/network/activations/{id}", anyone},
        {"GET /api/v1/network/activations/{id}/wraps/{locator}", anyone},
        {"POST /api/v1/network/activations/{id}/acks", anyone},
        // Mounted only with test-routes = true (as in this test).
        {"POST /api/v1/test/writes", anyone},
        {"GET /api/v1/test/writes/{id}", anyone},
    };
    return table;
}

class Authorization : public testing::AppFixture<ManualClock> {};

std::string fill(std::string pattern, int64_t site, int64_t account) {
    auto replace = [&](const std::string& from, const std::string& to) {
        if (auto p = pattern.find(from); p != std::string::npos) pattern.replace(p, from.size(), to);
    };
    replace("{site}", std::to_string(site));
    replace("{id}", std::to_string(account));
    replace("{token}", "not-a-token");
    replace("{step}", "1");
    replace("{doc}", "1");
    replace("{number}", "1");
    replace("{locator}", "00");
    replace("{file}", "app.0000000000000000.css");
    return pattern;
}

TEST_P(Authorization, EveryRouteEveryRoleBothSites) {
    if (!app_) return;
    auto& svc = app_->accounts();
    auto home = svc.create_site(nullptr, {"Paris", "Paris", "France", "Europe/Paris", false});
    auto other = svc.create_site(nullptr, {"Berlin", "Berlin", "Germany", "Europe/Berlin", false});
    ASSERT_TRUE(home.ok() && other.ok());
    // Someone at each site for the {id} of account routes.
    auto target_home = testing::make_account(svc, clock_, "target-home", volunteer, home->id);
    auto target_other = testing::make_account(svc, clock_, "target-other", volunteer, other->id);

    struct Who {
        std::string name;
        std::optional<Role> role;
        bool suspended = false;
        int64_t account_id = 0;
    };
    std::vector<Who> people = {{"anonymous", std::nullopt}};
    for (Role role : accounts::all_roles()) {
        auto a = testing::make_account(svc, clock_, "as-" + std::string(accounts::role_name(role)), role, home->id);
        people.push_back({std::string(accounts::role_name(role)), role, false, a.id});
    }
    auto gone = testing::make_account(svc, clock_, "suspended-admin", administrator, home->id);
    ASSERT_TRUE(svc.set_status(nullptr, home->id, gone.id, accounts::AccountStatus::suspended).ok());
    people.push_back({"suspended administrator", administrator, true, gone.id});

    // Every route has a rule, and every rule a route.
    std::set<std::string> routes;
    for (const auto& r : app_->router().routes()) {
        std::string key = r.method + " " + r.pattern;
        routes.insert(key);
        EXPECT_TRUE(expected().count(key)) << "no authorization rule for " << key << ": add it to this test's table";
    }
    for (const auto& [key, rule] : expected()) EXPECT_TRUE(routes.count(key)) << "the table names a route that does not exist: " << key;

    const std::string csrf = crypto::random_token();
    int checked = 0;
    for (const auto& r : app_->router().routes()) {
        const std::string key = r.method + " " + r.pattern;
        if (!expected().count(key)) continue;
        const Rule& rule = expected().at(key);
        const bool has_site = r.pattern.find("{site}") != std::string::npos;
        for (bool own : {true, false}) {
            if (!own && !has_site) continue;
            const std::string url = fill(r.pattern, own ? home->id : other->id, own ? target_home.id : target_other.id);
            for (const auto& who : people) {
                std::string cookies = "__Host-haven_csrf=" + csrf;
                if (who.role) cookies += "; __Host-haven_session=" + testing::session_for(app_->db(), clock_, who.account_id);
                const bool api = r.pattern.starts_with("/api/");
                std::string headers = "Cookie: " + cookies + "\r\nX-CSRF-Token: " + csrf + "\r\nX-Seal-Token: " + seal_token_ + "\r\n";
                std::string body;
                if (r.method == "POST") {
                    headers += api ? "Content-Type: application/json\r\n" : "Content-Type: application/x-www-form-urlencoded\r\n";
                    body = api ? "{}" : "_csrf=" + csrf;
                }
                auto reply = testing::request(port_, r.method, url, body, headers);
                if (app_->vault().sealed()) {
                    ASSERT_TRUE(app_->vault().unseal_with_operator_files({operator_file_}).ok());
                }
                ASSERT_NE(reply.status, 0) << key;
                EXPECT_NE(reply.status, 500) << key << " as " << who.name;

                bool allowed;
                const bool active = who.role && !who.suspended;
                if (rule.is_public)
                    allowed = true;
                else if (rule.signed_in)
                    allowed = active;
                else
                    allowed = active && rule.roles.count(*who.role) && (own || !has_site);
                const bool login_route = r.pattern.ends_with("/login");
                const bool denied = reply.status == 403 || (reply.status == 401 && !login_route);
                EXPECT_EQ(!denied, allowed) << key << " at " << (own ? "own" : "other") << " site as " << who.name << ": status " << reply.status;
                ++checked;
            }
        }
    }
    EXPECT_GT(checked, 300);
}

INSTANTIATE_TEST_SUITE_P(Engines, Authorization, ::testing::Values("sqlite", "postgres"), testing::engine_name);

}  // namespace
}  // namespace haven
