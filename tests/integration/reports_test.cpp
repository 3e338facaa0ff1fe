// Reports for funders (issue 19) on both engines, through the API: figures counted from what the modules record,
// small ones and those that would reveal them hidden, a second report that would reveal a hidden figure by
// subtraction hiding more, the editor-prepares / administrator-releases rule, what others may not do, downloads
// only once released, released counts that keep their value.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "app/app.hpp"
#include "modules/reports/disclosure.hpp"
#include "modules/reports/report.hpp"
#include "support/accounts.hpp"
#include "support/app_fixture.hpp"
#include "support/engines.hpp"
#include "support/http_client.hpp"

namespace haven {
namespace {

namespace json = boost::json;
using testing::HttpReply;

constexpr int64_t jan_2027 = 1'798'761'600'000;  // 2027-01-01T00:00Z
constexpr int64_t day = 86'400'000;

class Reports : public testing::AppFixture<ManualClock> {
protected:
    void SetUp() override {
        AppFixture::SetUp();
        if (!app_) return;
        clock_.set_ms(jan_2027 + 120 * day);  // May 2027
        auto& svc = app_->accounts();
        auto paris = svc.create_site(nullptr, {"Paris", "Paris", "France", "Europe/Paris", false});
        auto lyon = svc.create_site(nullptr, {"Lyon", "Lyon", "France", "Europe/Paris", false});
        ASSERT_TRUE(paris.ok() && lyon.ok());
        paris_ = paris->id;
        lyon_ = lyon->id;
        editor_ = testing::make_account(svc, clock_, "editor", Role::report_editor, paris_);
        admin_ = testing::make_account(svc, clock_, "admin", Role::administrator, paris_);
        grant(editor_.id, lyon_, "report_editor");
        grant(admin_.id, lyon_, "administrator");
        paris_admin_ = testing::make_account(svc, clock_, "admin-paris", Role::administrator, paris_);
        coordinator_ = testing::make_account(svc, clock_, "coordinator", Role::coordinator, paris_);
    }

    void grant(int64_t account, int64_t site, const std::string& role) {
        ASSERT_TRUE(app_->db()
                        .write([&](storage::Tx& tx) -> Status {
                            tx.exec("INSERT INTO account_roles (account_id, site_id, role) VALUES ($1, $2, $3)", {account, site, role});
                            return {};
                        })
                        .ok());
    }
    // `n` people registered at `site` on day `d` of 2027 (the counts read only the plain columns).
    void people(int64_t site, int d, int n) {
        ASSERT_TRUE(app_->db()
                        .write([&](storage::Tx& tx) -> Status {
                            for (int i = 0; i < n; ++i)
                                tx.exec("INSERT INTO people (id, site_id, person_key, record, created_at, active_at) VALUES ($1, $2, $3, $4, $5, $5)",
                                        {++next_, site, storage::Blob::of("k"), storage::Blob::of("r"), jan_2027 + d * day + i});
                            return {};
                        })
                        .ok());
    }
    HttpReply call(const std::string& method, const std::string& target, int64_t account, const std::string& body = {},
                   const std::string& type = "application/json") {
        return testing::signed_request(port_, method, target, testing::session_for(app_->db(), clock_, account), csrf_, body, type);
    }
    json::object prepare(int64_t account, json::object definition, int status = 201) {
        auto r = call("POST", "/api/v1/reports", account, json::serialize(definition));
        EXPECT_EQ(r.status, status) << r.body;
        return r.status == 201 ? json::parse(r.body).as_object() : json::object{};
    }
    json::object quarterly(json::array sites, std::string grain = "month") {
        return {{"title", "Q1 2027 — Fondation Lumière"}, {"sites", std::move(sites)}, {"from", "2027-01"}, {"to", "2027-03"}, {"grain", grain},
                {"indicators", json::array{"people_new"}}};
    }
    // The value of the cell at (site, column), or -1 when hidden.
    static int64_t cell(const json::object& report, int64_t site, const std::string& column) {
        for (const auto& c : report.at("cells").as_array())
            if (c.at("site_id").as_int64() == site && c.at("column").as_string() == column)
                return c.at("value").is_null() ? -1 : c.at("value").as_int64();
        ADD_FAILURE() << "no cell " << site << " " << column;
        return -2;
    }

    int64_t paris_ = 0, lyon_ = 0, next_ = 1000;
    testing::TestAccount editor_, admin_, paris_admin_, coordinator_;
    const std::string csrf_ = "csrf-token-for-the-reports-test";
};

TEST_P(Reports, SmallFiguresAndWhatWouldRevealThemAreHiddenAndOnlyAReleasedReportDownloads) {
    if (!app_) return;
    people(paris_, 3, 12);  // Jan: Paris 12, Lyon 2
    people(lyon_, 5, 2);
    people(paris_, 40, 3);  // Feb: Paris 3, Lyon 11
    people(lyon_, 41, 11);
    people(paris_, 70, 15);  // Mar: Paris 15, Lyon 14
    people(lyon_, 71, 14);
    people(paris_, 100, 9);  // April: outside the quarter

    auto r = prepare(editor_.id, quarterly({paris_, lyon_}));
    ASSERT_FALSE(r.empty());
    EXPECT_EQ(r.at("state").as_string(), "prepared");
    EXPECT_EQ(cell(r, paris_, "2027-01"), 12);
    EXPECT_EQ(cell(r, lyon_, "2027-01"), -1) << "2 is under 10";
    EXPECT_EQ(cell(r, paris_, "2027-02"), -1) << "3 is under 10";
    EXPECT_EQ(cell(r, paris_, "2027-03"), 15);
    // No figure shown is under k, and the attacker's program, given every figure shown, cannot pin a small one.
    std::vector<reports::Figure> known;
    std::map<std::pair<int64_t, std::string>, int64_t> atom;  // (site, month) → atom id
    for (int64_t s : {paris_, lyon_})
        for (const char* m : {"2027-01", "2027-02", "2027-03"}) atom[{s, m}] = int64_t(atom.size());
    for (const auto& c : r.at("cells").as_array()) {
        if (c.at("value").is_null()) continue;
        EXPECT_GE(c.at("value").as_int64(), 10);
        reports::Figure f{{}, c.at("value").as_int64()};
        const int64_t site = c.at("site_id").as_int64();
        const std::string column(c.at("column").as_string());
        for (int64_t s : {paris_, lyon_})
            for (const char* m : {"2027-01", "2027-02", "2027-03"})
                if ((site == 0 || site == s) && (column == "total" || column == m)) f.atoms.push_back(atom[{s, m}]);
        known.push_back(f);
    }
    for (auto [s, m] : {std::pair{lyon_, "2027-01"}, std::pair{paris_, "2027-02"}}) {
        auto range = reports::attack({atom[{s, m}]}, known);
        ASSERT_TRUE(range.ok());
        EXPECT_GE(range->width(), 5.0) << s << " " << m << ": [" << range->least << ", " << range->most << "]";
    }

    // Nothing downloads before the release; the editor cannot release; neither can an administrator of one site only.
    const std::string url = "/api/v1/reports/" + std::to_string(r.at("id").as_int64());
    const std::string page = "/reports/" + std::to_string(r.at("id").as_int64());
    EXPECT_EQ(call("GET", page + "/pdf", editor_.id).status, 409);
    EXPECT_EQ(call("POST", url + "/release", editor_.id).status, 403);
    EXPECT_EQ(call("POST", url + "/release", paris_admin_.id).status, 404) << "a report about Lyon is not Paris's alone";
    EXPECT_EQ(call("GET", url, paris_admin_.id).status, 404);
    EXPECT_EQ(call("GET", url, coordinator_.id).status, 403);
    EXPECT_EQ(testing::signed_request(port_, "GET", url, "", csrf_).status, 401);

    auto released = call("POST", url + "/release", admin_.id);
    ASSERT_EQ(released.status, 200) << released.body;
    EXPECT_EQ(json::parse(released.body).at("state").as_string(), "released");
    EXPECT_EQ(call("POST", url + "/release", admin_.id).status, 409) << "once";
    EXPECT_EQ(call("POST", url + "/discard", admin_.id).status, 409);

    auto csv = call("GET", page + "/csv", editor_.id);
    ASSERT_EQ(csv.status, 200);
    EXPECT_NE(csv.body.find("Paris"), std::string::npos);
    EXPECT_NE(csv.body.find("[c]"), std::string::npos);
    EXPECT_EQ(csv.body.find(",2,"), std::string::npos) << "a hidden value never leaves";
    auto pdf = call("GET", page + "/pdf", admin_.id);
    ASSERT_EQ(pdf.status, 200);
    EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");
    auto xlsx = call("GET", page + "/xlsx", admin_.id);
    ASSERT_EQ(xlsx.status, 200);
    EXPECT_EQ(xlsx.body.substr(0, 2), "PK");
    EXPECT_EQ(call("GET", page + "/charts/1", editor_.id).status, 200);
    EXPECT_EQ(call("GET", page + "/charts/2", editor_.id).status, 404);

    // Lyon's administrator… is admin_ too; Paris's administrator sees no report that covers Lyon in the list.
    auto listed = json::parse(call("GET", "/api/v1/reports", paris_admin_.id).body).at("items").as_array();
    EXPECT_TRUE(listed.empty());
    EXPECT_EQ(json::parse(call("GET", "/api/v1/reports", editor_.id).body).at("items").as_array().size(), 1u);
}

TEST_P(Reports, ASecondReportHidesWhatSubtractionFromTheFirstWouldReveal) {
    if (!app_) return;
    people(paris_, 3, 23);  // Paris: January 23, February 14; Lyon: January 2, February 12
    people(lyon_, 5, 2);
    people(paris_, 40, 14);
    people(lyon_, 41, 12);
    // First: both sites, the quarter. Nothing small is shown: Paris 37, Lyon 14, both 51.
    auto first = prepare(editor_.id, quarterly({paris_, lyon_}, "quarter"));
    ASSERT_FALSE(first.empty());
    EXPECT_EQ(cell(first, paris_, "2027-Q1"), 37);
    EXPECT_EQ(cell(first, lyon_, "2027-Q1"), 14);
    EXPECT_EQ(cell(first, 0, "2027-Q1"), 51);
    ASSERT_EQ(call("POST", "/api/v1/reports/" + std::to_string(first.at("id").as_int64()) + "/release", admin_.id).status, 200);

    // Second: Lyon in February. Alone, 12 is safe to show; after the first, 14 - 12 = 2 people in Lyon in January
    // and March: hidden.
    json::object february = quarterly({lyon_});
    february["from"] = "2027-02";
    february["to"] = "2027-02";
    auto second = prepare(editor_.id, february);
    ASSERT_FALSE(second.empty());
    EXPECT_EQ(cell(second, lyon_, "2027-02"), -1);
    json::object paris_february = february;
    paris_february["sites"] = json::array{paris_};
    EXPECT_EQ(cell(prepare(editor_.id, paris_february), paris_, "2027-02"), 14) << "Paris's January stays 23, wide enough";

    // A count released keeps its value: a late entry for January changes nothing already released.
    people(paris_, 4, 5);
    auto again = prepare(editor_.id, quarterly({paris_, lyon_}, "quarter"));
    EXPECT_EQ(cell(again, paris_, "2027-Q1"), 37);
    EXPECT_EQ(cell(again, 0, "2027-Q1"), 51);
    clock_.set_ms(jan_2027 + 220 * day);  // August: the second quarter has ended
    auto april = quarterly({paris_}, "quarter");
    april["from"] = "2027-04";
    april["to"] = "2027-06";
    people(paris_, 95, 11);
    EXPECT_EQ(cell(prepare(editor_.id, april), paris_, "2027-Q2"), 11) << "new months count what is there";
}

TEST_P(Reports, NoOneReleasesTheirOwnReportAndDraftsCountAsShown) {
    if (!app_) return;
    people(paris_, 3, 23);
    people(lyon_, 5, 2);
    people(paris_, 40, 14);
    people(lyon_, 41, 12);
    // An administrator who also edits prepares: someone else must release it.
    auto both = testing::make_account(app_->accounts(), clock_, "both", Role::administrator, paris_);
    grant(both.id, paris_, "report_editor");
    grant(both.id, lyon_, "administrator");
    grant(both.id, lyon_, "report_editor");
    auto own = prepare(both.id, quarterly({paris_, lyon_}, "quarter"));
    ASSERT_FALSE(own.empty());
    auto refused = call("POST", "/api/v1/reports/" + std::to_string(own.at("id").as_int64()) + "/release", both.id);
    EXPECT_EQ(refused.status, 403);
    EXPECT_NE(refused.body.find("four_eyes"), std::string::npos);

    // A draft was seen by whoever prepared it: a report prepared after it is checked against it, released or not.
    // Lyon's quarter (14) is in the draft; Lyon's February (12) would leave 2 for January and March: hidden.
    json::object february = quarterly({lyon_});
    february["from"] = "2027-02";
    february["to"] = "2027-02";
    auto b = prepare(editor_.id, february);
    ASSERT_FALSE(b.empty());
    EXPECT_EQ(cell(b, lyon_, "2027-02"), -1) << "the draft before it is known to its reader";
    EXPECT_EQ(call("POST", "/api/v1/reports/" + std::to_string(b.at("id").as_int64()) + "/discard", coordinator_.id).status, 403);
    EXPECT_EQ(call("POST", "/api/v1/reports/" + std::to_string(b.at("id").as_int64()) + "/discard", editor_.id).status, 200);
    EXPECT_EQ(cell(prepare(editor_.id, february), lyon_, "2027-02"), -1) << "a discarded draft was seen too";

    // A late entry for Lyon's February: every report keeps the value the first report gave (14 for the quarter),
    // released or not, so no two drafts can be subtracted to give the change away.
    people(lyon_, 42, 1);
    auto lyon = prepare(editor_.id, quarterly({lyon_}, "quarter"));
    EXPECT_EQ(cell(lyon, lyon_, "2027-Q1"), 14);
    ASSERT_EQ(call("POST", "/api/v1/reports/" + std::to_string(own.at("id").as_int64()) + "/release", admin_.id).status, 200);
    EXPECT_EQ(call("POST", "/api/v1/reports/" + std::to_string(lyon.at("id").as_int64()) + "/release", admin_.id).status, 200);
}

// The attack an infiltrated editor tried: a draft by quarter, then one person erased (or a late entry), then a
// draft by month — were the month a new unknown, quarter − the other months would give January's 3.
TEST_P(Reports, ADraftBeforeAChangeAndOneAfterItGiveNothingAway) {
    if (!app_) return;
    people(paris_, 3, 3);  // January 3, February 13, March 10
    people(paris_, 40, 13);
    people(paris_, 70, 10);
    auto quarter = prepare(editor_.id, quarterly({paris_}, "quarter"));
    ASSERT_EQ(cell(quarter, paris_, "2027-Q1"), 26);
    ASSERT_TRUE(app_->db()
                    .write([&](storage::Tx& tx) -> Status {
                        tx.exec(
                            "DELETE FROM people WHERE site_id = $1 AND created_at >= $2 AND created_at < $3 AND id = "
                            "(SELECT MIN(id) FROM people WHERE site_id = $1 AND created_at >= $2 AND created_at < $3)",
                            {paris_, jan_2027 + 31 * day, jan_2027 + 59 * day});
                        return {};
                    })
                    .ok());
    auto months = prepare(editor_.id, quarterly({paris_}, "month"));
    ASSERT_FALSE(months.empty());
    const int64_t february = cell(months, paris_, "2027-02");
    EXPECT_TRUE(february == 13 || february == -1) << "February keeps the value the quarter used, or is hidden: " << february;
    // What both drafts show, to the attacker's program: January stays uncertain.
    std::vector<reports::Figure> known{{{0, 1, 2}, 26}};
    for (const auto& [column, atoms] :
         std::vector<std::pair<std::string, std::vector<int64_t>>>{{"2027-01", {0}}, {"2027-02", {1}}, {"2027-03", {2}}, {"total", {0, 1, 2}}})
        if (const int64_t v = cell(months, paris_, column); v >= 0) known.push_back({atoms, v});
    auto january = reports::attack({0}, known);
    ASSERT_TRUE(january.ok());
    EXPECT_GE(january->width(), 5.0) << "[" << january->least << ", " << january->most << "]";
}

TEST_P(Reports, TheEmergencyNetworkIsCountedOnlyForEverySiteByQuarter) {
    if (!app_) return;
    auto d = quarterly({paris_}, "quarter");
    d["indicators"] = json::array{"network_activations"};
    auto r = call("POST", "/api/v1/reports", editor_.id, json::serialize(d));
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_NE(r.body.find("every site"), std::string::npos) << r.body;
    d["sites"] = json::array{paris_, lyon_};
    EXPECT_EQ(call("POST", "/api/v1/reports", editor_.id, json::serialize(d)).status, 201);
}

TEST_P(Reports, EveryIndicatorCountsFromItsModulesRecords) {
    if (!app_) return;
    people(paris_, 1, 23);  // ids 1001…1023, registered in January
    // A studio and a desk at Paris; desk allocations across months; studio bookings (one cancelled); cases.
    const int64_t studio = 501, desk = 502;
    ASSERT_TRUE(
        app_->db()
            .write([&](storage::Tx& tx) -> Status {
                for (auto [id, kind] : {std::pair{studio, "studio"}, std::pair{desk, "desk"}})
                    tx.exec(
                        "INSERT INTO spaces (id, site_id, kind, name, equipment, bookings_version, created_at) VALUES ($1, $2, $3, "
                        "'s', '', 0, 0)",
                        {id, paris_, std::string(kind)});
                // 12 desks held from 15 January to 10 February: 12 desk-months in each; 11 only in March.
                for (int i = 0; i < 23; ++i)
                    tx.exec(
                        "INSERT INTO desk_allocations (id, space_id, person_id, from_date, to_date, created_by, created_at) VALUES ($1, $2, "
                        "$3, $4, $5, $6, 0)",
                        {int64_t(700 + i), desk, int64_t(1001 + i), std::string(i < 12 ? "2027-01-15" : "2027-03-01"),
                         std::string(i < 12 ? "2027-02-10" : "2027-03-31"), editor_.id});
                // 13 studio bookings of 1 h 40 min in January, one of them cancelled: 20 hours.
                for (int i = 0; i < 13; ++i)
                    tx.exec(
                        "INSERT INTO bookings (id, space_id, series_id, start_at, end_at, booked_by, cancelled_at, created_at) VALUES ($1, "
                        "$2, $1, $3, $4, $5, $6, 0)",
                        {int64_t(800 + i), studio, jan_2027 + i * day, jan_2027 + i * day + 100 * 60'000, editor_.id,
                         i == 0 ? storage::Value(int64_t(1)) : storage::Value(nullptr)});
                // 11 cases opened in February, 10 of them closed in March.
                for (int i = 0; i < 11; ++i)
                    tx.exec(
                        "INSERT INTO cases (id, person_id, site_id, status, record, created_at, updated_at, closed_at) VALUES ($1, $2, $3, $4, "
                        "$5, $6, $7, $8)",
                        {int64_t(900 + i), int64_t(1001 + i), paris_, std::string(i < 10 ? "closed" : "open"), storage::Blob::of("r"),
                         jan_2027 + 35 * day, jan_2027 + 65 * day, i < 10 ? storage::Value(jan_2027 + 65 * day) : storage::Value(nullptr)});
                return {};
            })
            .ok());
    auto d = quarterly({paris_}, "month");
    d["indicators"] = json::array{"desk_months", "studio_hours", "cases_opened", "cases_closed", "people_new", "people_returning"};
    auto r = prepare(editor_.id, d);
    ASSERT_FALSE(r.empty());
    auto value = [&](const char* indicator, const char* column) {
        for (const auto& c : r.at("cells").as_array())
            if (c.at("indicator").as_string() == indicator && c.at("column").as_string() == column && c.at("site_id").as_int64() == paris_)
                return c.at("value").is_null() ? int64_t(-1) : c.at("value").as_int64();
        return int64_t(-2);
    };
    // Every indicator's statement runs on this engine (the network's in a report of every site).
    json::array all;
    for (const auto& i : reports::indicators()) all.push_back(json::string(i.name));
    auto every = quarterly({paris_, lyon_}, "quarter");
    every["indicators"] = all;
    auto whole = prepare(editor_.id, every);
    ASSERT_FALSE(whole.empty());
    EXPECT_EQ(whole.at("cells").as_array().size(), (reports::indicators().size() - 1) * 3 + 1);
    EXPECT_EQ(value("desk_months", "2027-01"), 12);
    EXPECT_EQ(value("desk_months", "2027-02"), 12);
    EXPECT_EQ(value("desk_months", "2027-03"), 11);
    EXPECT_EQ(value("desk_months", "total"), 35);
    EXPECT_EQ(value("studio_hours", "2027-01"), 20) << json::serialize(r.at("cells"));
    EXPECT_EQ(value("cases_opened", "2027-02"), 11);
    EXPECT_EQ(value("cases_closed", "2027-03"), 10);
    EXPECT_EQ(value("people_new", "2027-01"), 23);
    // Returning: registered before the month and served in it, once each — none in January (all registered then);
    // in February the 12 holding desks (11 of whom also opened a case); in March the 11 other desk holders.
    EXPECT_EQ(value("people_returning", "2027-01"), -1);
    EXPECT_EQ(value("people_returning", "2027-02"), 12);
    EXPECT_EQ(value("people_returning", "2027-03"), 11);
}

// People registered broken down by nationality: small groups hidden, and the groups shown in one report and a
// total in another seen together (January's 14 minus its 11 Russians would give its 3 others away).
TEST_P(Reports, BreakdownsHideSmallGroupsAndAgreeWithTotalsReleasedBefore) {
    if (!app_) return;
    int n = 0;
    auto person = [&](int day_of_2027, const char* born, const char* nationality) {
        clock_.set_ms(jan_2027 + day_of_2027 * day + 3'600'000);
        json::object p{{"pseudonym", "Person" + std::to_string(++n)}, {"birth_date", born}, {"nationality", nationality}};
        auto r = call("POST", "/api/v1/people", coordinator_.id, json::serialize(p));
        ASSERT_EQ(r.status, 201) << r.body;
    };
    for (int i = 0; i < 11; ++i) person(5, "1995-03-03", "RU");
    for (int i = 0; i < 2; ++i) person(6, "2001-01-01", "Belarus");
    person(7, "", "");
    for (int i = 0; i < 12; ++i) person(40, "1980-06-06", "rus");
    for (int i = 0; i < 3; ++i) person(70, "1990-01-01", "UA");
    clock_.set_ms(jan_2027 + 120 * day);

    // First the people of January and February by nationality; then the quarter without breakdown, whose January
    // total would, beside the 11 Russians shown, give away the 3 others — unless it is hidden.
    auto d = quarterly({paris_}, "month");
    d["to"] = "2027-02";
    d["breakdown"] = "nationality";
    auto b = prepare(editor_.id, d);
    ASSERT_FALSE(b.empty());
    auto a = prepare(editor_.id, quarterly({paris_}, "month"));
    ASSERT_FALSE(a.empty());
    EXPECT_EQ(cell(a, paris_, "2027-03"), -1);  // 3
    // The attacker: one unknown per month and group, March's people as one; every figure shown by either report.
    const std::vector<std::string> groups = {"RU", "BY", "UA", "other", "unknown"};
    std::map<std::pair<std::string, std::string>, int64_t> var;  // (month, group) → column
    for (const char* m : {"2027-01", "2027-02"})
        for (const auto& g : groups) var[{m, g}] = int64_t(var.size());
    const int64_t march = int64_t(var.size());
    std::vector<reports::Figure> known;
    for (const auto& cv : a.at("cells").as_array()) {
        if (cv.at("value").is_null()) continue;
        const std::string column(cv.at("column").as_string());
        reports::Figure f{{}, cv.at("value").as_int64()};
        for (const auto& [k, v] : var)
            if (column == "total" || column == k.first) f.atoms.push_back(v);
        if (column == "total" || column == "2027-03") f.atoms.push_back(march);
        known.push_back(f);
    }
    bool any_group = false;
    for (const auto& cv : b.at("cells").as_array()) {
        const auto& c = cv.as_object();
        const std::string column(c.at("column").as_string());
        const std::string category = c.if_contains("category") ? std::string(c.at("category").as_string()) : "";
        any_group = any_group || !category.empty();
        if (c.at("value").is_null()) continue;
        EXPECT_GE(c.at("value").as_int64(), 10) << json::serialize(c);
        reports::Figure f{{}, c.at("value").as_int64()};
        for (const auto& [k, v] : var)
            if ((column == "total" || column == k.first) && (category.empty() || category == "nationality:" + k.second)) f.atoms.push_back(v);
        known.push_back(f);
    }
    EXPECT_TRUE(any_group);
    auto range = reports::attack({march}, known);
    ASSERT_TRUE(range.ok());
    EXPECT_GE(range->width(), 5.0) << "March: [" << range->least << ", " << range->most << "] from " << json::serialize(b.at("cells"));
    auto belarus = reports::attack({var[{"2027-01", "BY"}]}, known);
    ASSERT_TRUE(belarus.ok());
    EXPECT_GE(belarus->width(), 5.0) << "Belarus in January: [" << belarus->least << ", " << belarus->most << "] from "
                                     << json::serialize(b.at("cells"));

    // A late entry in January moves nothing: January's people keep the pairs the report by nationality gave them
    // (were they counted again, 15 people would not add up to the 14 shown, and the report would be refused as
    // March's is below).
    person(8, "1995-03-03", "RU");
    clock_.set_ms(jan_2027 + 120 * day);
    d["breakdown"] = "age";
    d["to"] = "2027-01";
    auto c = prepare(editor_.id, d);
    ASSERT_FALSE(c.empty());
    // March's total was counted without its pairs: March cannot be broken down now — decided from the reports alone,
    // so the refusal says nothing about the records (nobody registered in March has changed).
    d["from"] = "2027-03";
    d["to"] = "2027-03";
    auto refused = call("POST", "/api/v1/reports", editor_.id, json::serialize(d));
    EXPECT_EQ(refused.status, 422) << refused.body;
    EXPECT_NE(refused.body.find("\"fields\":{\"breakdown\""), std::string::npos) << refused.body;
    // Without the people registered, nothing to break down.
    d["indicators"] = json::array{"cases_opened"};
    auto bad = call("POST", "/api/v1/reports", editor_.id, json::serialize(d));
    EXPECT_EQ(bad.status, 422);
    EXPECT_NE(bad.body.find("\"breakdown\""), std::string::npos) << bad.body;
}

TEST_P(Reports, RoundedFiguresAreShownToTheNearestFiveAndCheckedExact) {
    if (!app_) return;
    people(paris_, 3, 12);
    people(paris_, 40, 13);
    people(paris_, 70, 17);
    auto d = quarterly({paris_});
    d["round_to"] = 5;
    auto r = prepare(editor_.id, d);
    ASSERT_FALSE(r.empty());
    EXPECT_EQ(r.at("round_to").as_int64(), 5);
    EXPECT_EQ(cell(r, paris_, "2027-01"), 10);
    EXPECT_EQ(cell(r, paris_, "2027-02"), 15);
    EXPECT_EQ(cell(r, paris_, "2027-03"), 15);
    EXPECT_EQ(cell(r, paris_, "total"), 40);  // 42
    auto page = call("GET", "/reports/" + std::to_string(r.at("id").as_int64()), editor_.id);
    EXPECT_NE(page.body.find("nearest 5"), std::string::npos);
    d["round_to"] = 3;
    auto bad = call("POST", "/api/v1/reports", editor_.id, json::serialize(d));
    EXPECT_EQ(bad.status, 422);
    EXPECT_NE(bad.body.find("\"round_to\""), std::string::npos) << bad.body;
}

TEST_P(Reports, ADefinitionIsCheckedFieldByField) {
    if (!app_) return;
    auto bad = [&](json::object d, const char* field) {
        auto r = call("POST", "/api/v1/reports", editor_.id, json::serialize(d));
        EXPECT_EQ(r.status, 422) << field << ": " << r.body;
        EXPECT_NE(r.body.find(std::string("\"fields\":{\"") + field + "\""), std::string::npos) << r.body;
    };
    auto d = quarterly({paris_});
    bad(
        [&] {
            auto x = d;
            x["title"] = "";
            return x;
        }(),
        "title");
    bad(
        [&] {
            auto x = d;
            x["from"] = "2027-13";
            return x;
        }(),
        "from");
    bad(
        [&] {
            auto x = d;
            x["to"] = "2026-12";
            return x;
        }(),
        "to");
    bad(
        [&] {
            auto x = d;
            x["to"] = "2030-12";
            return x;
        }(),
        "to");
    bad(
        [&] {
            auto x = d;
            x["grain"] = "quarter";
            x["from"] = "2027-02";
            return x;
        }(),
        "from");
    bad(
        [&] {
            auto x = d;
            x["indicators"] = json::array{"people_new", "names"};
            return x;
        }(),
        "indicators");
    bad(
        [&] {
            auto x = d;
            x["indicators"] = json::array{"network_activations"};
            return x;
        }(),
        "indicators");
    bad(
        [&] {
            auto x = d;
            x["sites"] = json::array{};
            return x;
        }(),
        "sites");
    bad(
        [&] {
            auto x = d;
            x["sites"] = json::array{"1"};
            return x;
        }(),
        "sites");
    auto running = quarterly({paris_}, "month");
    running["to"] = "2027-05";  // this month (the clock says May 2027)
    bad(running, "to");
    // A site the editor does not work at: forbidden, whatever the rest.
    auto other = app_->accounts().create_site(nullptr, {"Berlin", "Berlin", "Germany", "Europe/Berlin", false});
    ASSERT_TRUE(other.ok());
    EXPECT_EQ(call("POST", "/api/v1/reports", editor_.id, json::serialize(quarterly({paris_, other->id}))).status, 403);
    EXPECT_EQ(call("POST", "/api/v1/reports", admin_.id, json::serialize(d)).status, 403) << "administrators release; editors prepare";
    EXPECT_EQ(call("POST", "/api/v1/reports", editor_.id, "{\"title\": ").status, 400);
}

TEST_P(Reports, AGrantsPaymentsAndDeadlinesShowAheadAndItsTargetsMeetItsReleasedReports) {
    if (!app_) return;
    people(paris_, 3, 23);
    const std::string site = "/api/v1/sites/" + std::to_string(paris_);
    auto funder = call("POST", site + "/funders", editor_.id,
                       R"({"name": "Fondation Lumière", "contact_name": "Claire Martin", "email": "claire@lumiere.example"})");
    ASSERT_EQ(funder.status, 201) << funder.body;
    const int64_t funder_id = json::parse(funder.body).at("id").as_int64();
    // Today is 2027-05-01: a payment overdue since April, a report due in three weeks, one due next year.
    json::object g{{"funder_id", funder_id},
                   {"title", "Accueil 2027"},
                   {"status", "active"},
                   {"amount_minor", 4'000'000},
                   {"currency", "EUR"},
                   {"starts", "2027-01-01"},
                   {"ends", "2027-12-31"},
                   {"restricted", true},
                   {"tranches", json::array{json::object{{"due", "2027-01-15"}, {"amount_minor", 2'000'000}, {"received", "2027-01-20"}},
                                            json::object{{"due", "2027-04-15"}, {"amount_minor", 2'000'000}}}},
                   {"deadlines", json::array{json::object{{"due", "2027-05-22"}, {"what", "Rapport intermédiaire"}},
                                             json::object{{"due", "2028-01-31"}, {"what", "Rapport final"}}}},
                   {"lines", json::array{json::object{{"label", "Loyer"}, {"budget_minor", 1'200'000}, {"actual_minor", 400'000}}}},
                   {"targets", json::array{json::object{{"indicator", "people_new"}, {"target", 100}}}}};
    auto made = call("POST", site + "/grants", editor_.id, json::serialize(g));
    ASSERT_EQ(made.status, 201) << made.body;
    const int64_t grant = json::parse(made.body).at("id").as_int64();
    auto due = json::parse(call("GET", site + "/due", editor_.id).body).at("items").as_array();
    ASSERT_EQ(due.size(), 2u) << json::serialize(due);
    EXPECT_EQ(due[0].at("kind").as_string(), "tranche");  // overdue, first
    EXPECT_EQ(due[0].at("date").as_string(), "2027-04-15");
    EXPECT_EQ(due[1].at("what").as_string(), "Rapport intermédiaire");
    EXPECT_EQ(call("GET", site + "/due?days=400", editor_.id).status, 422);
    // An administrator's dashboard of the site says so too.
    auto dashboard = call("GET", "/sites/" + std::to_string(paris_) + "/dashboard", admin_.id);
    ASSERT_EQ(dashboard.status, 200);
    EXPECT_NE(dashboard.body.find("Rapport intermédiaire"), std::string::npos);
    EXPECT_EQ(call("GET", "/sites/" + std::to_string(paris_) + "/dashboard", coordinator_.id).body.find("Rapport intermédiaire"), std::string::npos)
        << "a coordinator does not see grants";

    // Marked in one click each; the list empties.
    const std::string page = "/grants/" + std::to_string(grant);
    EXPECT_EQ(call("POST", page + "/tranches/2/received", editor_.id, "_csrf=" + csrf_, "application/x-www-form-urlencoded").status, 303);
    EXPECT_EQ(call("POST", page + "/deadlines/1/done", editor_.id, "_csrf=" + csrf_, "application/x-www-form-urlencoded").status, 303);
    EXPECT_EQ(call("POST", page + "/deadlines/7/done", editor_.id, "_csrf=" + csrf_, "application/x-www-form-urlencoded").status, 404);
    EXPECT_TRUE(json::parse(call("GET", site + "/due", editor_.id).body).at("items").as_array().empty());

    // A report for the grant, released: the grant's page sets its figure beside the target.
    auto d = quarterly({paris_}, "quarter");
    d["grant_id"] = grant;
    auto r = prepare(editor_.id, d);
    ASSERT_FALSE(r.empty());
    ASSERT_EQ(call("POST", "/api/v1/reports/" + std::to_string(r.at("id").as_int64()) + "/release", admin_.id).status, 200);
    auto shown = call("GET", page, editor_.id);
    ASSERT_EQ(shown.status, 200);
    EXPECT_NE(shown.body.find("Fondation Lumière"), std::string::npos);
    EXPECT_NE(shown.body.find(">23<"), std::string::npos) << "the released figure beside the target";

    // Others: a coordinator may not, another site's administrator sees nothing, a bad grant names its field.
    EXPECT_EQ(call("GET", "/api/v1/grants/" + std::to_string(grant), coordinator_.id).status, 403);
    auto lyon_admin = testing::make_account(app_->accounts(), clock_, "admin-lyon", Role::administrator, lyon_);
    EXPECT_EQ(call("GET", "/api/v1/grants/" + std::to_string(grant), lyon_admin.id).status, 404);
    EXPECT_EQ(call("PUT", "/api/v1/grants/" + std::to_string(grant), lyon_admin.id, json::serialize(g)).status, 404);
    EXPECT_EQ(call("GET", "/api/v1/sites/" + std::to_string(paris_) + "/funders", lyon_admin.id).status, 403);
    auto other_funder = call("POST", "/api/v1/sites/" + std::to_string(lyon_) + "/funders", lyon_admin.id, R"({"name": "Lyon Fund"})");
    ASSERT_EQ(other_funder.status, 201);
    g["funder_id"] = json::parse(other_funder.body).at("id").as_int64();
    auto stolen = call("PUT", "/api/v1/grants/" + std::to_string(grant), editor_.id, json::serialize(g));
    EXPECT_EQ(stolen.status, 422) << "another site's funder";
    g["funder_id"] = funder_id;
    g["tranches"] = json::array{json::object{{"due", "2027-02-30"}, {"amount_minor", 1}}};
    auto bad = call("PUT", "/api/v1/grants/" + std::to_string(grant), editor_.id, json::serialize(g));
    EXPECT_EQ(bad.status, 422);
    EXPECT_NE(bad.body.find("tranches[0].due"), std::string::npos) << bad.body;
    d["grant_id"] = 12345;
    EXPECT_EQ(call("POST", "/api/v1/reports", editor_.id, json::serialize(d)).status, 422);
}

INSTANTIATE_TEST_SUITE_P(Engines, Reports, ::testing::Values("sqlite", "postgres"), testing::engine_name);

}  // namespace
}  // namespace haven
