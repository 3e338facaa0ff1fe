// The rules of bookings, courses and desks, tested through their services and stores without HTTP: each test is
// a table of steps and what each must answer, run on both engines.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "crypto/vault.hpp"
#include "modules/accounts/service.hpp"
#include "modules/centre/service.hpp"
#include "modules/people/service.hpp"
#include "modules/spaces/service.hpp"
#include "storage/migrate.hpp"
#include "support/engines.hpp"
#include "support/services.hpp"

namespace haven {
namespace {

constexpr int64_t minute = 60 * 1000, hour = 60 * minute, day = 24 * hour;

// The services of one site, wired as app.cpp wires them, on a fresh database of the engine under test.
class Rules : public testing::ServicesTest {
protected:
    void SetUp() override {
        if (!open("haven-rules")) return;
        people_ = std::make_unique<people::Service>(shared(), *accounts_);
        spaces_ = std::make_unique<spaces::Service>(shared(), *accounts_);
        centre_ = std::make_unique<centre::Service>(shared(), *accounts_, *people_, *spaces_);
        site_ = site("Paris", "Paris", "France", "Europe/Paris");
        coordinator_ = account("coordinator", Role::coordinator, site_);
    }
    void TearDown() override {
        centre_.reset();
        spaces_.reset();
        people_.reset();
        ServicesTest::TearDown();
    }

    int64_t person(const std::string& pseudonym) {
        people::Person p;
        p.site_id = site_;
        p.pseudonym = pseudonym;
        auto made = people_->create(coordinator_, p, false);
        EXPECT_TRUE(made.ok()) << made.error().message;
        return made ? made->id : 0;
    }
    spaces::Space space(const std::string& kind, const std::string& name) {
        auto made = spaces_->create_space(coordinator_, {0, site_, kind, name, "", {}, {}});
        EXPECT_TRUE(made.ok()) << made.error().message;
        return made ? made.value() : spaces::Space{};
    }

    std::unique_ptr<people::Service> people_;
    std::unique_ptr<spaces::Service> spaces_;
    std::unique_ptr<centre::Service> centre_;
    int64_t site_ = 0;
    Principal coordinator_;
};

// What a step must answer: done, or refused with this kind (and, for a clash, naming the booking in the way).
struct Expect {
    bool ok = true;
    ErrorKind kind = ErrorKind::bad_request;
};
constexpr Expect done{true};
constexpr Expect conflict{false, ErrorKind::conflict};
constexpr Expect refused{false, ErrorKind::invalid};

template <class T>
void check(const Result<T>& r, Expect want, const std::string& step) {
    ASSERT_EQ(r.ok(), want.ok) << step << (r.ok() ? "" : ": " + r.error().message);
    if (!want.ok) {
        EXPECT_EQ(int(r.error().kind), int(want.kind)) << step << ": " << r.error().message;
    }
}

TEST_P(Rules, ABookingOverlappingAnotherIsRefusedWithTheClashInsideTheError) {
    if (!centre_) return;
    const auto room = space("room", "Room 1");
    const int64_t ten = clock_.now_ms() + day + 2 * hour;  // tomorrow 10:00 UTC
    auto first = spaces_->book(coordinator_, {room.id, ten, ten + hour, {}, ""});
    ASSERT_TRUE(first.ok());
    struct Case {
        const char* name;
        int64_t start, end;
        Expect want;
    };
    const std::vector<Case> cases = {
        {"ends as the other begins", ten - hour, ten, done},
        {"begins as the other ends", ten + hour, ten + 2 * hour, done},
        {"overlaps its start", ten - 30 * minute, ten + 30 * minute, conflict},
        {"overlaps its end", ten + 30 * minute, ten + 90 * minute, conflict},
        {"lies inside it", ten + 15 * minute, ten + 45 * minute, conflict},
        {"covers it", ten - hour, ten + 2 * hour, conflict},
        {"ends before it begins", ten + 3 * hour, ten + 2 * hour, refused},
        {"lasts more than a day", ten + 2 * hour, ten + 2 * hour + day + minute, refused},
    };
    for (const auto& c : cases) {
        auto booked = spaces_->book(coordinator_, {room.id, c.start, c.end, {}, ""});
        check(booked, c.want, c.name);
        if (booked) {
            ASSERT_TRUE(spaces_->cancel(coordinator_, booked->ids.at(0), false).ok()) << c.name;
            continue;
        }
        const spaces::Clash* clash = spaces::clash_of(booked.error());
        ASSERT_EQ(clash != nullptr, c.want.kind == ErrorKind::conflict) << c.name;
        if (!clash) continue;
        EXPECT_EQ(clash->with.id, first->ids.at(0)) << c.name;
        EXPECT_EQ(clash->wanted.start, c.start) << c.name;
        EXPECT_FALSE(clash->free.empty()) << c.name;
        for (const auto& f : clash->free) EXPECT_TRUE(f.end <= ten || f.start >= ten + hour) << c.name << ": a free slot overlaps the booking";
    }
}

// Issue 16: the week shows a studio's note, to whom it belongs to see it.
TEST_P(Rules, AStudiosNoteIsShownToItsBookerAndTheManagersAlone) {
    if (!centre_) return;
    const auto studio = space("studio", "Studio");
    const int64_t ten = clock_.now_ms() + day + 2 * hour;
    const Principal teacher = account("teacher", Role::teacher, site_), other = account("other-teacher", Role::teacher, site_),
                    technician = account("technician", Role::studio_technician, site_);
    ASSERT_TRUE(spaces_->book(teacher, {studio.id, ten, ten + hour, {}, "podcast: voices from exile"}).ok());
    const std::vector<std::pair<const Principal*, bool>> readers = {{&teacher, true}, {&technician, true}, {&coordinator_, true}, {&other, false}};
    for (const auto& [reader, sees] : readers) {
        auto week = spaces_->bookings(*reader, studio.id, ten - day, ten + day);
        ASSERT_TRUE(week.ok()) << reader->username;
        ASSERT_EQ(week->size(), 1u);
        EXPECT_EQ(week->at(0).note, sees ? "podcast: voices from exile" : "") << reader->username;
    }
}

TEST_P(Rules, ACoursesSessionsAndTheirRoomAreBookedTogetherOrNotAtAll) {
    if (!centre_) return;
    const auto room = space("room", "Classroom");
    auto course = centre_->create_course(coordinator_, {site_, 0, 10, room.id, "French A2", "fr", "A2"});
    ASSERT_TRUE(course.ok()) << course.error().message;
    const int64_t ten = clock_.now_ms() + 7 * day + 2 * hour;                                                 // 10:00 UTC, a week on
    ASSERT_TRUE(spaces_->book(coordinator_, {room.id, ten + 14 * day, ten + 14 * day + hour, {}, ""}).ok());  // the third week is taken
    struct Case {
        const char* name;
        int64_t start;
        int weeks;
        Expect want;
        size_t sessions_after;
    };
    const std::vector<Case> cases = {
        {"four weekly sessions meet the booked third week", ten, 4, conflict, 0},
        {"two weekly sessions before it", ten, 2, done, 2},
        {"the third week alone", ten + 14 * day, 1, conflict, 2},
        {"an hour later that week", ten + 14 * day + hour, 1, done, 3},
    };
    for (const auto& c : cases) {
        spaces::Recurrence rule;
        if (c.weeks > 1) {
            rule.freq = "weekly";
            rule.count = c.weeks;
        }
        auto added = centre_->add_sessions(coordinator_, course->id, c.start, c.start + hour, rule);
        check(added, c.want, c.name);
        if (!added) {
            EXPECT_NE(spaces::clash_of(added.error()), nullptr) << c.name << ": the 409 carries the clash";
        }
        auto sessions = centre_->sessions(coordinator_, course->id);
        ASSERT_TRUE(sessions.ok());
        EXPECT_EQ(sessions->size(), c.sessions_after) << c.name;
    }
}

TEST_P(Rules, EnrolmentsFillTheCourseThenWaitAndALeaverIsReplacedByTheFirstWaiting) {
    if (!centre_) return;
    auto course = centre_->create_course(coordinator_, {site_, 0, 2, 0, "German A1", "de", "A1"});
    ASSERT_TRUE(course.ok()) << course.error().message;
    const std::vector<int64_t> people = {person("Anna"), person("Boris"), person("Vera"), person("Gleb")};
    std::vector<int64_t> enrolment(people.size());
    struct Case {
        size_t who;
        const char* status;  // "" when refused
        Expect want;
    };
    const std::vector<Case> cases = {
        {0, "enrolled", done}, {1, "enrolled", done}, {2, "waitlisted", done}, {3, "waitlisted", done}, {0, "", conflict}, {2, "", conflict},
    };
    for (const auto& c : cases) {
        const std::string step = "enrol person " + std::to_string(c.who);
        auto e = centre_->enrol(coordinator_, course->id, people[c.who]);
        check(e, c.want, step);
        if (!e) continue;
        EXPECT_EQ(e->status, c.status) << step;
        enrolment[c.who] = e->id;
    }
    // Leaving: the first waiting takes the place while there is one.
    struct Leave {
        size_t who;
        int64_t promoted;  // the enrolment that takes the place, 0 for none
        int64_t enrolled, waiting;
    };
    const std::vector<Leave> leaves = {{0, enrolment[2], 2, 1}, {2, enrolment[3], 2, 0}, {1, 0, 1, 0}};
    for (const auto& l : leaves) {
        const std::string step = "person " + std::to_string(l.who) + " leaves";
        auto promoted = centre_->leave(coordinator_, enrolment[l.who]);
        ASSERT_TRUE(promoted.ok()) << step << ": " << promoted.error().message;
        EXPECT_EQ(promoted->has_value() ? promoted->value().id : 0, l.promoted) << step;
        auto now = centre_->course(coordinator_, course->id);
        ASSERT_TRUE(now.ok());
        EXPECT_EQ(now->enrolled, l.enrolled) << step;
        EXPECT_EQ(now->waiting, l.waiting) << step;
    }
    check(centre_->leave(coordinator_, enrolment[0]), {false, ErrorKind::not_found}, "leaving twice");
}

TEST_P(Rules, ADeskIsHeldByOnePersonAtATimeAndAPersonHoldsOneDesk) {
    if (!centre_) return;
    const auto desk1 = space("desk", "Desk 1"), desk2 = space("desk", "Desk 2"), room = space("room", "Room");
    const int64_t anna = person("Anna"), boris = person("Boris");
    struct Case {
        const char* name;
        int64_t desk, person;
        const char *from, *to;
        Expect want;
    };
    const std::vector<Case> cases = {
        {"Anna holds desk 1 in February", desk1.id, anna, "2026-02-01", "2026-02-28", done},
        {"Boris on desk 1 the last week of February", desk1.id, boris, "2026-02-22", "2026-03-07", conflict},
        {"Boris on desk 1 from the day after", desk1.id, boris, "2026-03-01", "2026-03-31", done},
        {"Anna on desk 2 while she holds desk 1", desk2.id, anna, "2026-02-15", "2026-02-20", conflict},
        {"Anna on desk 2 in April", desk2.id, anna, "2026-04-01", "2026-04-30", done},
        {"to before from", desk2.id, boris, "2026-05-10", "2026-05-01", refused},
        {"a date that is not one", desk2.id, boris, "2026-02-30", "2026-03-02", refused},
        {"more than two years", desk2.id, boris, "2026-06-01", "2028-06-10", refused},
        {"a room is not a desk", room.id, boris, "2026-06-01", "2026-06-02", {false, ErrorKind::not_found}},
    };
    for (const auto& c : cases) check(centre_->allocate(coordinator_, c.desk, c.person, c.from, c.to), c.want, c.name);

    // What each day shows: who holds which desk.
    struct Day {
        const char* date;
        int64_t desk1, desk2;  // the holder, 0 for free
    };
    const std::vector<Day> days = {
        {"2026-01-31", 0, 0}, {"2026-02-01", anna, 0}, {"2026-02-28", anna, 0}, {"2026-03-01", boris, 0}, {"2026-04-15", 0, anna}};
    for (const auto& d : days) {
        auto desks = centre_->desks(coordinator_, site_, d.date);
        ASSERT_TRUE(desks.ok()) << d.date;
        ASSERT_EQ(desks->desks.size(), 2u);
        for (const auto& [desk, holder] : {std::pair{desks->desks[0], d.desk1}, std::pair{desks->desks[1], d.desk2}})
            EXPECT_EQ(desk.held ? desk.held->person_id : 0, holder) << d.date << " " << desk.name;
    }
}

TEST_P(Rules, TheDeskWaitlistKeepsArrivalOrderAndAnAllocationTakesThePersonOffIt) {
    if (!centre_) return;
    const auto desk = space("desk", "Desk 1");
    const std::vector<int64_t> people = {person("Anna"), person("Boris"), person("Vera")};
    for (int64_t p : people) ASSERT_TRUE(centre_->wait_for_desk(coordinator_, p).ok());  // all within one millisecond
    check(centre_->wait_for_desk(coordinator_, people[1]), conflict, "waiting twice");
    ASSERT_TRUE(centre_->allocate(coordinator_, desk.id, people[1], "2026-02-01", "2026-02-28").ok());
    auto desks = centre_->desks(coordinator_, site_, "2026-02-01");
    ASSERT_TRUE(desks.ok());
    std::vector<int64_t> waiting;
    for (const auto& w : desks->waitlist) waiting.push_back(w.person_id);
    EXPECT_EQ(waiting, (std::vector<int64_t>{people[0], people[2]}));
}

INSTANTIATE_TEST_SUITE_P(Engines, Rules, ::testing::Values("sqlite", "postgres"), testing::engine_name);

}  // namespace
}  // namespace haven
