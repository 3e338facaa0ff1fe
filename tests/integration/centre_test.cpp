// The centre's day over HTTP on both engines: opening hours, desks (allocation, overlap refused, waitlist,
// who sees names), courses (capacity → waitlist → promotion, attendance by the teacher only, the room's clash,
// the certificate), events (visitor or known person, waitlist that promotes, check-in by QR code once),
// headcounts, the month's occupancy figures, and a person's own calendar feed read by two parsers.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <atomic>
#include <thread>

#include "app/app.hpp"
#include "modules/spaces/calendar.hpp"
#include "support/accounts.hpp"
#include "support/app_fixture.hpp"
#include "support/engines.hpp"
#include "support/http_client.hpp"
#include "support/ical.hpp"

namespace haven {
namespace {

namespace json = boost::json;
using testing::HttpReply;

class Centre : public testing::AppFixture<ManualClock> {
protected:
    void SetUp() override {
        AppFixture::SetUp();
        if (!app_) return;
        clock_.set_ms(*spaces::parse_rfc3339("2026-11-02T08:00:00Z"));  // a Monday, 09:00 in Paris
        auto& svc = app_->accounts();
        auto paris = svc.create_site(nullptr, {"Paris", "Paris", "France", "Europe/Paris", false});
        auto berlin = svc.create_site(nullptr, {"Berlin", "Berlin", "Germany", "Europe/Berlin", false});
        ASSERT_TRUE(paris.ok() && berlin.ok());
        site_ = paris->id;
        berlin_ = berlin->id;
        coordinator_ = session("coord", Role::coordinator, site_);
        auto t = testing::make_account(svc, clock_, "teacher-ana", Role::teacher, site_);
        teacher_id_ = t.id;
        teacher_ = testing::session_for(app_->db(), clock_, t.id);
        other_teacher_ = session("teacher-bo", Role::teacher, site_);
        volunteer_ = session("door", Role::volunteer, site_);
        berlin_coord_ = session("berlin", Role::coordinator, berlin_);
    }
    std::string session(const std::string& name, Role role, int64_t site) {
        return testing::session_for(app_->db(), clock_, testing::make_account(app_->accounts(), clock_, name, role, site).id);
    }
    HttpReply call(const std::string& method, const std::string& target, const std::string& who, const std::string& body = {}) {
        return testing::signed_request(port_, method, target, who, csrf_, body);
    }
    json::value ok_json(const HttpReply& r, int status = 200) {
        EXPECT_EQ(r.status, status) << r.body.substr(0, 400);
        if (r.status != status) return json::object{};
        return json::parse(r.body);
    }
    int64_t id_of(const HttpReply& r, int status = 201) {
        auto v = ok_json(r, status);
        return v.is_object() && v.as_object().contains("id") ? v.at("id").as_int64() : 0;
    }
    int64_t person(const std::string& pseudonym, const std::string& legal = "") {
        return id_of(call("POST", "/api/v1/people", coordinator_,
                          R"({"site_id":)" + std::to_string(site_) + R"(,"pseudonym":")" + pseudonym + "\"" +
                              (legal.empty() ? "" : R"(,"legal_names":[")" + legal + "\"]") + "}"));
    }
    int64_t space(const std::string& name, const std::string& kind, const std::string& extra = "") {
        return id_of(call("POST", "/api/v1/spaces", coordinator_,
                          R"({"site_id":)" + std::to_string(site_) + R"(,"name":")" + name + R"(","kind":")" + kind + "\"" + extra + "}"));
    }
    // The field an error names (its one key in "fields").
    std::string field_of(const HttpReply& r) {
        auto v = json::parse(r.body);
        const auto* fields = v.at("error").as_object().if_contains("fields");
        return fields && !fields->as_object().empty() ? std::string(fields->as_object().begin()->key()) : "";
    }

    int64_t site_ = 0, berlin_ = 0, teacher_id_ = 0;
    std::string coordinator_, teacher_, other_teacher_, volunteer_, berlin_coord_;
    const std::string csrf_ = crypto::random_token();
};

TEST_P(Centre, OpeningHoursRefuseBookingsOutsideThemAndShapeTheFreeSlots) {
    if (!app_) return;
    const int64_t room = space("Salle 1", "room", R"(,"opening_hours":"Mo-Fr 09:00-18:00")");
    auto got = ok_json(call("GET", "/api/v1/spaces/" + std::to_string(room), coordinator_));
    EXPECT_EQ(got.at("opening_hours").as_string(), "Mo-Fr 09:00-18:00");
    auto book = [&](const std::string& start, const std::string& end) {
        return call("POST", "/api/v1/bookings", coordinator_,
                    R"({"space_id":)" + std::to_string(room) + R"(,"start":")" + start + R"(","end":")" + end + "\"}");
    };
    auto early = book("2026-11-03T08:00:00+01:00", "2026-11-03T10:00:00+01:00");
    EXPECT_EQ(early.status, 422);
    EXPECT_EQ(field_of(early), "start");
    EXPECT_EQ(book("2026-11-07T10:00:00+01:00", "2026-11-07T11:00:00+01:00").status, 422) << "Saturday: closed";
    ASSERT_EQ(book("2026-11-03T09:00:00+01:00", "2026-11-03T18:00:00+01:00").status, 201) << "the whole opening";
    // The day is full: the nearest free slots are at the openings of the days around, never at night.
    auto clash = book("2026-11-03T14:00:00+01:00", "2026-11-03T16:00:00+01:00");
    ASSERT_EQ(clash.status, 409);
    const auto refused = json::parse(clash.body);
    ASSERT_FALSE(refused.at("free").as_array().empty());
    for (const auto& f : refused.at("free").as_array()) {
        const auto wall = spaces::to_wall(*spaces::parse_rfc3339(std::string(f.at("start").as_string())), "Europe/Paris");
        EXPECT_GE(wall.hour, 9) << f;
        EXPECT_LE(wall.hour, 16) << f;
    }
    auto bad = call("PUT", "/api/v1/spaces/" + std::to_string(room) + "/opening-hours", coordinator_, R"({"opening_hours":"Mo-Fr 18:00-09:00"})");
    EXPECT_EQ(bad.status, 422);
    EXPECT_EQ(field_of(bad), "opening_hours");
    EXPECT_EQ(call("PUT", "/api/v1/spaces/" + std::to_string(room) + "/opening-hours", coordinator_, R"({"opening_hours":""})").status, 200);
    EXPECT_EQ(book("2026-11-07T10:00:00+01:00", "2026-11-07T11:00:00+01:00").status, 201) << "always open now";
}

TEST_P(Centre, DesksHeldFromADateToADateWithAWaitlist) {
    if (!app_) return;
    const int64_t d1 = space("Desk 1", "desk"), d2 = space("Desk 2", "desk");
    const int64_t lis = person("Lis"), kot = person("Kot"), sova = person("Sova");
    const std::string desks = "/api/v1/sites/" + std::to_string(site_) + "/desks";
    auto view = ok_json(call("GET", desks, coordinator_));
    EXPECT_EQ(view.at("date").as_string(), "2026-11-02");
    EXPECT_EQ(view.at("free").as_int64(), 2);

    auto allocate = [&](int64_t desk, int64_t who, const char* from, const char* to) {
        return call("POST", "/api/v1/desks/" + std::to_string(desk) + "/allocations", coordinator_,
                    R"({"person_id":)" + std::to_string(who) + R"(,"from":")" + from + R"(","to":")" + to + "\"}");
    };
    // Kot waits; then gets a desk and leaves the waitlist.
    const int64_t waiting = id_of(call("POST", "/api/v1/desk-waitlist", coordinator_, R"({"person_id":)" + std::to_string(kot) + "}"));
    EXPECT_EQ(call("POST", "/api/v1/desk-waitlist", coordinator_, R"({"person_id":)" + std::to_string(kot) + "}").status, 409);
    EXPECT_EQ(id_of(call("POST", "/api/v1/desk-waitlist", coordinator_, R"({"person_id":)" + std::to_string(sova) + "}")) > 0, true);
    view = ok_json(call("GET", desks, coordinator_));
    ASSERT_EQ(view.at("waitlist").as_array().size(), 2u);
    EXPECT_EQ(view.at("waitlist").at(0).at("id").as_int64(), waiting);
    EXPECT_EQ(view.at("waitlist").at(0).at("person").as_string(), "Kot");

    const int64_t held = id_of(allocate(d1, lis, "2026-11-01", "2026-12-31"));
    EXPECT_EQ(allocate(d1, kot, "2026-12-31", "2027-01-31").status, 409) << "the last day overlaps";
    EXPECT_EQ(allocate(d2, lis, "2026-12-01", "2026-12-05").status, 409) << "one desk a person at a time";
    EXPECT_EQ(allocate(d1, kot, "2027-01-01", "2027-01-31").status, 201) << "touching dates are fine";
    EXPECT_EQ(allocate(d2, kot, "2026-11-02", "2026-11-30").status, 201);
    auto bad = allocate(d2, sova, "2026-11-30", "2026-11-02");
    EXPECT_EQ(bad.status, 422);
    EXPECT_EQ(field_of(bad), "to");
    view = ok_json(call("GET", desks, coordinator_));
    EXPECT_EQ(view.at("free").as_int64(), 0);
    ASSERT_EQ(view.at("waitlist").as_array().size(), 1u) << "Kot left the waitlist with a desk";
    EXPECT_EQ(view.at("desks").at(0).at("held").at("person").as_string(), "Lis");
    // A volunteer sees which desks are free, not who holds them.
    auto seen = ok_json(call("GET", desks, volunteer_));
    EXPECT_EQ(seen.at("desks").at(0).at("held").at("person").as_string(), "");
    EXPECT_EQ(seen.at("waitlist").as_array().size(), 0u);
    EXPECT_EQ(call("POST", "/api/v1/desks/" + std::to_string(d1) + "/allocations", berlin_coord_,
                   R"({"person_id":1,"from":"2026-11-01","to":"2026-11-02"})")
                  .status,
              404)
        << "another site's desk";
    // Released today: free tomorrow.
    EXPECT_EQ(call("DELETE", "/api/v1/desk-allocations/" + std::to_string(held), coordinator_).status, 200);
    EXPECT_EQ(ok_json(call("GET", desks + "?date=2026-11-03", coordinator_)).at("free").as_int64(), 1);
    EXPECT_EQ(ok_json(call("GET", desks + "?date=2026-11-02", coordinator_)).at("free").as_int64(), 0);
}

TEST_P(Centre, CourseOverCapacityWaitlistsThenPromotesAndTheTeacherTakesAttendance) {
    if (!app_) return;
    const int64_t room = space("Salle 2", "room");
    auto made = ok_json(
        call("POST", "/api/v1/courses", coordinator_,
             R"({"site_id":)" + std::to_string(site_) + R"(,"title":"Français débutants","language":"fr","level":"A1","capacity":2,"teacher_id":)" +
                 std::to_string(teacher_id_) + R"(,"space_id":)" + std::to_string(room) + "}"),
        201);
    const int64_t course = made.at("id").as_int64();
    const std::string base = "/api/v1/courses/" + std::to_string(course);
    for (const auto& [body, field] :
         std::vector<std::pair<std::string, std::string>>{{R"("level":"A9","language":"fr","capacity":2)", "level"},
                                                          {R"("level":"A1","language":"French","capacity":2)", "language"},
                                                          {R"("level":"A1","language":"fr","capacity":0)", "capacity"}}) {
        auto r = call("POST", "/api/v1/courses", coordinator_, R"({"site_id":)" + std::to_string(site_) + R"(,"title":"x",)" + body + "}");
        EXPECT_EQ(r.status, 422);
        EXPECT_EQ(field_of(r), field);
    }
    // Ten Tuesday sessions book the room; a clash with them refuses a whole new series.
    auto sessions =
        ok_json(call("POST", base + "/sessions", coordinator_,
                     R"({"start":"2026-11-03T18:00:00+01:00","end":"2026-11-03T20:00:00+01:00","recurrence":{"freq":"weekly","count":10}})"),
                201);
    ASSERT_EQ(sessions.at("ids").as_array().size(), 10u);
    auto clash = call("POST", "/api/v1/bookings", coordinator_,
                      R"({"space_id":)" + std::to_string(room) + R"(,"start":"2026-11-10T19:00:00+01:00","end":"2026-11-10T21:00:00+01:00"})");
    EXPECT_EQ(clash.status, 409);

    const int64_t a = person("Lis", "Захаров Денис"), b = person("Kot"), c = person("Sova");
    auto enrol = [&](int64_t who) {
        return ok_json(call("POST", base + "/enrolments", coordinator_, R"({"person_id":)" + std::to_string(who) + "}"), 201);
    };
    auto ea = enrol(a), eb = enrol(b), ec = enrol(c);
    EXPECT_EQ(ea.at("status").as_string(), "enrolled");
    EXPECT_EQ(eb.at("status").as_string(), "enrolled");
    EXPECT_EQ(ec.at("status").as_string(), "waitlisted");
    EXPECT_EQ(call("POST", base + "/enrolments", coordinator_, R"({"person_id":)" + std::to_string(c) + "}").status, 409);
    auto left = ok_json(call("DELETE", "/api/v1/course-enrolments/" + std::to_string(eb.at("id").as_int64()), coordinator_));
    EXPECT_EQ(left.at("promoted").at("person").as_string(), "Sova");
    EXPECT_EQ(left.at("promoted").at("status").as_string(), "enrolled");
    auto course_now = ok_json(call("GET", base, coordinator_));
    EXPECT_EQ(course_now.at("enrolled").as_int64(), 2);
    EXPECT_EQ(course_now.at("waitlisted").as_int64(), 0);

    // The teacher marks the first session; another teacher may not; someone not enrolled cannot be marked.
    const int64_t first = sessions.at("ids").at(0).as_int64();
    const std::string attendance = "/api/v1/course-sessions/" + std::to_string(first) + "/attendance";
    EXPECT_EQ(call("PUT", attendance, other_teacher_, R"({"present":[]})").status, 403);
    EXPECT_EQ(call("GET", base + "/enrolments", other_teacher_).status, 403);
    auto wrong = call("PUT", attendance, teacher_, R"({"present":[)" + std::to_string(eb.at("id").as_int64()) + "]}");
    EXPECT_EQ(wrong.status, 422);
    EXPECT_EQ(field_of(wrong), "present");
    clock_.set_ms(*spaces::parse_rfc3339("2026-11-03T19:00:00Z"));  // during the first session (sessions signed in before have expired)
    teacher_ = testing::session_for(app_->db(), clock_, teacher_id_);
    coordinator_ = session("coord-2", Role::coordinator, site_);
    auto marked = ok_json(call("PUT", attendance, teacher_, R"({"present":[)" + std::to_string(ea.at("id").as_int64()) + "]}"));
    EXPECT_EQ(marked.at("present").as_int64(), 1);
    EXPECT_EQ(marked.at("marked").as_int64(), 2);
    auto list = ok_json(call("GET", base + "/enrolments", teacher_));
    EXPECT_EQ(list.at("items").as_array().size(), 2u);

    // The certificate carries the legal name and the hours attended; only coordinators print it.
    const std::string cert = "/course-enrolments/" + std::to_string(ea.at("id").as_int64()) + "/certificate";
    auto page = call("GET", cert, coordinator_);
    ASSERT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("Захаров Денис"), std::string::npos);
    EXPECT_NE(page.body.find("1 of 1 sessions (2 hours)"), std::string::npos) << page.body.substr(page.body.find("certificate"), 600);
    EXPECT_EQ(call("GET", cert, teacher_).status, 403);
}

// Twenty coordinators enrol twenty people at once in a course of five places: exactly five get in, fifteen wait,
// on both engines (the course's row is taken first, as a space's row is for bookings).
TEST_P(Centre, TwentyEnrolmentsAtOnceNeverOverfillACourse) {
    if (!app_) return;
    auto made = ok_json(call("POST", "/api/v1/courses", coordinator_,
                             R"({"site_id":)" + std::to_string(site_) + R"(,"title":"English","language":"en","level":"B2","capacity":5})"),
                        201);
    const std::string enrolments = "/api/v1/courses/" + std::to_string(made.at("id").as_int64()) + "/enrolments";
    std::vector<int64_t> people;
    for (int i = 0; i < 20; ++i) people.push_back(person("P" + std::to_string(i)));
    std::vector<std::thread> threads;
    std::atomic<int> created{0};
    for (int64_t p : people)
        threads.emplace_back([&, p] {
            if (call("POST", enrolments, coordinator_, R"({"person_id":)" + std::to_string(p) + "}").status == 201) ++created;
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(created.load(), 20);
    int enrolled = 0, waiting = 0;
    const auto list = ok_json(call("GET", enrolments, coordinator_));
    for (const auto& e : list.at("items").as_array()) (e.at("status").as_string() == "enrolled" ? enrolled : waiting)++;
    EXPECT_EQ(enrolled, 5);
    EXPECT_EQ(waiting, 15);
}

TEST_P(Centre, EventWaitlistPromotesAndAGuestChecksInOnceByQrCode) {
    if (!app_) return;
    auto e = ok_json(call("POST", "/api/v1/events", coordinator_,
                          R"({"site_id":)" + std::to_string(site_) +
                              R"(,"title":"Вечер поэзии","start":"2026-11-06T19:00:00+01:00","end":"2026-11-06T22:00:00+01:00","capacity":1})"),
                     201);
    const int64_t event = e.at("id").as_int64();
    const std::string base = "/api/v1/events/" + std::to_string(event);
    const int64_t lis = person("Lis");
    auto known = ok_json(call("POST", base + "/registrations", coordinator_, R"({"person_id":)" + std::to_string(lis) + "}"), 201);
    auto visitor = ok_json(call("POST", base + "/registrations", coordinator_, R"({"first_name":"Маша"})"), 201);
    EXPECT_EQ(known.at("status").as_string(), "registered");
    EXPECT_EQ(visitor.at("status").as_string(), "waitlisted");
    EXPECT_EQ(call("POST", base + "/registrations", coordinator_, R"({})").status, 422);
    EXPECT_EQ(call("POST", base + "/registrations", coordinator_, R"({"person_id":)" + std::to_string(lis) + "}").status, 409);
    const std::string code(visitor.at("code").as_string());
    // On the waitlist: the door refuses; once promoted, the QR code lets her in exactly once.
    auto early = call("POST", base + "/check-in", volunteer_, R"({"code":")" + code + "\"}");
    EXPECT_EQ(early.status, 409);
    auto cancelled = ok_json(call("DELETE", "/api/v1/registrations/" + std::to_string(known.at("id").as_int64()), coordinator_));
    EXPECT_EQ(cancelled.at("promoted").at("name").as_string(), "Маша");
    auto in = ok_json(call("POST", base + "/check-in", volunteer_, R"({"code":")" + code + "\"}"));
    EXPECT_EQ(in.at("name").as_string(), "Маша");
    EXPECT_FALSE(in.at("checked_in_at").is_null());
    auto again = call("POST", base + "/check-in", volunteer_, R"({"code":")" + code + "\"}");
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(json::parse(again.body).at("error").at("code").as_string(), "already_checked_in");
    EXPECT_EQ(call("POST", base + "/check-in", volunteer_, R"({"code":")" + crypto::random_token() + "\"}").status, 404);
    EXPECT_EQ(call("POST", base + "/check-in", volunteer_, R"({})").status, 422);
    auto now = ok_json(call("GET", base, volunteer_));
    EXPECT_EQ(now.at("checked_in").as_int64(), 1);
    EXPECT_EQ(now.at("title").as_string(), "Вечер поэзии");
    // The visitor's first name and the title are sealed: not in the table in plaintext.
    auto raw = app_->db().query("SELECT visitor FROM registrations WHERE id = $1", {visitor.at("id").as_int64()});
    const auto& bytes = raw.at(0).blob(0).bytes;
    EXPECT_EQ(std::string(bytes.begin(), bytes.end()).find("Маша"), std::string::npos);

    // A drop-in evening: no registration, heads counted at the door.
    auto dropin = ok_json(call("POST", "/api/v1/events", coordinator_,
                               R"({"site_id":)" + std::to_string(site_) +
                                   R"(,"title":"Open evening","start":"2026-11-07T18:00:00+01:00","end":"2026-11-07T23:00:00+01:00"})"),
                          201);
    const std::string d = "/api/v1/events/" + std::to_string(dropin.at("id").as_int64());
    EXPECT_EQ(call("POST", d + "/registrations", coordinator_, R"({"first_name":"Ivan"})").status, 422);
    for (int i = 0; i < 3; ++i) ok_json(call("POST", d + "/headcount", volunteer_, R"({"count":1})"));
    EXPECT_EQ(ok_json(call("POST", d + "/headcount", volunteer_, R"({"count":40})")).at("headcount").as_int64(), 43);
    EXPECT_EQ(call("POST", d + "/headcount", volunteer_, R"({"count":-50})").status, 422);
    EXPECT_EQ(call("POST", d + "/headcount", volunteer_, R"({"count":0})").status, 422);

    // The month's figures.
    auto o = ok_json(call("GET", "/api/v1/sites/" + std::to_string(site_) + "/occupancy?month=2026-11", coordinator_));
    EXPECT_EQ(o.at("events").at("count").as_int64(), 2);
    EXPECT_EQ(o.at("events").at("registered").as_int64(), 1);
    EXPECT_EQ(o.at("events").at("checked_in").as_int64(), 1);
    EXPECT_EQ(o.at("events").at("headcount").as_int64(), 43);
    EXPECT_EQ(call("GET", "/api/v1/sites/" + std::to_string(site_) + "/occupancy?month=2026-13", coordinator_).status, 422);
}

TEST_P(Centre, OccupancyCountsDeskDaysStudioHoursAndAttendance) {
    if (!app_) return;
    const int64_t desk = space("Desk 1", "desk"), studio = space("Studio", "studio");
    space("Desk 2", "desk");
    const int64_t lis = person("Lis");
    ASSERT_EQ(call("POST", "/api/v1/desks/" + std::to_string(desk) + "/allocations", coordinator_,
                   R"({"person_id":)" + std::to_string(lis) + R"(,"from":"2026-10-25","to":"2026-11-10"})")
                  .status,
              201);
    // 3 hours in November, one of them across the end of the month counts half: 23:30–00:30 Paris on 30 Nov.
    ASSERT_EQ(call("POST", "/api/v1/bookings", coordinator_,
                   R"({"space_id":)" + std::to_string(studio) + R"(,"start":"2026-11-04T10:00:00+01:00","end":"2026-11-04T12:30:00+01:00"})")
                  .status,
              201);
    ASSERT_EQ(call("POST", "/api/v1/bookings", coordinator_,
                   R"({"space_id":)" + std::to_string(studio) + R"(,"start":"2026-11-30T23:30:00+01:00","end":"2026-12-01T00:30:00+01:00"})")
                  .status,
              201);
    auto o = ok_json(call("GET", "/api/v1/sites/" + std::to_string(site_) + "/occupancy?month=2026-11", coordinator_));
    EXPECT_EQ(o.at("desks").at("count").as_int64(), 2);
    EXPECT_EQ(o.at("desks").at("days_available").as_int64(), 60);
    EXPECT_EQ(o.at("desks").at("days_used").as_int64(), 10);
    EXPECT_DOUBLE_EQ(o.at("studio_hours").to_number<double>(), 3.0);
    auto page = call("GET", "/sites/" + std::to_string(site_) + "/occupancy?month=2026-11", coordinator_);
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("10 / 60"), std::string::npos);
    EXPECT_EQ(call("GET", "/api/v1/sites/" + std::to_string(site_) + "/occupancy", volunteer_).status, 403);
}

TEST_P(Centre, OwnFeedShowsNamesOnlyWhenItsOwnerAllows) {
    if (!app_) return;
    const int64_t studio = space("Studio Voix", "studio");
    ASSERT_EQ(call("POST", "/api/v1/bookings", teacher_,
                   R"({"space_id":)" + std::to_string(studio) + R"(,"start":"2026-11-05T10:00:00+01:00","end":"2026-11-05T11:00:00+01:00"})")
                  .status,
              201);
    auto course =
        ok_json(call("POST", "/api/v1/courses", coordinator_,
                     R"({"site_id":)" + std::to_string(site_) + R"(,"title":"Deutsch A2","language":"de","level":"A2","capacity":8,"teacher_id":)" +
                         std::to_string(teacher_id_) + "}"),
                201);
    ok_json(call("POST", "/api/v1/courses/" + std::to_string(course.at("id").as_int64()) + "/sessions", coordinator_,
                 R"({"start":"2027-03-22T18:00:00+01:00","end":"2027-03-22T19:30:00+01:00","recurrence":{"freq":"weekly","count":2}})"),
            201);  // across the spring change of 28 March 2027
    auto feed = ok_json(call("GET", "/api/v1/account/feed", teacher_));
    EXPECT_FALSE(feed.at("show_names").as_bool());
    const std::string url(feed.at("ical_url").as_string()), path = url.substr(url.find("/feeds/"));
    auto body = testing::request(port_, "GET", path);
    ASSERT_EQ(body.status, 200);
    EXPECT_EQ(body.body.find("Studio Voix"), std::string::npos);
    EXPECT_EQ(body.body.find("Deutsch"), std::string::npos);
    const std::set<std::string> want = {"2026-11-05T09:00:00Z 2026-11-05T10:00:00Z", "2027-03-22T17:00:00Z 2027-03-22T18:30:00Z",
                                        "2027-03-29T16:00:00Z 2027-03-29T17:30:00Z"};
    EXPECT_EQ(testing::read_with_python(body.body, dir_), want);
    EXPECT_EQ(testing::read_with_libical(body.body), want);

    EXPECT_TRUE(ok_json(call("PUT", "/api/v1/account/feed", teacher_, R"({"show_names":true})")).at("show_names").as_bool());
    body = testing::request(port_, "GET", path);
    EXPECT_NE(body.body.find("Studio Voix"), std::string::npos);
    EXPECT_NE(body.body.find("Deutsch A2"), std::string::npos);
    EXPECT_EQ(call("PUT", "/api/v1/account/feed", teacher_, R"({"show_names":"yes"})").status, 422);
    auto rotated = ok_json(call("POST", "/api/v1/account/feed/rotate", teacher_, "{}"));
    EXPECT_EQ(testing::request(port_, "GET", path).status, 404);
    EXPECT_TRUE(rotated.at("show_names").as_bool());
    const std::string fresh(rotated.at("ical_url").as_string());
    EXPECT_EQ(testing::request(port_, "GET", fresh.substr(fresh.find("/feeds/"))).status, 200);
    auto wrong = testing::request(port_, "GET", "/feeds/people/" + crypto::random_token());
    EXPECT_EQ(wrong.status, 404);
    EXPECT_EQ(wrong.body.find("VCALENDAR"), std::string::npos);
}

// The pages as a coordinator and a teacher use them: a desk given from the person's page, the desks at a glance,
// attendance ticked on the session's page, the desk released; then the person is erased and every trace of them
// in the centre goes with them.
TEST_P(Centre, PagesGiveADeskTakeAttendanceAndErasureRemovesTheTraces) {
    if (!app_) return;
    auto form = [&](const std::string& target, const std::string& who, const std::string& body) {
        return testing::request(
            port_, "POST", target, "_csrf=" + csrf_ + "&" + body,
            "Cookie: __Host-haven_session=" + who + "; __Host-haven_csrf=" + csrf_ + "\r\nContent-Type: application/x-www-form-urlencoded\r\n");
    };
    const int64_t desk = space("Desk 7", "desk");
    const int64_t lis = person("Lis");
    const std::string person_page = "/people/" + std::to_string(lis);
    auto page = call("GET", person_page, coordinator_);
    ASSERT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("id=\"allocate-desk\""), std::string::npos);
    EXPECT_EQ(form(person_page + "/desk", coordinator_, "desk_id=" + std::to_string(desk) + "&from=2026-11-02&to=2026-11-30").status, 303);
    auto desks = call("GET", "/sites/" + std::to_string(site_) + "/desks", coordinator_);
    ASSERT_EQ(desks.status, 200);
    EXPECT_NE(desks.body.find("0 of 1 desks free"), std::string::npos);
    EXPECT_NE(desks.body.find("Lis"), std::string::npos);
    auto seen = call("GET", "/sites/" + std::to_string(site_) + "/desks", volunteer_);
    EXPECT_EQ(seen.body.find("Lis"), std::string::npos) << "a volunteer sees the desk held, not by whom";

    auto course =
        ok_json(call("POST", "/api/v1/courses", coordinator_,
                     R"({"site_id":)" + std::to_string(site_) + R"(,"title":"Deutsch","language":"de","level":"B1","capacity":5,"teacher_id":)" +
                         std::to_string(teacher_id_) + "}"),
                201);
    const std::string course_id = std::to_string(course.at("id").as_int64());
    EXPECT_EQ(form(person_page + "/courses", coordinator_, "course_id=" + course_id).status, 303);
    EXPECT_EQ(form("/courses/" + course_id + "/sessions", coordinator_, "date=2026-11-04&from=18%3A00&to=19%3A30&weeks=4").status, 303);
    auto sessions = ok_json(call("GET", "/api/v1/courses/" + course_id, coordinator_)).at("sessions").as_array();
    ASSERT_EQ(sessions.size(), 4u);
    const std::string session_page = "/course-sessions/" + std::to_string(sessions[0].at("id").as_int64());
    auto sheet = call("GET", session_page, teacher_);
    ASSERT_EQ(sheet.status, 200);
    const int64_t enrolment = ok_json(call("GET", "/api/v1/courses/" + course_id + "/enrolments", teacher_)).at("items").at(0).at("id").as_int64();
    EXPECT_NE(sheet.body.find("present-" + std::to_string(enrolment)), std::string::npos);
    EXPECT_EQ(form(session_page, teacher_, "present=" + std::to_string(enrolment)).status, 303);
    EXPECT_NE(call("GET", session_page + "?saved=1", teacher_).body.find("checked"), std::string::npos);
    EXPECT_EQ(call("GET", session_page, other_teacher_).status, 403);

    // Released from the desks page; then erased: no desk, enrolment, attendance or registration of theirs remains.
    const int64_t held = app_->db().query("SELECT id FROM desk_allocations WHERE person_id = $1", {lis}).at(0).integer(0);
    EXPECT_EQ(form("/desk-allocations/" + std::to_string(held) + "/release", coordinator_, "").status, 303);
    auto e = ok_json(call("POST", "/api/v1/events", coordinator_,
                          R"({"site_id":)" + std::to_string(site_) +
                              R"(,"title":"Picnic","start":"2026-11-08T12:00:00+01:00","end":"2026-11-08T15:00:00+01:00","capacity":9})"),
                     201);
    EXPECT_EQ(form(person_page + "/events", coordinator_, "event_id=" + std::to_string(e.at("id").as_int64())).status, 303);
    ASSERT_EQ(call("DELETE", "/api/v1/people/" + std::to_string(lis), coordinator_).status, 200);
    for (const char* table : {"desk_allocations", "course_enrolments", "registrations"})
        EXPECT_EQ(app_->db().query(std::string("SELECT COUNT(*) FROM ") + table + " WHERE person_id = $1", {lis}).at(0).integer(0), 0) << table;
    EXPECT_EQ(app_->db().query("SELECT COUNT(*) FROM attendance").at(0).integer(0), 0);
}

// The space form on the pages: opening hours that do not parse are refused (422), the page naming the field as it
// is labelled, marking it, keeping what was typed in the form and nothing in the database; good ones make the space.
TEST_P(Centre, TheSpaceFormRefusesOpeningHoursItCannotRead) {
    if (!app_) return;
    auto post = [&](const std::string& hours) {
        return testing::request(port_, "POST", "/sites/" + std::to_string(site_) + "/spaces",
                                "_csrf=" + csrf_ + "&name=Studio+B&kind=studio&equipment=&opening_hours=" + hours,
                                "Cookie: __Host-haven_session=" + coordinator_ + "; __Host-haven_csrf=" + csrf_ +
                                    "\r\nContent-Type: application/x-www-form-urlencoded\r\n");
    };
    for (const char* bad : {"Mo-Fr+18%3A00-09%3A00", "Xx+09%3A00-18%3A00", "Mo+25%3A00-26%3A00"}) {
        auto refused = post(bad);
        EXPECT_EQ(refused.status, 422) << bad;
        EXPECT_NE(refused.body.find("role=\"alert\">Opening hours: write them like"), std::string::npos) << "the notice names the field: " << bad;
        EXPECT_EQ(refused.body.find("opening_hours:"), std::string::npos) << "never the internal name: " << bad;
        EXPECT_NE(refused.body.find("value=\"Studio B\""), std::string::npos) << "the name typed is kept: " << bad;
        EXPECT_NE(refused.body.find("id=\"opening_hours\" name=\"opening_hours\" type=\"text\" value=\""), std::string::npos) << bad;
        EXPECT_NE(refused.body.find("aria-describedby=\"opening_hours-error\""), std::string::npos) << "the field is marked: " << bad;
    }
    EXPECT_EQ(app_->db().query("SELECT COUNT(*) FROM spaces WHERE name = 'Studio B'").at(0).integer(0), 0) << "nothing kept";
    auto made = post("Mo-Fr+09%3A00-18%3A00%3B+Sa+10%3A00-14%3A00");
    ASSERT_EQ(made.status, 303);
    auto shown = call("GET", made.header("Location"), coordinator_);
    EXPECT_NE(shown.body.find("Mo-Fr 09:00-18:00; Sa 10:00-14:00"), std::string::npos);
}

// Erasing a person gives their course place and their event place to the first waiting, as leaving would.
TEST_P(Centre, ErasureGivesThePersonsPlacesToTheFirstWaiting) {
    if (!app_) return;
    auto course =
        ok_json(call("POST", "/api/v1/courses", coordinator_,
                     R"({"site_id":)" + std::to_string(site_) + R"(,"title":"Deutsch","language":"de","level":"A1","capacity":1,"teacher_id":)" +
                         std::to_string(teacher_id_) + "}"),
                201);
    const std::string course_base = "/api/v1/courses/" + std::to_string(course.at("id").as_int64());
    auto event = ok_json(call("POST", "/api/v1/events", coordinator_,
                              R"({"site_id":)" + std::to_string(site_) +
                                  R"(,"title":"Picnic","start":"2026-11-08T12:00:00+01:00","end":"2026-11-08T15:00:00+01:00","capacity":1})"),
                         201);
    const std::string event_base = "/api/v1/events/" + std::to_string(event.at("id").as_int64());
    const int64_t lis = person("Lis"), kot = person("Kot");
    for (int64_t who : {lis, kot}) {
        const std::string body = R"({"person_id":)" + std::to_string(who) + "}";
        ok_json(call("POST", course_base + "/enrolments", coordinator_, body), 201);
        ok_json(call("POST", event_base + "/registrations", coordinator_, body), 201);
    }
    EXPECT_EQ(ok_json(call("GET", course_base, coordinator_)).at("waitlisted").as_int64(), 1);

    ASSERT_EQ(call("DELETE", "/api/v1/people/" + std::to_string(lis), coordinator_).status, 200);
    auto course_now = ok_json(call("GET", course_base, coordinator_));
    EXPECT_EQ(course_now.at("enrolled").as_int64(), 1);
    EXPECT_EQ(course_now.at("waitlisted").as_int64(), 0);
    auto event_now = ok_json(call("GET", event_base, coordinator_));
    EXPECT_EQ(event_now.at("registered").as_int64(), 1);
    EXPECT_EQ(event_now.at("waitlisted").as_int64(), 0);
    EXPECT_EQ(app_->db().query("SELECT status FROM course_enrolments WHERE person_id = $1", {kot}).at(0).text(0), "enrolled");
    EXPECT_EQ(app_->db().query("SELECT status FROM registrations WHERE person_id = $1", {kot}).at(0).text(0), "registered");
}

INSTANTIATE_TEST_SUITE_P(Engines, Centre, ::testing::Values("sqlite", "postgres"), testing::engine_name);

}  // namespace
}  // namespace haven
