// haven init --data DIR [--db URL]: creates the data directory and the store (idempotent).
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/cli.hpp"
#include "storage/db.hpp"
#include "storage/migrate.hpp"

namespace haven::cli {

void add_init(CLI::App& app, int& exit_code) {
    add_command(app, "init", "Create the data directory and the database (safe to run again).", exit_code, [](const Config& config) -> int {
        std::error_code ec;
        std::filesystem::create_directories(config.data_dir, ec);
        if (ec) {
            std::cerr << "haven: cannot create the data directory: " << ec.message() << "\n";
            return 1;
        }
        // Only the service account may read what Haven writes.
        ::chmod(config.data_dir.c_str(), 0700);
        const auto toml = std::filesystem::path(config.data_dir) / "haven.toml";
        if (!std::filesystem::exists(toml)) {
            std::ofstream out(toml);
            out << "# Haven settings. A flag (--key) or HAVEN_KEY in the environment overrides each of them.\n"
                   "# listen = \"127.0.0.1:8080\"\n# db = \"sqlite:" << config.data_dir << "/haven.db\"\n# workers = 8\n";
        }
        try {
            auto db = storage::open_database(config.db);
            auto migrated = storage::migrate(*db);
            if (!migrated) {
                std::cerr << "haven: " << migrated.error().message << "\n";
                return 1;
            }
            std::cout << "Haven data in " << config.data_dir << " (" << db->engine() << ", schema version "
                      << storage::schema_version(*db) << ").\n";
        } catch (const storage::DbError& e) {
            std::cerr << "haven: " << e.what() << "\n";
            return 1;
        }
        return 0;
    });
}

}  // namespace haven::cli
