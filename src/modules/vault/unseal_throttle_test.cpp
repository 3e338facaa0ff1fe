#include "modules/vault/unseal_throttle.hpp"

#include <gtest/gtest.h>

namespace haven::vault {
namespace {

// Three wrong attempts from one source, then that source waits; the next source does not.
void three_wrong(UnsealThrottle& t, const std::string& source) {
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(t.begin(source).ok()) << source << " attempt " << i;
        t.done(source, true, false);
    }
}

TEST(UnsealThrottle, OneSourcesWrongAttemptsHoldBackThatSourceAlone) {
    ManualClock clock;
    UnsealThrottle t(clock);
    three_wrong(t, "203.0.113.7");
    auto held = t.begin("203.0.113.7");
    ASSERT_FALSE(held.ok());
    EXPECT_EQ(held.error().code, "too_many_attempts");
    EXPECT_EQ(held.error().retry_after_seconds, 2);
    EXPECT_TRUE(t.begin("198.51.100.1").ok()) << "another source is not held back";
    t.done("198.51.100.1", false, false);
    clock.advance_ms(2000);
    EXPECT_TRUE(t.begin("203.0.113.7").ok());
    t.done("203.0.113.7", true, false);
    EXPECT_EQ(t.begin("203.0.113.7").error().retry_after_seconds, 4) << "the back-off doubles";
}

TEST(UnsealThrottle, StrangersAttemptsRunOneAtATime) {
    ManualClock clock;
    UnsealThrottle t(clock);
    ASSERT_TRUE(t.begin("203.0.113.7").ok());
    auto second = t.begin("198.51.100.1");
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.error().retry_after_seconds, 1);
    t.done("203.0.113.7", false, false);
    EXPECT_TRUE(t.begin("198.51.100.1").ok());
}

TEST(UnsealThrottle, ATableFullOfRecentSourcesSendsNewOnesToOneSharedCount) {
    ManualClock clock;
    UnsealThrottle t(clock, 2);
    three_wrong(t, "10.0.0.1");
    three_wrong(t, "10.0.0.2");
    EXPECT_EQ(t.sources(), 2u);
    // A flood of new addresses shares one count: it throttles itself, and the table stays at its bound.
    for (int i = 3; i < 6; ++i) {
        const std::string source = "10.0.0." + std::to_string(i);
        ASSERT_TRUE(t.begin(source).ok()) << source;
        t.done(source, true, false);
    }
    EXPECT_FALSE(t.begin("10.0.0.99").ok()) << "a new address in the full table shares the flood's count";
    EXPECT_EQ(t.sources(), 2u);
    // An hour later the quiet entries are forgotten and a new source has its own count again.
    clock.advance_ms(61 * 60 * 1000);
    ASSERT_TRUE(t.begin("10.0.0.7").ok());
    t.done("10.0.0.7", true, false);
    EXPECT_EQ(t.sources(), 1u);
}

TEST(UnsealThrottle, AnUnsealForgetsEveryCount) {
    ManualClock clock;
    UnsealThrottle t(clock);
    three_wrong(t, "203.0.113.7");
    ASSERT_TRUE(t.begin("198.51.100.1").ok());
    t.done("198.51.100.1", false, true);
    EXPECT_EQ(t.sources(), 0u);
    EXPECT_TRUE(t.begin("203.0.113.7").ok());
}

}  // namespace
}  // namespace haven::vault
