#include "http/json.hpp"

#include <gtest/gtest.h>

namespace haven::http {
namespace {

TEST(Json, ParsesAndLimitsDepth) {
    EXPECT_TRUE(parse_json(R"({"a":[1,2,{"b":"ж"}]})").ok());
    std::string ok_deep = std::string(32, '[') + std::string(32, ']');
    EXPECT_TRUE(parse_json(ok_deep).ok());
    std::string deep = std::string(33, '[') + std::string(33, ']');
    auto r = parse_json(deep);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "too_deep");
    std::string very_deep = std::string(10000, '[') + std::string(10000, ']');
    EXPECT_EQ(parse_json(very_deep).error().code, "too_deep");
}

TEST(Json, RefusesMalformed) {
    for (const char* bad : {"", "{", "{\"a\":}", "[1,]", "{\"a\":1}x", "\"\xff\"", "/* c */ 1", "NaN", "1e400", "[-1e999]", "{\"a\":88888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888}"}) {
        auto r = parse_json(bad);
        ASSERT_FALSE(r.ok()) << bad;
        EXPECT_EQ(r.error().kind, ErrorKind::bad_request);
    }
}

}  // namespace
}  // namespace haven::http
