#include "storage/migrate.hpp"

#include <chrono>
#include <filesystem>
#include <map>
#include <stdexcept>

#include "core/log.hpp"

namespace haven::storage {
namespace {

constexpr const char* create_table =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::vector<Migration> migrations_for(const std::string& engine, std::span<const EmbeddedFile> files) {
    struct Parts {
        std::string name, common, sqlite, postgres;
        bool has_common = false, has_sqlite = false, has_postgres = false;
    };
    std::map<int, Parts> by_version;
    for (const auto& f : files) {
        std::string file(f.name);
        if (file.size() < 10 || file[4] != '_' || !ends_with(file, ".sql"))
            throw std::logic_error("migration file name must be NNNN_name.sql: " + file);
        int version = std::stoi(file.substr(0, 4));
        std::string stem = file.substr(5, file.size() - 9);
        Parts& p = by_version[version];
        if (ends_with(stem, ".sqlite")) {
            p.sqlite = f.data, p.has_sqlite = true, stem.resize(stem.size() - 7);
        } else if (ends_with(stem, ".postgres")) {
            p.postgres = f.data, p.has_postgres = true, stem.resize(stem.size() - 9);
        } else {
            p.common = f.data, p.has_common = true;
        }
        if (!p.name.empty() && p.name != stem) throw std::logic_error("two migrations share version " + std::to_string(version));
        p.name = stem;
    }
    std::vector<Migration> out;
    int expected = 1;
    for (auto& [version, p] : by_version) {
        if (version != expected) throw std::logic_error("migrations skip version " + std::to_string(expected));
        ++expected;
        Migration m{version, p.name, p.common};
        if (engine == "sqlite" && p.has_sqlite) m.sql += "\n" + p.sqlite;
        if (engine == "postgres" && p.has_postgres) m.sql += "\n" + p.postgres;
        out.push_back(std::move(m));
    }
    return out;
}

int schema_version(Database& db) {
    // The function cannot fail; a database error throws DbError.
    (void)db.write([](Tx& tx) -> Status {
        tx.exec_script(create_table);
        return {};
    });
    Rows r = db.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    return int(r.at(0).integer(0));
}

Result<int> migrate(Database& db, std::span<const EmbeddedFile> files) {
    auto all = migrations_for(db.engine(), files);
    const int latest = all.empty() ? 0 : all.back().version;
    const int current = schema_version(db);
    if (current > latest)
        return make_error(ErrorKind::conflict, "schema_too_new",
                          "The database is at schema version " + std::to_string(current) + ", newer than this Haven (" + std::to_string(latest) +
                              "). Run a newer Haven, or restore a backup.");
    int applied = 0;
    for (const auto& m : all) {
        if (m.version <= current) continue;
        Status s = db.write([&](Tx& tx) -> Status {
            // Another process may have migrated meanwhile (PostgreSQL: take a lock first; SQLite: the write lock).
            if (db.engine() == "postgres") tx.query("SELECT pg_advisory_xact_lock(7301)");
            Rows r = tx.query("SELECT COUNT(*) FROM schema_migrations WHERE version = $1", {int64_t(m.version)});
            if (r.at(0).integer(0) > 0) return {};
            tx.exec_script(m.sql);
            tx.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                    {int64_t(m.version), m.name,
                     int64_t(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count())});
            return {};
        });
        if (!s) return s.error();
        log::info("migration_applied", {{"version", m.version}, {"name", m.name}});
        ++applied;
    }
    return applied;
}

Result<int> migrate(Database& db, const UpgradeRule& rule) {
    const int latest = migrations_for(db.engine()).back().version;
    const int current = schema_version(db);
    if (current > 0 && current < latest && !rule.without_backup) {
        namespace fs = std::filesystem;
        const auto fresh_after = fs::file_time_type::clock::now() - std::chrono::hours(rule.fresh_hours);
        bool fresh = false;
        std::error_code ec;
        for (const auto& f : fs::directory_iterator(rule.backups_dir, ec))
            if (f.path().extension() == ".backup" && f.is_regular_file(ec) && f.last_write_time(ec) > fresh_after) fresh = true;
        if (!fresh)
            return make_error(ErrorKind::conflict, "backup_first",
                              "This Haven would change the database from schema version " + std::to_string(current) + " to " +
                                  std::to_string(latest) + ", and no backup was written in " + rule.backups_dir + " in the last " +
                                  std::to_string(rule.fresh_hours) +
                                  " hours. Write one first (haven backup --data DIR --keep 14, with the older Haven serving), or start "
                                  "with --migrate-without-backup true.",
                              "migrate-without-backup");
        log::info("migration_after_backup", {{"from", current}, {"to", latest}});
    }
    return migrate(db);
}

}  // namespace haven::storage
