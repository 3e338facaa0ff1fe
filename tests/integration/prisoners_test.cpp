// Prisoner support's registry and letters (issue 18) on both engines, through the API as its people use it and as
// others may not: a writer given the prisoner with the fewest letters, the censor's warnings, sending, a transfer
// that holds and re-addresses, a reply only its writer reads; fifty writers asking at once over two hundred
// prisoners, letters per prisoner differing by at most one.
#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <boost/json.hpp>
#include <thread>

#include "app/app.hpp"
#include "crypto/random.hpp"
#include "support/accounts.hpp"
#include "support/app_fixture.hpp"
#include "support/engines.hpp"
#include "support/http_client.hpp"

namespace haven {
namespace {

namespace json = boost::json;
using testing::HttpReply;

class Prisoners : public testing::AppFixture<ManualClock> {
protected:
    void SetUp() override {
        AppFixture::SetUp();
        if (!app_) return;
        clock_.set_ms(1'796'040'000'000);  // 2026-11-30
        auto& svc = app_->accounts();
        auto site = svc.create_site(nullptr, {"Vilnius", "Vilnius", "Lithuania", "Europe/Vilnius", false});
        auto other = svc.create_site(nullptr, {"Tbilisi", "Tbilisi", "Georgia", "Asia/Tbilisi", false});
        ASSERT_TRUE(site.ok() && other.ok());
        site_ = site->id;
        other_ = other->id;
        support_ = testing::make_account(svc, clock_, "support", Role::prisoner_support, site_);
        elsewhere_ = testing::make_account(svc, clock_, "support-tbilisi", Role::prisoner_support, other_);
    }

    HttpReply call(const std::string& method, const std::string& target, int64_t account, const std::string& body = {}) {
        return testing::signed_request(port_, method, target, testing::session_for(app_->db(), clock_, account), csrf_, body);
    }
    std::string site_path(const std::string& rest) const { return "/api/v1/sites/" + std::to_string(site_) + rest; }
    int64_t created(const HttpReply& r) {
        EXPECT_EQ(r.status, 201) << r.body;
        return r.status == 201 ? json::parse(r.body).at("id").as_int64() : 0;
    }
    int64_t prisoner(const std::string& name, const std::string& extra = "") {
        return created(call("POST", site_path("/prisoners"), support_.id,
                            "{\"names\": [\"" + name + "\"], \"address_as\": \"" + name.substr(0, name.find(' ')) + "\"" + extra + "}"));
    }
    int64_t institution(const std::string& kind, const std::string& name) {
        return created(call("POST", site_path("/institutions"), support_.id,
                            json::serialize(json::object{{"kind", kind}, {"name", name}, {"address", "Россия, " + name}})));
    }
    testing::TestAccount writer(const std::string& username, const std::string& pen_name) {
        auto w = testing::make_account(app_->accounts(), clock_, username, Role::writer, site_);
        auto r = call("PUT", site_path("/writer"), w.id, json::serialize(json::object{{"pen_name", pen_name}, {"languages", json::array{"ru"}}}));
        EXPECT_EQ(r.status, 204) << r.body;
        return w;
    }
    int64_t count(const std::string& sql, const storage::Params& params = {}) {
        int64_t n = 0;
        app_->db().read([&](storage::Tx& tx) { n = tx.query(sql, params).at(0).integer(0); });
        return n;
    }

    int64_t site_ = 0, other_ = 0;
    testing::TestAccount support_, elsewhere_;
    const std::string csrf_ = "csrf-token-for-the-prisoners-test";
};

TEST_P(Prisoners, ALetterFollowsItsPrisonerAndItsReplyReachesOnlyItsWriter) {
    if (!app_) return;
    const int64_t sizo = institution("sizo", "СИЗО-1 Москва");
    const int64_t colony = institution("colony", "ИК-6 Копейск");
    const int64_t ivan = prisoner("Иван Петров", ", \"birth_date\": \"1990-12-10\", \"public\": true");
    const int64_t busy = prisoner("Пётр Иванов");
    ASSERT_GT(ivan, 0);
    for (int64_t p : {ivan, busy})
        ASSERT_EQ(
            call("POST", "/api/v1/prisoners/" + std::to_string(p) + "/transfer", support_.id, "{\"institution_id\": " + std::to_string(sizo) + "}")
                .status,
            204);
    // Пётр has had two letters written by hand: Иван has had none, and is given first.
    for (int i = 0; i < 2; ++i)
        EXPECT_EQ(call("POST", "/api/v1/prisoners/" + std::to_string(busy) + "/letters", support_.id, "{\"body\": \"Здравствуйте!\"}").status, 201);

    auto anna = writer("writer-anna", "Лиса");
    auto boris = writer("writer-boris", "Сова");
    auto asked = call("POST", site_path("/letters/ask"), anna.id);
    ASSERT_EQ(asked.status, 201) << asked.body;
    auto letter = json::parse(asked.body).as_object();
    EXPECT_EQ(letter.at("prisoner_id").as_int64(), ivan);
    EXPECT_FALSE(letter.contains("address")) << "a writer never learns where the prisoner is held";
    const std::string url = "/api/v1/letters/" + std::to_string(letter.at("id").as_int64());

    // The censor's check warns on the war and a Latin word; it does not block.
    auto saved = call("PUT", url, anna.id, json::serialize(json::object{{"body", "Дорогой Иван! Здесь все против войны. Держитесь, ok?"}}));
    ASSERT_EQ(saved.status, 200) << saved.body;
    std::set<std::string> kinds;
    const json::value said = json::parse(saved.body);
    for (const auto& w : said.at("warnings").as_array()) kinds.insert(std::string(w.at("kind").as_string()));
    EXPECT_TRUE(kinds.count("topic") && kinds.count("latin")) << saved.body;
    EXPECT_EQ(call("POST", url + "/hand-in", anna.id).status, 204);

    // Nobody else reads it: another writer, another site's prisoner support, a report editor.
    EXPECT_EQ(call("GET", url, boris.id).status, 404);
    EXPECT_EQ(call("GET", url, elsewhere_.id).status, 404);
    auto editor = testing::make_account(app_->accounts(), clock_, "editor", Role::report_editor, site_);
    EXPECT_EQ(call("GET", url, editor.id).status, 404);
    EXPECT_EQ(call("GET", "/api/v1/prisoners/" + std::to_string(ivan), editor.id).status, 403);
    EXPECT_EQ(call("GET", "/api/v1/prisoners/" + std::to_string(ivan), elsewhere_.id).status, 404) << "another site's prisoner is nobody";
    EXPECT_EQ(call("POST", url + "/send", elsewhere_.id, "{\"channel\": \"post\"}").status, 404);
    EXPECT_EQ(call("GET", site_path("/writers"), boris.id).status, 403) << "writers never see each other";

    // Prisoner support reads it with its address and sends it.
    auto read = call("GET", url, support_.id);
    ASSERT_EQ(read.status, 200);
    EXPECT_EQ(json::parse(read.body).at("address").at("name").as_string(), "СИЗО-1 Москва");
    EXPECT_EQ(call("POST", url + "/send", support_.id, "{\"channel\": \"e_letter\", \"cost_minor\": 55, \"currency\": \"RUB\"}").status, 204);

    // A second letter to Иван (the fewest still), written; Иван is moved: it is held, cannot be sent, then follows him.
    auto second = call("POST", site_path("/letters/ask"), anna.id);
    ASSERT_EQ(second.status, 201);
    const std::string url2 = "/api/v1/letters/" + std::to_string(json::parse(second.body).at("id").as_int64());
    EXPECT_EQ(json::parse(second.body).at("prisoner_id").as_int64(), ivan);
    ASSERT_EQ(call("PUT", url2, anna.id, "{\"body\": \"Иван, с днём рождения!\"}").status, 200);
    ASSERT_EQ(call("POST", url2 + "/hand-in", anna.id).status, 204);
    ASSERT_EQ(call("POST", "/api/v1/prisoners/" + std::to_string(ivan) + "/transfer", support_.id, "{}").status, 204);
    auto held = json::parse(call("GET", url2, support_.id).body).as_object();
    EXPECT_TRUE(held.at("held").as_bool());
    EXPECT_EQ(call("POST", url2 + "/send", support_.id, "{\"channel\": \"post\"}").status, 409);
    EXPECT_EQ(call("POST", site_path("/letters/ask"), boris.id).status, 201) << "Пётр is still there to be given";
    ASSERT_EQ(call("POST", "/api/v1/prisoners/" + std::to_string(ivan) + "/transfer", support_.id,
                   "{\"institution_id\": " + std::to_string(colony) + ", \"since\": \"2026-11-29\"}")
                  .status,
              204);
    auto moved = json::parse(call("GET", url2, support_.id).body).as_object();
    EXPECT_FALSE(moved.at("held").as_bool());
    EXPECT_EQ(moved.at("address").at("name").as_string(), "ИК-6 Копейск");
    auto record = json::parse(call("GET", "/api/v1/prisoners/" + std::to_string(ivan), support_.id).body).as_object();
    EXPECT_EQ(record.at("status").as_string(), "convicted");
    EXPECT_EQ(record.at("addresses").as_array().size(), 3u);

    // A reply to the first letter: its writer reads it, prisoner support does not, nor the other writer.
    EXPECT_EQ(call("POST", url + "/replies", support_.id, "{\"text\": \"Спасибо за письмо, Лиса!\"}").status, 204);
    EXPECT_EQ(call("POST", url + "/replies", anna.id, "{\"text\": \"forged\"}").status, 403);
    auto replies = call("GET", url + "/replies", anna.id);
    ASSERT_EQ(replies.status, 200);
    EXPECT_NE(replies.body.find("Спасибо за письмо"), std::string::npos);
    EXPECT_EQ(call("GET", url + "/replies", boris.id).status, 404);
    EXPECT_EQ(call("GET", url + "/replies", support_.id).status, 403);
    // The writer answers: a new letter to Иван; not twice while one is in hand; not for another writer.
    EXPECT_EQ(call("POST", url + "/again", boris.id).status, 404);
    EXPECT_EQ(call("POST", url + "/again", anna.id).status, 409) << "the second letter to Иван is still in hand";
    ASSERT_EQ(call("POST", url2 + "/send", support_.id, "{\"channel\": \"post\"}").status, 204);
    auto again = call("POST", url + "/again", anna.id);
    ASSERT_EQ(again.status, 201) << again.body;
    EXPECT_EQ(json::parse(again.body).at("prisoner_id").as_int64(), ivan);
    EXPECT_EQ(json::parse(call("GET", url, support_.id).body).at("status").as_string(), "answered");

    // A scan: kept only if its bytes are a PDF, a JPEG or a PNG; served to the writer alone, as what it is.
    const std::string png = std::string("\x89PNG\r\n\x1A\n", 8) + "not really an image";
    auto refused = call("POST", url + "/replies", support_.id,
                        R"({"scan_base64": ")" + crypto::base64("<script>alert(1)</script>") + R"(", "file_type": "image/png"})");
    EXPECT_EQ(refused.status, 422);
    EXPECT_NE(refused.body.find("scan"), std::string::npos);
    EXPECT_EQ(call("POST", url + "/replies", support_.id, R"({"scan_base64": ")" + crypto::base64(png) + R"(", "file_name": "otvet.png"})").status,
              204);
    const std::string scan_url = "/letters/" + std::to_string(letter.at("id").as_int64()) + "/scans/2";
    auto scan = call("GET", scan_url, anna.id);
    ASSERT_EQ(scan.status, 200);
    EXPECT_EQ(scan.body, png);
    EXPECT_NE(scan.headers.find("image/png"), std::string::npos);
    EXPECT_NE(scan.headers.find("attachment"), std::string::npos);
    EXPECT_EQ(call("GET", scan_url, boris.id).status, 404);
    EXPECT_EQ(call("GET", scan_url, support_.id).status, 403);

    // The calendar: Иван's birthday (10 December) and the holidays of the next six weeks; a report editor may not see it.
    auto calendar = call("GET", site_path("/prisoners/calendar?weeks=6"), support_.id);
    ASSERT_EQ(calendar.status, 200) << calendar.body;
    EXPECT_NE(calendar.body.find(R"("date":"2026-12-10","kind":"birthday")"), std::string::npos) << calendar.body;
    EXPECT_NE(calendar.body.find(R"("date":"2027-01-07","kind":"holiday")"), std::string::npos) << calendar.body;
    EXPECT_EQ(call("GET", site_path("/prisoners/calendar"), editor.id).status, 403);
    EXPECT_EQ(call("GET", site_path("/prisoners/calendar?weeks=27"), support_.id).status, 422);

    // The figures hold counts only, for prisoner support; a report editor's counts come through reports (issue 19),
    // where small ones are hidden.
    EXPECT_EQ(call("GET", site_path("/prisoners/figures"), editor.id).status, 403);
    auto figures = call("GET", site_path("/prisoners/figures"), support_.id);
    ASSERT_EQ(figures.status, 200) << figures.body;
    EXPECT_EQ(figures.body.find("Иван"), std::string::npos);
    EXPECT_EQ(json::parse(figures.body).at("writers").as_int64(), 2);

    // Bad input names its field.
    auto bad = call("POST", site_path("/prisoners"), support_.id, "{\"names\": [\"A\"], \"birth_date\": \"2030-01-01\"}");
    EXPECT_EQ(bad.status, 422);
    EXPECT_NE(bad.body.find("birth_date"), std::string::npos);
    EXPECT_EQ(call("POST", "/api/v1/prisoners/" + std::to_string(ivan) + "/transfer", support_.id, "{\"institution_id\": 12345}").status, 422);
    // Another site's institution cannot be given.
    auto foreign = call("POST", "/api/v1/sites/" + std::to_string(other_) + "/institutions", elsewhere_.id,
                        "{\"kind\": \"colony\", \"name\": \"ИК-1\", \"address\": \"x\"}");
    ASSERT_EQ(foreign.status, 201);
    EXPECT_EQ(call("POST", "/api/v1/prisoners/" + std::to_string(ivan) + "/transfer", support_.id,
                   "{\"institution_id\": " + std::to_string(json::parse(foreign.body).at("id").as_int64()) + "}")
                  .status,
              422);
}

TEST_P(Prisoners, NamesAreFoundInAnyAlphabetAndAListImportsAllOrNothing) {
    if (!app_) return;
    const std::string csv =
        "name,other_names,birth_date,status,public\n"
        "Мария Алехина,Maria Alyokhina;Марыя Алёхіна,1988-06-06,convicted,yes\n"
        "Алексей Горинов,Aleksei Gorinov,1961-07-17,convicted,yes\n";
    auto r = testing::signed_request(port_, "POST", site_path("/prisoners/import"), testing::session_for(app_->db(), clock_, support_.id), csrf_,
                                     csv + "Bad Row,,1988-13-40,convicted,yes\n", "text/csv");
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_NE(r.body.find("birth_date"), std::string::npos);
    EXPECT_EQ(count("SELECT COUNT(*) FROM prisoners"), 0) << "a wrong row writes nothing";
    r = testing::signed_request(port_, "POST", site_path("/prisoners/import"), testing::session_for(app_->db(), clock_, support_.id), csrf_, csv,
                                "text/csv");
    ASSERT_EQ(r.status, 201) << r.body;
    for (const char* q : {"GORINOV", "Горинов", "alyokhina", "Алёхина"}) {
        auto found = call("POST", site_path("/prisoners/search"), support_.id, json::serialize(json::object{{"q", q}}));
        ASSERT_EQ(found.status, 200) << q;
        EXPECT_EQ(json::parse(found.body).at("items").as_array().size(), 1u) << q << ": " << found.body;
    }
    // Russian headers, dates and statuses are read too.
    r = testing::signed_request(port_, "POST", site_path("/prisoners/import"), testing::session_for(app_->db(), clock_, support_.id), csrf_,
                                "ФИО;Дата рождения;Статус\nИгорь Барышников;01.01.1960;Осуждён\n", "text/csv");
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(count("SELECT COUNT(*) FROM prisoners WHERE status = 'convicted'"), 3);
    auto none = call("POST", site_path("/prisoners/search"), support_.id, "{\"q\": \"Navalny\"}");
    EXPECT_EQ(json::parse(none.body).at("items").as_array().size(), 0u);
    EXPECT_EQ(call("POST", "/api/v1/sites/" + std::to_string(site_) + "/prisoners/search", elsewhere_.id, "{\"q\": \"Горинов\"}").status, 403);
}

TEST_P(Prisoners, FiftyWritersAskingAtOnceSpreadOverTwoHundredPrisoners) {
    if (!app_) return;
    // Two hundred prisoners in one transaction (the API would take a while); then each round, fifty writers ask
    // three times each, all at once; between rounds they hand their letters in.
    std::string csv = "name\n";
    for (int i = 0; i < 200; ++i) csv += "Заключённый Номер" + std::to_string(i) + "\n";
    auto imported = testing::signed_request(port_, "POST", site_path("/prisoners/import"), testing::session_for(app_->db(), clock_, support_.id),
                                            csrf_, csv, "text/csv", 60000);
    ASSERT_EQ(imported.status, 201) << imported.body;
    const int64_t colony = institution("colony", "ИК-2 Покров");
    const json::value ids = json::parse(imported.body).at("ids");
    for (const auto& id : ids.as_array())
        ASSERT_EQ(call("POST", "/api/v1/prisoners/" + std::to_string(id.as_int64()) + "/transfer", support_.id,
                       "{\"institution_id\": " + std::to_string(colony) + "}")
                      .status,
                  204);
    std::vector<testing::TestAccount> writers;
    std::vector<std::string> sessions;
    for (int i = 0; i < 50; ++i) {
        writers.push_back(writer("writer-" + std::to_string(100 + i), "Перо " + std::to_string(i)));
        sessions.push_back(testing::session_for(app_->db(), clock_, writers.back().id));
    }
    std::atomic<int> given{0}, failed{0}, same_prisoner_twice{0};
    for (int round = 0; round < 2; ++round) {
        std::barrier start(50);
        std::vector<std::thread> threads;
        std::vector<std::vector<int64_t>> letters(50), prisoners_of(50);
        for (int w = 0; w < 50; ++w)
            threads.emplace_back([&, w] {
                start.arrive_and_wait();
                for (int k = 0; k < 3; ++k) {
                    auto r =
                        testing::signed_request(port_, "POST", site_path("/letters/ask"), sessions[size_t(w)], csrf_, "", "application/json", 30000);
                    if (r.status != 201) {
                        ++failed;
                        continue;
                    }
                    ++given;
                    const json::value l = json::parse(r.body);
                    for (int64_t before : prisoners_of[size_t(w)])
                        if (before == l.at("prisoner_id").as_int64()) ++same_prisoner_twice;
                    prisoners_of[size_t(w)].push_back(l.at("prisoner_id").as_int64());
                    letters[size_t(w)].push_back(l.at("id").as_int64());
                }
            });
        for (auto& t : threads) t.join();
        // Each writer writes and hands in; prisoner support sends: a writer holds at most three letters not yet sent.
        for (int w = 0; w < 50; ++w)
            for (int64_t id : letters[size_t(w)]) {
                const std::string url = "/api/v1/letters/" + std::to_string(id);
                auto seen = testing::signed_request(port_, "PUT", url, sessions[size_t(w)], csrf_, "{\"body\": \"Добрый день!\"}");
                ASSERT_EQ(seen.status, 200);
                ASSERT_EQ(testing::signed_request(port_, "POST", url + "/hand-in", sessions[size_t(w)], csrf_).status, 204);
                ASSERT_EQ(json::parse(testing::signed_request(port_, "GET", url, sessions[size_t(w)], csrf_).body).at("prisoner").as_string(), "")
                    << "a list imported without 'public' names nobody to writers";
                ASSERT_EQ(call("POST", url + "/send", support_.id, "{\"channel\": \"post\"}").status, 204);
            }
    }
    EXPECT_EQ(failed.load(), 0);
    EXPECT_EQ(given.load(), 300);
    const int64_t most =
        count("SELECT MAX(n) FROM (SELECT p.id, COUNT(l.id) AS n FROM prisoners p LEFT JOIN letters l ON l.prisoner_id = p.id GROUP BY p.id) AS c");
    const int64_t fewest =
        count("SELECT MIN(n) FROM (SELECT p.id, COUNT(l.id) AS n FROM prisoners p LEFT JOIN letters l ON l.prisoner_id = p.id GROUP BY p.id) AS c");
    EXPECT_LE(most - fewest, 1) << "letters per prisoner: " << fewest << " to " << most;
    EXPECT_EQ(count("SELECT COUNT(*) FROM letters"), 300);
    EXPECT_EQ(same_prisoner_twice.load(), 0) << "a writer's letters in hand go to different prisoners";
}

TEST_P(Prisoners, AWriterSavingWhileThePrisonerMovesNeverUndoesTheMove) {
    if (!app_) return;
    // The writer's saves and prisoner support's transfers take turns on the site's letters lock: a save never writes
    // back the letter as it was before a move (held, addressed), whatever the interleaving.
    const int64_t colony = institution("colony", "ИК-7 Сегежа");
    const int64_t ivan = prisoner("Иван Сидоров");
    const std::string move = "/api/v1/prisoners/" + std::to_string(ivan) + "/transfer";
    ASSERT_EQ(call("POST", move, support_.id, "{\"institution_id\": " + std::to_string(colony) + "}").status, 204);
    auto anna = writer("writer-anna", "Лиса");
    auto asked = call("POST", site_path("/letters/ask"), anna.id);
    ASSERT_EQ(asked.status, 201);
    const std::string url = "/api/v1/letters/" + std::to_string(json::parse(asked.body).at("id").as_int64());
    const std::string session = testing::session_for(app_->db(), clock_, anna.id), support = testing::session_for(app_->db(), clock_, support_.id);
    std::atomic<bool> done{false};
    std::thread saver([&] {
        for (int i = 0; !done && i < 400; ++i) (void)testing::signed_request(port_, "PUT", url, session, csrf_, "{\"body\": \"Здравствуйте!\"}");
    });
    for (int i = 0; i < 31; ++i)  // even: in transit, odd: arrived; the last (30) in transit
        ASSERT_EQ(testing::signed_request(port_, "POST", move, support, csrf_, i % 2 ? "{\"institution_id\": " + std::to_string(colony) + "}" : "{}")
                      .status,
                  204);
    done = true;
    saver.join();
    // The last move put Иван in transit: the letter waits.
    auto letter = json::parse(call("GET", url, support_.id).body).as_object();
    EXPECT_TRUE(letter.at("held").as_bool());
    EXPECT_EQ(count("SELECT COUNT(*) FROM letters l JOIN prisoners p ON p.id = l.prisoner_id WHERE l.status IN ('drafted', 'checked') AND "
                    "(l.held = 1) <> (p.status = 'in_transit')"),
              0);
}

INSTANTIATE_TEST_SUITE_P(Engines, Prisoners, ::testing::Values("sqlite", "postgres"), testing::engine_name);

}  // namespace
}  // namespace haven
