// SQL of the durability probe (table write_probe).
#pragma once

#include <optional>
#include <string>

#include "core/result.hpp"
#include "storage/db.hpp"

namespace haven::system {

struct ProbeWrite {
    std::string id;
    std::string payload;
    int64_t created_at = 0;
};

// Error "conflict" when the id exists.
Status probe_insert(storage::Database& db, const ProbeWrite& write);
std::optional<ProbeWrite> probe_find(storage::Database& db, const std::string& id);

}  // namespace haven::system
