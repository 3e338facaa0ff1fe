// Calendar dates as Haven's forms and API write them: "YYYY-MM-DD", in UTC (a date here is a day; a site's
// time zone does not move it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace haven {

constexpr int64_t day_ms = 24LL * 60 * 60 * 1000;

// "YYYY-MM-DD" that exists in the calendar (leap years included), 1900 to 2100.
bool valid_date(std::string_view text);
// Epoch ms at 00:00 UTC of a valid date.
std::optional<int64_t> day_start(std::string_view date);
// The UTC date of an instant.
std::string date_of(int64_t ms);

}  // namespace haven
