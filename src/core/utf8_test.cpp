#include "core/utf8.hpp"

#include <gtest/gtest.h>

namespace haven {
namespace {

TEST(Utf8, Validates) {
    struct Case {
        std::string text;
        bool valid;
    };
    const Case cases[] = {
        {"", true},      {"plain", true},     {"Кириллица", true},     {"ё ї ў", true},         {"😀", true},
        {"\xff", false}, {"\xc0\xaf", false}, {"\xe0\x80\xaf", false}, {"\xed\xa0\x80", false}, {"\xf4\x90\x80\x80", false},
        {"\xd0", false}, {"a\x80", false},
    };
    for (const auto& c : cases) EXPECT_EQ(valid_utf8(c.text), c.valid) << c.text;
}

TEST(Utf8, FindsControlCharacters) {
    EXPECT_FALSE(has_control_chars("tab\tnew\nline\r"));
    EXPECT_TRUE(has_control_chars(std::string("nul\0", 4)));
    EXPECT_TRUE(has_control_chars("esc\x1b"));
    EXPECT_TRUE(has_control_chars("del\x7f"));
}

TEST(Utf8, FindsBidirectionalControlsAndPlainLines) {
    struct Case {
        std::string text;
        bool bidi, plain;
    };
    const Case cases[] = {
        {"Сова", false, true},         {"\u202Aa", true, false},    {"a\u202E", true, false},      {"\u2066x\u2069", true, false},
        {"\u200Fmark", true, false},   {"\u061Cx", true, false},    {"a\u200Bb", false, false},    {"\uFEFFx", false, false},
        {"x\U000E0041", false, false}, {"\u0085nel", false, false}, {"\u00A0nbsp", false, true},   {"é\u00e9", false, true},
        {"\u2029", false, false},      {"tab\there", false, false}, {"line\nbreak", false, false}, {"\xe2\x80", false, false},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(has_bidi_controls(c.text), c.bidi) << c.text;
        EXPECT_EQ(is_plain_line(c.text), c.plain) << c.text;
    }
}

}  // namespace
}  // namespace haven
