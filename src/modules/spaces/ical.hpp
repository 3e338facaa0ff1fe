// iCalendar (RFC 5545) feeds: times in UTC (so daylight-saving changes cannot shift them), text escaped, lines
// folded at 75 octets without splitting a UTF-8 character, CRLF line ends.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace haven::spaces {

struct FeedEvent {
    std::string uid;  // stable: "booking-<id>@haven"
    int64_t start = 0, end = 0;
    std::string summary;  // never a person's name unless its owner allows it
};

std::string ical_feed(std::string_view calendar_name, const std::vector<FeedEvent>& events, int64_t now_ms);

// TEXT value escaping (backslash, semicolon, comma, line breaks).
std::string ical_text(std::string_view text);
// One content line, folded.
std::string ical_line(std::string_view line);

}  // namespace haven::spaces
