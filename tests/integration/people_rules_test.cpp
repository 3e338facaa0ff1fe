// The rules of people, tested through their service and store without HTTP: who may read, edit and erase a person;
// search and the duplicate warning in any alphabet; consent; retention; erasure; import and arrivals. Each test is
// a table of cases and what each must answer, run on both engines.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "crypto/vault.hpp"
#include "modules/accounts/service.hpp"
#include "modules/people/service.hpp"
#include "storage/migrate.hpp"
#include "support/engines.hpp"
#include "support/services.hpp"

namespace haven {
namespace {

constexpr int64_t day = 24 * 60 * 60 * 1000, month = 30 * day;

// The people service of two sites, wired as app.cpp wires it, on a fresh database of the engine under test.
class PeopleRules : public testing::ServicesTest {
protected:
    void SetUp() override {
        if (!open("haven-people-rules")) return;
        people_ = std::make_unique<people::Service>(shared(), *accounts_);
        site_ = site("Paris", "Paris", "France", "Europe/Paris");
        other_ = site("Berlin", "Berlin", "Germany", "Europe/Berlin");
        coordinator_ = account("coordinator", Role::coordinator, site_);
    }
    void TearDown() override {
        people_.reset();
        ServicesTest::TearDown();
    }
    int64_t person(const std::string& pseudonym, std::vector<std::string> legal_names = {}, const Principal* by = nullptr) {
        people::Person p;
        p.site_id = by ? by->roles.at(0).site_id : site_;
        p.pseudonym = pseudonym;
        p.legal_names = std::move(legal_names);
        auto made = people_->create(by ? *by : coordinator_, p, false);
        EXPECT_TRUE(made.ok()) << made.error().message;
        return made ? made->id : 0;
    }
    std::vector<std::string> found(const Principal& actor, const std::string& query) {
        auto matches = people_->search(actor, query);
        EXPECT_TRUE(matches.ok()) << query << ": " << matches.error().message;
        std::vector<std::string> out;
        if (matches)
            for (const auto& m : *matches) out.push_back(m.pseudonym);
        return out;
    }
    int64_t count(const std::string& sql) { return db_->query(sql).at(0).integer(0); }

    std::unique_ptr<people::Service> people_;
    int64_t site_ = 0, other_ = 0;
    Principal coordinator_;
};

// What a call must answer: done, or refused with this kind.
struct Expect {
    bool ok = true;
    ErrorKind kind = ErrorKind::bad_request;
};
constexpr Expect done{true};
constexpr Expect hidden{false, ErrorKind::not_found};
constexpr Expect forbidden{false, ErrorKind::forbidden};
constexpr Expect refused{false, ErrorKind::invalid};

template <class R>
void check(const R& r, Expect want, const std::string& step) {
    ASSERT_EQ(r.ok(), want.ok) << step << (r.ok() ? "" : ": " + r.error().message);
    if (!want.ok) {
        EXPECT_EQ(int(r.error().kind), int(want.kind)) << step << ": " << r.error().message;
    }
}

TEST_P(PeopleRules, WhoMayReadEditAndEraseAPersonFollowsSiteRoleAndAssignment) {
    if (!people_) return;
    struct Case {
        const char* name;
        Role role;
        bool at_other_site, assigned;
        Expect read, update, erase;
        size_t found;  // by a search for the person's legal name
    };
    const std::vector<Case> cases = {
        {"a coordinator of the site", Role::coordinator, false, false, done, done, done, 1},
        {"an administrator of the site", Role::administrator, false, false, done, done, done, 1},
        {"a coordinator of another site", Role::coordinator, true, false, hidden, hidden, hidden, 0},
        {"a legal adviser not assigned", Role::legal_adviser, false, false, hidden, hidden, hidden, 0},
        {"a legal adviser assigned", Role::legal_adviser, false, true, done, forbidden, forbidden, 1},
        {"a counsellor assigned", Role::counsellor, false, true, done, forbidden, forbidden, 1},
        {"a counsellor not assigned", Role::counsellor, false, false, hidden, hidden, hidden, 0},
        {"a volunteer, even assigned", Role::volunteer, false, true, hidden, hidden, hidden, 0},
        {"a teacher", Role::teacher, false, false, hidden, hidden, hidden, 0},
    };
    int n = 0;
    for (const auto& c : cases) {
        const std::string suffix = std::to_string(++n);
        const int64_t id = person("Luna" + suffix, {"Климова Яна"});
        const Principal actor = account("reader" + suffix, c.role, c.at_other_site ? other_ : site_);
        if (c.assigned) ASSERT_TRUE(accounts_->assign(nullptr, actor.account_id, "person", id, clock_.now_ms() + day).ok());

        check(people_->read(actor, id), c.read, std::string(c.name) + " reads");
        if (c.role != Role::volunteer && c.role != Role::teacher) {
            EXPECT_EQ(found(actor, "Klimova").size(), c.found) << c.name;
        } else {
            check(people_->search(actor, "Klimova"), forbidden, std::string(c.name) + " searches");
        }
        people::Person edited;
        edited.id = id;
        edited.pseudonym = "Luna" + suffix;
        edited.legal_names = {"Klimova Iana"};
        check(people_->update(actor, edited), c.update, std::string(c.name) + " edits");
        check(people_->erase(actor, id), c.erase, std::string(c.name) + " erases");
        if (!c.erase.ok) ASSERT_TRUE(people_->erase(coordinator_, id).ok());
    }
}

TEST_P(PeopleRules, AnAssignmentThatEndsEndsAccess) {
    if (!people_) return;
    const int64_t id = person("Luna", {"Климова Яна"});
    const Principal adviser = account("adviser", Role::legal_adviser, site_);
    ASSERT_TRUE(accounts_->assign(nullptr, adviser.account_id, "person", id, clock_.now_ms() + day).ok());
    struct Case {
        int64_t after;  // since the assignment was made
        Expect read;
        size_t found, recent;
    };
    const std::vector<Case> cases = {{0, done, 1, 1}, {day - 1, done, 1, 1}, {day, hidden, 0, 0}, {2 * day, hidden, 0, 0}};
    const int64_t start = clock_.now_ms();
    for (const auto& c : cases) {
        clock_.set_ms(start + c.after);
        const std::string step = "after " + std::to_string(c.after) + " ms";
        check(people_->read(adviser, id), c.read, step);
        EXPECT_EQ(found(adviser, "Klimova").size(), c.found) << step;
        auto recent = people_->recent(adviser, site_);
        ASSERT_TRUE(recent.ok()) << step;
        EXPECT_EQ(recent->size(), c.recent) << step;
    }
}

TEST_P(PeopleRules, EveryNameInAnyAlphabetAndSpellingFindsThePersonAndNoOneElse) {
    if (!people_) return;
    person("Sever", {"Соловьёв Даниил Тимурович", "SOLOVEV DANIIL"});
    person("Kot", {"Шевченко Анна"});
    person("Luna", {"Климова Яна"});
    const Principal berlin = account("berlin", Role::coordinator, other_);
    person("Zima", {"Petrenko Olga"}, &berlin);  // another site: never found by this site's coordinator
    struct Case {
        const char* query;
        std::vector<std::string> want;
    };
    const std::vector<Case> cases = {
        {"Соловьёв", {"Sever"}}, {"соловьев", {"Sever"}}, {"Solovev", {"Sever"}}, {"Solowjow", {"Sever"}}, {"Solovyov Daniil", {"Sever"}},
        {"Даниил", {"Sever"}},   {"Sever", {"Sever"}},    {"sever", {"Sever"}},   {"Shevchenko", {"Kot"}}, {"Chevtchenko Anna", {"Kot"}},
        {"Klimova", {"Luna"}},   {"Климова", {"Luna"}},   {"Klimova Daniil", {}},  // every word must belong to the same person
        {"Petrova", {}},         {"Petrenko", {}},
    };
    for (const auto& c : cases) EXPECT_EQ(found(coordinator_, c.query), c.want) << c.query;
    check(people_->search(coordinator_, std::string(201, 'a')), refused, "a query over 200 bytes");
}

TEST_P(PeopleRules, IntakeWarnsOfPossibleDuplicatesAcrossSpellings) {
    if (!people_) return;
    person("Kot", {"Шевченко Анна"});
    const Principal berlin = account("berlin", Role::coordinator, other_);
    person("Sova", {"Petrova Olga"}, &berlin);  // another site: never a duplicate here
    struct Case {
        std::vector<std::string> names;  // pseudonym first
        std::vector<std::string> want;
    };
    const std::vector<Case> cases = {
        {{"Anya", "Chevtchenko Anna"}, {"Kot"}},
        {{"Anya", "Shevchenko Anna"}, {"Kot"}},
        {{"Kot"}, {"Kot"}},  // the same pseudonym
        {{"kot"}, {"Kot"}},
        {{"Kotik"}, {}},  // the pseudonym only as a whole
        {{"Lis", "Petrova Olga"}, {}},
        {{"Lis", "Шевченко Олег"}, {}},
    };
    for (const auto& c : cases) {
        auto dups = people_->possible_duplicates(coordinator_, site_, c.names);
        ASSERT_TRUE(dups.ok()) << c.names[0];
        std::vector<std::string> got;
        for (const auto& m : *dups) got.push_back(m.pseudonym);
        EXPECT_EQ(got, c.want) << c.names.front() << (c.names.size() > 1 ? " / " + c.names[1] : "");
    }
    // Intake looks by itself unless told the caller has just looked.
    people::Person anya;
    anya.pseudonym = "Anya";
    anya.legal_names = {"Chevtchenko Anna"};
    auto made = people_->create(coordinator_, anya);
    ASSERT_TRUE(made.ok());
    ASSERT_EQ(made->possible_duplicates.size(), 1u);
    EXPECT_EQ(made->possible_duplicates[0].pseudonym, "Kot");
}

TEST_P(PeopleRules, ConsentIsRecordedOnlyForListedPurposesAndShortNotes) {
    if (!people_) return;
    const int64_t id = person("Ptitsa");
    struct Case {
        std::vector<std::string> purposes;
        std::string note;
        Expect want;
    };
    const std::vector<Case> cases = {
        {{"data_processing", "contact"}, "oral, with interpreter", done},
        {{}, "refused everything", done},
        {{"funder_reports", "photo_video", "share_with_partners"}, "", done},
        {{"everything"}, "", refused},
        {{"contact", "Contact"}, "", refused},
        {{"contact"}, std::string(1001, 'x'), refused},
        {{"contact"}, "bad \xff byte", refused},
        {{"contact"}, "a\x01 control", refused},
    };
    size_t recorded = 0;
    for (const auto& c : cases) {
        clock_.advance_ms(1000);  // each consent later than the last
        check(people_->add_consent(coordinator_, id, {0, c.purposes, c.note, 0, ""}), c.want, "consent \"" + c.note.substr(0, 20) + "\"");
        if (c.want.ok) ++recorded;
    }
    auto list = people_->consents(coordinator_, id);
    ASSERT_TRUE(list.ok());
    ASSERT_EQ(list->size(), recorded);
    EXPECT_EQ(list->front().purposes, (std::vector<std::string>{"funder_reports", "photo_video", "share_with_partners"}));  // latest first
    EXPECT_EQ(list->back().note, "oral, with interpreter");
    EXPECT_EQ(list->back().recorded_by, "coordinator");
    check(people_->add_consent(account("adviser", Role::legal_adviser, site_), id, {0, {"contact"}, "", 0, ""}), hidden, "an adviser not assigned");
    check(people_->consents(account("berlin", Role::coordinator, other_), id), hidden, "another site's coordinator");
}

TEST_P(PeopleRules, RetentionProposesThoseInactiveForTheConfiguredPeriod) {
    if (!people_) return;
    // Months since the start at which each is made, edited or given a consent, and whether 25 months and a day
    // from the start finds them inactive for 24 months (a month counted as 30 days); the due come oldest first.
    struct Case {
        const char* pseudonym;
        int64_t made, touched;  // months; touched -1: never
        bool due;
    };
    const std::vector<Case> cases = {
        {"Early", 0, -1, true}, {"Touched", 0, 2, false}, {"Consented", 0, 2, false}, {"Late", 1, -1, true}, {"Latest", 2, -1, false},
    };
    const int64_t start = clock_.now_ms();
    std::map<std::string, int64_t> ids;
    for (int64_t at = 0; at <= 2; ++at) {
        clock_.set_ms(start + at * month);
        for (const auto& c : cases) {
            if (c.made == at) ids[c.pseudonym] = person(c.pseudonym);
            if (c.touched == at && std::string(c.pseudonym) == "Consented")
                ASSERT_TRUE(people_->add_consent(coordinator_, ids[c.pseudonym], {0, {"contact"}, "", 0, ""}).ok());
            else if (c.touched == at) {
                auto p = people_->read(coordinator_, ids[c.pseudonym]);
                ASSERT_TRUE(p.ok());
                ASSERT_TRUE(people_->update(coordinator_, *p).ok());
            }
        }
    }
    clock_.set_ms(start + 25 * month + day);
    auto due = people_->retention_due(coordinator_, site_);
    ASSERT_TRUE(due.ok());
    std::vector<std::string> got;
    for (const auto& m : *due) got.push_back(m.pseudonym);
    std::vector<std::string> want;
    for (const auto& c : cases)
        if (c.due) want.push_back(c.pseudonym);
    EXPECT_EQ(got, want);
    check(people_->retention_due(account("adviser", Role::legal_adviser, site_), site_), forbidden, "an adviser");
}

TEST_P(PeopleRules, ErasureLeavesNothingToFindAndOneAuditEntry) {
    if (!people_) return;
    const int64_t id = person("Sever", {"Соловьёв Даниил"});
    ASSERT_TRUE(people_->add_consent(coordinator_, id, {0, {"contact"}, "", 0, ""}).ok());
    const Principal adviser = account("adviser", Role::legal_adviser, site_);
    ASSERT_TRUE(accounts_->assign(nullptr, adviser.account_id, "person", id, clock_.now_ms() + day).ok());
    std::vector<int64_t> hooked;
    people_->on_erase([&](storage::Tx&, int64_t person_id) { hooked.push_back(person_id); });

    auto erased = people_->erase(coordinator_, id);
    ASSERT_TRUE(erased.ok());
    EXPECT_EQ(*erased, site_);
    EXPECT_EQ(hooked, std::vector<int64_t>{id});
    struct Left {
        const char* what;
        std::string sql;
    };
    const std::vector<Left> nothing = {
        {"the person", "SELECT COUNT(*) FROM people"},
        {"their names", "SELECT COUNT(*) FROM people_names"},
        {"their consents", "SELECT COUNT(*) FROM consents"},
        {"assignments to them", "SELECT COUNT(*) FROM assignments WHERE record_type = 'person'"},
    };
    for (const auto& n : nothing) EXPECT_EQ(count(n.sql), 0) << n.what;
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'person.erase'"), 1);
    check(people_->read(coordinator_, id), hidden, "read after erasure");
    check(people_->erase(coordinator_, id), hidden, "erased twice");
    EXPECT_TRUE(found(coordinator_, "Соловьёв").empty());
}

// Issue 16: a dashboard counted arrivals in December from dates an import accepted in the future. A birth in the
// future is refused; an arrival may be expected, and counts only once its month has come.
TEST_P(PeopleRules, AFutureBirthIsRefusedAndAnExpectedArrivalCountsOnlyOnceItsMonthComes) {
    if (!people_) return;
    people::Person unborn;
    unborn.pseudonym = "Soon";
    unborn.birth_date = "2026-01-06";
    auto made = people_->create(coordinator_, unborn, true);
    check(made, refused, "born tomorrow");
    if (!made) {
        EXPECT_EQ(made.error().field, "birth_date");
    }
    check(people_->create_all(coordinator_, site_, {unborn}), refused, "imported, born tomorrow");
    std::vector<people::Person> list(2);
    list[0].pseudonym = "Expected";
    list[0].arrival_date = "2026-02-10";
    list[1].pseudonym = "Today";
    list[1].arrival_date = "2026-01-05";
    check(people_->create_all(coordinator_, site_, list), done, "an expected arrival and today's");
    EXPECT_EQ(people_->arrivals(site_, 12), (std::vector<std::pair<std::string, int64_t>>{{"2026-01", 1}}));
    clock_.advance_ms(int64_t(40) * 24 * 3600 * 1000);  // 2026-02-14
    EXPECT_EQ(people_->arrivals(site_, 12), (std::vector<std::pair<std::string, int64_t>>{{"2026-02", 1}, {"2026-01", 1}}));
}

TEST_P(PeopleRules, ImportIsAllOrNothingAndArrivalsAreCountedByMonth) {
    if (!people_) return;
    struct Case {
        const char* pseudonym;
        const char* arrival;  // "": counted in the month of intake
    };
    const std::vector<Case> cases = {{"A", "2025-11-03"}, {"B", "2025-11-20"}, {"C", ""}, {"D", "2025-12-31"}};
    std::vector<people::Person> list;
    for (const auto& c : cases) {
        people::Person p;
        p.pseudonym = c.pseudonym;
        p.arrival_date = c.arrival;
        list.push_back(p);
    }
    check(people_->create_all(account("adviser", Role::legal_adviser, site_), site_, list), forbidden, "an adviser imports");
    check(people_->create_all(account("berlin", Role::coordinator, other_), site_, list), forbidden, "another site's coordinator imports");
    EXPECT_EQ(count("SELECT COUNT(*) FROM people"), 0);

    std::vector<size_t> progress;
    auto ids = people_->create_all(coordinator_, site_, list, [&](size_t done) { progress.push_back(done); });
    ASSERT_TRUE(ids.ok());
    EXPECT_EQ(ids->size(), cases.size());
    EXPECT_EQ(progress, std::vector<size_t>{cases.size()});
    const std::vector<std::pair<std::string, int64_t>> want = {{"2026-01", 1}, {"2025-12", 1}, {"2025-11", 2}};
    EXPECT_EQ(people_->arrivals(site_, 12), want);
    EXPECT_EQ(people_->arrivals(site_, 1), (std::vector<std::pair<std::string, int64_t>>{{"2026-01", 1}}));
    EXPECT_TRUE(people_->arrivals(other_, 12).empty());
    for (size_t i = 0; i < cases.size(); ++i) {
        auto p = people_->read(coordinator_, (*ids)[i]);
        ASSERT_TRUE(p.ok());
        EXPECT_EQ(p->pseudonym, cases[i].pseudonym);
        EXPECT_EQ(p->site_id, site_);
    }
}

INSTANTIATE_TEST_SUITE_P(Engines, PeopleRules, ::testing::Values("sqlite", "postgres"), testing::engine_name);

}  // namespace
}  // namespace haven
