#include "modules/people/person.hpp"

#include <gtest/gtest.h>

namespace haven::people {
namespace {

constexpr int64_t today = 1795700000000;  // 2026-11-26

TEST(Person, CheckNamesTheFieldAtFault) {
    auto field_of = [](Person p) {
        auto s = check(p, today);
        return s ? std::string("ok") : s.error().field;
    };
    Person p;
    p.pseudonym = "  Grom  ";
    EXPECT_EQ(field_of(p), "ok");
    EXPECT_EQ(field_of(Person{}), "pseudonym");
    Person bad = p;
    bad.legal_names = {"Иванов Иван", std::string("bad\x01name")};
    EXPECT_EQ(field_of(bad), "legal_names[1]");
    bad = p;
    bad.birth_date = "1980-02-31";
    EXPECT_EQ(field_of(bad), "birth_date");
    bad.birth_date = "2030-01-01";
    EXPECT_EQ(field_of(bad), "birth_date");
    bad = p;
    bad.arrival_date = "2026-12-27";  // an arrival may be expected
    EXPECT_EQ(field_of(bad), "ok");
    bad.languages = {"russian"};
    EXPECT_EQ(field_of(bad), "languages[0]");
    bad = p;
    bad.needs = {"legal", "flying"};
    EXPECT_EQ(field_of(bad), "needs");
    bad = p;
    bad.circumstances = {"deserter"};
    bad.status = "resident";
    EXPECT_EQ(field_of(bad), "ok");
    bad.status = "vip";
    EXPECT_EQ(field_of(bad), "status");
    bad = p;
    bad.email = "not an address";
    EXPECT_EQ(field_of(bad), "email");
    bad = p;
    bad.pseudonym = std::string(101, 'x');
    EXPECT_EQ(field_of(bad), "pseudonym");
    bad = p;
    bad.pseudonym = "\xC3\x28";
    EXPECT_EQ(field_of(bad), "pseudonym");
}

TEST(Person, CheckTrimsDeduplicatesAndDefaults) {
    Person p;
    p.pseudonym = " Luna ";
    p.legal_names = {" Соловьёв Даниил ", "", "Соловьёв Даниил", "SOLOVEV DANIIL"};
    p.languages = {"RU", " fr"};
    p.needs = {"desk", "desk"};
    p.status = "";
    ASSERT_TRUE(check(p, today).ok());
    EXPECT_EQ(p.pseudonym, "Luna");
    EXPECT_EQ(p.legal_names, (std::vector<std::string>{"Соловьёв Даниил", "SOLOVEV DANIIL"}));
    EXPECT_EQ(p.languages, (std::vector<std::string>{"ru", "fr"}));
    EXPECT_EQ(p.needs, (std::vector<std::string>{"desk"}));
    EXPECT_EQ(p.status, "applicant");
}

TEST(Person, AMergeAddsWhatTheRecordLacksAndOverwritesNothing) {
    Person known;
    known.pseudonym = "Sova";
    known.legal_names = {"Исаева Ольга"};
    known.phone = "+33 6 00 00 00 01";
    known.languages = {"ru"};
    known.notes = "Needs a desk.";
    Person row;
    row.pseudonym = "Sova2";
    row.legal_names = {"ISAEVA OLGA", "Исаева Ольга"};
    row.phone = "+33 6 99 99 99 99";
    row.email = "o@example.org";
    row.languages = {"fr", "ru"};
    row.needs = {"legal"};
    row.notes = "Needs a desk.";
    merge_into(known, row);
    EXPECT_EQ(known.pseudonym, "Sova");
    EXPECT_EQ(known.legal_names, (std::vector<std::string>{"Исаева Ольга", "ISAEVA OLGA"}));
    EXPECT_EQ(known.phone, "+33 6 00 00 00 01") << "recorded values win";
    EXPECT_EQ(known.email, "o@example.org") << "empty ones are filled";
    EXPECT_EQ(known.languages, (std::vector<std::string>{"ru", "fr"}));
    EXPECT_EQ(known.needs, (std::vector<std::string>{"legal"}));
    EXPECT_EQ(known.notes, "Needs a desk.") << "a note held already is not repeated";
    row.notes = "Came back.";
    merge_into(known, row);
    EXPECT_EQ(known.notes, "Needs a desk.\nCame back.");
}

TEST(Person, JsonRoundTripAndTypeErrors) {
    Person p;
    p.pseudonym = "Sova";
    p.legal_names = {"Исаева Ольга"};
    p.circumstances = {"lgbt"};
    auto back = from_json(to_json(p));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back->legal_names, p.legal_names);
    EXPECT_EQ(back->circumstances, p.circumstances);
    EXPECT_FALSE(to_json(p, false).contains("circumstances"));
    auto wrong = from_json(boost::json::object{{"pseudonym", 5}});
    ASSERT_FALSE(wrong.ok());
    EXPECT_EQ(wrong.error().field, "pseudonym");
    auto wrong_list = from_json(boost::json::object{{"legal_names", boost::json::array{"a", 1}}});
    ASSERT_FALSE(wrong_list.ok());
    EXPECT_EQ(wrong_list.error().field, "legal_names[1]");
}

}  // namespace
}  // namespace haven::people
