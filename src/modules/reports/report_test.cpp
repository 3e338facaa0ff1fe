#include "modules/reports/report.hpp"

#include <gtest/gtest.h>

namespace haven::reports {
namespace {

constexpr int64_t jan_2027 = 1'798'761'600'000;  // 2027-01-01T00:00Z

TEST(Breakdown, AgeIsCountedAtRegistrationAndTheBirthdayDecides) {
    EXPECT_EQ(age_band("2009-01-01", jan_2027), "18-29");  // 18 that day
    EXPECT_EQ(age_band("2009-01-02", jan_2027), "0-17");   // 18 the next day
    EXPECT_EQ(age_band("1997-06-30", jan_2027), "18-29");
    EXPECT_EQ(age_band("1982-01-01", jan_2027), "45-64");
    EXPECT_EQ(age_band("1962-01-01", jan_2027), "65+");
    EXPECT_EQ(age_band("1985-05-05", jan_2027), "30-44");
    for (const char* unknown : {"", "1985-13-01", "not a date", "2030-01-01", "1985-02-30"})
        EXPECT_EQ(age_band(unknown, jan_2027), "unknown") << unknown;
}

TEST(Breakdown, NationalitiesAsPeopleWriteThemFallInTheirGroup) {
    for (const char* ru : {"RU", "ru", "Rus", "Russia", "Russian Federation", "Россия", "РФ"}) EXPECT_EQ(nationality_group(ru), "RU") << ru;
    for (const char* by : {"BY", "blr", "Belarus", "Беларусь", "Білорусь"}) EXPECT_EQ(nationality_group(by), "BY") << by;
    for (const char* ua : {"UA", "ukr", "Ukraine", "Україна"}) EXPECT_EQ(nationality_group(ua), "UA") << ua;
    EXPECT_EQ(nationality_group("KZ"), "other");
    EXPECT_EQ(nationality_group("Russian-Israeli"), "other");
    EXPECT_EQ(nationality_group(""), "unknown");
    EXPECT_EQ(nationality_group("  "), "unknown");
}

TEST(Breakdown, OnlyThePeopleRegisteredAreBrokenDown) {
    Definition d{"t", {1}, "2027-01", "2027-03", "month", {"cases_opened"}, "en"};
    d.breakdown = "age";
    EXPECT_FALSE(check(d).ok());
    d.indicators = {"people_new"};
    EXPECT_TRUE(check(d).ok());
    d.breakdown = "religion";
    EXPECT_FALSE(check(d).ok());
}

}  // namespace
}  // namespace haven::reports
