#include "text/zones.hpp"

#include <gtest/gtest.h>

namespace haven::text {
namespace {

TEST(Zones, KnowsRealZonesOnly) {
    EXPECT_TRUE(valid_time_zone("Europe/Riga"));
    EXPECT_FALSE(valid_time_zone("Europe/Atlantis"));
    EXPECT_FALSE(valid_time_zone("Etc/Unknown"));
}

TEST(Zones, TheWallClockTimeOfAnInstantInTheSitesZone) {
    const int64_t at = 1'795'966'080'000;  // 2026-11-29 15:28 UTC
    EXPECT_EQ(local_time(at, "UTC"), "2026-11-29 15:28");
    EXPECT_EQ(local_time(at, "Europe/Paris"), "2026-11-29 16:28");
    EXPECT_EQ(local_time(at, "Europe/Vilnius"), "2026-11-29 17:28");
    EXPECT_EQ(local_time(1'782'736'080'000, "Europe/Paris"), "2026-06-29 14:28") << "summer time";
    EXPECT_EQ(local_time(at, "Nowhere/City"), "2026-11-29 15:28") << "an unknown zone reads as UTC";
}

TEST(Zones, ACountryByItsNameInTheLanguagesOfTheCentresElseByTheSitesZone) {
    EXPECT_EQ(country_code("France", ""), "FR");
    EXPECT_EQ(country_code("франция", ""), "FR");
    EXPECT_EQ(country_code("Deutschland", ""), "DE");
    EXPECT_EQ(country_code("Lietuva", ""), "LT");
    EXPECT_EQ(country_code("ge", ""), "GE");
    EXPECT_EQ(country_code("Lyon, somewhere", "Europe/Paris"), "FR");
    EXPECT_EQ(country_code("", "Europe/Vilnius"), "LT");
    EXPECT_EQ(country_code("Atlantis", "UTC"), "");
    EXPECT_EQ(country_code("Atlantis", "Nowhere/City"), "");
}

}  // namespace
}  // namespace haven::text
