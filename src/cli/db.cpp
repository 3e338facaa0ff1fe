// haven db copy --data DIR --to URL [--db URL]: every row of the store (the configured db, or --db) into another, empty
// one — SQLite to PostgreSQL or back — values byte for byte. Stop `haven serve` first: rows written during the copy
// would be left behind. No key is needed: sealed values are copied as they are.
#include <chrono>
#include <iostream>

#include "cli/cli.hpp"
#include "cli/store_session.hpp"
#include "storage/backup.hpp"
#include "storage/migrate.hpp"

namespace haven::cli {

void add_db(CLI::App& app, int& exit_code) {
    auto* db = app.add_subcommand("db", "Move the store between databases.");
    db->require_subcommand(1);
    auto target = std::make_shared<std::string>();
    auto* copy = add_command(
        *db, "copy", "Copy every row of the store into another, empty database (SQLite <-> PostgreSQL).", exit_code, [target](const Config& config) {
            try {
                const auto started = std::chrono::steady_clock::now();
                // Neither store changes before the copy: the source must be at this Haven's schema (serving it once migrates it,
                // after a backup), and only a new, empty target is migrated.
                auto from = storage::open_database(config.db);
                const int latest = storage::migrations_for(from->engine()).back().version;
                if (const int v = storage::schema_version(*from); v != latest) {
                    std::cerr << "haven: the source is at schema version " << v << ", this Haven at " << latest
                              << ": copy with the Haven that serves it, or let this one migrate it first (haven serve, after a backup)\n";
                    return 1;
                }
                auto to = storage::open_database(*target);
                if (const int v = storage::schema_version(*to); v > latest) {
                    std::cerr << "haven: the target is at schema version " << v << ", newer than this Haven (" << latest << ")\n";
                    return 1;
                }
                if (storage::schema_version(*to) == 0)
                    if (auto m = storage::migrate(*to); !m) {
                        print_error(m.error());
                        return 1;
                    }
                auto copied = storage::copy_database(*from, *to);
                if (!copied) {
                    print_error(copied.error());
                    return 1;
                }
                const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
                std::cout << "Copied " << copied->rows << " rows of " << copied->tables << " tables from " << from->engine() << " to " << to->engine()
                          << " in " << ms << " ms.\n"
                          << "Serve from it with db = \"" << *target << "\" in " << config.data_dir << "/haven.toml (or --db).\n";
                return 0;
            } catch (const storage::DbError& e) {
                std::cerr << "haven: " << e.what() << "\n";
                return 1;
            }
        });
    copy->add_option("--to", *target, "the database to fill: sqlite:PATH or postgresql://… (must hold no records)")->required();
}

}  // namespace haven::cli
