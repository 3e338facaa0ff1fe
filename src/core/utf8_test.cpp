#include "core/utf8.hpp"

#include <gtest/gtest.h>

namespace haven {
namespace {

TEST(Utf8, Validates) {
    struct Case { std::string text; bool valid; };
    const Case cases[] = {
        {"", true}, {"plain", true}, {"Кириллица", true}, {"ё ї ў", true}, {"😀", true},
        {"\xff", false}, {"\xc0\xaf", false}, {"\xe0\x80\xaf", false}, {"\xed\xa0\x80", false},
        {"\xf4\x90\x80\x80", false}, {"\xd0", false}, {"a\x80", false},
    };
    for (const auto& c : cases) EXPECT_EQ(valid_utf8(c.text), c.valid) << c.text;
}

TEST(Utf8, FindsControlCharacters) {
    EXPECT_FALSE(has_control_chars("tab\tnew\nline\r"));
    EXPECT_TRUE(has_control_chars(std::string("nul\0", 4)));
    EXPECT_TRUE(has_control_chars("esc\x1b"));
    EXPECT_TRUE(has_control_chars("del\x7f"));
}

}  // namespace
}  // namespace haven
