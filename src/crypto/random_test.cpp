#include "crypto/random.hpp"

#include <gtest/gtest.h>

#include <set>

namespace haven::crypto {
namespace {

// A token is handed to command lines (`haven-operator token <token>`): one beginning with '-' was taken for an
// option, in one CI run in four. Drawn 10,000 times, about 156 would begin with it.
TEST(RandomToken, IsFortyThreeUrlSafeCharactersNeverBeginningWithADash) {
    std::set<std::string> seen;
    std::set<char> first;
    for (int i = 0; i < 10'000; ++i) {
        const std::string t = random_token();
        ASSERT_EQ(t.size(), 43u);
        ASSERT_NE(t.front(), '-') << t;
        ASSERT_EQ(t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), std::string::npos) << t;
        seen.insert(t);
        first.insert(t.front());
    }
    EXPECT_EQ(seen.size(), 10'000u);
    EXPECT_EQ(first.size(), 63u) << "every other first character still drawn";
}

}  // namespace
}  // namespace haven::crypto
