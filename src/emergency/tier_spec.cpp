#include "emergency/tier_spec.hpp"

#include <charconv>
#include <string>
#include <vector>

namespace haven::emergency {

namespace {

constexpr int64_t longest_ms = 30LL * 24 * 3600 * 1000;

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::vector<std::string_view> split(std::string_view s, char by) {
    std::vector<std::string_view> out;
    for (size_t at = 0;;) {
        const size_t next = s.find(by, at);
        out.push_back(s.substr(at, next == std::string_view::npos ? std::string_view::npos : next - at));
        if (next == std::string_view::npos) return out;
        at = next + 1;
    }
}

Error bad(std::string message) { return invalid("tier", std::move(message) + " (a tier is regions=a,b; skills=c; after=15m)"); }

Result<int64_t> delay_ms(std::string_view value) {
    if (value.empty()) return bad("after needs a delay such as 0, 90s, 15m or 2h");
    int64_t unit = 60'000;
    const char last = value.back();
    if (last == 's' || last == 'm' || last == 'h') {
        unit = last == 's' ? 1000 : last == 'm' ? 60'000 : 3'600'000;
        value.remove_suffix(1);
    }
    int64_t n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (value.empty() || ec != std::errc() || end != value.data() + value.size() || n < 0)
        return bad("after=" + std::string(value) + " is not a whole number of seconds (s), minutes (m) or hours (h)");
    if (n > longest_ms / unit) return bad("after is at most 30 days");
    return n * unit;
}

Result<std::vector<std::string>> items(std::string_view key, std::string_view value) {
    std::vector<std::string> out;
    if (value.empty()) return out;  // everyone
    for (auto item : split(value, ',')) {
        item = trim(item);
        if (item.empty()) return bad(std::string(key) + " has an empty name");
        for (unsigned char c : item)
            if (c < 0x20 || c == 0x7f) return bad(std::string(key) + " holds a control character");
        out.emplace_back(item);
    }
    return out;
}

}  // namespace

Result<Tier> parse_tier_spec(std::string_view text, int64_t t0) {
    Tier t{{}, {}, t0};
    bool seen_regions = false, seen_skills = false, seen_after = false;
    for (auto part : split(text, ';')) {
        part = trim(part);
        if (part.empty()) continue;
        const size_t eq = part.find('=');
        if (eq == std::string_view::npos) return bad("\"" + std::string(part) + "\" has no '='");
        const std::string_view key = trim(part.substr(0, eq)), value = trim(part.substr(eq + 1));
        bool* seen = key == "regions" ? &seen_regions : key == "skills" ? &seen_skills : key == "after" ? &seen_after : nullptr;
        if (!seen) return bad("unknown part \"" + std::string(key) + "\"; the parts are regions, skills and after");
        if (*seen) return bad(std::string(key) + " is given twice");
        *seen = true;
        if (key == "after") {
            HAVEN_TRY(ms, delay_ms(value));
            t.release_at = t0 + ms;
        } else {
            HAVEN_TRY(list, items(key, value));
            (key == "regions" ? t.regions : t.skills) = std::move(list);
        }
    }
    return t;
}

}  // namespace haven::emergency
