#pragma once

#include <memory>
#include <string>

#include "storage/db.hpp"

namespace haven::storage {

// PostgreSQL through libpq: a fixed pool of connections; every write is one transaction, committed with
// synchronous_commit=on (verified at connect).
std::unique_ptr<Database> open_postgres(const std::string& url, const DbOptions& options);

}  // namespace haven::storage
