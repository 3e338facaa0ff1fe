#include "modules/spaces/ical.hpp"

#include <gtest/gtest.h>

namespace haven::spaces {
namespace {

TEST(Ical, EscapesText) {
    EXPECT_EQ(ical_text("a;b,c\\d\r\ne\nf"), "a\\;b\\,c\\\\d\\ne\\nf");
    EXPECT_EQ(ical_text(std::string("x\x01y")), "xy");
}

TEST(Ical, FoldsAt75OctetsWithoutSplittingACharacter) {
    const std::string line = "SUMMARY:" + std::string(40, 'a') + "Студия звукозаписи и видеомонтажа";
    const std::string folded = ical_line(line);
    size_t start = 0;
    std::string unfolded;
    while (start < folded.size()) {
        const size_t end = folded.find("\r\n", start);
        ASSERT_NE(end, std::string::npos);
        const std::string physical = folded.substr(start, end - start);
        EXPECT_LE(physical.size(), 75u);
        ASSERT_FALSE(physical.empty());
        EXPECT_NE(static_cast<unsigned char>(physical[start == 0 ? 0 : 1]) & 0xC0, 0x80) << "a line starts inside a character";
        unfolded += start == 0 ? physical : physical.substr(1);
        start = end + 2;
    }
    EXPECT_EQ(unfolded, line);
}

TEST(Ical, AFeedIsACalendarWithUtcTimes) {
    const std::string feed = ical_feed("Studio", {{"booking-1@haven", 1774771200000, 1774778400000, "Booked"}}, 1774700000000);
    EXPECT_TRUE(feed.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    EXPECT_NE(feed.find("DTSTART:20260329T080000Z\r\n"), std::string::npos);
    EXPECT_NE(feed.find("DTEND:20260329T100000Z\r\n"), std::string::npos);
    EXPECT_TRUE(feed.ends_with("END:VCALENDAR\r\n"));
}

}  // namespace
}  // namespace haven::spaces
