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
    const std::string huge = "{\"a\":" + std::string(400, '8') + "}";
    for (std::string bad :
         {std::string(""), std::string("{"), std::string("{\"a\":}"), std::string("[1,]"), std::string("{\"a\":1}x"), std::string("\"\xff\""),
          std::string("/* c */ 1"), std::string("NaN"), std::string("1e400"), std::string("[-1e999]"), huge}) {
        auto r = parse_json(bad);
        ASSERT_FALSE(r.ok()) << bad;
        EXPECT_EQ(r.error().kind, ErrorKind::bad_request);
    }
}

}  // namespace
}  // namespace haven::http
