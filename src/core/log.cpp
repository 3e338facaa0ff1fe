#include "core/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>

namespace haven::log {
namespace {
std::atomic<Level> g_level{Level::info};
std::mutex g_mutex;

const char* level_name(Level l) {
    switch (l) {
        case Level::debug: return "debug";
        case Level::info: return "info";
        case Level::warn: return "warn";
        case Level::error: return "error";
    }
    return "info";
}
}  // namespace

void set_level(Level level) { g_level = level; }

bool parse_level(std::string_view text, Level& out) {
    for (Level l : {Level::debug, Level::info, Level::warn, Level::error}) {
        if (text == level_name(l)) {
            out = l;
            return true;
        }
    }
    return false;
}

void append_json_string(std::string& out, std::string_view text) {
    static const char* hex = "0123456789abcdef";
    out += '"';
    for (unsigned char c : text) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20 || c == 0x7f) {
                    out += "\\u00";
                    out += hex[c >> 4];
                    out += hex[c & 15];
                } else {
                    out += char(c);
                }
        }
    }
    out += '"';
}

void write(Level level, std::string_view event, std::initializer_list<Field> fields) {
    if (level < g_level.load()) return;
    using namespace std::chrono;
    std::string line;
    line.reserve(160);
    line += "{\"ts\":";
    line += std::to_string(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
    line += ",\"level\":\"";
    line += level_name(level);
    line += "\",\"event\":";
    append_json_string(line, event);
    for (const Field& f : fields) {
        line += ',';
        append_json_string(line, f.key);
        line += ':';
        std::visit(
            [&](const auto& v) {
                using V = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<V, std::string_view>)
                    append_json_string(line, v);
                else if constexpr (std::is_same_v<V, bool>)
                    line += v ? "true" : "false";
                else if constexpr (std::is_same_v<V, double>) {
                    char buf[32];
                    std::snprintf(buf, sizeof buf, "%.3f", v);
                    line += buf;
                } else
                    line += std::to_string(v);
            },
            f.value);
    }
    line += "}\n";
    std::lock_guard lock(g_mutex);
    std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace haven::log
