#include "cli/store_session.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>

#include "storage/migrate.hpp"

namespace haven::cli {

int with_store(const Config& config, const std::function<int(StoreSession&)>& body, bool migrate) {
    if (!std::filesystem::is_directory(config.data_dir)) {
        std::cerr << "haven: no data directory at " << config.data_dir << "; run `haven init` first\n";
        return 2;
    }
    try {
        StoreSession s;
        s.db = storage::open_database(config.db);
        if (auto m = migrate ? storage::migrate(*s.db, {backups_dir(config), config.migrate_without_backup}) : Result<int>(0); !m) {
            std::cerr << "haven: " << m.error().message << "\n";
            return 1;
        }
        s.vault = std::make_unique<crypto::Vault>(config.data_dir + "/vault.json", s.clock);
        // Changes are audited, and audit entries are signed: the vault must be open for them.
        if (!config.passphrase_file.empty()) {
            auto passphrase = read_secret_file(config.passphrase_file).value_or("");
            if (auto u = s.vault->unseal_with_passphrase(passphrase); !u) {
                std::cerr << "haven: the passphrase file does not open the vault\n";
                return 2;
            }
        }
        s.audit = std::make_unique<audit::Recorder>(*s.vault, s.clock);
        s.accounts = std::make_unique<accounts::Service>(modules::Shared{*s.db, *s.vault, s.clock, *s.audit});
        return body(s);
    } catch (const storage::DbError& e) {
        std::cerr << "haven: " << e.what() << "\n";
        return 1;
    } catch (const crypto::VaultSealed&) {
        std::cerr << "haven: this command is audited and needs the vault open: give --passphrase-file F\n";
        return 2;
    }
}

void print_error(const Error& e) {
    std::cerr << "haven: " << e.message;
    if (!e.field.empty()) std::cerr << " (" << e.field << ")";
    std::cerr << "\n";
}

}  // namespace haven::cli
