#include "modules/spaces/ical.hpp"

#include "modules/spaces/calendar.hpp"

namespace haven::spaces {
namespace {

// 20260329T080000Z
std::string ical_time(int64_t ms) {
    std::string t = format_rfc3339(ms);  // 2026-03-29T08:00:00Z
    std::string out;
    for (char c : t)
        if (c != '-' && c != ':') out += c;
    return out;
}

}  // namespace

std::string ical_text(std::string_view text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\\' || c == ';' || c == ',') {
            out += '\\';
            out += c;
        } else if (c == '\r') {
            if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
            out += "\\n";
        } else if (c == '\n') {
            out += "\\n";
        } else if (static_cast<unsigned char>(c) >= 0x20 || c == '\t') {
            out += c;
        }
    }
    return out;
}

std::string ical_line(std::string_view line) {
    std::string out;
    size_t used = 0;  // octets on the current physical line
    for (size_t i = 0; i < line.size();) {
        size_t len = 1;
        const unsigned char c = static_cast<unsigned char>(line[i]);
        if (c >= 0xF0)
            len = 4;
        else if (c >= 0xE0)
            len = 3;
        else if (c >= 0xC0)
            len = 2;
        len = std::min(len, line.size() - i);
        if (used + len > 75) {
            out += "\r\n ";
            used = 1;
        }
        out.append(line.substr(i, len));
        used += len;
        i += len;
    }
    return out + "\r\n";
}

std::string ical_feed(std::string_view name, const std::vector<FeedEvent>& events, int64_t now_ms) {
    std::string out;
    for (const char* l : {"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Haven//Spaces//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"})
        out += ical_line(l);
    out += ical_line("X-WR-CALNAME:" + ical_text(name));
    const std::string stamp = ical_time(now_ms);
    for (const auto& e : events) {
        out += ical_line("BEGIN:VEVENT");
        out += ical_line("UID:" + ical_text(e.uid));
        out += ical_line("DTSTAMP:" + stamp);
        out += ical_line("DTSTART:" + ical_time(e.start));
        out += ical_line("DTEND:" + ical_time(e.end));
        out += ical_line("SUMMARY:" + ical_text(e.summary));
        out += ical_line("END:VEVENT");
    }
    out += ical_line("END:VCALENDAR");
    return out;
}

}  // namespace haven::spaces
