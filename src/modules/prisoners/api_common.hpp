// What the prisoner support's API handlers read from a request beyond http/api.hpp: whole numbers in a body or a
// query string, lists of strings and of ids. Each error names the member.
#pragma once

#include <charconv>
#include <string>
#include <vector>

#include "http/api.hpp"
#include "http/form.hpp"

namespace haven::prisoners::api {

namespace json = boost::json;

// A whole-number member: required, an integer.
inline Result<int64_t> integer(const json::object& o, const char* name) {
    const auto* v = o.if_contains(name);
    if (!v) return invalid(name, std::string(name) + " is required.", "required");
    if (!v->is_int64()) return invalid(name, std::string(name) + " must be a whole number.", "invalid");
    return v->get_int64();
}

// The same, `fallback` when absent.
inline Result<int64_t> integer_or(const json::object& o, const char* name, int64_t fallback) {
    if (!o.if_contains(name)) return fallback;
    return integer(o, name);
}

inline Result<bool> boolean_or(const json::object& o, const char* name, bool fallback) {
    const auto* v = o.if_contains(name);
    if (!v) return fallback;
    if (!v->is_bool()) return invalid(name, std::string(name) + " must be true or false.", "invalid");
    return v->get_bool();
}

// A whole number in the query string, `fallback` when absent.
inline Result<int64_t> query_number(const http::Form& query, const char* name, int64_t fallback) {
    const std::string_view text = query.get(name);
    if (text.empty()) return fallback;
    int64_t n = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || p != text.data() + text.size() || n < 0) return invalid(name, std::string(name) + " must be a whole number.", "invalid");
    return n;
}

// A list of strings, each at most `max` bytes, at most `most` of them; empty when absent.
inline Result<std::vector<std::string>> strings(const json::object& o, const char* name, size_t most, size_t max) {
    std::vector<std::string> out;
    const auto* v = o.if_contains(name);
    if (!v) return out;
    if (!v->is_array() || v->get_array().size() > most)
        return invalid(name, std::string(name) + " must be a list of at most " + std::to_string(most) + " strings.", "too_many", int64_t(most));
    for (const auto& x : v->get_array()) {
        if (!x.is_string() || x.get_string().size() > max)
            return invalid(name, std::string(name) + " must hold strings of at most " + std::to_string(max) + " bytes.", "too_long", int64_t(max));
        out.emplace_back(x.get_string());
    }
    return out;
}

inline Result<std::vector<int64_t>> ids(const json::object& o, const char* name, size_t most) {
    std::vector<int64_t> out;
    const auto* v = o.if_contains(name);
    if (!v) return out;
    if (!v->is_array() || v->get_array().size() > most)
        return invalid(name, std::string(name) + " must be a list of at most " + std::to_string(most) + " ids.", "too_many", int64_t(most));
    for (const auto& x : v->get_array()) {
        if (!x.is_int64() || x.get_int64() <= 0) return invalid(name, std::string(name) + " must hold whole positive numbers.", "invalid");
        out.push_back(x.get_int64());
    }
    return out;
}

}  // namespace haven::prisoners::api
