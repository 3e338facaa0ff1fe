// Opening hours of a space, written as people write them on a door: "Mo-Fr 09:00-18:00; Sa 10:00-14:00".
// Days Mo Tu We Th Fr Sa Su, ranges (Mo-Fr) and lists (Mo,We) of them, one period a day, closing after opening
// on the same day. "" means always open. Bookings must fit inside a day's period.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace haven::spaces {

struct Period {
    int open = 0, close = 0;  // minutes after local midnight
    bool operator==(const Period&) const = default;
};

struct OpeningHours {
    std::array<std::optional<Period>, 7> days;  // Monday first; nullopt: closed
    bool always = true;                         // no hours given
    bool operator==(const OpeningHours&) const = default;
};

// 422 naming "opening_hours" with what is wrong. At most 200 bytes.
Result<OpeningHours> parse_hours(std::string_view text);
// The canonical form ("Mo-Fr 09:00-18:00; Sa 10:00-14:00"); parse_hours(format_hours(h)) == h.
std::string format_hours(const OpeningHours& hours);
// Whether [from, to) minutes on a day with weekday `day` (0 = Monday) lies inside the opening hours.
bool open_during(const OpeningHours& hours, int day, int from, int to);

}  // namespace haven::spaces
