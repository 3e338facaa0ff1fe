// Calendar feeds read back by two independent parsers: Debian's python3-icalendar and libical.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <string>

#include "modules/spaces/calendar.hpp"
#ifdef HAVEN_HAVE_LIBICAL
#include <libical/ical.h>
#endif

namespace haven::testing {

// "START END" in UTC of each event, as a parser reads the feed.
inline std::set<std::string> read_with_python(const std::string& feed, const std::string& dir) {
    const std::string file = dir + "/feed.ics";
    std::ofstream(file, std::ios::binary) << feed;
    const std::string script =
        "import sys, icalendar\n"
        "from datetime import timezone\n"
        "cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())\n"
        "for e in cal.walk('VEVENT'):\n"
        "    s = e.decoded('dtstart').astimezone(timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')\n"
        "    t = e.decoded('dtend').astimezone(timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')\n"
        "    print(s, t)\n";
    std::ofstream(dir + "/read.py") << script;
    std::set<std::string> out;
    FILE* p = popen(("/usr/bin/python3 " + dir + "/read.py " + file + " 2>&1").c_str(), "r");
    char line[256];
    while (p && fgets(line, sizeof line, p)) {
        std::string l(line);
        while (!l.empty() && (l.back() == '\n' || l.back() == '\r')) l.pop_back();
        out.insert(l);
    }
    if (p) {
        EXPECT_EQ(pclose(p), 0) << "python3-icalendar could not read the feed: " << (out.empty() ? "" : *out.begin());
    }
    return out;
}

inline std::set<std::string> read_with_libical(const std::string& feed) {
    std::set<std::string> out;
#ifdef HAVEN_HAVE_LIBICAL
    icalcomponent* cal = icalparser_parse_string(feed.c_str());
    EXPECT_NE(cal, nullptr) << "libical could not read the feed";
    if (!cal) return out;
    EXPECT_EQ(icalcomponent_isa(cal), ICAL_VCALENDAR_COMPONENT);
    for (icalcomponent* e = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); e;
         e = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
        const time_t s = icaltime_as_timet_with_zone(icalcomponent_get_dtstart(e), icaltimezone_get_utc_timezone());
        const time_t t = icaltime_as_timet_with_zone(icalcomponent_get_dtend(e), icaltimezone_get_utc_timezone());
        out.insert(spaces::format_rfc3339(int64_t(s) * 1000) + " " + spaces::format_rfc3339(int64_t(t) * 1000));
    }
    icalcomponent_free(cal);
#else
    ADD_FAILURE() << "built without libical: install libical-dev (scripts/install-deps does)";
#endif
    return out;
}

}  // namespace haven::testing
