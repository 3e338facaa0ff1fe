#pragma once

#include <memory>
#include <string>

#include "storage/db.hpp"

namespace haven::storage {

// SQLite in WAL mode with synchronous=FULL, secure_delete=ON and foreign_keys=ON (verified at open).
// One writer thread owns the only read-write connection: it takes every write waiting in its queue,
// runs each in its own SAVEPOINT inside one transaction, commits once (one fsync), and only then
// answers them all ("group commit"). Reads go to a pool of read-only connections.
std::unique_ptr<Database> open_sqlite(const std::string& path, const DbOptions& options);

}  // namespace haven::storage
