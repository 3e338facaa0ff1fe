#include "http/cookies.hpp"

#include <gtest/gtest.h>

namespace haven::http {
namespace {

TEST(Cookies, ParsesLeniently) {
    auto c = parse_cookies("a=1; haven_lang=ru;junk; =x; b=\"quoted\"; bad name=1; c=semi\\colon");
    ASSERT_EQ(c.size(), 3u);
    EXPECT_EQ(c[0], (std::pair<std::string, std::string>{"a", "1"}));
    EXPECT_EQ(c[1].second, "ru");
    EXPECT_EQ(c[2].second, "quoted");
    EXPECT_EQ(find_cookie("x=1; haven_lang=en", "haven_lang"), "en");
    EXPECT_EQ(find_cookie("x=1", "haven_lang"), std::nullopt);
}

TEST(Cookies, CapsTheCount) {
    std::string header;
    for (int i = 0; i < 500; ++i) header += "c" + std::to_string(i) + "=v; ";
    EXPECT_EQ(parse_cookies(header).size(), max_cookies);
}

TEST(Cookies, BuildsSafeSetCookie) {
    CookieOptions o;
    o.max_age_seconds = 60;
    EXPECT_EQ(*set_cookie("__Host-s", "abc", o), "__Host-s=abc; Path=/; Max-Age=60; Secure; HttpOnly; SameSite=Strict");
    EXPECT_EQ(set_cookie("s", "a;b", o), std::nullopt);
    EXPECT_EQ(set_cookie("s", "a\r\nSet-Cookie: x=1", o), std::nullopt);
    EXPECT_EQ(set_cookie("s=", "a", o), std::nullopt);
}

}  // namespace
}  // namespace haven::http
