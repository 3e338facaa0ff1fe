// haven backup  --data DIR [--keep 14]                     asks the running server (DATA/seal-token, loopback) for one
//                                                           into DATA/backups, keeping the newest 14: the timer's command
// haven backup  --data DIR --passphrase-file F --out FILE    offline: one encrypted file, read back before it is kept
// haven restore --data DIR --passphrase-file F --in FILE [--db URL]   onto a new machine, or over this one
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "audit/audit.hpp"
#include "cli/store_session.hpp"
#include "crypto/random.hpp"
#include "storage/backup.hpp"
#include "storage/migrate.hpp"

namespace haven::cli {

void add_backup(CLI::App& app, int& exit_code) {
    auto out_path = std::make_shared<std::string>();
    auto keep = std::make_shared<int>(14);
    auto* backup = add_command(app, "backup",
                               "Write an encrypted, verified backup of everything: through the running server into DATA/backups "
                               "(--keep N), or, with --out FILE and --passphrase-file, from the store directly.",
                               exit_code, [out_path, keep](const Config& config) {
                                   if (out_path->empty()) {
                                       const auto r =
                                           post_to_server(config, "/api/v1/vault/backup", "{\"keep\":" + std::to_string(*keep) + "}", 3600);
                                       return report(r, ("Backup written and verified: " + r.second).c_str());
                                   }
                                   return with_store(
                                       config,
                                       [&](StoreSession& s) {
                                           std::ifstream in(config.data_dir + "/vault.json");
                                           std::stringstream vault_text;
                                           vault_text << in.rdbuf();
                                           // An export of everything: audited first (the entry is in the backup too).
                                           (void)s.db->write([&](storage::Tx& tx) -> Status {
                                               s.audit->record(tx, {"backup.write"});
                                               return {};
                                           });
                                           auto summary = storage::write_backup(
                                               *s.db, [&] { return s.vault->subkey(crypto::KeyPurpose::backup); }, vault_text.str(), *out_path);
                                           if (!summary) {
                                               print_error(summary.error());
                                               return 1;
                                           }
                                           std::cout << "Backup written and verified: " << *out_path << " (" << summary->tables << " tables, "
                                                     << summary->rows << " rows, " << summary->bytes << " bytes).\n";
                                           return 0;
                                       },
                                       /*migrate=*/false);
                               });
    backup->add_option("--out", *out_path, "backup file to write (offline, with --passphrase-file); without it the running server writes one");
    backup->add_option("--keep", *keep, "through the server: keep the newest N backups in DATA/backups (default 14)")->check(CLI::Range(1, 1000));

    auto in_path = std::make_shared<std::string>();
    auto* restore =
        add_command(app, "restore", "Restore a backup with the passphrase (replaces every row).", exit_code, [in_path](const Config& config) {
            if (config.passphrase_file.empty()) {
                std::cerr << "haven: setting 'passphrase-file' is required to open the backup\n";
                return 2;
            }
            auto vault_text = storage::backup_vault_file(*in_path);
            if (!vault_text) {
                print_error(vault_text.error());
                return 1;
            }
            std::filesystem::create_directories(config.data_dir);
            ::chmod(config.data_dir.c_str(), 0700);
            const std::string vault_path = config.data_dir + "/vault.json";
            if (std::filesystem::exists(vault_path)) {
                std::ifstream in(vault_path);
                std::stringstream current;
                current << in.rdbuf();
                if (current.str() != vault_text.value() && current.str() != vault_text.value() + "\n") {
                    std::cerr << "haven: this data directory has another vault; restore into an empty one\n";
                    return 2;
                }
            } else {
                std::ofstream(vault_path) << vault_text.value();
                std::ofstream(config.data_dir + "/seal-token") << crypto::random_token() << "\n";
            }
            return with_store(config, [&](StoreSession& s) {
                if (s.vault->sealed()) {
                    std::cerr << "haven: the passphrase does not open the backup's vault\n";
                    return 2;
                }
                auto summary = storage::restore_backup(
                    *s.db, [&] { return s.vault->subkey(crypto::KeyPurpose::backup); }, *in_path);
                if (!summary) {
                    print_error(summary.error());
                    return 1;
                }
                (void)s.db->write([&](storage::Tx& tx) -> Status {
                    s.audit->record(tx, {"backup.restore"});
                    return {};
                });
                std::cout << "Restored " << summary->tables << " tables, " << summary->rows << " rows.\n";
                return 0;
            });
        });
    restore->add_option("--in", *in_path, "backup file to restore")->required();
}

}  // namespace haven::cli
