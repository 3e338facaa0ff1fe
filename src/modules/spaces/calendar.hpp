// Time for bookings: RFC 3339 instants, wall-clock times in a site's time zone (ICU's zone data), and
// recurrences kept at the same wall-clock time across daylight-saving changes, as RFC 5545 does. A wall time
// that does not exist (the spring gap) is read with the offset before the gap (02:30 becomes 03:30); an
// ambiguous one (the autumn overlap) takes the first.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace haven::spaces {

struct WallTime {
    int year = 1970, month = 1, day = 1, hour = 0, minute = 0;
    bool operator==(const WallTime&) const = default;
};

// "2026-03-29T10:00:00+02:00", "…Z", with optional fractions of a second. nullopt when malformed or out of
// 2000..2100.
std::optional<int64_t> parse_rfc3339(std::string_view text);
// UTC, "2026-03-29T08:00:00Z".
std::string format_rfc3339(int64_t ms);

// Whether ICU knows the zone ("Europe/Paris").
bool known_zone(std::string_view zone);
// Instant → wall time in `zone`, and back (see above for gaps and overlaps).
WallTime to_wall(int64_t ms, std::string_view zone);
int64_t from_wall(const WallTime& wall, std::string_view zone);
// The wall date `days` later (months and years roll over).
WallTime add_days(WallTime wall, int days);
int weekday(const WallTime& wall);  // 0 = Monday

// What a form gives: "2026-03-29" and "10:00" in `zone` → epoch ms (nullopt when malformed).
std::optional<int64_t> local_instant(std::string_view date, std::string_view time, std::string_view zone);
// "2026-03-29 10:00" in `zone`.
std::string local_text(int64_t ms, std::string_view zone);

struct Recurrence {
    std::string freq;                 // "" (once), "daily", "weekly"
    int interval = 1;                 // every N days / weeks
    int count = 0;                    // occurrences in all (0: until `until`)
    std::string until;                // YYYY-MM-DD, inclusive, in the zone
    std::vector<std::string> except;  // YYYY-MM-DD dates skipped (exceptions)
};

struct Occurrence {
    int64_t start = 0, end = 0;  // epoch ms
};

constexpr int max_occurrences = 366;

// The occurrences of a booking from `start` to `end` (its first occurrence) repeated by `rule` in `zone`, each at
// the same wall-clock time and wall-clock length. Refuses (422, naming the field) a bad rule or more than
// max_occurrences.
Result<std::vector<Occurrence>> expand(int64_t start, int64_t end, const Recurrence& rule, std::string_view zone);

}  // namespace haven::spaces
