// Accounts and sessions against a hostile service: brute force, fixation, expiry, CSRF, cookie flags,
// one-time recovery codes, TOTP replay, offboarding. In-process server, injected clock, both engines.
#include <gtest/gtest.h>

#include <regex>

#include <filesystem>

#include "app/app.hpp"
#include "audit/audit.hpp"
#include "modules/accounts/store.hpp"
#include "support/accounts.hpp"
#include "support/app_fixture.hpp"
#include "support/engines.hpp"
#include "support/http_client.hpp"

namespace haven {
namespace {

using testing::HttpReply;

class Accounts : public testing::AppFixture<ManualClock> {
protected:
    void SetUp() override {
        AppFixture::SetUp();
        if (!app_) return;
        auto site = app_->accounts().create_site(nullptr, {"Paris", "Paris", "France", "Europe/Paris", false});
        ASSERT_TRUE(site.ok());
        site_ = site->id;
    }

    HttpReply api_login(const std::string& user, const std::string& password, const std::string& code, const std::string& extra_cookie = "") {
        std::string body = R"({"username":")" + user + R"(","password":")" + password + R"(","totp":")" + code + R"("})";
        return testing::request(
            port_, "POST", "/api/v1/auth/login", body,
            "Content-Type: application/json\r\nCookie: __Host-haven_csrf=" + csrf_ + extra_cookie + "\r\nX-CSRF-Token: " + csrf_ + "\r\n");
    }
    static std::string session_of(const HttpReply& r) {
        // "Set-Cookie: __Host-haven_session=<token>; Path=/; Secure; HttpOnly; SameSite=Strict"
        const std::string& h = r.headers;
        auto p = h.find("__Host-haven_session=");
        if (p == std::string::npos) return {};
        p += 21;
        return h.substr(p, h.find(';', p) - p);
    }
    HttpReply get(const std::string& target, const std::string& session, const std::string& extra = "") {
        return testing::request(port_, "GET", target, "", "Cookie: __Host-haven_session=" + session + "\r\n" + extra);
    }
    HttpReply post(const std::string& target, const std::string& session, const std::string& body, const std::string& headers) {
        return testing::request(port_, "POST", target, body,
                                "Cookie: __Host-haven_session=" + session + "; __Host-haven_csrf=" + csrf_ + "\r\n" + headers);
    }

    int64_t site_ = 0;
    const std::string csrf_ = crypto::random_token();
};

TEST_P(Accounts, LoginSetsAStrictHostOnlyCookie) {
    if (!app_) return;
    auto a = testing::make_account(app_->accounts(), clock_, "anna", Role::coordinator, site_);
    auto r = api_login("anna", testing::test_password, testing::current_code(a, clock_));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.headers.find("Set-Cookie: __Host-haven_session="), std::string::npos);
    std::string cookie = r.headers.substr(r.headers.find("__Host-haven_session="));
    cookie = cookie.substr(0, cookie.find("\r\n"));
    EXPECT_NE(cookie.find("; Path=/"), std::string::npos);
    EXPECT_NE(cookie.find("; Secure"), std::string::npos);
    EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos);
    EXPECT_NE(cookie.find("; SameSite=Strict"), std::string::npos);
    EXPECT_EQ(cookie.find("Domain"), std::string::npos);
    EXPECT_EQ(get("/api/v1/me", session_of(r)).status, 200);
}

TEST_P(Accounts, WrongUserAndWrongPasswordLookTheSame) {
    if (!app_) return;
    testing::make_account(app_->accounts(), clock_, "boris", Role::volunteer, site_);
    auto no_user = api_login("nobody-here", "whatever password", "");
    clock_.advance_ms(60'000);
    auto bad_password = api_login("boris", "wrong password here", "");
    EXPECT_EQ(no_user.status, 401);
    EXPECT_EQ(bad_password.status, 401);
    auto strip = [](std::string b) { return b.substr(0, b.find(",\"request_id\"")); };
    EXPECT_EQ(strip(no_user.body), strip(bad_password.body));
}

TEST_P(Accounts, BacksOffPerSource) {
    if (!app_) return;
    auto a = testing::make_account(app_->accounts(), clock_, "vera", Role::volunteer, site_);
    for (int i = 0; i < 4; ++i) EXPECT_EQ(api_login("vera", "not the password", "").status, 401) << i;
    EXPECT_EQ(api_login("vera", "not the password", "").status, 401);  // the 5th counts and starts the back-off
    auto throttled = api_login("vera", testing::test_password, "");
    EXPECT_EQ(throttled.status, 429);
    EXPECT_EQ(throttled.header("Retry-After"), "1");
    clock_.advance_ms(1'000);
    EXPECT_EQ(api_login("vera", "still wrong password", "").status, 401);
    auto longer = api_login("vera", testing::test_password, "");
    EXPECT_EQ(longer.status, 429);
    EXPECT_EQ(longer.header("Retry-After"), "2");
    clock_.advance_ms(2'000);
    EXPECT_EQ(api_login("vera", testing::test_password, "").status, 200) << "the right password after waiting";

    // The per-account limit (100 failures an hour, from any number of sources) is in abuse_test.cpp.
}

TEST_P(Accounts, APlantedSessionIdIsNeverPromoted) {
    if (!app_) return;
    auto a = testing::make_account(app_->accounts(), clock_, "gleb", Role::coordinator, site_);
    const std::string planted = crypto::random_token();
    auto r = api_login("gleb", testing::test_password, testing::current_code(a, clock_), "; __Host-haven_session=" + planted);
    ASSERT_EQ(r.status, 200);
    EXPECT_NE(session_of(r), planted);
    EXPECT_EQ(get("/api/v1/me", planted).status, 401);
    EXPECT_EQ(get("/api/v1/me", session_of(r)).status, 200);
}

TEST_P(Accounts, SessionsExpireWhenIdleAndAfterTwelveHours) {
    if (!app_) return;
    auto a = testing::make_account(app_->accounts(), clock_, "dina", Role::coordinator, site_);
    auto r = api_login("dina", testing::test_password, testing::current_code(a, clock_));
    std::string s = session_of(r);
    clock_.advance_ms(29 * 60 * 1000);
    EXPECT_EQ(get("/api/v1/me", s).status, 200);
    clock_.advance_ms(31 * 60 * 1000);
    EXPECT_EQ(get("/api/v1/me", s).status, 401) << "30 minutes idle";

    clock_.advance_ms(30'000);
    r = api_login("dina", testing::test_password, testing::current_code(a, clock_));
    s = session_of(r);
    for (int i = 0; i < 28; ++i) {  // 28 × 25 min = 11 h 40 min
        clock_.advance_ms(25 * 60 * 1000);
        EXPECT_EQ(get("/api/v1/me", s).status, 200) << i;
    }
    clock_.advance_ms(25 * 60 * 1000);  // 12 h 05 min after login, never idle for long
    EXPECT_EQ(get("/api/v1/me", s).status, 401) << "absolute timeout";
}

TEST_P(Accounts, StateChangesNeedTheCsrfTokenAndOurOrigin) {
    if (!app_) return;
    auto a = testing::make_account(app_->accounts(), clock_, "admin", Role::administrator, site_);
    std::string s = session_of(api_login("admin", testing::test_password, testing::current_code(a, clock_)));
    const std::string body = R"({"username":"newcomer","role":"volunteer"})";
    const std::string url = "/api/v1/sites/" + std::to_string(site_) + "/accounts";
    const std::string json = "Content-Type: application/json\r\n";
    EXPECT_EQ(post(url, s, body, json).status, 403) << "no token";
    EXPECT_EQ(post(url, s, body, json + "X-CSRF-Token: " + crypto::random_token() + "\r\n").status, 403) << "wrong token";
    EXPECT_EQ(post(url, s, body, json + "X-CSRF-Token: " + csrf_ + "\r\nOrigin: https://evil.example\r\n").status, 403) << "foreign origin";
    EXPECT_EQ(post(url, s, body, json + "X-CSRF-Token: " + csrf_ + "\r\nSec-Fetch-Site: cross-site\r\n").status, 403);
    EXPECT_EQ(post(url, s, body, json + "X-CSRF-Token: " + csrf_ + "\r\n").status, 201);
    // A form post carries it as a field.
    auto form = post("/sites/" + std::to_string(site_) + "/accounts", s, "_csrf=" + csrf_ + "&username=second&role=teacher",
                     "Content-Type: application/x-www-form-urlencoded\r\n");
    EXPECT_EQ(form.status, 201);
    EXPECT_NE(form.body.find("/enrol/"), std::string::npos);
}

TEST_P(Accounts, RecoveryCodesWorkOnce) {
    if (!app_) return;
    auto a = testing::make_account(app_->accounts(), clock_, "lena", Role::counsellor, site_);
    ASSERT_EQ(a.recovery_codes.size(), 10u);
    EXPECT_EQ(api_login("lena", testing::test_password, a.recovery_codes[3]).status, 200);
    EXPECT_EQ(api_login("lena", testing::test_password, a.recovery_codes[3]).status, 401);
    EXPECT_EQ(api_login("lena", testing::test_password, "").status, 401) << "a counsellor needs the second factor";
}

TEST_P(Accounts, ATotpCodeIsRefusedTheSecondTime) {
    if (!app_) return;
    auto a = testing::make_account(app_->accounts(), clock_, "oleg", Role::legal_adviser, site_);
    const std::string code = testing::current_code(a, clock_);
    EXPECT_EQ(api_login("oleg", testing::test_password, code).status, 200);
    EXPECT_EQ(api_login("oleg", testing::test_password, code).status, 401) << "replayed within the same step";
    clock_.advance_ms(30'000);
    EXPECT_EQ(api_login("oleg", testing::test_password, testing::current_code(a, clock_)).status, 200);
}

TEST_P(Accounts, OffboardingEndsSessionsAndTokensAtOnce) {
    if (!app_) return;
    auto admin = testing::make_account(app_->accounts(), clock_, "root-admin", Role::administrator, site_);
    auto leaver = testing::make_account(app_->accounts(), clock_, "leaver", Role::coordinator, site_);
    std::string admin_session = session_of(api_login("root-admin", testing::test_password, testing::current_code(admin, clock_)));
    std::string leaver_session = session_of(api_login("leaver", testing::test_password, testing::current_code(leaver, clock_)));
    auto token = app_->accounts().create_token("leaver", "nightly export", "read", 30);
    ASSERT_TRUE(token.ok());
    EXPECT_EQ(get("/api/v1/me", leaver_session).status, 200);
    EXPECT_EQ(testing::request(port_, "GET", "/api/v1/me", "", "Authorization: Bearer " + token.value() + "\r\n").status, 200);
    // A read token may not change anything.
    EXPECT_EQ(testing::request(port_, "POST", "/api/v1/auth/logout", "{}",
                               "Authorization: Bearer " + token.value() + "\r\nContent-Type: application/json\r\n")
                  .status,
              403);

    auto off = post("/api/v1/sites/" + std::to_string(site_) + "/accounts/" + std::to_string(leaver.id) + "/status", admin_session,
                    R"({"status":"offboarded"})", "Content-Type: application/json\r\nX-CSRF-Token: " + csrf_ + "\r\n");
    ASSERT_EQ(off.status, 200) << off.body;
    EXPECT_EQ(get("/api/v1/me", leaver_session).status, 401);
    EXPECT_EQ(testing::request(port_, "GET", "/api/v1/me", "", "Authorization: Bearer " + token.value() + "\r\n").status, 401);
    clock_.advance_ms(30'000);
    EXPECT_EQ(api_login("leaver", testing::test_password, testing::current_code(leaver, clock_)).status, 401);
}

TEST_P(Accounts, AChangeOfRoleEndsTheAccountsSessions) {
    if (!app_) return;
    auto admin = testing::make_account(app_->accounts(), clock_, "boss", Role::administrator, site_);
    auto c = testing::make_account(app_->accounts(), clock_, "clerk", Role::coordinator, site_);
    std::string s = session_of(api_login("clerk", testing::test_password, testing::current_code(c, clock_)));
    ASSERT_EQ(get("/api/v1/me", s).status, 200);
    Principal boss;
    boss.account_id = admin.id;
    boss.roles = {{site_, Role::administrator}};
    ASSERT_TRUE(app_->accounts().set_roles(boss, site_, c.id, {Role::teacher}).ok());
    EXPECT_EQ(get("/api/v1/me", s).status, 401) << "privileges changed: the old session must not carry on";
}

TEST_P(Accounts, ATokenCanBeRevoked) {
    if (!app_) return;
    testing::make_account(app_->accounts(), clock_, "script-owner", Role::coordinator, site_);
    auto token = app_->accounts().create_token("script-owner", "export", "write", 7);
    ASSERT_TRUE(token.ok());
    const std::string bearer = "Authorization: Bearer " + token.value() + "\r\n";
    EXPECT_EQ(testing::request(port_, "GET", "/api/v1/me", "", bearer).status, 200);
    EXPECT_EQ(app_->accounts().revoke_tokens("script-owner").value(), 1);
    EXPECT_EQ(testing::request(port_, "GET", "/api/v1/me", "", bearer).status, 401);
    clock_.advance_ms(8LL * 24 * 3600 * 1000);
    auto expired = app_->accounts().create_token("script-owner", "short", "read", 1);
    clock_.advance_ms(2LL * 24 * 3600 * 1000);
    EXPECT_EQ(testing::request(port_, "GET", "/api/v1/me", "", "Authorization: Bearer " + expired.value() + "\r\n").status, 401) << "expired";
}

TEST_P(Accounts, MySessionsCanBeListedAndRevoked) {
    if (!app_) return;
    auto a = testing::make_account(app_->accounts(), clock_, "mira", Role::coordinator, site_);
    std::string first = session_of(api_login("mira", testing::test_password, testing::current_code(a, clock_)));
    clock_.advance_ms(30'000);
    std::string second = session_of(api_login("mira", testing::test_password, testing::current_code(a, clock_)));
    auto page = get("/account", first);
    ASSERT_EQ(page.status, 200);
    auto p = page.body.find("/account/sessions/");
    ASSERT_NE(p, std::string::npos) << "the other session has a revoke button";
    std::string action = page.body.substr(p, page.body.find('"', p) - p);
    EXPECT_EQ(post(action, first, "_csrf=" + csrf_, "Content-Type: application/x-www-form-urlencoded\r\n").status, 303);
    EXPECT_EQ(get("/api/v1/me", second).status, 401);
    EXPECT_EQ(get("/api/v1/me", first).status, 200);
    EXPECT_EQ(post("/account/sessions/revoke-all", first, "_csrf=" + csrf_, "Content-Type: application/x-www-form-urlencoded\r\n").status, 303);
    EXPECT_EQ(get("/api/v1/me", first).status, 401);
}

TEST_P(Accounts, AnAssignmentEndsOnTime) {
    if (!app_) return;
    auto a = testing::make_account(app_->accounts(), clock_, "ivan", Role::volunteer, site_);
    Principal p;
    p.account_id = a.id;
    ASSERT_TRUE(app_->accounts().assign(nullptr, a.id, "request", 42, clock_.now_ms() + 3600 * 1000).ok());
    EXPECT_TRUE(app_->accounts().is_assigned(p, "request", 42));
    EXPECT_FALSE(app_->accounts().is_assigned(p, "request", 43));
    clock_.advance_ms(3600 * 1000);
    EXPECT_FALSE(app_->accounts().is_assigned(p, "request", 42));
}

TEST_P(Accounts, EveryLoginAndPersonalReadLeavesAVerifiableAuditEntry) {
    if (!app_) return;
    auto admin = testing::make_account(app_->accounts(), clock_, "auditor", Role::administrator, site_);
    auto anna = testing::make_account(app_->accounts(), clock_, "anna", Role::coordinator, site_);
    EXPECT_EQ(api_login("anna", "wrong password here", "").status, 401);
    std::string s = session_of(api_login("anna", testing::test_password, testing::current_code(anna, clock_)));
    Principal pa;
    pa.account_id = anna.id;
    ASSERT_TRUE(app_->accounts().contact(pa).ok());
    std::string admin_session = session_of(api_login("auditor", testing::test_password, testing::current_code(admin, clock_)));

    auto page = get("/audit?account=anna", admin_session);
    ASSERT_EQ(page.status, 200);
    // (Each cell says its column for phones: data-label="…", not what is checked here.)
    page.body = std::regex_replace(page.body, std::regex(" data-label=\"[^\"]*\""), "");
    EXPECT_NE(page.body.find("<td>anna</td><td>login</td><td>refused</td>"), std::string::npos) << page.body.substr(0, 200);
    EXPECT_NE(page.body.find("<td>anna</td><td>login</td><td>ok</td>"), std::string::npos);
    EXPECT_NE(page.body.find("<td>anna</td><td>contact.read</td>"), std::string::npos);
    EXPECT_EQ(get("/audit", s).status, 403) << "a coordinator does not read the audit log";

    auto v = audit::verify(app_->db(), app_->vault().audit_public_key());
    EXPECT_FALSE(v.bad_seq.has_value()) << v.problem;
    EXPECT_GE(v.entries, 8);
    // Entries carry no username: only keyed hashes.
    auto raw = app_->db().query("SELECT actor, action, object FROM audit_log");
    for (const auto& r : raw)
        for (size_t i = 0; i < 3; ++i) EXPECT_EQ(r.text(i).find("anna"), std::string::npos);
}

TEST_P(Accounts, MassReadsAlertAdministratorsAndCanSuspend) {
    if (!app_) return;
    auto admin = testing::make_account(app_->accounts(), clock_, "watch", Role::administrator, site_);
    auto reader = testing::make_account(app_->accounts(), clock_, "hoover", Role::volunteer, site_);
    Principal who;
    who.account_id = reader.id;
    app_->accounts().set_read_policy({5, 60 * 60 * 1000, false});
    for (int64_t record = 1; record <= 5; ++record) ASSERT_TRUE(app_->accounts().record_read(who, "person", record).ok());
    ASSERT_TRUE(app_->accounts().record_read(who, "person", 3).ok()) << "re-reading one record counts once";
    Principal admin_p;
    admin_p.account_id = admin.id;
    admin_p.roles = {{site_, Role::administrator}};
    EXPECT_TRUE(app_->accounts().read_alarms(admin_p).empty());
    ASSERT_TRUE(app_->accounts().record_read(who, "person", 6).ok());
    auto alarms = app_->accounts().read_alarms(admin_p);
    ASSERT_EQ(alarms.size(), 1u);
    EXPECT_EQ(alarms[0].username, "hoover");
    EXPECT_EQ(alarms[0].records, 6);
    EXPECT_FALSE(alarms[0].suspended);
    std::string admin_session = session_of(api_login("watch", testing::test_password, testing::current_code(admin, clock_)));
    auto page = get("/audit", admin_session);
    EXPECT_NE(page.body.find("hoover opened 6 records within 60 minutes"), std::string::npos);

    // With suspension: the next window's excess suspends at once and ends the sessions.
    std::string s = session_of(api_login("hoover", testing::test_password, ""));
    ASSERT_EQ(get("/api/v1/me", s).status, 200);
    clock_.advance_ms(61 * 60 * 1000);
    app_->accounts().set_read_policy({5, 60 * 60 * 1000, true});
    for (int64_t record = 100; record <= 106; ++record) ASSERT_TRUE(app_->accounts().record_read(who, "person", record).ok());
    EXPECT_EQ(get("/api/v1/me", s).status, 401);
    EXPECT_TRUE(app_->accounts().read_alarms(admin_p).front().suspended);
    EXPECT_FALSE(audit::verify(app_->db(), app_->vault().audit_public_key()).bad_seq.has_value());
}

INSTANTIATE_TEST_SUITE_P(Engines, Accounts, ::testing::Values("sqlite", "postgres"), testing::engine_name);

}  // namespace
}  // namespace haven
