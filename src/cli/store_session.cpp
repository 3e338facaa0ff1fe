#include "cli/store_session.hpp"

#include <filesystem>
#include <iostream>

#include "storage/migrate.hpp"

namespace haven::cli {

int with_store(const Config& config, const std::function<int(StoreSession&)>& body) {
    if (!std::filesystem::is_directory(config.data_dir)) {
        std::cerr << "haven: no data directory at " << config.data_dir << "; run `haven init` first\n";
        return 2;
    }
    try {
        StoreSession s;
        s.db = storage::open_database(config.db);
        if (auto m = storage::migrate(*s.db); !m) {
            std::cerr << "haven: " << m.error().message << "\n";
            return 1;
        }
        s.vault = std::make_unique<crypto::Vault>(config.data_dir + "/vault.json", s.clock);
        s.accounts = std::make_unique<accounts::Service>(*s.db, *s.vault, s.clock);
        return body(s);
    } catch (const storage::DbError& e) {
        std::cerr << "haven: " << e.what() << "\n";
        return 1;
    }
}

void print_error(const Error& e) {
    std::cerr << "haven: " << e.message;
    if (!e.field.empty()) std::cerr << " (" << e.field << ")";
    std::cerr << "\n";
}

}  // namespace haven::cli
