// Spaces and bookings over HTTP on both engines: a table of conflicts (edges, recurring against one-off,
// exceptions, across daylight-saving changes in Paris and Berlin), the 409 that names the clash and the
// nearest free slots, and 50 clients booking the same slot at once — exactly one wins.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <thread>

#include "app/app.hpp"
#include "modules/spaces/calendar.hpp"
#include "support/accounts.hpp"
#include "support/app_fixture.hpp"
#include "support/engines.hpp"
#include "support/http_client.hpp"
#include "support/ical.hpp"

#include <cstdio>
#include <fstream>
#include <set>

namespace haven {
namespace {

namespace json = boost::json;
using testing::HttpReply;

class Spaces : public testing::AppFixture<ManualClock> {
protected:
    void SetUp() override {
        AppFixture::SetUp();
        if (!app_) return;
        clock_.set_ms(*spaces::parse_rfc3339("2026-01-05T08:00:00Z"));
        auto& svc = app_->accounts();
        auto paris = svc.create_site(nullptr, {"Paris", "Paris", "France", "Europe/Paris", false});
        auto berlin = svc.create_site(nullptr, {"Berlin", "Berlin", "Germany", "Europe/Berlin", false});
        ASSERT_TRUE(paris.ok() && berlin.ok());
        paris_ = paris->id;
        berlin_ = berlin->id;
        tech_ = session(testing::make_account(svc, clock_, "tech", Role::studio_technician, paris_).id);
        berlin_coord_ = session(testing::make_account(svc, clock_, "berlin", Role::coordinator, berlin_).id);
    }
    std::string session(int64_t id) { return testing::session_for(app_->db(), clock_, id); }
    HttpReply call(const std::string& method, const std::string& target, const std::string& who, const std::string& body = {}) {
        return testing::signed_request(port_, method, target, who, csrf_, body);
    }
    int64_t space(const std::string& who, int64_t site, const char* name, const char* kind) {
        auto r = call(
            "POST", "/api/v1/spaces", who,
            R"({"site_id":)" + std::to_string(site) + R"(,"name":")" + name + R"(","kind":")" + kind + R"(","equipment":["2 cameras","lights"]})");
        EXPECT_EQ(r.status, 201) << r.body;
        return r.status == 201 ? json::parse(r.body).at("id").as_int64() : 0;
    }
    HttpReply book(const std::string& who, int64_t space, const std::string& start, const std::string& end, const std::string& extra = "") {
        return call("POST", "/api/v1/bookings", who,
                    R"({"space_id":)" + std::to_string(space) + R"(,"start":")" + start + R"(","end":")" + end + "\"" + extra + "}");
    }

    int64_t paris_ = 0, berlin_ = 0;
    std::string tech_, berlin_coord_;
    const std::string csrf_ = crypto::random_token();
};

struct Case {
    const char* why;
    const char* start;
    const char* end;
    const char* recurrence;  // JSON or ""
    int status;
};

TEST_P(Spaces, ConflictsAtTheEdgesInSeriesAndAcrossDaylightSaving) {
    if (!app_) return;
    const int64_t studio = space(tech_, paris_, "Studio", "studio");
    // Already there: Tuesdays 10:00–12:00 Paris time from 10 March, 6 weeks (over the change of 29 March), but not 24 March.
    ASSERT_EQ(book(tech_, studio, "2026-03-10T10:00:00+01:00", "2026-03-10T12:00:00+01:00",
                   R"(,"recurrence":{"freq":"weekly","count":6,"except":["2026-03-24"]},"note":"podcast: exile voices")")
                  .status,
              201);
    const Case cases[] = {
        {"ends as the series starts", "2026-03-10T08:00:00+01:00", "2026-03-10T10:00:00+01:00", "", 201},
        {"starts as the series ends", "2026-03-10T12:00:00+01:00", "2026-03-10T13:00:00+01:00", "", 201},
        {"one minute into it", "2026-03-17T11:59:00+01:00", "2026-03-17T13:00:00+01:00", "", 409},
        {"inside it", "2026-03-17T10:30:00+01:00", "2026-03-17T11:00:00+01:00", "", 409},
        {"around it", "2026-03-17T09:00:00+01:00", "2026-03-17T13:00:00+01:00", "", 409},
        {"the exception day is free", "2026-03-24T10:00:00+01:00", "2026-03-24T12:00:00+01:00", "", 201},
        {"after the change the series is still at 10:00 Paris time (08:00 UTC)", "2026-03-31T08:30:00Z", "2026-03-31T09:00:00Z", "", 409},
        {"…so 10:00 UTC that day is free", "2026-03-31T10:00:00Z", "2026-03-31T11:00:00Z", "", 201},
        {"a weekly series crossing the existing one", "2026-03-03T11:00:00+01:00", "2026-03-03T12:30:00+01:00", R"({"freq":"weekly","count":3})",
         409},
        {"a daily series that fits between", "2026-03-11T10:00:00+01:00", "2026-03-11T12:00:00+01:00", R"({"freq":"daily","count":6})", 201},
        {"after the series' last week", "2026-04-21T10:00:00+02:00", "2026-04-21T12:00:00+02:00", "", 201},
    };
    for (const auto& c : cases) {
        auto r = book(tech_, studio, c.start, c.end, std::string(c.recurrence).empty() ? "" : std::string(R"(,"recurrence":)") + c.recurrence);
        EXPECT_EQ(r.status, c.status) << c.why << ": " << r.body;
    }
    // The refusal names the clash and offers the nearest free slots of the same length.
    auto refused = book(tech_, studio, "2026-04-07T10:30:00+02:00", "2026-04-07T11:30:00+02:00");
    ASSERT_EQ(refused.status, 409);
    auto body = json::parse(refused.body).as_object();
    EXPECT_EQ(body.at("error").at("code").as_string(), "conflict");
    EXPECT_EQ(body.at("clash").at("start").as_string(), "2026-04-07T08:00:00Z");
    EXPECT_EQ(body.at("clash").at("end").as_string(), "2026-04-07T10:00:00Z");
    EXPECT_EQ(body.at("clash").at("booked_by").as_string(), "tech");
    auto free = body.at("free").as_array();
    ASSERT_FALSE(free.empty());
    for (const auto& f : free) {
        auto start = *spaces::parse_rfc3339(std::string(f.at("start").as_string()));
        auto end = *spaces::parse_rfc3339(std::string(f.at("end").as_string()));
        EXPECT_EQ(end - start, 3600 * 1000) << "same length";
        EXPECT_EQ(book(tech_, studio, spaces::format_rfc3339(start), spaces::format_rfc3339(end)).status, 201) << "the offered slot is free";
        break;
    }
    // The series counts 5 (6 weeks less the exception); the note is sealed.
    EXPECT_EQ(app_->db().query("SELECT COUNT(*) FROM bookings WHERE note IS NOT NULL").at(0).integer(0), 5);
    auto notes = app_->db().query("SELECT note FROM bookings WHERE note IS NOT NULL");
    EXPECT_EQ(notes.at(0).blob(0).str().find("exile"), std::string::npos);

    // Berlin: a daily 18:00–21:00 series over the autumn change stays 18:00 local.
    const int64_t room = space(berlin_coord_, berlin_, "Saal", "room");
    ASSERT_EQ(
        book(berlin_coord_, room, "2026-10-23T18:00:00+02:00", "2026-10-23T21:00:00+02:00", R"(,"recurrence":{"freq":"daily","until":"2026-10-27"})")
            .status,
        201);
    // 26 October is after the change (UTC+1): the series is at 17:00–20:00 UTC that day.
    EXPECT_EQ(book(berlin_coord_, room, "2026-10-26T16:00:00Z", "2026-10-26T17:00:00Z").status, 201);  // 17:00–18:00 local, touching
    EXPECT_EQ(book(berlin_coord_, room, "2026-10-26T17:30:00Z", "2026-10-26T18:00:00Z").status, 409);  // 18:30 local
    EXPECT_EQ(book(berlin_coord_, room, "2026-10-24T16:30:00Z", "2026-10-24T17:00:00Z").status, 409);  // 24 October is still UTC+2: 18:30 local
    auto list = call("GET", "/api/v1/spaces/" + std::to_string(room) + "/bookings?from=2026-10-23T00:00:00Z&to=2026-10-28T00:00:00Z", berlin_coord_);
    ASSERT_EQ(list.status, 200);
    EXPECT_EQ(json::parse(list.body).at("items").as_array().size(), 6u);

    // Bad input names the field; another site's space is not there.
    EXPECT_EQ(book(tech_, studio, "tomorrow", "2026-03-10T12:00:00+01:00").status, 422);
    EXPECT_NE(book(tech_, studio, "2026-05-05T12:00:00Z", "2026-05-05T11:00:00Z").body.find("\"fields\":{\"end\""), std::string::npos);
    EXPECT_EQ(book(tech_, studio, "2026-05-05T10:00:00Z", "2026-05-05T11:00:00Z", R"(,"recurrence":{"freq":"hourly","count":2})").status, 422);
    EXPECT_EQ(book(berlin_coord_, studio, "2026-05-05T10:00:00Z", "2026-05-05T11:00:00Z").status, 404);
    EXPECT_EQ(call("GET", "/api/v1/spaces/" + std::to_string(studio), berlin_coord_).status, 404);
}

TEST_P(Spaces, FiftyClientsOneSlotOneWinner) {
    if (!app_) return;
    const int64_t room = space(tech_, paris_, "Room 2", "room");
    std::atomic<int> created{0}, conflicts{0}, other{0};
    std::vector<std::thread> clients;
    for (int i = 0; i < 50; ++i)
        clients.emplace_back([&] {
            auto r = book(tech_, room, "2026-02-02T14:00:00+01:00", "2026-02-02T15:00:00+01:00");
            (r.status == 201 ? created : r.status == 409 ? conflicts : other)++;
        });
    for (auto& t : clients) t.join();
    EXPECT_EQ(created.load(), 1);
    EXPECT_EQ(conflicts.load(), 49);
    EXPECT_EQ(other.load(), 0);
    EXPECT_EQ(app_->db().query("SELECT COUNT(*) FROM bookings WHERE space_id = $1", {room}).at(0).integer(0), 1);
}

TEST_P(Spaces, FeedsReadByTwoParsersAtSecretRevocableUrls) {
    if (!app_) return;
    const int64_t studio = space(tech_, paris_, "Studio Voix; 1, 2", "studio");
    ASSERT_EQ(book(tech_, studio, "2026-03-22T10:00:00+01:00", "2026-03-22T12:00:00+01:00",
                   R"(,"recurrence":{"freq":"weekly","count":3},"note":"interview with Orlova")")
                  .status,
              201);
    ASSERT_EQ(book(tech_, studio, "2026-10-25T01:30:00+02:00", "2026-10-25T02:30:00+01:00").status, 201);  // over the autumn change
    auto got = call("GET", "/api/v1/spaces/" + std::to_string(studio), tech_);
    ASSERT_EQ(got.status, 200);
    const std::string url(json::parse(got.body).at("ical_url").as_string());
    ASSERT_TRUE(url.starts_with("https://127.0.0.1/feeds/spaces/")) << url;
    const std::string path = url.substr(url.find("/feeds/"));

    auto feed = testing::request(port_, "GET", path);  // no cookie: the URL is the key
    ASSERT_EQ(feed.status, 200);
    EXPECT_NE(feed.headers.find("text/calendar"), std::string::npos);
    EXPECT_EQ(feed.body.find("tech"), std::string::npos) << "no names in a feed";
    EXPECT_EQ(feed.body.find("Orlova"), std::string::npos) << "nor what is produced";
    const std::set<std::string> want = {"2026-03-22T09:00:00Z 2026-03-22T11:00:00Z", "2026-03-29T08:00:00Z 2026-03-29T10:00:00Z",
                                        "2026-04-05T08:00:00Z 2026-04-05T10:00:00Z", "2026-10-24T23:30:00Z 2026-10-25T01:30:00Z"};
    EXPECT_EQ(testing::read_with_python(feed.body, dir_), want);
    EXPECT_EQ(testing::read_with_libical(feed.body), want);

    // A wrong token: 404 and nothing of a calendar. A rotated token: the old URL is dead.
    auto wrong = testing::request(port_, "GET", "/feeds/spaces/" + crypto::random_token());
    EXPECT_EQ(wrong.status, 404);
    EXPECT_EQ(wrong.body.find("VCALENDAR"), std::string::npos);
    auto rotated = call("POST", "/api/v1/spaces/" + std::to_string(studio) + "/feed/rotate", tech_, "{}");
    ASSERT_EQ(rotated.status, 200);
    EXPECT_EQ(testing::request(port_, "GET", path).status, 404);
    const std::string fresh(json::parse(rotated.body).at("ical_url").as_string());
    EXPECT_EQ(testing::request(port_, "GET", fresh.substr(fresh.find("/feeds/"))).status, 200);
}

// The pages: a site's spaces, a week in the site's time, and the booking form answering a clash with free slots.
TEST_P(Spaces, WeekPageAndBookingFormInLocalTime) {
    if (!app_) return;
    const int64_t studio = space(tech_, paris_, "Studio", "studio");
    ASSERT_EQ(book(tech_, studio, "2026-03-29T10:00:00+02:00", "2026-03-29T12:00:00+02:00").status, 201);
    auto list = call("GET", "/sites/" + std::to_string(paris_) + "/spaces", tech_);
    ASSERT_EQ(list.status, 200);
    EXPECT_NE(list.body.find("/spaces/" + std::to_string(studio)), std::string::npos);
    auto week = call("GET", "/spaces/" + std::to_string(studio) + "?week=2026-03-25", tech_);
    ASSERT_EQ(week.status, 200);
    EXPECT_NE(week.body.find("Sunday, 29 March"), std::string::npos);  // the day as English writes it
    EXPECT_NE(week.body.find("10:00–12:00 · tech"), std::string::npos) << "shown in Paris time, the day the clocks change";
    EXPECT_EQ(call("GET", "/spaces/" + std::to_string(studio) + "?week=soon", tech_).status, 400);

    auto form = [&](const std::string& date, const std::string& from, const std::string& to) {
        return testing::request(
            port_, "POST", "/spaces/" + std::to_string(studio) + "/bookings", "_csrf=" + csrf_ + "&date=" + date + "&from=" + from + "&to=" + to,
            "Cookie: __Host-haven_session=" + tech_ + "; __Host-haven_csrf=" + csrf_ + "\r\nContent-Type: application/x-www-form-urlencoded\r\n");
    };
    auto clash = form("2026-03-29", "11%3A00", "12%3A30");
    EXPECT_EQ(clash.status, 409);
    EXPECT_NE(clash.body.find("id=\"clash\""), std::string::npos);
    EXPECT_NE(clash.body.find("2026-03-29 10:00–12:00"), std::string::npos);
    EXPECT_NE(clash.body.find("id=\"free-slots\""), std::string::npos);
    EXPECT_NE(clash.body.find("12:00–13:30"), std::string::npos) << "the slot right after, same length";
    EXPECT_EQ(form("2026-03-29", "25%3A00", "26%3A00").status, 422);
    auto ok = form("2026-03-29", "12%3A00", "13%3A30");
    EXPECT_EQ(ok.status, 303) << ok.body.substr(0, 300);
}

INSTANTIATE_TEST_SUITE_P(Engines, Spaces, ::testing::Values("sqlite", "postgres"), testing::engine_name);

}  // namespace
}  // namespace haven
