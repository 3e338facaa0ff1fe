// Key rotation: re-seal every stored sealed value under the vault's current field-key version.
// Resumable (it only touches values under an older version) and online: it works in small transactions,
// and an update applies only if the value did not change meanwhile (a concurrent write wins; it is
// already under the current version).
#pragma once

#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "core/result.hpp"
#include "crypto/vault.hpp"
#include "storage/db.hpp"

namespace haven::vault {

// Every column that holds sealed values, with the id column its associated data names. A module that
// adds a sealed column adds it here (tests/…/rotation_test checks the accounts ones rotate).
struct SealedColumn {
    const char* table;
    const char* column;
};
const std::vector<SealedColumn>& sealed_columns();

struct RotationReport {
    uint32_t version = 0;
    int64_t resealed = 0;  // values moved to the current version now
    int64_t current = 0;   // values already there
    int64_t damaged = 0;   // values that did not open (left as they are, and reported)
};

Result<RotationReport> reseal_all(storage::Database& db, const crypto::Vault& vault, const audit::Recorder& audit);

}  // namespace haven::vault
