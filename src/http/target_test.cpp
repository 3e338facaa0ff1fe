#include "http/target.hpp"

#include <gtest/gtest.h>

namespace haven::http {
namespace {

struct Case {
    const char* raw;
    bool ok;
    const char* path;
};

TEST(Target, ParsesAndRefuses) {
    const Case cases[] = {
        {"/", true, "/"},
        {"/healthz", true, "/healthz"},
        {"/api/v1/items/42?x=1", true, "/api/v1/items/42"},
        {"/a%20b", true, "/a b"},
        {"/%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82", true, "/привет"},
        {"/a/", true, "/a/"},
        {"", false, ""},
        {"*", false, ""},
        {"http://example.com/", false, ""},
        {"/a/../b", false, ""},
        {"/a/./b", false, ""},
        {"/a/%2e%2e/b", false, ""},
        {"/a%00b", false, ""},
        {"/a%0ab", false, ""},
        {"/a%2fb", false, ""},
        {"/a%ff", false, ""},
        {"/a%C0%AF", false, ""},  // overlong '/'
        {"/a%", false, ""},
        {"/a%4", false, ""},
        {"/a%zz", false, ""},
        {"/a b", false, ""},
        {"/a\"b", false, ""},
        {"/a#frag", false, ""},
        {"/a?<script>", false, ""},
    };
    for (const auto& c : cases) {
        auto t = parse_target(c.raw);
        EXPECT_EQ(t.ok(), c.ok) << c.raw;
        if (t.ok() && c.ok) {
            EXPECT_EQ(t->path, c.path) << c.raw;
        }
        if (!t.ok()) {
            EXPECT_EQ(t.error().kind, ErrorKind::bad_request);
        }
    }
}

TEST(Target, KeepsQueryRaw) {
    auto t = parse_target("/x?a=1&b=%20");
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t->query, "a=1&b=%20");
    EXPECT_EQ(t->segments, (std::vector<std::string>{"x"}));
}

TEST(PercentDecode, PlusAsSpaceOnlyInForms) {
    std::string out;
    ASSERT_TRUE(percent_decode("a+b%2B", out, true));
    EXPECT_EQ(out, "a b+");
    ASSERT_TRUE(percent_decode("a+b", out, false));
    EXPECT_EQ(out, "a+b");
    EXPECT_FALSE(percent_decode("%", out, false));
    EXPECT_FALSE(percent_decode("%1", out, false));
}

}  // namespace
}  // namespace haven::http
