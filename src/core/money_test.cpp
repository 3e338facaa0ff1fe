// Amounts as people type them (the funds' and the grants' pages), and as they read them.
#include "core/money.hpp"

#include <gtest/gtest.h>

namespace haven {
namespace {

TEST(Money, AmountsAsPeopleTypeThemAndNothingElse) {
    for (const auto& [text, cents] : std::vector<std::pair<const char*, int64_t>>{
             {"125.50", 12550}, {"125,50", 12550}, {"125,5", 12550}, {"125", 12500}, {"0.01", 1}, {"0", 0}, {"9999999999.99", 999999999999}})
        EXPECT_EQ(parse_amount(text, "amount").value(), cents) << text;
    for (const char* bad : {"", "-0.50", "+5", "12.-0", "12.345", "1 000", "12.", ".5", "1e3", "abc", "12,50 EUR", "99999999999", "١٢"}) {
        auto r = parse_amount(bad, "amount");
        ASSERT_FALSE(r.ok()) << bad;
        EXPECT_EQ(r.error().field, "amount");
        EXPECT_EQ(r.error().problem, "amount");
    }
}

TEST(Money, AmountsAsPeopleReadThem) {
    EXPECT_EQ(format_amount(12550), "125.50");
    EXPECT_EQ(format_amount(5), "0.05");
    EXPECT_EQ(format_amount(-1000), "−10.00");
}

}  // namespace
}  // namespace haven
