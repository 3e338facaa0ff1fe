#include "emergency/tier_spec.hpp"

#include <gtest/gtest.h>

namespace haven::emergency {
namespace {

constexpr int64_t t0 = 1'795'700'000'000, minute = 60'000;

TEST(TierSpec, ReadsWhatOperatorsTypeWithUnitsAndSpaces) {
    struct Case {
        const char* text;
        std::vector<std::string> regions, skills;
        int64_t after_ms;
    };
    const std::vector<Case> cases = {
        {"regions=tver,pskov;skills=driver;after=15", {"tver", "pskov"}, {"driver"}, 15 * minute},
        {"regions=tver; skills=driver; after=1h", {"tver"}, {"driver"}, 60 * minute},
        {" regions = Тверь , pskov ; after = 90s ;", {"Тверь", "pskov"}, {}, 90'000},
        {"skills=medic;after=2m", {}, {"medic"}, 2 * minute},
        {"regions=", {}, {}, 0},
        {"", {}, {}, 0},
        {"after=720h", {}, {}, 720 * 60 * minute},
    };
    for (const auto& c : cases) {
        auto t = parse_tier_spec(c.text, t0);
        ASSERT_TRUE(t) << c.text << ": " << t.error().message;
        EXPECT_EQ(t->regions, c.regions) << c.text;
        EXPECT_EQ(t->skills, c.skills) << c.text;
        EXPECT_EQ(t->release_at, t0 + c.after_ms) << c.text;
    }
}

TEST(TierSpec, RefusesWhatItCannotReadNamingTheProblem) {
    const std::vector<std::pair<const char*, const char*>> cases = {
        {"after=abc", "after=abc is not a whole number"},
        {"after=", "after needs a delay"},
        {"after=-5", "is not a whole number"},
        {"after=1d", "is not a whole number"},
        {"after=721h", "at most 30 days"},
        {"after=99999999999999999999", "is not a whole number"},
        {"regions=tver;colour=red", "unknown part \"colour\""},
        {"regions=tver;regions=pskov", "regions is given twice"},
        {"regions=tver,,pskov", "regions has an empty name"},
        {"tver", "\"tver\" has no '='"},
        {"skills=dri\x01ver", "control character"},
    };
    for (const auto& [text, said] : cases) {
        auto t = parse_tier_spec(text, t0);
        ASSERT_FALSE(t) << text;
        EXPECT_EQ(t.error().field, "tier");
        EXPECT_NE(t.error().message.find(said), std::string::npos) << text << ": " << t.error().message;
    }
}

}  // namespace
}  // namespace haven::emergency
