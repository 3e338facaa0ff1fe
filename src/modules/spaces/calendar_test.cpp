#include "modules/spaces/calendar.hpp"

#include <gtest/gtest.h>

namespace haven::spaces {
namespace {

int64_t at(const char* rfc3339) { return parse_rfc3339(rfc3339).value(); }

TEST(Calendar, ReadsAndWritesRfc3339) {
    EXPECT_EQ(at("2026-03-29T10:00:00+02:00"), at("2026-03-29T08:00:00Z"));
    EXPECT_EQ(at("2026-03-29T08:00:00.250Z") - at("2026-03-29T08:00:00Z"), 0);  // fractions are read, not kept
    EXPECT_EQ(at("2026-12-31T23:30:00-01:00"), at("2027-01-01T00:30:00Z"));
    EXPECT_EQ(format_rfc3339(at("2026-10-25T02:30:00+02:00")), "2026-10-25T00:30:00Z");
    for (const char* bad : {"2026-02-30T10:00:00Z", "2026-03-29T24:00:00Z", "2026-03-29T10:00:00", "2026-03-29T10:00Z", "2026-03-29T10:00:00+25:00",
                            "1999-12-31T10:00:00Z", "2026-03-29T10:00:00+0200", "tomorrow", ""})
        EXPECT_FALSE(parse_rfc3339(bad).has_value()) << bad;
}

// One row per case: a wall time in a zone, and the UTC instant it is.
struct WallCase {
    const char* zone;
    WallTime wall;
    const char* utc;
    const char* why;
};

TEST(Calendar, WallTimesAcrossDaylightSaving) {
    const WallCase cases[] = {
        {"Europe/Paris", {2026, 3, 28, 10, 0}, "2026-03-28T09:00:00Z", "winter: UTC+1"},
        {"Europe/Paris", {2026, 3, 29, 10, 0}, "2026-03-29T08:00:00Z", "summer from 29 March: UTC+2"},
        {"Europe/Paris", {2026, 3, 29, 1, 59}, "2026-03-29T00:59:00Z", "just before the gap"},
        {"Europe/Paris", {2026, 3, 29, 2, 30}, "2026-03-29T01:30:00Z", "in the gap: read with the offset before it (= 03:30)"},
        {"Europe/Paris", {2026, 3, 29, 3, 0}, "2026-03-29T01:00:00Z", "just after the gap"},
        {"Europe/Paris", {2026, 10, 25, 2, 30}, "2026-10-25T00:30:00Z", "the autumn overlap: the first 02:30"},
        {"Europe/Paris", {2026, 10, 25, 3, 30}, "2026-10-25T02:30:00Z", "after the overlap: UTC+1"},
        {"Europe/Berlin", {2026, 3, 29, 10, 0}, "2026-03-29T08:00:00Z", "Berlin keeps the same rules"},
        {"Europe/Berlin", {2026, 10, 24, 10, 0}, "2026-10-24T08:00:00Z", "the day before the change"},
        {"Europe/Berlin", {2026, 10, 25, 10, 0}, "2026-10-25T09:00:00Z", "the day of the change"},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(format_rfc3339(from_wall(c.wall, c.zone)), c.utc) << c.why;
        if (std::string(c.why).find("gap:") == std::string::npos && std::string(c.why).find("overlap:") == std::string::npos) {
            EXPECT_EQ(to_wall(at(c.utc), c.zone), c.wall) << c.why;
        }
    }
    EXPECT_TRUE(known_zone("Europe/Paris"));
    EXPECT_FALSE(known_zone("Europe/Atlantis"));
    EXPECT_EQ(weekday({2026, 11, 26, 0, 0}), 3);  // a Thursday
}

struct SeriesCase {
    const char* why;
    const char* zone;
    const char* start;
    const char* end;
    Recurrence rule;
    std::vector<std::pair<const char*, const char*>> want;  // UTC start, end
};

TEST(Calendar, RecurrencesKeepTheWallClockAcrossDaylightSaving) {
    const SeriesCase cases[] = {
        {"one-off", "Europe/Paris", "2026-05-04T10:00:00+02:00", "2026-05-04T12:00:00+02:00", {}, {{"2026-05-04T08:00:00Z", "2026-05-04T10:00:00Z"}}},
        {"weekly 10–12 over the spring change (Paris)",
         "Europe/Paris",
         "2026-03-22T10:00:00+01:00",
         "2026-03-22T12:00:00+01:00",
         {"weekly", 1, 3, "", {}},
         {{"2026-03-22T09:00:00Z", "2026-03-22T11:00:00Z"},
          {"2026-03-29T08:00:00Z", "2026-03-29T10:00:00Z"},
          {"2026-04-05T08:00:00Z", "2026-04-05T10:00:00Z"}}},
        {"daily over the autumn change (Berlin)",
         "Europe/Berlin",
         "2026-10-24T18:00:00+02:00",
         "2026-10-24T21:00:00+02:00",
         {"daily", 1, 0, "2026-10-26", {}},
         {{"2026-10-24T16:00:00Z", "2026-10-24T19:00:00Z"},
          {"2026-10-25T17:00:00Z", "2026-10-25T20:00:00Z"},
          {"2026-10-26T17:00:00Z", "2026-10-26T20:00:00Z"}}},
        {"every second week, one exception",
         "Europe/Paris",
         "2026-06-01T09:00:00+02:00",
         "2026-06-01T10:00:00+02:00",
         {"weekly", 2, 3, "", {"2026-06-15"}},
         {{"2026-06-01T07:00:00Z", "2026-06-01T08:00:00Z"}, {"2026-06-29T07:00:00Z", "2026-06-29T08:00:00Z"}}},
        {"a booking over the gap is an hour shorter that night",
         "Europe/Paris",
         "2026-03-28T01:00:00+01:00",
         "2026-03-28T04:00:00+01:00",
         {"daily", 1, 2, "", {}},
         {{"2026-03-28T00:00:00Z", "2026-03-28T03:00:00Z"}, {"2026-03-29T00:00:00Z", "2026-03-29T02:00:00Z"}}},
    };
    for (const auto& c : cases) {
        auto got = expand(at(c.start), at(c.end), c.rule, c.zone);
        ASSERT_TRUE(got.ok()) << c.why << ": " << got.error().message;
        ASSERT_EQ(got->size(), c.want.size()) << c.why;
        for (size_t i = 0; i < c.want.size(); ++i) {
            EXPECT_EQ(format_rfc3339((*got)[i].start), c.want[i].first) << c.why << " #" << i;
            EXPECT_EQ(format_rfc3339((*got)[i].end), c.want[i].second) << c.why << " #" << i;
        }
    }
}

TEST(Calendar, BadRulesNameTheirField) {
    const int64_t s = at("2026-05-04T10:00:00Z"), e = at("2026-05-04T11:00:00Z");
    auto field = [&](const Recurrence& r, int64_t end, const char* zone = "Europe/Paris") {
        auto got = expand(s, end, r, zone);
        return got ? std::string("ok") : got.error().field;
    };
    EXPECT_EQ(field({}, s), "end");
    EXPECT_EQ(field({}, s + 25 * 3600 * 1000LL), "end");
    EXPECT_EQ(field({}, e, "Mars/Olympus"), "time_zone");
    EXPECT_EQ(field({"hourly", 1, 2, "", {}}, e), "recurrence.freq");
    EXPECT_EQ(field({"daily", 0, 2, "", {}}, e), "recurrence.interval");
    EXPECT_EQ(field({"daily", 1, 0, "", {}}, e), "recurrence");
    EXPECT_EQ(field({"daily", 1, 2, "2026-06-01", {}}, e), "recurrence");
    EXPECT_EQ(field({"daily", 1, 400, "", {}}, e), "recurrence.count");
    EXPECT_EQ(field({"daily", 1, 0, "2026-02-30", {}}, e), "recurrence.until");
    EXPECT_EQ(field({"daily", 1, 0, "2028-01-01", {}}, e), "recurrence");    // more than 366 occurrences
    EXPECT_EQ(field({"daily", 1, 1, "", {"2026-05-04"}}, e), "recurrence");  // nothing left
    EXPECT_EQ(field({"weekly", 1, 0, "2026-05-25", {"soon"}}, e), "recurrence.except");
    EXPECT_EQ(field({"weekly", 1, 0, "2026-05-25", {}}, e), "ok");
}

}  // namespace
}  // namespace haven::spaces
