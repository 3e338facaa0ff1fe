#include "core/dates.hpp"

#include <gtest/gtest.h>

namespace haven {
namespace {

TEST(Dates, MustExist) {
    EXPECT_TRUE(valid_date("1980-02-29"));
    EXPECT_FALSE(valid_date("1981-02-29"));
    EXPECT_TRUE(valid_date("2000-02-29"));
    EXPECT_FALSE(valid_date("1900-02-29"));
    EXPECT_FALSE(valid_date("1980-02-31"));
    EXPECT_FALSE(valid_date("1980-13-01"));
    EXPECT_FALSE(valid_date("80-01-01"));
    EXPECT_FALSE(valid_date("1980-1-01"));
    EXPECT_FALSE(valid_date("1899-12-31"));
}

TEST(Dates, DayStartAndBack) {
    EXPECT_EQ(day_start("1970-01-02"), 86400000);
    EXPECT_FALSE(day_start("2026-02-30").has_value());
    EXPECT_EQ(date_of(*day_start("2028-02-29") + 3600 * 1000), "2028-02-29");
}

}  // namespace
}  // namespace haven
