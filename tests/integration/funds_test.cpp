// Legal-aid funds (issue 18) on both engines: the API as prisoner support uses it and as others may not; 10,000
// donations and disbursements written at once, every balance exact; a flipped byte, a deleted and a reordered
// entry named by `haven ledger verify`.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "app/app.hpp"
#include "modules/prisoners/fund.hpp"
#include "support/accounts.hpp"
#include "support/app_fixture.hpp"
#include "support/engines.hpp"
#include "support/http_client.hpp"

namespace haven {
namespace {

namespace json = boost::json;
using testing::HttpReply;

class Funds : public testing::AppFixture<ManualClock> {
protected:
    void SetUp() override {
        AppFixture::SetUp();
        if (!app_) return;
        clock_.set_ms(1'796'040'000'000);  // 2026-11-30: the value dates below are days before
        auto& svc = app_->accounts();
        auto site = svc.create_site(nullptr, {"Paris", "Paris", "France", "Europe/Paris", false});
        auto other = svc.create_site(nullptr, {"Vilnius", "Vilnius", "Lithuania", "Europe/Vilnius", false});
        ASSERT_TRUE(site.ok() && other.ok());
        site_ = site->id;
        other_ = other->id;
        support_ = testing::make_account(svc, clock_, "support", Role::prisoner_support, site_);
        elsewhere_ = testing::make_account(svc, clock_, "support-vilnius", Role::prisoner_support, other_);
    }

    HttpReply call(const std::string& method, const std::string& target, int64_t account, const std::string& body = {}) {
        return testing::signed_request(port_, method, target, testing::session_for(app_->db(), clock_, account), csrf_, body);
    }
    int64_t fund(const std::string& name) {
        auto r = call("POST", "/api/v1/sites/" + std::to_string(site_) + "/funds", support_.id,
                      json::serialize(json::object{{"name", name}, {"currency", "EUR"}, {"goal_minor", 500000}}));
        EXPECT_EQ(r.status, 201) << r.body;
        return r.status == 201 ? json::parse(r.body).at("id").as_int64() : 0;
    }
    std::string verify_cli(const std::string& command = "verify") {
        const std::string cmd = std::string(HAVEN_BINARY) + " ledger " + command + " --data " + dir_ + " --db '" + db_url_ + "' 2>&1";
        std::string out;
        if (FILE* p = popen(cmd.c_str(), "r")) {
            char buf[512];
            while (fgets(buf, sizeof buf, p)) out += buf;
            pclose(p);
        }
        return out;
    }
    int64_t exec(const std::string& sql, const storage::Params& params = {}) {
        int64_t changed = 0;
        EXPECT_TRUE(app_->db()
                        .write([&](storage::Tx& tx) -> Status {
                            changed = tx.exec(sql, params);
                            return {};
                        })
                        .ok());
        return changed;
    }

    int64_t site_ = 0, other_ = 0;
    testing::TestAccount support_, elsewhere_;
    const std::string csrf_ = "csrf-token-for-the-funds-test";
};

TEST_P(Funds, PrisonerSupportKeepsALedgerThatNamesNobody) {
    if (!app_) return;
    const int64_t id = fund("Lawyers for Maria K.");
    ASSERT_GT(id, 0);
    const std::string base = "/api/v1/funds/" + std::to_string(id);
    auto donated =
        call("POST", base + "/donations", support_.id,
             R"({"amount_minor": 12550, "currency": "EUR", "channel": "bank_transfer", "value_date": "2026-11-20", "donor": "Anna Petrova"})");
    ASSERT_EQ(donated.status, 201) << donated.body;
    EXPECT_EQ(donated.body.find("Anna"), std::string::npos) << "the entry names no donor";
    EXPECT_EQ(donated.body.find("\"seq\""), std::string::npos) << "nor the ledger's global sequence (other sites' pace)";
    auto incognito =
        call("POST", base + "/donations", support_.id, R"({"amount_minor": 2000, "currency": "EUR", "channel": "cash", "value_date": "2026-11-21"})");
    ASSERT_EQ(incognito.status, 201) << incognito.body;
    auto paid = call("POST", base + "/disbursements", support_.id,
                     R"({"amount_minor": 10000, "currency": "EUR", "risk": "medium", "value_date": "2026-11-22", "payee": "Advokat Sergei Ivanov"})");
    ASSERT_EQ(paid.status, 201) << paid.body;
    // More than the fund holds: refused, nothing written.
    auto too_much = call("POST", base + "/disbursements", support_.id,
                         R"({"amount_minor": 5000, "currency": "EUR", "risk": "low", "value_date": "2026-11-22", "payee": "Someone"})");
    EXPECT_EQ(too_much.status, 409) << too_much.body;
    // Hostile input: each refused naming its field.
    for (const auto& [body, field] : std::vector<std::pair<std::string, std::string>>{
             {R"({"amount_minor": -5, "currency": "EUR", "channel": "cash", "value_date": "2026-11-20"})", "amount_minor"},
             {R"({"amount_minor": 1.5, "currency": "EUR", "channel": "cash", "value_date": "2026-11-20"})", "amount_minor"},
             {R"({"amount_minor": 100, "currency": "eur", "channel": "cash", "value_date": "2026-11-20"})", "currency"},
             {R"({"amount_minor": 100, "currency": "EUR", "channel": "gold", "value_date": "2026-11-20"})", "channel"},
             {R"({"amount_minor": 100, "currency": "EUR", "channel": "cash", "value_date": "2031-01-01"})", "value_date"},
             {R"({"amount_minor": 100, "currency": "EUR", "channel": "cash", "value_date": "2026-02-30"})", "value_date"},
         }) {
        auto r = call("POST", base + "/donations", support_.id, body);
        EXPECT_EQ(r.status, 422) << body << " → " << r.body;
        EXPECT_NE(r.body.find("\"" + field + "\""), std::string::npos) << r.body;
    }
    // A correction is a reversing entry, once.
    const int64_t seq = json::parse(incognito.body).at("number").as_int64();
    auto reversed = call("POST", base + "/entries/" + std::to_string(seq) + "/reverse", support_.id);
    ASSERT_EQ(reversed.status, 201) << reversed.body;
    EXPECT_EQ(json::parse(reversed.body).at("amount_minor").as_int64(), -2000);
    EXPECT_EQ(call("POST", base + "/entries/" + std::to_string(seq) + "/reverse", support_.id).status, 409);
    const int64_t reversal = json::parse(reversed.body).at("number").as_int64();
    EXPECT_EQ(call("POST", base + "/entries/" + std::to_string(reversal) + "/reverse", support_.id).status, 409) << "a reversal is not reversed";

    auto shown = call("GET", base, support_.id);
    ASSERT_EQ(shown.status, 200);
    const auto balances = json::parse(shown.body).at("balances").as_array();
    ASSERT_EQ(balances.size(), 1u);
    EXPECT_EQ(balances[0].at("balance_minor").as_int64(), 12550 + 2000 - 10000 - 2000);
    auto csv = call("GET", base + "/ledger.csv", support_.id);
    ASSERT_EQ(csv.status, 200);
    EXPECT_NE(csv.body.find("donation"), std::string::npos);
    for (const char* name : {"Anna", "Petrova", "Sergei", "Ivanov", "Maria"}) EXPECT_EQ(csv.body.find(name), std::string::npos) << name;

    // The kept donor is read back by prisoner support only (audited), and erased for good; the chain stays whole.
    const std::string donation = base + "/entries/" + std::to_string(json::parse(donated.body).at("number").as_int64());
    auto donor = call("GET", donation + "/party", support_.id);
    ASSERT_EQ(donor.status, 200) << donor.body;
    EXPECT_EQ(json::parse(donor.body).at("name").as_string(), "Anna Petrova");
    EXPECT_EQ(call("GET", base + "/entries/" + std::to_string(seq) + "/party", support_.id).status, 404) << "incognito: no name kept";
    EXPECT_EQ(call("GET", donation + "/party", elsewhere_.id).status, 404);
    EXPECT_EQ(call("DELETE", donation + "/party", support_.id).status, 204);
    EXPECT_EQ(call("GET", donation + "/party", support_.id).status, 404);
    EXPECT_EQ(app_->db().query("SELECT COUNT(*) FROM audit_log WHERE action = 'fund.party_read'").at(0).integer(0), 1);
    auto listed = call("GET", base + "/entries?after=0&limit=2", support_.id);
    ASSERT_EQ(listed.status, 200) << listed.body;
    EXPECT_EQ(json::parse(listed.body).at("items").as_array().size(), 2u);
    EXPECT_EQ(listed.body.find("Sergei"), std::string::npos);
    EXPECT_EQ(call("GET", base + "/entries?limit=9999", support_.id).status, 422);

    // An entry of another fund is not this fund's: reversing, reading or erasing through the wrong fund finds nothing.
    const int64_t other = fund("Another fund");
    const std::string other_base = "/api/v1/funds/" + std::to_string(other);
    EXPECT_EQ(call("POST", other_base + "/entries/" + std::to_string(seq) + "/reverse", support_.id).status, 404);
    EXPECT_EQ(call("GET", other_base + "/entries/" + std::to_string(json::parse(paid.body).at("number").as_int64()) + "/party", support_.id).status,
              404);
    // A donation already spent cannot be taken back: the fund would go below zero.
    const int64_t spent = fund("Spent");
    const std::string spent_base = "/api/v1/funds/" + std::to_string(spent);
    auto gift = call("POST", spent_base + "/donations", support_.id,
                     R"({"amount_minor": 1000, "currency": "EUR", "channel": "cash", "value_date": "2026-11-20"})");
    EXPECT_EQ(json::parse(gift.body).at("number").as_int64(), 1) << "each fund numbers its own entries";
    ASSERT_EQ(call("POST", spent_base + "/disbursements", support_.id,
                   R"({"amount_minor": 800, "currency": "EUR", "risk": "low", "value_date": "2026-11-21", "payee": "Lawyer"})")
                  .status,
              201);
    EXPECT_EQ(
        call("POST", spent_base + "/entries/" + std::to_string(json::parse(gift.body).at("number").as_int64()) + "/reverse", support_.id).status,
        409);
    // The accountant's CSV: amounts as numbers (no quote before a minus), the export audited.
    EXPECT_NE(call("GET", spent_base + "/ledger.csv", support_.id).body.find(",-800,EUR,"), std::string::npos);
    EXPECT_GE(app_->db().query("SELECT COUNT(*) FROM audit_log WHERE action = 'fund.export'").at(0).integer(0), 2);

    // Another site's prisoner support, and other roles: nothing.
    EXPECT_EQ(call("GET", base, elsewhere_.id).status, 404);
    EXPECT_EQ(
        call("POST", base + "/donations", elsewhere_.id, R"({"amount_minor": 100, "currency": "EUR", "channel": "cash", "value_date": "2026-11-20"})")
            .status,
        404);
    EXPECT_EQ(call("GET", "/api/v1/sites/" + std::to_string(site_) + "/funds", elsewhere_.id).status, 403);
    auto volunteer = testing::make_account(app_->accounts(), clock_, "volunteer", Role::volunteer, site_);
    EXPECT_EQ(call("GET", base + "/ledger.csv", volunteer.id).status, 403);
    auto admin = testing::make_account(app_->accounts(), clock_, "admin", Role::administrator, site_);
    EXPECT_EQ(call("GET", base, admin.id).status, 200) << "an administrator sees balances";
    EXPECT_EQ(call("POST", base + "/entries/" + std::to_string(seq) + "/reverse", admin.id).status, 403) << "but keeps no ledger";

    const auto out = verify_cli();
    EXPECT_NE(out.find("ledger intact: 6 entries"), std::string::npos) << out;
}

TEST_P(Funds, TenThousandEntriesAtOnceEveryBalanceExactAndEveryTamperingNamed) {
    if (!app_) return;
    auto& service = app_->funds();
    const Principal support{support_.id, "support", {{site_, Role::prisoner_support}}, "session", "", false, "en"};
    std::vector<int64_t> funds;
    for (int i = 0; i < 4; ++i) funds.push_back(fund("Fund " + std::to_string(i)));
    std::mutex m;
    std::map<std::pair<int64_t, std::string>, int64_t> expected;
    int64_t written = 0, refused = 0;
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&, t] {
            std::mt19937 random{uint32_t(t)};
            for (int i = 0; i < 1250; ++i) {
                const int64_t f = funds[random() % funds.size()];
                const std::string currency = random() % 3 ? "EUR" : "PLN";
                const int64_t amount = 1 + int64_t(random() % 50000);
                auto e = random() % 3 ? service.donate(support, f, {amount, currency, "online", "2026-11-25", ""})
                                      : service.disburse(support, f, {amount, currency, "low", "2026-11-25", "Law firm"});
                std::lock_guard lock(m);
                if (e) {
                    expected[{f, currency}] += e->amount_minor;
                    ++written;
                } else {
                    EXPECT_EQ(e.error().code, "insufficient_funds") << e.error().message;
                    ++refused;
                }
            }
        });
    for (auto& th : threads) th.join();
    EXPECT_EQ(written + refused, 10000);
    EXPECT_GT(refused, 0) << "some disbursements met an empty fund";
    for (int64_t f : funds) {
        const auto shown = service.fund(support, f);
        ASSERT_TRUE(shown.ok());
        for (const auto& b : shown->balances) {
            EXPECT_EQ(b.minor, (expected[{f, b.currency}])) << "fund " << f << " " << b.currency;
            EXPECT_GE(b.minor, 0);
        }
    }
    auto check = prisoners::verify_ledger(app_->db(), app_->vault().audit_public_key());
    EXPECT_FALSE(check.bad_seq) << check.problem;
    EXPECT_EQ(check.entries, written);

    const std::string target = std::to_string(written / 2);
    auto broken_at = [&] { return prisoners::verify_ledger(app_->db(), app_->vault().audit_public_key()).bad_seq.value_or(-1); };
    // A flipped amount, then restored.
    ASSERT_EQ(exec("UPDATE fund_ledger SET amount_minor = amount_minor + 1 WHERE seq = $1", {written / 2}), 1);
    EXPECT_EQ(broken_at(), written / 2);
    EXPECT_NE(verify_cli().find("ledger BROKEN at entry " + target), std::string::npos);
    exec("UPDATE fund_ledger SET amount_minor = amount_minor - 1 WHERE seq = $1", {written / 2});
    EXPECT_EQ(broken_at(), -1);
    // Two entries swapped (their places in the sequence), then swapped back.
    auto swap = [&](int64_t a, int64_t b) {
        exec("UPDATE fund_ledger SET seq = -1 WHERE seq = $1", {a});
        exec("UPDATE fund_ledger SET seq = $1 WHERE seq = $2", {a, b});
        exec("UPDATE fund_ledger SET seq = $1 WHERE seq = -1", {b});
    };
    swap(100, 101);
    EXPECT_EQ(broken_at(), 100);
    swap(100, 101);
    EXPECT_EQ(broken_at(), -1);
    // The tail cut off with the head row set back and the balances recomputed: only a checkpoint kept off the
    // server shows it.
    {
        const std::string checkpoint = dir_ + "/ledger.checkpoint";
        std::ofstream(checkpoint) << verify_cli("checkpoint");
        EXPECT_NE(verify_cli("verify --checkpoint " + checkpoint).find("checkpoint " + std::to_string(written) + " present"), std::string::npos);
        auto last = app_->db().query("SELECT hash FROM fund_ledger WHERE seq = $1", {written - 3}).at(0).text(0);
        exec("DELETE FROM fund_ledger WHERE seq > $1", {written - 3});
        exec("UPDATE fund_ledger_head SET seq = $1, hash = $2 WHERE id = 1", {written - 3, last});
        exec("DELETE FROM fund_balances");
        exec(
            "INSERT INTO fund_balances (fund_id, currency, balance_minor, entries) SELECT fund_id, currency, SUM(amount_minor), COUNT(*) FROM "
            "fund_ledger "
            "GROUP BY fund_id, currency");
        EXPECT_EQ(broken_at(), -1) << "without the checkpoint the cut is invisible";
        EXPECT_NE(verify_cli("verify --checkpoint " + checkpoint).find("ledger BROKEN at entry " + std::to_string(written)), std::string::npos);
        written -= 3;
    }
    // An entry deleted: named, and the balances no longer add up either.
    ASSERT_EQ(exec("DELETE FROM fund_ledger WHERE seq = $1", {written - 10}), 1);
    EXPECT_EQ(broken_at(), written - 10);
    EXPECT_NE(verify_cli().find("ledger BROKEN at entry " + std::to_string(written - 10)), std::string::npos);
}

// The pages, as prisoner support on a phone would use them, in Russian: open a fund, record a donation typed
// "125,50", a payment beyond the balance refused with what was typed kept, a correction asked first.
TEST_P(Funds, ThePagesKeepTheLedgerInThePagesLanguage) {
    if (!app_) return;
    const std::string session = testing::session_for(app_->db(), clock_, support_.id);
    auto form = [&](const std::string& target, const std::string& body) {
        return testing::request(port_, "POST", target, "_csrf=" + csrf_ + "&" + body,
                                "Cookie: __Host-haven_session=" + session + "; __Host-haven_csrf=" + csrf_ +
                                    "; haven_lang=ru\r\nContent-Type: application/x-www-form-urlencoded\r\n");
    };
    auto page = [&](const std::string& target) {
        return testing::request(port_, "GET", target, "", "Cookie: __Host-haven_session=" + session + "; haven_lang=ru\r\n");
    };
    EXPECT_EQ(page("/funds").status, 303);
    auto list = page("/sites/" + std::to_string(site_) + "/funds");
    ASSERT_EQ(list.status, 200);
    EXPECT_NE(list.body.find("Открыть фонд"), std::string::npos);
    auto made = form("/sites/" + std::to_string(site_) + "/funds", "name=Lawyers+for+Igor&currency=EUR&goal=3000");
    ASSERT_EQ(made.status, 303) << made.body.substr(0, 400);
    const std::string fund = made.headers.substr(made.headers.find("Location: ") + 10,
                                                 made.headers.find("\r\n", made.headers.find("Location: ")) - made.headers.find("Location: ") - 10);
    ASSERT_EQ(form(fund + "/donations", "amount=125%2C50&currency=EUR&channel=cash&value_date=2026-11-29&donor=").status, 303);
    auto shown = page(fund);
    ASSERT_EQ(shown.status, 200);
    EXPECT_NE(shown.body.find("125.50 EUR"), std::string::npos);
    EXPECT_NE(shown.body.find("Пожертвование"), std::string::npos);
    auto refused = form(fund + "/disbursements", "amount=500&currency=EUR&risk=high&value_date=2026-11-29&payee=Advokat+Lebedev");
    EXPECT_EQ(refused.status, 409);
    EXPECT_NE(refused.body.find("В фонде нет такой суммы"), std::string::npos) << refused.body.substr(0, 2000);
    EXPECT_NE(refused.body.find("Advokat Lebedev"), std::string::npos) << "what was typed is kept";
    auto bad = form(fund + "/donations", "amount=12.345&currency=EUR&channel=cash&value_date=2026-11-29");
    EXPECT_EQ(bad.status, 422);
    EXPECT_NE(bad.body.find("aria-invalid"), std::string::npos);
    auto ask = form(fund + "/entries/1/reverse", "");
    EXPECT_EQ(ask.status, 200);
    EXPECT_NE(ask.body.find("Исправить запись 1?"), std::string::npos);
    EXPECT_EQ(form(fund + "/entries/1/reverse", "confirm=1").status, 303);
    EXPECT_NE(page(fund).body.find("Исправление записи #1"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Engines, Funds, ::testing::Values("sqlite", "postgres"), testing::engine_name);

}  // namespace
}  // namespace haven
