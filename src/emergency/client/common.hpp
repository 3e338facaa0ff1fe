// What both command-line clients share: the time, how they stop on an error, and reading their state.
#pragma once

#include <boost/json.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

#include "core/result.hpp"
#include "emergency/alert.hpp"
#include "emergency/client/state.hpp"
#include "emergency/wire.hpp"

namespace haven::emergency::client {

// Epoch ms; HAVEN_MEMBER_NOW_MS replaces it in tests (an injected clock for release times).
inline int64_t now_ms() {
    if (const char* fixed = std::getenv("HAVEN_MEMBER_NOW_MS")) return std::stoll(fixed);
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// The program's name, for its error messages (set by main).
inline std::string& program() {
    static std::string name = "haven";
    return name;
}

[[noreturn]] inline void fail(const std::string& message) {
    std::cerr << program() << ": " << message << "\n";
    std::exit(1);
}

template <class T>
T must(Result<T> r) {
    if (!r) fail(r.error().message);
    return std::move(r.value());
}

// A hex member of the state, as bytes; stops when it is missing.
inline Bytes hex(const boost::json::object& o, const char* key) {
    auto b = from_hex(hex_of(o, key));
    if (!b) fail(std::string("the state lacks ") + key);
    return *b;
}

// The regions and skills of a member's state or of a roster entry.
inline Profile profile_of(const boost::json::object& o) {
    Profile p;
    for (const auto& r : o.at("regions").as_array()) p.regions.emplace_back(r.as_string());
    for (const auto& s : o.at("skills").as_array()) p.skills.emplace_back(s.as_string());
    return p;
}

}  // namespace haven::emergency::client
