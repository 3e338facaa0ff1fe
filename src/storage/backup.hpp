// Backups: one file, encrypted, restorable on a new machine with the passphrase.
//
//   "HAVEN-BACKUP 1\n" ‖ u32 length ‖ vault.json ‖ secretstream header ‖ secretstream chunks
//
// The vault file travels inside (it holds only wrapped keys); the rows are JSON lines encrypted with
// libsodium's secretstream (XChaCha20-Poly1305) under the vault's backup subkey, with a final tag so a
// truncated file is refused. A backup is read back and checked right after it is written.
#pragma once

#include <cstdint>
#include <string>

#include <functional>
#include <memory>
#include "core/result.hpp"

namespace haven::crypto {
class SecretKey;
}
#include "storage/db.hpp"

namespace haven::storage {

struct BackupSummary {
    int64_t tables = 0, rows = 0, bytes = 0;
};

// Writes every table of `db` to `path` (through a temporary file, renamed when verified).
// The key a backup's rows are sealed under, from the caller (cli/backup.cpp hands the vault's backup subkey):
// storage knows nothing of the vault.
using BackupKey = std::function<std::unique_ptr<crypto::SecretKey>()>;

Result<BackupSummary> write_backup(Database& db, const BackupKey& key, const std::string& vault_file_text, const std::string& path);

// The vault file stored in a backup (to unseal with the passphrase before reading the rows).
Result<std::string> backup_vault_file(const std::string& path);

// Replaces every row of `db` (which must be migrated to the same schema version) by the backup's.
Result<BackupSummary> restore_backup(Database& db, const BackupKey& key, const std::string& path);

// `haven db copy`: every row of `from` into `to`, values byte for byte, in one transaction on `to` (a failure leaves it
// as it was). Both must be at the same schema version; a target holding any row but what the migrations seed is
// refused (409 target_not_empty). Ids are random (core/ids): there are no sequences to carry over.
Result<BackupSummary> copy_database(Database& from, Database& to);

}  // namespace haven::storage
