// People over HTTP on both engines: the API contract, search in both alphabets, the duplicate warning,
// record-level access (assignments ending with the injected clock), import of the shared spreadsheets,
// consent, retention and erasure.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "app/app.hpp"
#include "modules/people/store.hpp"
#include "support/accounts.hpp"
#include "support/app_fixture.hpp"
#include "support/engines.hpp"
#include "support/http_client.hpp"
#include "support/wait.hpp"

namespace haven {
namespace {

namespace json = boost::json;
using testing::HttpReply;
using namespace std::chrono_literals;

std::string test_data(const char* name) {
    std::ifstream in(std::string(HAVEN_SOURCE_DIR) + "/tests/data/" + name, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

class People : public testing::AppFixture<ManualClock> {
protected:
    void SetUp() override {
        AppFixture::SetUp();
        if (!app_) return;
        auto& svc = app_->accounts();
        auto site = svc.create_site(nullptr, {"Paris", "Paris", "France", "Europe/Paris", false});
        auto other = svc.create_site(nullptr, {"Berlin", "Berlin", "Germany", "Europe/Berlin", false});
        ASSERT_TRUE(site.ok() && other.ok());
        site_ = site->id;
        other_ = other->id;
        coordinator_account_ = testing::make_account(svc, clock_, "coord", Role::coordinator, site_);
        coordinator_ = login(coordinator_account_.id);
    }

    std::string login(int64_t account_id) { return testing::session_for(app_->db(), clock_, account_id); }

    HttpReply call(const std::string& method, const std::string& target, const std::string& session, const std::string& body = {},
                   const std::string& type = "application/json") {
        // Keep the session alive across the clock moves of a test. Imports of 2,000 people are checked against
        // those recorded: slow under ASan, hence the minute.
        auto reply = testing::signed_request(port_, method, target, session, csrf_, body, type, 60'000);
        return reply;
    }

    int64_t create(const std::string& session, const json::object& person) {
        auto r = call("POST", "/api/v1/people", session, json::serialize(person));
        EXPECT_EQ(r.status, 201) << r.body;
        if (r.status != 201) return 0;
        return json::parse(r.body).at("id").as_int64();
    }

    std::vector<std::string> search(const std::string& session, const std::string& q) {
        std::string encoded;
        for (unsigned char c : q) {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            encoded += buf;
        }
        auto r = call("GET", "/api/v1/people?q=" + encoded, session);
        EXPECT_EQ(r.status, 200) << r.body;
        std::vector<std::string> out;
        if (r.status != 200) return out;
        const json::value reply = json::parse(r.body);
        for (const auto& item : reply.at("items").as_array()) out.emplace_back(item.at("pseudonym").as_string());
        return out;
    }

    int64_t people_count() { return app_->db().query("SELECT COUNT(*) FROM people").at(0).integer(0); }

    int64_t site_ = 0, other_ = 0;
    std::string coordinator_;
    testing::TestAccount coordinator_account_;
    const std::string csrf_ = crypto::random_token();
};

TEST_P(People, ApiContractCreateSearchReadErase) {
    if (!app_) return;
    const int64_t id = create(coordinator_, {{"pseudonym", "Sever"},
                                             {"legal_names", json::array{"Соловьёв Даниил Тимурович", "SOLOVEV DANIIL"}},
                                             {"birth_date", "1980-02-28"},
                                             {"languages", json::array{"ru", "de"}},
                                             {"circumstances", json::array{"deserter"}}});
    ASSERT_GT(id, 0);
    // Any alphabet, any spelling.
    for (const char* q : {"Соловьёв", "соловьев", "Solovev", "Solowjow", "Solovyov Daniil", "Даниил", "Sever"})
        EXPECT_EQ(search(coordinator_, q), std::vector<std::string>{"Sever"}) << q;
    EXPECT_TRUE(search(coordinator_, "Petrova").empty());

    auto r = call("GET", "/api/v1/people/" + std::to_string(id), coordinator_);
    ASSERT_EQ(r.status, 200) << r.body;
    auto person = json::parse(r.body).as_object();
    EXPECT_EQ(person.at("pseudonym").as_string(), "Sever");
    EXPECT_EQ(person.at("site_id").as_int64(), site_);
    EXPECT_EQ(person.at("birth_date").as_string(), "1980-02-28");
    EXPECT_EQ(person.at("circumstances").as_array().size(), 1u);

    // Invalid input: 422 naming the field, nothing written.
    const int64_t before = people_count();
    for (auto [body, field] : {std::pair{R"({"legal_names":["x"]})", "pseudonym"},
                               {R"({"pseudonym":"A","birth_date":"1980-02-31"})", "birth_date"},
                               {R"({"pseudonym":"A","legal_names":"not a list"})", "legal_names"},
                               {R"({"pseudonym":"A","needs":["flying"]})", "needs"},
                               {R"({"pseudonym":"A","site_id":"x"})", "site_id"}}) {
        auto bad = call("POST", "/api/v1/people", coordinator_, body);
        EXPECT_EQ(bad.status, 422) << body;
        EXPECT_NE(bad.body.find(std::string("\"fields\":{\"") + field), std::string::npos) << bad.body;
    }
    EXPECT_EQ(call("POST", "/api/v1/people", coordinator_, "{not json").status, 400);
    EXPECT_EQ(people_count(), before);

    // Erasure: gone from reads and search; one audit entry remains.
    auto erased = call("DELETE", "/api/v1/people/" + std::to_string(id), coordinator_);
    EXPECT_EQ(erased.status, 200) << erased.body;
    EXPECT_EQ(call("GET", "/api/v1/people/" + std::to_string(id), coordinator_).status, 404);
    EXPECT_TRUE(search(coordinator_, "Соловьёв").empty());
    EXPECT_EQ(app_->db().query("SELECT COUNT(*) FROM people_names").at(0).integer(0), 0);
    EXPECT_EQ(app_->db().query("SELECT COUNT(*) FROM audit_log WHERE action = 'person.erase'").at(0).integer(0), 1);
    EXPECT_EQ(call("DELETE", "/api/v1/people/" + std::to_string(id), coordinator_).status, 404);
}

TEST_P(People, DuplicateWarningAcrossSpellings) {
    if (!app_) return;
    ASSERT_GT(create(coordinator_, {{"pseudonym", "Kot"}, {"legal_names", json::array{"Шевченко Анна"}}}), 0);
    auto r = call("POST", "/api/v1/people", coordinator_, R"({"pseudonym":"Anya","legal_names":["Chevtchenko Anna"]})");
    ASSERT_EQ(r.status, 201);
    auto dups = json::parse(r.body).at("possible_duplicates").as_array();
    ASSERT_EQ(dups.size(), 1u);
    EXPECT_EQ(dups[0].at("pseudonym").as_string(), "Kot");
    auto none = call("POST", "/api/v1/people", coordinator_, R"({"pseudonym":"Lis","legal_names":["Petrova Olga"]})");
    EXPECT_EQ(json::parse(none.body).at("possible_duplicates").as_array().size(), 0u);
}

TEST_P(People, AccessFollowsSiteRolesAndAssignmentsThatEnd) {
    if (!app_) return;
    auto& svc = app_->accounts();
    const int64_t id = create(coordinator_, {{"pseudonym", "Luna"}, {"legal_names", json::array{"Климова Яна"}}});
    const std::string url = "/api/v1/people/" + std::to_string(id);
    auto adviser = testing::make_account(svc, clock_, "adviser", Role::legal_adviser, site_);
    auto volunteer = testing::make_account(svc, clock_, "helper", Role::volunteer, site_);
    auto berlin = testing::make_account(svc, clock_, "berlin-coord", Role::coordinator, other_);

    EXPECT_EQ(call("GET", url, login(adviser.id)).status, 404);    // not assigned: not even told it exists
    EXPECT_EQ(call("GET", url, login(volunteer.id)).status, 403);  // volunteers reach people only through their tasks
    EXPECT_EQ(call("GET", url, login(berlin.id)).status, 404);     // another site
    EXPECT_TRUE(search(login(berlin.id), "Климова").empty());
    EXPECT_TRUE(search(login(adviser.id), "Климова").empty());

    // Assigned until tomorrow: the adviser reads and finds the person, cannot edit or erase them.
    ASSERT_TRUE(svc.assign(nullptr, adviser.id, "person", id, clock_.now_ms() + 24 * 3600 * 1000).ok());
    EXPECT_EQ(call("GET", url, login(adviser.id)).status, 200);
    EXPECT_EQ(search(login(adviser.id), "Klimova"), std::vector<std::string>{"Luna"});
    EXPECT_EQ(call("PUT", url, login(adviser.id), R"({"pseudonym":"X"})").status, 403);
    EXPECT_EQ(call("DELETE", url, login(adviser.id)).status, 403);

    // The assignment ends: so does access.
    clock_.advance_ms(25 * 3600 * 1000);
    EXPECT_EQ(call("GET", url, login(adviser.id)).status, 404);
    EXPECT_TRUE(search(login(adviser.id), "Klimova").empty());

    // Every read is audited.
    EXPECT_GE(app_->db().query("SELECT COUNT(*) FROM audit_log WHERE action = 'person.read'").at(0).integer(0), 1);
}

TEST_P(People, UpdateConsentAndRetention) {
    if (!app_) return;
    const int64_t id = create(coordinator_, {{"pseudonym", "Ptitsa"}, {"legal_names", json::array{"Денисова Ульяна"}}});
    const std::string url = "/api/v1/people/" + std::to_string(id);
    auto up = call("PUT", url, coordinator_, R"({"pseudonym":"Ptitsa","legal_names":["Denisova Uliana"],"status":"resident"})");
    ASSERT_EQ(up.status, 200) << up.body;
    EXPECT_EQ(search(coordinator_, "Денисова"), std::vector<std::string>{"Ptitsa"});  // re-indexed under the new spelling

    auto c = call("POST", url + "/consents", coordinator_, R"({"purposes":["data_processing","contact"],"note":"oral, with interpreter"})");
    ASSERT_EQ(c.status, 201) << c.body;
    EXPECT_EQ(call("POST", url + "/consents", coordinator_, R"({"purposes":["everything"]})").status, 422);
    auto list = json::parse(call("GET", url + "/consents", coordinator_).body).at("items").as_array();
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].at("recorded_by").as_string(), "coord");
    EXPECT_EQ(list[0].at("purposes").as_array().size(), 2u);

    const std::string retention = "/api/v1/sites/" + std::to_string(site_) + "/people/retention";
    EXPECT_EQ(json::parse(call("GET", retention, coordinator_).body).at("items").as_array().size(), 0u);
    clock_.advance_ms(int64_t(25) * 30 * 24 * 3600 * 1000);  // past 24 months
    coordinator_ = login(app_->db().query("SELECT id FROM accounts WHERE username = 'coord'").at(0).integer(0));
    auto due = json::parse(call("GET", retention, coordinator_).body).at("items").as_array();
    ASSERT_EQ(due.size(), 1u);
    EXPECT_EQ(due[0].at("id").as_int64(), id);
}

// Issue 20: a language chosen while signed in is the account's: another device (no cookie, another browser
// language) gets the pages in it; a visitor's choice stays a cookie.
TEST_P(People, TheLanguageChosenSignedInFollowsTheAccount) {
    if (!app_) return;
    auto chose = call("POST", "/language", coordinator_, "lang=uk&return=%2F&_csrf=" + csrf_, "application/x-www-form-urlencoded");
    EXPECT_EQ(chose.status, 303) << chose.body;
    auto page = testing::request(port_, "GET", "/", "", "Accept-Language: fr\r\nCookie: __Host-haven_session=" + coordinator_ + "\r\n");
    EXPECT_NE(page.body.find("<html lang=\"uk\">"), std::string::npos);
    EXPECT_EQ(call("POST", "/language", coordinator_, "lang=xx&_csrf=" + csrf_, "application/x-www-form-urlencoded").status, 422);
    EXPECT_NE(testing::request(port_, "GET", "/", "", "Accept-Language: fr\r\n").body.find("<html lang=\"fr\">"), std::string::npos);
}

TEST_P(People, ImportTheSharedSpreadsheets) {
    if (!app_) return;
    const std::string url = "/api/v1/sites/" + std::to_string(site_) + "/people/import";
    auto bad = call("POST", url, coordinator_, test_data("residents-2000-bad-row.csv"), "text/csv");
    ASSERT_EQ(bad.status, 422) << bad.body.substr(0, 500);
    auto rows = json::parse(bad.body).at("rows").as_array();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].at("line").as_int64(), 1527);
    EXPECT_EQ(rows[0].at("column").as_string(), "Date of birth");
    // Issue 16: the spreadsheet's row (notes with line breaks make it differ from the line), the person, the value, and
    // what is wrong with it.
    EXPECT_EQ(rows[0].at("row").as_int64(), 1378);
    EXPECT_EQ(rows[0].at("pseudonym").as_string(), "Sever1377");
    EXPECT_EQ(rows[0].at("value").as_string(), "31.02.1980");
    EXPECT_EQ(rows[0].at("problem").as_string(), "no_such_day");
    EXPECT_EQ(people_count(), 0);

    // Issue 20: the same sheet as a workbook (the API takes it as sent) is read alike: the bad row named by the same
    // row, the 2,000 people ready (a dry run writes nothing); a workbook sent as CSV is refused with a reason.
    auto bad_book = call("POST", url, coordinator_, test_data("residents-2000-bad-row.xlsx"),
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    ASSERT_EQ(bad_book.status, 422) << bad_book.body.substr(0, 500);
    EXPECT_EQ(json::parse(bad_book.body).at("rows").as_array().at(0).at("row").as_int64(), 1378);
    for (const char* book : {"residents-2000.xlsx", "residents-2000.ods"}) {
        auto dry = call("POST", url + "?dry_run=true", coordinator_, test_data(book),
                        std::string(book).ends_with("ods") ? "application/vnd.oasis.opendocument.spreadsheet"
                                                           : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        ASSERT_EQ(dry.status, 200) << book << ": " << dry.body.substr(0, 500);
        EXPECT_EQ(json::parse(dry.body).at("rows").as_int64(), 2000) << book;
    }
    auto cp1251 = call("POST", url + "?dry_run=true", coordinator_, test_data("residents-2000-cp1251.csv"), "text/csv");
    ASSERT_EQ(cp1251.status, 200) << cp1251.body.substr(0, 300);
    EXPECT_EQ(json::parse(cp1251.body).at("rows").as_int64(), 2000);
    auto no_sheet = call("POST", url + "?dry_run=true&sheet=Nope", coordinator_, test_data("residents-2000.xlsx"),
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    EXPECT_EQ(no_sheet.status, 422);
    EXPECT_NE(no_sheet.body.find("\"sheet\""), std::string::npos) << no_sheet.body;
    EXPECT_EQ(people_count(), 0);

    auto good = call("POST", url, coordinator_, test_data("residents-2000.csv"), "text/csv");
    ASSERT_EQ(good.status, 201) << good.body.substr(0, 500);
    EXPECT_EQ(json::parse(good.body).at("imported").as_int64(), 2000);
    EXPECT_EQ(people_count(), 2000);
    // Names searchable in both alphabets (Grom1: Хохлов Андрей Борисович / KHOKHLOV ANDREI).
    for (const char* q : {"Хохлов Андрей", "Khokhlov Andrei", "Chochlow Andrej", "Grom1"}) {
        auto found = search(coordinator_, q);
        EXPECT_FALSE(found.empty()) << q;
        if (!found.empty()) {
            EXPECT_EQ(found[0], "Grom1") << q;
        }
    }
    EXPECT_EQ(app_->db().query("SELECT COUNT(*) FROM audit_log WHERE action = 'people.import'").at(0).integer(0), 1);

    // Issue 16: a list imported again is noticed through the API too — flagged by row, skipped unless asked.
    const std::string sheet = test_data("residents-2000.csv");
    std::string head = sheet.substr(0, sheet.find('\n') + 1), three = head;
    {
        auto r = json::parse(call("POST", url + "?dry_run=true", coordinator_, sheet, "text/csv").body).as_object();
        EXPECT_EQ(r.at("duplicates").as_array().size(), 2000u);
        EXPECT_EQ(r.at("duplicates").as_array()[0].at("row").as_int64(), 2);
        EXPECT_GT(r.at("duplicates").as_array()[0].at("recorded_id").as_int64(), 0);
    }
    three += "Quix1,Quixote Zamfir,,,,,,,,,\nGrom1,Хохлов Андрей Борисович,,,,,,,,,\nXylo1,Xylophon Brandtmeier,,,,,,,,,\n";
    auto skipped = call("POST", url, coordinator_, three, "text/csv");
    ASSERT_EQ(skipped.status, 201) << skipped.body;
    auto sk = json::parse(skipped.body).as_object();
    EXPECT_EQ(sk.at("imported").as_int64(), 2) << skipped.body;
    EXPECT_EQ(sk.at("skipped").as_int64(), 1);
    EXPECT_EQ(sk.at("duplicates").as_array()[0].at("pseudonym").as_string(), "Grom1");
    EXPECT_EQ(people_count(), 2002);
    auto forced = call("POST", url + "?duplicates=import", coordinator_, head + "Grom1,Хохлов Андрей Борисович,,,,,,,,,\n", "text/csv");
    ASSERT_EQ(forced.status, 201);
    EXPECT_EQ(json::parse(forced.body).at("imported").as_int64(), 1);
    EXPECT_EQ(call("POST", url + "?duplicates=maybe", coordinator_, three, "text/csv").status, 422);
    EXPECT_EQ(people_count(), 2003);

    // The export reads back the same people, disarmed against formulas.
    // (An export asks for the second factor again.)
    auto exported = testing::request(
        port_, "GET", "/api/v1/sites/" + std::to_string(site_) + "/people/export", "",
        "Cookie: __Host-haven_session=" + coordinator_ + "\r\nX-Second-Factor: " + testing::current_code(coordinator_account_, clock_) + "\r\n");
    ASSERT_EQ(exported.status, 200);
    EXPECT_NE(exported.body.find("Хохлов Андрей Борисович"), std::string::npos);
    EXPECT_NE(exported.body.find("'+49 1516538289"), std::string::npos);
    EXPECT_EQ(app_->db().query("SELECT COUNT(*) FROM audit_log WHERE action = 'people.export'").at(0).integer(0), 1);
}

// The import pages: preview with errors by line and column, then the import with its progress page.
TEST_P(People, ImportPagesPreviewThenImportWithProgress) {
    if (!app_) return;
    auto form = [&](const std::string& target, const std::string& csv, const std::string& extra = "") {
        std::string body = "_csrf=" + csrf_ + extra + "&csv=";
        for (unsigned char ch : csv) {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", ch);
            body += buf;
        }
        return testing::request(port_, "POST", target, body,
                                "Cookie: __Host-haven_session=" + coordinator_ + "; __Host-haven_csrf=" + csrf_ +
                                    "\r\nContent-Type: application/x-www-form-urlencoded\r\n",
                                60'000);
    };
    const std::string base = "/sites/" + std::to_string(site_) + "/people/import";
    // Issue 16: the file chooser works without JavaScript — a multipart upload, its CSRF field checked like any form's.
    auto multipart = [&](const std::string& csrf, const std::string& csv) {
        const std::string body =
            "--b\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + csrf +
            "\r\n--b\r\nContent-Disposition: form-data; name=\"csv_file\"; filename=\"r.csv\"\r\nContent-Type: text/csv\r\n\r\n" + csv +
            "\r\n--b--\r\n";
        return testing::request(
            port_, "POST", base + "/preview", body,
            "Cookie: __Host-haven_session=" + coordinator_ + "; __Host-haven_csrf=" + csrf_ + "\r\nContent-Type: multipart/form-data; boundary=b\r\n",
            60'000);
    };
    auto uploaded = multipart(csrf_, "Pseudonym\r\nFilin\r\n");
    EXPECT_EQ(uploaded.status, 200) << uploaded.body.substr(0, 300);
    EXPECT_NE(uploaded.body.find("Filin"), std::string::npos);
    EXPECT_EQ(multipart("forged", "Pseudonym\r\nFilin\r\n").status, 403) << "the CSRF field is checked in a multipart body too";
    // Issue 20: the workbook itself, uploaded as it is: read as such, and carried to the import as sent (base64).
    auto book = multipart(csrf_, test_data("residents-2000.xlsx"));
    EXPECT_EQ(book.status, 200) << book.body.substr(0, 300);
    EXPECT_NE(book.body.find("Read as a workbook (Excel .xlsx), sheet “seed”."), std::string::npos) << book.body.substr(book.body.find("<main"), 600);
    EXPECT_NE(book.body.find("Import 2,000 people"), std::string::npos);
    EXPECT_NE(book.body.find("name=\"file\" value=\"UEsDB"), std::string::npos);
    auto bad = form(base + "/preview", test_data("residents-2000-bad-row.csv"));
    EXPECT_EQ(bad.status, 422);
    // Each cell says its column (a phone hides the header row).
    EXPECT_NE(bad.body.find("<td data-label=\"Row\">1378</td><td data-label=\"Line\">1527</td><td data-label=\"Person\">Sever1377</td>"
                            "<td data-label=\"Column\">Date of birth</td><td data-label=\"Value\">31.02.1980</td>"
                            "<td data-label=\"Problem\">That day does not exist"),
              std::string::npos);
    EXPECT_EQ(bad.body.find("id=\"import-go\""), std::string::npos) << "no import button while a row is wrong";
    // Posting the import anyway changes nothing.
    EXPECT_EQ(form(base, test_data("residents-2000-bad-row.csv")).status, 422);
    EXPECT_EQ(people_count(), 0);

    auto good = form(base + "/preview", test_data("residents-2000.csv"));
    ASSERT_EQ(good.status, 200);
    EXPECT_NE(good.body.find("id=\"import-go\""), std::string::npos);
    EXPECT_NE(good.body.find("Import 2,000 people"), std::string::npos);
    // A mapping chosen on the preview is used: ignoring the notes column still imports.
    std::string mapping;
    const char* columns[] = {"pseudonym", "legal_name", "legal_name",   "birth_date", "nationality", "languages",
                             "phone",     "messenger",  "arrival_date", "needs",      "ignore"};
    for (int i = 0; i < 11; ++i) mapping += "&col_" + std::to_string(i) + "=" + columns[i];
    auto started = form(base, test_data("residents-2000.csv"), mapping);
    ASSERT_EQ(started.status, 303) << started.body.substr(0, 300);
    const auto at = started.headers.find("Location: ") + 10;
    const std::string progress = started.headers.substr(at, started.headers.find("\r\n", at) - at);
    // Generous limits: a shared CI machine under load is many times slower than a quiet one.
    std::string page;
    testing::within(
        120s,
        [&] {
            page = testing::request(port_, "GET", progress, "", "Cookie: __Host-haven_session=" + coordinator_ + "\r\n", 30'000).body;
            return page.find("people imported") != std::string::npos || page.find("class=\"notice") != std::string::npos;
        },
        100ms);
    EXPECT_NE(page.find("2,000 people imported."), std::string::npos) << page.substr(page.find("<main"), 400);
    EXPECT_EQ(people_count(), 2000);
    // Another account cannot watch this import.
    auto other = login(testing::make_account(app_->accounts(), clock_, "coord2", Role::coordinator, site_).id);
    EXPECT_EQ(testing::request(port_, "GET", progress, "", "Cookie: __Host-haven_session=" + other + "\r\n").status, 404);

    // Issue 16: the same file again — every row is flagged as possibly recorded already and skipped; choosing "import
    // as new" for one row imports that one alone.
    const auto checked_at = std::chrono::steady_clock::now();
    auto again = form(base + "/preview", test_data("residents-2000.csv"));
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - checked_at).count();
    std::printf("[ measured ] preview of 2,000 people all recorded already: %lld ms\n", static_cast<long long>(took));
    ASSERT_EQ(again.status, 200);
    EXPECT_NE(again.body.find("2,000 people in the file may be recorded already"), std::string::npos);
    EXPECT_NE(again.body.find("Import 0 people"), std::string::npos);
    EXPECT_NE(again.body.find("name=\"row-1378\" value=\"new\""), std::string::npos) << "row 1378 (Sever1377) is flagged";
    auto second = form(base, test_data("residents-2000.csv"), mapping + "&row-1378=new");
    ASSERT_EQ(second.status, 303) << second.body.substr(0, 300);
    testing::within(
        120s, [&] { return people_count() >= 2001; }, 100ms);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_EQ(people_count(), 2001) << "only the unticked row";

    // Or adds the file's details to the person recorded ("merge"): nobody new; the record gains the new name, found
    // by search, and the note; audited per person.
    const std::string one = "Pseudonym,Legal name,Notes\nSever1377,Merged Testname,Came back in November\n";
    auto flagged = form(base + "/preview", one);
    ASSERT_EQ(flagged.status, 200);
    EXPECT_NE(flagged.body.find("name=\"row-2\" value=\"merge\""), std::string::npos);
    EXPECT_NE(flagged.body.find("name=\"row-2\" value=\"skip\" checked"), std::string::npos) << "skipping is the default";
    auto merged = form(base, one, "&row-2=merge");
    ASSERT_EQ(merged.status, 303) << merged.body.substr(0, 300);
    auto merges = [&] { return app_->db().query("SELECT COUNT(*) FROM audit_log WHERE action = 'person.import_merge'").at(0).integer(0); };
    testing::within(
        120s, [&] { return merges() >= 1; }, 100ms);
    EXPECT_EQ(merges(), 1);
    EXPECT_EQ(people_count(), 2001) << "merged, not added";
    auto found = testing::request(
        port_, "POST", "/sites/" + std::to_string(site_) + "/people/search", "_csrf=" + csrf_ + "&q=Merged+Testname",
        "Cookie: __Host-haven_session=" + coordinator_ + "; __Host-haven_csrf=" + csrf_ + "\r\nContent-Type: application/x-www-form-urlencoded\r\n");
    ASSERT_EQ(found.status, 303);
    const auto loc = found.headers.find("Location: ") + 10;
    auto results = testing::request(port_, "GET", found.headers.substr(loc, found.headers.find("\r\n", loc) - loc), "",
                                    "Cookie: __Host-haven_session=" + coordinator_ + "\r\n");
    EXPECT_NE(results.body.find(">Sever1377<"), std::string::npos) << "the merged name finds the person recorded";
    const auto link = results.body.find("href=\"/people/");
    ASSERT_NE(link, std::string::npos);
    const std::string person = results.body.substr(link + 6, results.body.find('"', link + 6) - link - 6);
    auto shown = testing::request(port_, "GET", person, "", "Cookie: __Host-haven_session=" + coordinator_ + "\r\n");
    EXPECT_NE(shown.body.find("Merged Testname"), std::string::npos);
    EXPECT_NE(shown.body.find("Came back in November"), std::string::npos);
    // What the form cannot do: merge a row the server did not flag (a forged row number is skipped like any other).
    auto forged = form(base, "Pseudonym\nNobodyLikeThis\n", "&row-2=merge");
    ASSERT_EQ(forged.status, 303);
    testing::within(
        120s, [&] { return people_count() >= 2002; }, 100ms);
    EXPECT_EQ(people_count(), 2002) << "an unflagged row is imported as new whatever the form says";
    EXPECT_EQ(merges(), 1);
}

// The blind index's candidates (people::store::holding_every, rarest word first, a common word looked up for the
// candidates alone): exactly those holding a value of every word, most values held first — checked against a
// plain count on 6,000 people whose values are skewed as names are (a few values held by thousands, collisions);
// and a pseudonym's exact value proposes only its few bearers.
TEST_P(People, TheIndexProposesExactlyThoseHoldingEveryWordMostValuesFirst) {
    if (!app_) return;
    std::mt19937 rng(5);
    auto value = [&] {  // 0..2 held by most (common given names), 3..99 by some, 100..4999 rare
        const uint32_t r = rng() % 100;
        return int64_t(r < 40 ? rng() % 3 : r < 70 ? 3 + rng() % 97 : 100 + rng() % 4900);
    };
    std::map<int64_t, std::set<int64_t>> holds;  // person → values
    ASSERT_TRUE(app_->db()
                    .write([&](storage::Tx& tx) -> Status {
                        for (int64_t id = 1; id <= 6000; ++id) {
                            people::store::insert_person(tx, {id, site_, 0, 0, "k", "r"});
                            std::set<int64_t> values;
                            for (int i = 0; i < 6; ++i) values.insert(value());
                            people::store::replace_names(tx, id, values);
                            holds[id] = values;
                        }
                        return {};
                    })
                    .ok());
    for (int q = 0; q < 60; ++q) {
        std::vector<std::set<int64_t>> words(1 + q % 3);
        for (auto& w : words)
            for (int i = 0, n = 1 + int(rng() % 4); i < n; ++i) w.insert(value());
        std::map<int64_t, int64_t> expected;  // who holds a value of every word → values held, counted per word
        for (const auto& [id, values] : holds) {
            int64_t held = 0;
            bool every = true;
            for (const auto& w : words) {
                int64_t n = 0;
                for (int64_t v : w) n += values.count(v);
                every = every && n > 0;
                held += n;
            }
            if (every) expected[id] = held;
        }
        std::vector<int64_t> got;
        app_->db().read([&](storage::Tx& tx) { got = people::store::holding_every(tx, words, 100000); });
        ASSERT_EQ(got.size(), expected.size()) << "query " << q;
        for (size_t i = 0; i < got.size(); ++i) {
            ASSERT_TRUE(expected.count(got[i])) << "query " << q;
            if (i > 0) EXPECT_GE(expected[got[i - 1]], expected[got[i]]) << "query " << q << ": most values held first";
        }
    }
    // A pseudonym's exact value proposes its few bearers, never the thousands holding a name word's value that the
    // truncated hash met (a search once put 100,000 people ahead of the one sought).
    app_->db().read([&](storage::Tx& tx) {
        EXPECT_TRUE(people::store::bearers_of(tx, 0, 64).empty()) << "value 0 is held by thousands";
        for (int64_t v = 100; v < 5000; ++v)
            if (const auto b = people::store::bearers_of(tx, v, 64); !b.empty()) {
                for (int64_t id : b) EXPECT_TRUE(holds[id].count(v));
                return;
            }
        ADD_FAILURE() << "no rare value held";
    });
}

INSTANTIATE_TEST_SUITE_P(Engines, People, ::testing::Values("sqlite", "postgres"), testing::engine_name);

}  // namespace
}  // namespace haven
