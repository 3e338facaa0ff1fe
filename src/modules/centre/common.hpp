// Helpers shared by the centre's services.
#pragma once

#include <functional>
#include <string>

#include "storage/db.hpp"

#include "core/result.hpp"
#include "modules/spaces/calendar.hpp"

namespace haven::centre {

inline Error invalid(const std::string& field, const std::string& message) {
    return make_error(ErrorKind::invalid, "validation_failed", message, field);
}
inline Error not_found(const std::string& what) { return make_error(ErrorKind::not_found, "not_found", "There is no such " + what + "."); }

// A read that can fail part way (a sealed value that does not open).
inline Status read(storage::Database& db, const std::function<Status(storage::Tx&)>& fn) {
    Status status;
    db.read([&](storage::Tx& tx) { status = fn(tx); });
    return status;
}

// "YYYY-MM-DD" of an instant in a time zone.
std::string local_date(int64_t ms, const std::string& zone);

}  // namespace haven::centre
