// haven init --data DIR [--db URL]: creates the data directory and the store (idempotent).
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/cli.hpp"
#include "core/clock.hpp"
#include "crypto/random.hpp"
#include "crypto/vault.hpp"
#include "storage/db.hpp"
#include "storage/migrate.hpp"

namespace haven::cli {

namespace {

int operators_k = 0, operators_n = 0;

// Writes a secret readable by the service account only.
bool write_secret(const std::string& path, const std::string& value) {
    std::ofstream out(path, std::ios::trunc);
    out << value << "\n";
    out.close();
    ::chmod(path.c_str(), 0600);
    if (!out) std::cerr << "haven: cannot write " << path << "\n";
    return bool(out);
}

}  // namespace

void add_init(CLI::App& app, int& exit_code) {
    auto* cmd =
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
                       "# listen = \"127.0.0.1:8080\"\n# db = \"sqlite:"
                    << config.data_dir << "/haven.db\"\n# workers = 8\n";
            }
            SystemClock clock;
            crypto::Vault vault(config.data_dir + "/vault.json", clock);
            if (!vault.exists()) {
                auto created = vault.create(true, operators_k, operators_n);
                if (!created) {
                    std::cerr << "haven: " << created.error().message << "\n";
                    return 1;
                }
                if (!write_secret(config.data_dir + "/seal-token", crypto::random_token())) return 1;
                const std::string passphrase_file = config.passphrase_file.empty() ? config.data_dir + "/unseal-passphrase" : config.passphrase_file;
                if (!write_secret(passphrase_file, created->passphrase)) return 1;
                std::cout << "Vault created. Unseal passphrase (shown once; also written to " << passphrase_file << "):\n  " << created->passphrase
                          << "\n"
                          << "On a real server, move that file off the machine: whoever reads it can unseal Haven.\n";
                for (size_t i = 0; i < created->operator_files.size(); ++i) {
                    const std::string f = config.data_dir + "/operator-key-" + std::to_string(i + 1) + ".txt";
                    if (!write_secret(f, created->operator_files[i])) return 1;
                    std::cout << "Operator key file " << (i + 1) << " of " << operators_n << ": " << f
                              << " — give it to one operator and delete it here.\n";
                }
            }
            // Prometheus reads /metrics with this token (bearer_token_file); made here too for older data directories.
            if (!std::filesystem::exists(config.data_dir + "/metrics-token") &&
                !write_secret(config.data_dir + "/metrics-token", crypto::random_token()))
                return 1;
            try {
                auto db = storage::open_database(config.db);
                auto migrated = storage::migrate(*db, {backups_dir(config), config.migrate_without_backup});
                if (!migrated) {
                    std::cerr << "haven: " << migrated.error().message << "\n";
                    return 1;
                }
                std::cout << "Haven data in " << config.data_dir << " (" << db->engine() << ", schema version " << storage::schema_version(*db)
                          << ").\n";
            } catch (const storage::DbError& e) {
                std::cerr << "haven: " << e.what() << "\n";
                return 1;
            }
            return 0;
        });
    cmd->add_option("--operators-k", operators_k, "operator key files needed to unseal (with --operators-n)");
    cmd->add_option("--operators-n", operators_n, "operator key files to create (k-of-n), besides the passphrase");
}

}  // namespace haven::cli
