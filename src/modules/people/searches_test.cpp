#include "modules/people/searches.hpp"

#include <gtest/gtest.h>

namespace haven::people {
namespace {

TEST(Searches, AKeptSearchIsFoundOnlyByWhoTypedItAndOnlyForTenMinutes) {
    ManualClock clock(1'767'600'000'000);
    Searches searches(clock);
    const std::string token = searches.keep(7, "Шевченко");
    EXPECT_EQ(token.size(), 43u);
    EXPECT_EQ(token.find("Шевченко"), std::string::npos);
    EXPECT_EQ(searches.find(7, token).value_or(""), "Шевченко");
    EXPECT_FALSE(searches.find(8, token)) << "another account's search";
    EXPECT_FALSE(searches.find(7, "guess"));
    clock.advance_ms(Searches::keep_ms - 1);
    EXPECT_TRUE(searches.find(7, token));
    clock.advance_ms(1);
    EXPECT_FALSE(searches.find(7, token)) << "expired";
    EXPECT_EQ(searches.size(), 0u);
}

TEST(Searches, APanicSealForgetsThemAndTheirNumberIsBounded) {
    ManualClock clock(1'767'600'000'000);
    Searches searches(clock);
    const std::string first = searches.keep(1, "first");
    for (size_t i = 0; i < Searches::max_kept; ++i) {
        clock.advance_ms(1);
        (void)searches.keep(1, "q" + std::to_string(i));
    }
    EXPECT_EQ(searches.size(), Searches::max_kept);
    EXPECT_FALSE(searches.find(1, first)) << "the oldest made room";
    searches.clear();
    EXPECT_EQ(searches.size(), 0u);
}

}  // namespace
}  // namespace haven::people
