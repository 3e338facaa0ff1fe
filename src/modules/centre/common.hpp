// Helpers shared by the centre's services.
#pragma once

#include <algorithm>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "modules/spaces/calendar.hpp"

namespace haven::centre {

inline Error not_found(const std::string& what) { return make_error(ErrorKind::not_found, "not_found", "There is no such " + what + "."); }

// A place in a queue: now, or just after the last one (`last`: the queue's latest place) when the clock has not
// moved (first come, first served, even within one millisecond).
inline int64_t queue_place(std::optional<int64_t> last, int64_t now) { return last ? std::max(now, *last + 1) : now; }

// "YYYY-MM-DD" of an instant in a time zone.
std::string local_date(int64_t ms, const std::string& zone);

}  // namespace haven::centre
