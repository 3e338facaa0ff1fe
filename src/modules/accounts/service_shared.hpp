// What the files of accounts::Service share: its limits and its refusals. Only those files include it.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.hpp"

namespace haven::accounts::internal {

constexpr int64_t hour_ms = 3600 * 1000;
constexpr int64_t enrolment_lifetime_ms = 72 * hour_ms;
constexpr int64_t max_failures_per_hour = 100;
constexpr int free_failures_per_source = 4;  // then 1 s, 2 s, 4 s … 15 min
constexpr int64_t max_backoff_ms = 15 * 60 * 1000;
constexpr int64_t touch_every_ms = 60 * 1000;  // last_seen is written at most once a minute

inline Error denied() { return make_error(ErrorKind::forbidden, "forbidden", "You are not allowed to do this."); }
inline Error bad_credentials() { return make_error(ErrorKind::unauthorized, "invalid_credentials", "The username, password or code is not right."); }
inline Error bad_link() {
    return make_error(ErrorKind::not_found, "invalid_link", "This link is not valid any more. Ask an administrator for a new one.");
}
inline Error signed_out() { return make_error(ErrorKind::unauthorized, "signed_out", "Please sign in."); }

// A required line of plain text of at most `max` bytes (names, labels).
Status check_text(const std::string& value, const char* field, size_t max);
// An IANA time zone ICU knows, such as Europe/Paris.
bool valid_time_zone(const std::string& id);
// Overwrites a secret before its memory is given back.
void wipe(std::string& secret);

}  // namespace haven::accounts::internal
