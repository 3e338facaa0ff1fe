#include "modules/spaces/calendar.hpp"

#include <unicode/basictz.h>
#include <unicode/timezone.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "core/dates.hpp"

namespace haven::spaces {
namespace {

constexpr int64_t minute_ms = 60'000;

// Days since 1970-01-01 of a civil date, and back (Howard Hinnant's algorithms).
int64_t days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned doy = unsigned((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + int64_t(doe) - 719468;
}

void civil_from_days(int64_t z, int& y, int& m, int& d) {
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = unsigned(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = int(doy - (153 * mp + 2) / 5 + 1);
    m = int(mp < 10 ? mp + 3 : mp - 9);
    y = int(yoe) + int(era * 400) + (m <= 2);
}

int64_t wall_ms(const WallTime& w) { return (days_from_civil(w.year, w.month, w.day) * 1440 + w.hour * 60 + w.minute) * minute_ms; }

std::unique_ptr<icu::BasicTimeZone> zone_of(std::string_view zone) {
    std::unique_ptr<icu::TimeZone> tz(
        icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(icu::StringPiece(zone.data(), int32_t(zone.size())))));
    auto* basic = dynamic_cast<icu::BasicTimeZone*>(tz.get());
    if (!basic || *tz == icu::TimeZone::getUnknown()) return nullptr;
    tz.release();
    return std::unique_ptr<icu::BasicTimeZone>(basic);
}

bool digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
int number(std::string_view s) { return std::stoi(std::string(s)); }

}  // namespace

std::optional<int64_t> parse_rfc3339(std::string_view s) {
    // YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM)
    if (s.size() < 20 || s.size() > 40 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' ||
        s[16] != ':')
        return std::nullopt;
    for (auto [at, len] : {std::pair{0, 4}, {5, 2}, {8, 2}, {11, 2}, {14, 2}, {17, 2}})
        if (!digits(s.substr(size_t(at), size_t(len)))) return std::nullopt;
    if (!valid_date(s.substr(0, 10))) return std::nullopt;
    const int y = number(s.substr(0, 4)), hour = number(s.substr(11, 2)), minute = number(s.substr(14, 2)), second = number(s.substr(17, 2));
    if (y < 2000 || y > 2100 || hour > 23 || minute > 59 || second > 59) return std::nullopt;
    size_t at = 19;
    if (at < s.size() && s[at] == '.') {
        ++at;
        const size_t from = at;
        while (at < s.size() && s[at] >= '0' && s[at] <= '9') ++at;
        if (at == from || at - from > 9) return std::nullopt;
    }
    int64_t offset_min = 0;
    const std::string_view zone = s.substr(at);
    if (zone == "Z" || zone == "z") {
    } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':' && digits(zone.substr(1, 2)) && digits(zone.substr(4, 2))) {
        const int oh = number(zone.substr(1, 2)), om = number(zone.substr(4, 2));
        if (oh > 23 || om > 59) return std::nullopt;
        offset_min = (zone[0] == '-' ? -1 : 1) * (oh * 60 + om);
    } else {
        return std::nullopt;
    }
    const WallTime w{y, number(s.substr(5, 2)), number(s.substr(8, 2)), hour, minute};
    return wall_ms(w) + int64_t(second) * 1000 - offset_min * minute_ms;
}

std::string format_rfc3339(int64_t ms) {
    const int64_t day = ms >= 0 ? ms / (1440 * minute_ms) : (ms - 1440 * minute_ms + 1) / (1440 * minute_ms);
    int y, m, d;
    civil_from_days(day, y, m, d);
    const int64_t rest = (ms - day * 1440 * minute_ms) / 1000;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, int(rest / 3600), int(rest / 60 % 60), int(rest % 60));
    return buf;
}

bool known_zone(std::string_view zone) { return zone_of(zone) != nullptr; }

WallTime to_wall(int64_t ms, std::string_view zone) {
    auto tz = zone_of(zone);
    int32_t raw = 0, dst = 0;
    UErrorCode status = U_ZERO_ERROR;
    if (tz) tz->getOffset(UDate(ms), false, raw, dst, status);
    const int64_t local = ms + (U_SUCCESS(status) ? int64_t(raw) + dst : 0);
    const int64_t day = local >= 0 ? local / (1440 * minute_ms) : (local - 1440 * minute_ms + 1) / (1440 * minute_ms);
    WallTime w;
    civil_from_days(day, w.year, w.month, w.day);
    const int64_t minutes = (local - day * 1440 * minute_ms) / minute_ms;
    w.hour = int(minutes / 60);
    w.minute = int(minutes % 60);
    return w;
}

int64_t from_wall(const WallTime& wall, std::string_view zone) {
    const int64_t local = wall_ms(wall);
    auto tz = zone_of(zone);
    if (!tz) return local;
    int32_t raw = 0, dst = 0;
    UErrorCode status = U_ZERO_ERROR;
    tz->getOffsetFromLocal(UDate(local), UCAL_TZ_LOCAL_FORMER, UCAL_TZ_LOCAL_FORMER, raw, dst, status);
    return U_SUCCESS(status) ? local - raw - dst : local;
}

WallTime add_days(WallTime w, int days) {
    civil_from_days(days_from_civil(w.year, w.month, w.day) + days, w.year, w.month, w.day);
    return w;
}

int weekday(const WallTime& w) {
    const int64_t z = days_from_civil(w.year, w.month, w.day);  // 1970-01-01 was a Thursday
    return int(((z % 7) + 7 + 3) % 7);
}

Result<std::vector<Occurrence>> expand(int64_t start, int64_t end, const Recurrence& rule, std::string_view zone) {
    if (end <= start) return invalid("end", "end must come after start.", "after_start");
    if (end - start > 24 * 60 * minute_ms) return invalid("end", "A booking lasts at most 24 hours.", "too_long_span");
    if (!known_zone(zone)) return invalid("time_zone", "The site's time zone is not known.", "time_zone");
    if (rule.freq.empty()) return std::vector<Occurrence>{{start, end}};
    if (rule.freq != "daily" && rule.freq != "weekly") return invalid("recurrence.freq", "recurrence.freq must be daily or weekly.", "choose");
    if (rule.interval < 1 || rule.interval > 52) return invalid("recurrence.interval", "recurrence.interval must be 1 to 52.", "range", 52);
    if ((rule.count == 0) == rule.until.empty()) return invalid("recurrence", "A recurrence needs either count or until.", "required");
    if (rule.count < 0 || rule.count > max_occurrences)
        return invalid("recurrence.count", "recurrence.count must be 1 to " + std::to_string(max_occurrences) + ".", "range");
    if (!rule.until.empty() && !valid_date(rule.until))
        return invalid("recurrence.until", "recurrence.until must be a date written YYYY-MM-DD.", "date");
    for (const auto& d : rule.except)
        if (!valid_date(d)) return invalid("recurrence.except", "recurrence.except holds dates written YYYY-MM-DD.", "date");
    if (rule.except.size() > max_occurrences) return invalid("recurrence.except", "Too many exceptions.", "too_many");

    const WallTime first = to_wall(start, zone), last_end = to_wall(end, zone);
    const int64_t wall_length = wall_ms(last_end) - wall_ms(first);
    const int step = rule.freq == "daily" ? rule.interval : 7 * rule.interval;
    std::vector<Occurrence> out;
    for (int i = 0;; ++i) {
        const WallTime w = add_days(first, i * step);
        char date[11];
        std::snprintf(date, sizeof date, "%04d-%02d-%02d", w.year, w.month, w.day);
        if (!rule.until.empty() && std::string(date) > rule.until) break;
        if (rule.count && i >= rule.count) break;
        if (i >= max_occurrences)
            return invalid("recurrence", "A series holds at most " + std::to_string(max_occurrences) + " occurrences.", "too_long_span");
        if (std::find(rule.except.begin(), rule.except.end(), date) != rule.except.end()) continue;
        const int64_t s = from_wall(w, zone);
        // The end at the same wall-clock length after the start's wall time (a two-hour booking stays 10–12).
        int64_t wall_end = wall_ms(w) + wall_length;
        const int64_t end_day = wall_end >= 0 ? wall_end / (1440 * minute_ms) : 0;
        WallTime we;
        civil_from_days(end_day, we.year, we.month, we.day);
        we.hour = int((wall_end - end_day * 1440 * minute_ms) / minute_ms / 60);
        we.minute = int((wall_end - end_day * 1440 * minute_ms) / minute_ms % 60);
        const int64_t e = from_wall(we, zone);
        out.push_back({s, e > s ? e : s + (end - start)});
    }
    if (out.empty()) return invalid("recurrence", "Every occurrence is an exception: nothing to book.", "nothing_left");
    return out;
}

// "2026-03-29" and "10:00" in the site's zone → epoch ms (nullopt when malformed).
std::optional<int64_t> local_instant(std::string_view date, std::string_view time, std::string_view zone) {
    if (!valid_date(date) || time.size() != 5 || time[2] != ':') return std::nullopt;
    for (size_t i : {0, 1, 3, 4})
        if (!std::isdigit(static_cast<unsigned char>(time[i]))) return std::nullopt;
    const int h = std::atoi(std::string(time.substr(0, 2)).c_str()), m = std::atoi(std::string(time.substr(3, 2)).c_str());
    if (h > 23 || m > 59) return std::nullopt;
    WallTime w{std::atoi(std::string(date.substr(0, 4)).c_str()), std::atoi(std::string(date.substr(5, 2)).c_str()),
               std::atoi(std::string(date.substr(8, 2)).c_str()), h, m};
    return from_wall(w, zone);
}

std::string local_text(int64_t ms, std::string_view zone) {
    const WallTime w = to_wall(ms, zone);
    char b[32];
    std::snprintf(b, sizeof b, "%04d-%02d-%02d %02d:%02d", w.year, w.month, w.day, w.hour, w.minute);
    return b;
}

}  // namespace haven::spaces
