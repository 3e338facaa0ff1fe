// Structured logs: one JSON object per line on stderr (journald keeps them).
// Rule: no personal value ever reaches a log. Callers pass route patterns, codes and counts,
// never a path, a query string, a body or a name.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace haven::log {

enum class Level { debug, info, warn, error };

struct Field {
    std::string_view key;
    std::variant<std::string_view, int64_t, double, bool> value;
    Field(std::string_view k, std::string_view v) : key(k), value(v) {}
    Field(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
    Field(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
    Field(std::string_view k, int v) : key(k), value(int64_t(v)) {}
    Field(std::string_view k, unsigned v) : key(k), value(int64_t(v)) {}
    Field(std::string_view k, long v) : key(k), value(int64_t(v)) {}
    Field(std::string_view k, unsigned long v) : key(k), value(int64_t(v)) {}
    Field(std::string_view k, long long v) : key(k), value(int64_t(v)) {}
    Field(std::string_view k, double v) : key(k), value(v) {}
    Field(std::string_view k, bool v) : key(k), value(v) {}
};

void set_level(Level level);
bool parse_level(std::string_view text, Level& out);
void write(Level level, std::string_view event, std::initializer_list<Field> fields = {});

inline void info(std::string_view event, std::initializer_list<Field> fields = {}) { write(Level::info, event, fields); }
inline void warn(std::string_view event, std::initializer_list<Field> fields = {}) { write(Level::warn, event, fields); }
inline void error(std::string_view event, std::initializer_list<Field> fields = {}) { write(Level::error, event, fields); }
inline void debug(std::string_view event, std::initializer_list<Field> fields = {}) { write(Level::debug, event, fields); }

// JSON string escaping shared by the log and by small hand-written JSON answers.
void append_json_string(std::string& out, std::string_view text);

}  // namespace haven::log
