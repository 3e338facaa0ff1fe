#include "modules/spaces/hours.hpp"

#include <gtest/gtest.h>

namespace haven::spaces {
namespace {

TEST(Hours, ReadsWhatADoorSays) {
    auto h = parse_hours("Mo-Fr 09:00-18:00; Sa 10:00-14:00");
    ASSERT_TRUE(h.ok());
    EXPECT_FALSE(h->always);
    EXPECT_EQ(h->days[0], (Period{540, 1080}));
    EXPECT_EQ(h->days[4], (Period{540, 1080}));
    EXPECT_EQ(h->days[5], (Period{600, 840}));
    EXPECT_FALSE(h->days[6]);
    EXPECT_EQ(format_hours(*h), "Mo-Fr 09:00-18:00; Sa 10:00-14:00");
    EXPECT_TRUE(open_during(*h, 0, 540, 1080));
    EXPECT_FALSE(open_during(*h, 0, 530, 600));
    EXPECT_FALSE(open_during(*h, 6, 600, 660));
}

TEST(Hours, ListsAndTheEndOfTheDay) {
    auto h = parse_hours(" Mo,We,Fr 08:30-24:00 ");
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(format_hours(*h), "Mo 08:30-24:00; We 08:30-24:00; Fr 08:30-24:00");
    EXPECT_TRUE(open_during(*h, 2, 510, 1440));
    EXPECT_TRUE(parse_hours("").value().always);
    EXPECT_TRUE(open_during(parse_hours("").value(), 6, 0, 1440));
}

TEST(Hours, RefusesWithTheField) {
    for (const char* bad : {"Mo-Fr", "Mo-Fr 9:00-18:00", "Mo-Fr 18:00-09:00", "Xx 09:00-10:00", "Fr-Mo 09:00-10:00", "Mo 09:00-10:00; Mo 11:00-12:00",
                            "Mo 09:00", "Mo 24:30-25:00", "Mo 09:60-10:00"}) {
        auto h = parse_hours(bad);
        ASSERT_FALSE(h.ok()) << bad;
        EXPECT_EQ(h.error().field, "opening_hours") << bad;
    }
    EXPECT_FALSE(parse_hours(std::string(201, ' ')).ok());
}

}  // namespace
}  // namespace haven::spaces
