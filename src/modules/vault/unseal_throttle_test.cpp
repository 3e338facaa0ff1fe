#include "modules/vault/unseal_throttle.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "crypto/random.hpp"
#include "storage/migrate.hpp"

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

// Several processes of one store (haven serve with a database): the counts are one, so three processes do not give a
// stranger three times the tries; an unseal in any of them forgets them for all.
TEST(UnsealThrottle, ProcessesOfOneStoreShareTheCountsThroughTheDatabase) {
    const auto dir = std::filesystem::temp_directory_path() / ("haven-throttle-" + crypto::hex(crypto::random_bytes(8)));
    std::filesystem::create_directories(dir);
    {
        auto db = storage::open_database("sqlite:" + (dir / "haven.db").string());
        ASSERT_TRUE(storage::migrate(*db).ok());
        ManualClock clock;
        UnsealThrottle one(clock, *db, "key"), two(clock, *db, "key");
        three_wrong(one, "203.0.113.7");
        auto held = two.begin("203.0.113.7");
        ASSERT_FALSE(held.ok()) << "the other process knows the three wrong attempts";
        EXPECT_EQ(held.error().retry_after_seconds, 2);
        EXPECT_TRUE(two.begin("198.51.100.1").ok());
        two.done("198.51.100.1", false, true);  // unsealed there
        EXPECT_TRUE(one.begin("203.0.113.7").ok()) << "an unseal forgets every count, in every process";
        one.done("203.0.113.7", false, false);
        UnsealThrottle other_key(clock, *db, "another key");
        three_wrong(one, "203.0.113.7");
        EXPECT_TRUE(other_key.begin("203.0.113.7").ok()) << "sources are keyed hashes: another key is another source";
        other_key.done("203.0.113.7", false, false);
        // The table stays bounded: a flood of new sources shares one row.
        UnsealThrottle small(clock, *db, "key", 2);
        three_wrong(small, "10.0.0.1");
        for (int i = 2; i < 8; ++i) {
            const std::string source = "10.0.0." + std::to_string(i);
            if (!small.begin(source).ok()) continue;
            small.done(source, true, false);
        }
        EXPECT_LE(small.sources(), 2u);
        // No address is stored: the database file holds none of them.
        db.reset();
        std::ifstream in(dir / "haven.db", std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        EXPECT_EQ(bytes.find("10.0.0."), std::string::npos);
        EXPECT_EQ(bytes.find("203.0.113.7"), std::string::npos);
    }
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace haven::vault
