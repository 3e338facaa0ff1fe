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
                auto from = storage::open_database(config.db);
                auto to = storage::open_database(*target);
                if (auto m = storage::migrate(*from, {backups_dir(config), config.migrate_without_backup}); !m) {
                    print_error(m.error());
                    return 1;
                }
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
