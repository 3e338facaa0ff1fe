// Helpers shared by the centre's services.
#pragma once

#include <algorithm>
#include <functional>
#include <string>

#include "storage/db.hpp"

#include "core/result.hpp"
#include "modules/spaces/calendar.hpp"

namespace haven::centre {

inline Error not_found(const std::string& what) { return make_error(ErrorKind::not_found, "not_found", "There is no such " + what + "."); }

// A read that can fail part way (a sealed value that does not open).
inline Status read(storage::Database& db, const std::function<Status(storage::Tx&)>& fn) {
    Status status;
    db.read([&](storage::Tx& tx) { status = fn(tx); });
    return status;
}

// A place in a queue: now, or just after the last one when the clock has not moved (first come, first served,
// even within one millisecond). `sql` selects the queue's MAX(since) with $1.
inline int64_t queue_place(storage::Tx& tx, const std::string& sql, int64_t key, int64_t now) {
    auto rows = tx.query(sql, {key});
    return rows.empty() || rows[0].is_null(0) ? now : std::max(now, rows[0].integer(0) + 1);
}

// "YYYY-MM-DD" of an instant in a time zone.
std::string local_date(int64_t ms, const std::string& zone);

}  // namespace haven::centre
