// Numbered migrations embedded in the binary (src/storage/migrations/NNNN_name.sql, with
// NNNN_name.sqlite.sql / NNNN_name.postgres.sql only where the DDL must differ). Each runs in one
// transaction together with its row in schema_migrations.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/embedded.hpp"
#include "core/result.hpp"
#include "storage/db.hpp"

namespace haven::storage {

struct Migration {
    int version = 0;
    std::string name;
    std::string sql;  // for the engine asked for
};

// The migrations for `engine` ("sqlite" or "postgres") in order; throws std::logic_error on a gap or a
// malformed file name (a build mistake).
std::vector<Migration> migrations_for(const std::string& engine, std::span<const EmbeddedFile> files = migration_files());

// Applies what is missing. Refuses (Error "schema_too_new") a database newer than this binary.
Result<int> migrate(Database& db, std::span<const EmbeddedFile> files = migration_files());

// The upgrade path: an existing store (schema version above 0) is migrated only when a backup was written into
// `backups_dir` (where `haven backup` puts them) within the last `fresh_hours`, or when `without_backup` says so
// (setting migrate-without-backup). Else 409 "backup_first", naming the setting; nothing is changed.
struct UpgradeRule {
    std::string backups_dir;
    bool without_backup = false;
    int fresh_hours = 24;
};
Result<int> migrate(Database& db, const UpgradeRule& rule);

// The highest version applied, 0 for an empty database.
int schema_version(Database& db);

}  // namespace haven::storage
