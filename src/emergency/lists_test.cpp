#include "emergency/lists.hpp"

#include <gtest/gtest.h>

namespace haven::emergency {
namespace {

Lists sample() {
    Lists l;
    l.regions.push_back(*list_entry("pskov", {"en=Pskov", "ru=Псков"}));
    l.regions.push_back(*list_entry("tver", {"en=Tver", "ru=Тверь"}));
    l.skills.push_back(*list_entry("driver", {"en=Driver", "ru=Водитель"}));
    l.skills.push_back(*list_entry("safe_flat", {"en=Safe flat", "ru=Безопасная квартира"}));
    return l;
}

TEST(Lists, AWordResolvesToItsEntryByIdOrAnyNameInAnyCase) {
    const Lists l = sample();
    EXPECT_EQ(resolve(l.regions, "pskov"), "pskov");
    EXPECT_EQ(resolve(l.regions, "PSKOV"), "pskov");
    EXPECT_EQ(resolve(l.regions, "Псков"), "pskov");
    EXPECT_EQ(resolve(l.regions, " тверь "), "tver");
    EXPECT_EQ(resolve(l.skills, "водитель"), "driver");
    EXPECT_EQ(resolve(l.skills, "Safe flat"), "safe_flat");
    EXPECT_EQ(resolve(l.skills, "Безопасная квартира"), "safe_flat");
    EXPECT_EQ(resolve(l.regions, "pskv"), std::nullopt) << "a typo is no region";
    EXPECT_EQ(resolve(l.regions, ""), std::nullopt);
    EXPECT_EQ(resolve(l.skills, "pskov"), std::nullopt) << "a region is no skill";
    EXPECT_EQ(choices(l.regions), "pskov (Pskov, Псков), tver (Tver, Тверь)");
}

TEST(Lists, TheyReadBackAsWrittenAndOpenOnlyWithTheirCode) {
    const Lists l = sample();
    auto back = parse_lists(lists_json(l));
    ASSERT_TRUE(back);
    EXPECT_EQ(lists_json(*back), lists_json(l));
    const std::string code = "ABCDEFGHIJKLMNOPQRSTUVWX";
    const Bytes sealed = seal_lists(l, code);
    EXPECT_EQ(sealed.find("Pskov"), std::string::npos);
    EXPECT_EQ(sealed.find("Псков"), std::string::npos);
    auto opened = open_lists(sealed, code);
    ASSERT_TRUE(opened);
    EXPECT_EQ(lists_json(*opened), lists_json(l));
    EXPECT_FALSE(open_lists(sealed, "ABCDEFGHIJKLMNOPQRSTUVWY")) << "another code";
    Bytes flipped = sealed;
    flipped[30] ^= 1;
    EXPECT_FALSE(open_lists(flipped, code));
    EXPECT_FALSE(open_lists(sealed, "short"));
}

TEST(Lists, WhatAnOperatorTypesIsCheckedNamingThePart) {
    EXPECT_EQ(list_entry("Pskov", {"en=Pskov"}).error().field, "id") << "ids are normalised: lower case";
    EXPECT_EQ(list_entry("pskov region", {"en=Pskov"}).error().field, "id");
    EXPECT_EQ(list_entry(std::string(41, 'a'), {"en=Pskov"}).error().field, "id");
    EXPECT_EQ(list_entry("pskov", {}).error().field, "names");
    EXPECT_EQ(list_entry("pskov", {"Pskov"}).error().field, "names");
    EXPECT_EQ(list_entry("pskov", {"english=Pskov"}).error().field, "names");
    EXPECT_EQ(list_entry("pskov", {"en="}).error().field, "names");
    EXPECT_EQ(list_entry("pskov", {"en=Ps\nkov"}).error().field, "names");
    EXPECT_EQ(list_entry("pskov", {"en=" + std::string(81, 'x')}).error().field, "names");
    EXPECT_TRUE(list_entry("pskov", {"en=Pskov", "ru=Псков", "uk=Псков"}));
}

TEST(Lists, AnythingOutsideTheShapeIsRefused) {
    for (const char* bad : {"", "[]", "{\"regions\":{}}", "{\"towns\":[]}", "{\"regions\":[{\"id\":\"a\"}]}",
                            "{\"regions\":[{\"id\":\"a\",\"names\":{\"en\":1}}]}", "{\"regions\":[{\"id\":\"a\",\"names\":{\"en\":\"A\"},\"x\":1}]}",
                            "{\"regions\":[{\"id\":\"a\",\"names\":{\"en\":\"A\"}},{\"id\":\"a\",\"names\":{\"en\":\"B\"}}]}"})
        EXPECT_FALSE(parse_lists(bad)) << bad;
    std::string many = "{\"skills\":[";
    for (int i = 0; i < 201; ++i) many += std::string(i ? "," : "") + "{\"id\":\"s" + std::to_string(i) + "\",\"names\":{\"en\":\"S\"}}";
    EXPECT_FALSE(parse_lists(many + "]}"));
    EXPECT_TRUE(parse_lists("{}"));
}

}  // namespace
}  // namespace haven::emergency
