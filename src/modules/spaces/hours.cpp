#include "modules/spaces/hours.hpp"

#include <cctype>
#include <vector>

namespace haven::spaces {
namespace {

constexpr std::array<std::string_view, 7> day_names = {"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"};

Error bad(const std::string& why) {
    return invalid("opening_hours", "opening_hours: " + why + " Write them like \"Mo-Fr 09:00-18:00; Sa 10:00-14:00\".", "hours");
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

std::optional<int> day_of(std::string_view s) {
    for (size_t i = 0; i < day_names.size(); ++i)
        if (s == day_names[i]) return int(i);
    return std::nullopt;
}

// "09:00" → 540; "24:00" is the end of the day.
std::optional<int> minutes_of(std::string_view s) {
    if (s.size() != 5 || s[2] != ':') return std::nullopt;
    for (size_t i : {0, 1, 3, 4})
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return std::nullopt;
    const int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
    return h * 60 + m;
}

std::string hhmm(int minutes) {
    std::string out(5, ':');
    out[0] = char('0' + minutes / 600);
    out[1] = char('0' + minutes / 60 % 10);
    out[3] = char('0' + minutes % 60 / 10);
    out[4] = char('0' + minutes % 10);
    return out;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    for (size_t at = 0;;) {
        const size_t next = s.find(sep, at);
        out.push_back(s.substr(at, next == std::string_view::npos ? std::string_view::npos : next - at));
        if (next == std::string_view::npos) return out;
        at = next + 1;
    }
}

}  // namespace

Result<OpeningHours> parse_hours(std::string_view text) {
    OpeningHours out;
    if (text.size() > 200) return bad("at most 200 characters.");
    text = trim(text);
    if (text.empty()) return out;
    out.always = false;
    for (auto rule : split(text, ';')) {
        rule = trim(rule);
        const size_t space = rule.find(' ');
        if (space == std::string_view::npos) return bad("each rule is days then a time range.");
        const auto days = rule.substr(0, space);
        const auto times = trim(rule.substr(space + 1));
        const size_t dash = times.find('-');
        if (dash == std::string_view::npos) return bad("the times are a range such as 09:00-18:00.");
        auto open = minutes_of(trim(times.substr(0, dash))), close = minutes_of(trim(times.substr(dash + 1)));
        if (!open || !close) return bad("times are written HH:MM.");
        if (*close <= *open) return bad("closing comes after opening on the same day.");
        for (auto item : split(days, ',')) {
            const size_t range = item.find('-');
            auto first = day_of(item.substr(0, range));
            auto last = range == std::string_view::npos ? first : day_of(item.substr(range + 1));
            if (!first || !last || *last < *first) return bad("days are Mo Tu We Th Fr Sa Su, as Mo-Fr or Mo,We.");
            for (int d = *first; d <= *last; ++d) {
                if (out.days[size_t(d)]) return bad(std::string(day_names[size_t(d)]) + " is given twice.");
                out.days[size_t(d)] = Period{*open, *close};
            }
        }
    }
    return out;
}

std::string format_hours(const OpeningHours& hours) {
    if (hours.always) return "";
    std::string out;
    for (int d = 0; d < 7;) {
        if (!hours.days[size_t(d)]) {
            ++d;
            continue;
        }
        int last = d;
        while (last + 1 < 7 && hours.days[size_t(last + 1)] == hours.days[size_t(d)]) ++last;
        const Period& p = *hours.days[size_t(d)];
        out += (out.empty() ? "" : "; ") + std::string(day_names[size_t(d)]) + (last > d ? "-" + std::string(day_names[size_t(last)]) : "") + " " +
               hhmm(p.open) + "-" + hhmm(p.close);
        d = last + 1;
    }
    return out;
}

bool open_during(const OpeningHours& hours, int day, int from, int to) {
    if (hours.always) return true;
    const auto& p = hours.days[size_t(day % 7)];
    return p && from >= p->open && to <= p->close && from < to;
}

}  // namespace haven::spaces
