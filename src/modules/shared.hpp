// What every module's service is built from: the database, the vault, the clock and the one audit log
// (every service records through the same audit::Recorder; none makes its own).
#pragma once

#include "audit/audit.hpp"
#include "core/clock.hpp"
#include "crypto/vault.hpp"
#include "storage/db.hpp"

namespace haven::modules {

struct Shared {
    storage::Database& db;
    const crypto::Vault& vault;
    const Clock& clock;
    const audit::Recorder& audit;
};

}  // namespace haven::modules
