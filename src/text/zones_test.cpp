#include "text/zones.hpp"

#include <gtest/gtest.h>

namespace haven::text {
namespace {

TEST(Zones, KnowsRealZonesOnly) {
    EXPECT_TRUE(valid_time_zone("Europe/Riga"));
    EXPECT_FALSE(valid_time_zone("Europe/Atlantis"));
    EXPECT_FALSE(valid_time_zone("Etc/Unknown"));
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
