// Casework over HTTP on both engines: counselling notes readable by their counsellor alone (not another
// counsellor, not an administrator, not after reassignment); volunteers seeing only their task and only the
// fields it names, until the assignment ends (injected clock); legal cases, deadlines and templates.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "app/app.hpp"
#include "support/accounts.hpp"
#include "support/app_fixture.hpp"
#include "support/engines.hpp"
#include "support/http_client.hpp"

namespace haven {
namespace {

namespace json = boost::json;
using testing::HttpReply;

class Casework : public testing::AppFixture<ManualClock> {
protected:
    void SetUp() override {
        AppFixture::SetUp();
        if (!app_) return;
        auto site = app_->accounts().create_site(nullptr, {"Paris", "Paris", "France", "Europe/Paris", false});
        ASSERT_TRUE(site.ok());
        site_ = site->id;
        coordinator_ = account("coord", Role::coordinator);
    }

    int64_t account(const std::string& name, Role role) { return testing::make_account(app_->accounts(), clock_, name, role, site_).id; }
    // A session made in the store: no password was typed, so no personal key is open.
    std::string as(int64_t who) { return testing::session_for(app_->db(), clock_, who); }
    // A real sign-in with password and TOTP: a counsellor's personal key opens for this session.
    std::string sign_in(const testing::TestAccount& a) {
        clock_.advance_ms(30'000);
        auto r = testing::request(port_, "POST", "/api/v1/auth/login",
                                  R"({"username":")" + a.username + R"(","password":")" + testing::test_password + R"(","totp":")" +
                                      testing::current_code(a, clock_) + "\"}",
                                  "Content-Type: application/json\r\n");
        EXPECT_EQ(r.status, 200) << r.body;
        auto at = r.headers.find("haven_session=");
        if (at == std::string::npos) return "";
        at += 14;
        return r.headers.substr(at, r.headers.find(';', at) - at);
    }

    HttpReply call(const std::string& method, const std::string& target, int64_t who, const std::string& body = {}) {
        return call(method, target, as(who), body);
    }
    HttpReply call(const std::string& method, const std::string& target, const std::string& session, const std::string& body = {}) {
        return testing::signed_request(port_, method, target, session, csrf_, body);
    }
    json::value ok_json(const HttpReply& r, int status = 200) {
        EXPECT_EQ(r.status, status) << r.body.substr(0, 400);
        if (r.status != status) return json::object{};
        return json::parse(r.body);
    }

    int64_t person(const std::string& body) { return ok_json(call("POST", "/api/v1/people", coordinator_, body), 201).at("id").as_int64(); }

    int64_t site_ = 0, coordinator_ = 0;
    const std::string csrf_ = crypto::random_token();
};

TEST_P(Casework, CounsellingNotesAreTheirCounsellorsAlone) {
    if (!app_) return;
    auto& svc = app_->accounts();
    const auto ta = testing::make_account(svc, clock_, "counsellor-a", Role::counsellor, site_);
    const auto tb = testing::make_account(svc, clock_, "counsellor-b", Role::counsellor, site_);
    const int64_t a = ta.id, b = tb.id;
    const int64_t admin = account("admin", Role::administrator);
    const int64_t p = person(R"({"pseudonym":"Sova","legal_names":["Исаева Ольга"]})");
    const std::string people = "/api/v1/people/" + std::to_string(p);

    // A counsellor's notes need the key made at their first sign-in.
    EXPECT_EQ(call("POST", people + "/counselling", coordinator_, R"({"counsellor_id":)" + std::to_string(a) + "}").status, 422);
    const std::string sa = sign_in(ta), sb = sign_in(tb);
    auto assigned = ok_json(call("POST", people + "/counselling", coordinator_, R"({"counsellor_id":)" + std::to_string(a) + "}"), 201);
    const int64_t compartment = assigned.at("compartment_id").as_int64();
    const std::string notes = "/api/v1/counselling/" + std::to_string(compartment) + "/notes";
    EXPECT_EQ(call("POST", notes, sa, R"({"text":"Sleeps badly since the border; talked about her brother."})").status, 201);
    auto read = ok_json(call("GET", notes, sa));
    ASSERT_EQ(read.at("items").as_array().size(), 1u);
    EXPECT_EQ(read.at("items").as_array()[0].at("text").as_string(), "Sleeps badly since the border; talked about her brother.");
    // The counsellor may open the person (assignment), and sees them in their list.
    EXPECT_EQ(call("GET", people, sa).status, 200);
    EXPECT_EQ(ok_json(call("GET", "/api/v1/counselling", sa)).at("items").as_array().size(), 1u);
    // Even A, without the password in this session (a session made without it, or after a restart): no.
    auto no_key = call("GET", notes, a);
    EXPECT_EQ(no_key.status, 403);
    EXPECT_NE(no_key.body.find("sign_in_again"), std::string::npos);

    EXPECT_EQ(call("GET", notes, sb).status, 404);  // another counsellor: not theirs
    EXPECT_EQ(call("POST", notes, sb, R"({"text":"x"})").status, 404);
    EXPECT_EQ(call("GET", notes, admin).status, 403);  // administrators assign, never read
    EXPECT_EQ(call("GET", notes, coordinator_).status, 403);
    auto who = ok_json(call("GET", people + "/counselling", admin));  // they see who, not what
    ASSERT_EQ(who.at("items").as_array().size(), 1u);
    EXPECT_EQ(who.at("items").as_array()[0].at("counsellor").as_string(), "counsellor-a");
    // Nor does the vault open a compartment: its key is sealed to the counsellor.
    auto stored_key = app_->db().query("SELECT compartment_key FROM counselling WHERE id = $1", {compartment});
    EXPECT_FALSE(app_->vault().open_field("counselling", "compartment_key", compartment, stored_key.at(0).blob(0).str()).ok());

    // Panic seal, then unseal: every session ended, and counsellors' keys left memory; they sign in again to read.
    app_->vault().seal();
    ASSERT_TRUE(app_->vault().unseal_with_operator_files({operator_file_}).ok());
    EXPECT_EQ(call("GET", notes, sa).status, 401);
    const std::string sa2 = sign_in(ta), sb2 = sign_in(tb);
    EXPECT_EQ(ok_json(call("GET", notes, sa2)).at("items").as_array().size(), 1u);

    // Reassigned to B: B starts an empty compartment; A's notes close for good, for A and for B.
    auto again = ok_json(call("POST", people + "/counselling", admin, R"({"counsellor_id":)" + std::to_string(b) + "}"), 201);
    const std::string b_notes = "/api/v1/counselling/" + std::to_string(again.at("compartment_id").as_int64()) + "/notes";
    EXPECT_EQ(ok_json(call("GET", b_notes, sb2)).at("items").as_array().size(), 0u);
    EXPECT_EQ(call("GET", notes, sb2).status, 404);
    EXPECT_EQ(call("GET", notes, sa2).status, 404);
    EXPECT_EQ(call("GET", people, sa2).status, 404);  // A's access to the person ended too
    EXPECT_EQ(call("GET", b_notes, sa2).status, 404);
    // A counsellor cannot be someone without the role.
    EXPECT_EQ(call("POST", people + "/counselling", admin, R"({"counsellor_id":)" + std::to_string(coordinator_) + "}").status, 422);
    // The note is stored sealed.
    auto stored = app_->db().query("SELECT record FROM counselling_notes");
    ASSERT_EQ(stored.size(), 1u);
    EXPECT_EQ(stored[0].blob(0).str().find("brother"), std::string::npos);
}

TEST_P(Casework, AVolunteerSeesOnlyTheirTaskAndOnlyWhileAssigned) {
    if (!app_) return;
    const int64_t v1 = account("vol-ru", Role::volunteer), v2 = account("vol-fr", Role::volunteer);
    EXPECT_EQ(call("PUT", "/api/v1/me/volunteer", v1, R"({"skills":["accompaniment"],"languages":["ru","fr"],"days":["tue"]})").status, 200);
    EXPECT_EQ(call("PUT", "/api/v1/me/volunteer", v2, R"({"skills":["it"],"languages":["fr"]})").status, 200);
    EXPECT_EQ(call("PUT", "/api/v1/me/volunteer", v2, R"({"skills":["flying"]})").status, 422);
    const int64_t p = person(R"({"pseudonym":"Lis","legal_names":["Захаров Денис"],"phone":"+33 6 11 22 33 44","email":"denis@example.org"})");
    const int64_t other = person(R"({"pseudonym":"Kot","legal_names":["Гришина Анна"]})");

    // 2026-12-01 is a Tuesday.
    auto made = ok_json(
        call(
            "POST", "/api/v1/people/" + std::to_string(p) + "/requests", coordinator_,
            R"({"what":"Go with him to the prefecture","skill":"accompaniment","language":"ru","due_date":"2026-12-01","fields":["pseudonym","phone"]})"),
        201);
    const int64_t request = made.at("id").as_int64();
    EXPECT_EQ(call("POST", "/api/v1/people/" + std::to_string(p) + "/requests", coordinator_, R"({"what":"x","fields":["legal_names"]})").status,
              422);
    auto suggestions = ok_json(call("GET", "/api/v1/requests/" + std::to_string(request) + "/suggestions", coordinator_)).at("items").as_array();
    ASSERT_EQ(suggestions.size(), 2u);
    EXPECT_EQ(suggestions[0].at("volunteer").at("username").as_string(), "vol-ru");  // language, skill, day
    EXPECT_GT(suggestions[0].at("score").as_int64(), suggestions[1].at("score").as_int64());

    ASSERT_EQ(call("POST", "/api/v1/requests/" + std::to_string(request) + "/assign", coordinator_,
                   R"({"volunteer_id":)" + std::to_string(v1) + R"(,"until":"2026-12-02"})")
                  .status,
              200);
    auto tasks = ok_json(call("GET", "/api/v1/tasks", v1)).at("items").as_array();
    ASSERT_EQ(tasks.size(), 1u);
    const auto& seen = tasks[0].at("person").as_object();
    EXPECT_EQ(seen.at("pseudonym").as_string(), "Lis");
    EXPECT_EQ(seen.at("phone").as_string(), "+33 6 11 22 33 44");
    EXPECT_FALSE(seen.contains("email"));
    EXPECT_EQ(tasks[0].as_object().at("what").as_string(), "Go with him to the prefecture");
    EXPECT_EQ(json::serialize(tasks[0]).find("Захаров"), std::string::npos);  // no legal name
    // Nothing else: not the person's record, not another person, not someone else's task.
    EXPECT_EQ(call("GET", "/api/v1/people/" + std::to_string(p), v1).status, 403);
    EXPECT_EQ(call("GET", "/api/v1/people/" + std::to_string(other), v1).status, 403);
    EXPECT_EQ(ok_json(call("GET", "/api/v1/tasks", v2)).at("items").as_array().size(), 0u);
    EXPECT_EQ(call("POST", "/api/v1/tasks/" + std::to_string(request) + "/done", v2).status, 404);

    // The assignment ends with 2026-12-02: so does the task.
    clock_.set_ms(*day_start("2026-12-03") + 3600 * 1000);
    EXPECT_EQ(ok_json(call("GET", "/api/v1/tasks", v1)).at("items").as_array().size(), 0u);
    EXPECT_EQ(call("POST", "/api/v1/tasks/" + std::to_string(request) + "/done", v1).status, 404);
}

TEST_P(Casework, CasesFollowTheTemplateAndTheirDeadlines) {
    if (!app_) return;
    clock_.set_ms(*day_start("2026-11-26") + 9 * 3600 * 1000);
    const int64_t adviser = account("adviser", Role::legal_adviser), admin = account("admin", Role::administrator);
    const int64_t p = person(R"({"pseudonym":"Ryzhik","legal_names":["Федотов Тимур"],"languages":["uk","ru"]})");
    auto templates = ok_json(call("GET", "/api/v1/templates", adviser)).at("items").as_array();
    ASSERT_EQ(templates.size(), 4u);  // France and Germany: asylum and residence permit
    int64_t asylum_fr = 0;
    for (const auto& t : templates)
        if (t.at("country").as_string() == "FR" && t.at("name").as_string().starts_with("Asylum")) asylum_fr = t.at("id").as_int64();
    ASSERT_GT(asylum_fr, 0);

    // The adviser cannot open a case for a person not assigned to them; the coordinator opens it for them.
    EXPECT_EQ(call("POST", "/api/v1/people/" + std::to_string(p) + "/cases", adviser, R"({"template_id":)" + std::to_string(asylum_fr) + "}").status,
              404);
    auto opened = ok_json(call("POST", "/api/v1/people/" + std::to_string(p) + "/cases", coordinator_,
                               R"({"template_id":)" + std::to_string(asylum_fr) + R"(,"adviser_id":)" + std::to_string(adviser) + "}"),
                          201);
    const std::string kase = "/api/v1/cases/" + std::to_string(opened.at("id").as_int64());
    auto c = ok_json(call("GET", kase, adviser));
    ASSERT_EQ(c.at("steps").as_array().size(), 4u);
    EXPECT_EQ(c.at("steps").as_array()[0].at("due_date").as_string(), "2026-11-29");  // +3 days
    // Issue 20: each step as the French office names it, and in the person's first language (Ukrainian).
    EXPECT_EQ(c.at("steps").as_array()[1].at("title").as_string(), "Envoyer la demande à l’OFPRA — Надіслати заяву до OFPRA");
    EXPECT_EQ(c.at("steps").as_array()[1].at("due_date").as_string(), "2026-12-20");  // +21 more
    EXPECT_GE(c.at("documents").as_array().size(), 5u);
    EXPECT_EQ(call("GET", "/api/v1/people/" + std::to_string(p), adviser).status, 200);  // the case opens the person to the adviser

    auto due = ok_json(call("GET", "/api/v1/deadlines?days=7", adviser)).at("items").as_array();
    ASSERT_EQ(due.size(), 1u);
    EXPECT_EQ(due[0].at("pseudonym").as_string(), "Ryzhik");
    const std::string first_step = std::to_string(c.at("steps").as_array()[0].at("id").as_int64());
    EXPECT_EQ(call("POST", kase + "/steps/" + first_step, adviser, R"({"due_date":"2026-11-31"})").status, 422);
    EXPECT_EQ(call("POST", kase + "/steps/" + first_step, adviser, R"({"done":true,"note":"Registered, receipt kept"})").status, 200);
    EXPECT_EQ(ok_json(call("GET", "/api/v1/deadlines?days=7", adviser)).at("items").as_array().size(), 0u);
    // The site view sees what the adviser sees; another adviser sees nothing of it.
    const int64_t other = account("adviser-2", Role::legal_adviser);
    EXPECT_EQ(call("GET", kase, other).status, 404);
    auto dash = ok_json(call("GET", "/api/v1/sites/" + std::to_string(site_) + "/dashboard", coordinator_));
    EXPECT_EQ(dash.at("open_cases").as_int64(), 1);
    EXPECT_EQ(dash.at("people").as_int64(), 1);

    // Overdue shows; closing ends the adviser's access to the person.
    clock_.set_ms(*day_start("2026-12-22"));
    due = ok_json(call("GET", "/api/v1/deadlines?days=7", adviser)).at("items").as_array();
    ASSERT_EQ(due.size(), 1u);
    EXPECT_TRUE(due[0].at("overdue").as_bool());
    EXPECT_EQ(call("POST", kase + "/close", adviser).status, 200);
    EXPECT_EQ(call("GET", "/api/v1/people/" + std::to_string(p), adviser).status, 404);

    // Administrators edit templates; a bad step names its field.
    const std::string tpl = "/api/v1/templates/" + std::to_string(asylum_fr);
    EXPECT_EQ(call("PUT", tpl, admin, R"({"country":"FR","name":"Asylum","steps":[{"title":"","days":3}]})").status, 422);
    auto bad = call("PUT", tpl, admin, R"({"country":"FR","name":"Asylum","steps":[{"title":"","days":3}]})");
    EXPECT_NE(bad.body.find("steps[0].title"), std::string::npos) << bad.body;
    EXPECT_EQ(
        call("PUT", tpl, admin, R"J({"country":"FR","name":"Asylum (OFPRA)","steps":[{"title":"GUDA","days":2,"documents":["Passport"]}]})J").status,
        200);
    EXPECT_EQ(call("PUT", tpl, coordinator_, R"({"country":"FR","name":"x","steps":[{"title":"y"}]})").status, 403);
}

// The casework pages as people use them: an administrator edits a procedure in its one-step-a-line form, a
// coordinator opens a case from the person's page, the adviser ticks a step and sees it leave "due this week".
TEST_P(Casework, PagesEditAProcedureOpenACaseAndTickAStep) {
    if (!app_) return;
    clock_.set_ms(*day_start("2026-11-26") + 9 * 3600 * 1000);
    const int64_t admin = account("admin", Role::administrator), adviser = account("adviser", Role::legal_adviser);
    const int64_t p = person(R"({"pseudonym":"Luna","legal_names":["Климова Яна"]})");
    auto form = [&](const std::string& target, int64_t who, const std::string& body) {
        return testing::request(
            port_, "POST", target, "_csrf=" + csrf_ + "&" + body,
            "Cookie: __Host-haven_session=" + as(who) + "; __Host-haven_csrf=" + csrf_ + "\r\nContent-Type: application/x-www-form-urlencoded\r\n");
    };
    // "days | title | documents; …", one step a line; a line without "|" is refused.
    EXPECT_EQ(form("/templates/1", admin, "country=FR&name=Asylum&steps=just+a+title").status, 422);
    // After the documents, the title in other languages: "| fr: … | uk: …".
    auto saved = form(
        "/templates/1", admin,
        "country=FR&name=Asylum+(OFPRA)&steps=2+%7C+GUDA+%7C+Passport%3B+Photos+%7C+fr%3A+Guichet+%7C+uk%3A+%D0%93%D1%83%D0%B4%D0%B0%0D%0A10+%7C+"
        "OFPRA+file+%7C+");
    ASSERT_EQ(saved.status, 303) << saved.body.substr(0, 300);
    json::value first;
    const json::value templates = ok_json(call("GET", "/api/v1/templates", admin));
    for (const auto& t : templates.at("items").as_array())
        if (t.at("id").as_int64() == 1) first = t;
    ASSERT_TRUE(first.is_object());
    ASSERT_EQ(first.at("steps").as_array().size(), 2u);
    EXPECT_EQ(first.at("steps").as_array()[0].at("documents").as_array().size(), 2u);
    EXPECT_EQ(first.at("steps").as_array()[0].at("documents").as_array()[1].as_string(), "Photos");
    EXPECT_EQ(first.at("steps").as_array()[0].at("titles").at("fr").as_string(), "Guichet");
    EXPECT_EQ(first.at("steps").as_array()[0].at("titles").at("uk").as_string(), "Гуда");
    // The form shows them again as typed, so saving it unchanged keeps them.
    auto editor = testing::request(port_, "GET", "/templates", "", "Cookie: __Host-haven_session=" + as(admin) + "\r\n");
    EXPECT_NE(editor.body.find("2 | GUDA | Passport; Photos | fr: Guichet | uk: Гуда"), std::string::npos);

    auto opened = form("/people/" + std::to_string(p) + "/cases", coordinator_, "template_id=1&adviser_id=" + std::to_string(adviser));
    ASSERT_EQ(opened.status, 303) << opened.body.substr(0, 300);
    const auto at = opened.headers.find("Location: ") + 10;
    const std::string case_url = opened.headers.substr(at, opened.headers.find("\r\n", at) - at);
    auto page = call("GET", case_url, adviser);
    ASSERT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("Guichet — due 28 Nov 2026"), std::string::npos);  // as the French office says it
    auto deadlines = call("GET", "/deadlines", adviser);
    EXPECT_NE(deadlines.body.find("Guichet"), std::string::npos);
    const std::string kase = "/api/v1/cases/" + case_url.substr(case_url.rfind('/') + 1);
    const std::string step = std::to_string(ok_json(call("GET", kase, adviser)).at("steps").as_array()[0].at("id").as_int64());
    EXPECT_EQ(form(case_url + "/steps/" + step, adviser, "done=1&due_date=2026-11-28").status, 303);
    EXPECT_EQ(call("GET", "/deadlines", adviser).body.find("Guichet"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Engines, Casework, ::testing::Values("sqlite", "postgres"), testing::engine_name);

}  // namespace
}  // namespace haven
