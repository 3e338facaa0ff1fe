// What the commands that change accounts and sites work with: the store and the accounts service.
#pragma once

#include <memory>

#include "cli/cli.hpp"
#include "core/clock.hpp"
#include "crypto/vault.hpp"
#include "modules/accounts/service.hpp"
#include "storage/db.hpp"

namespace haven::cli {

struct StoreSession {
    SystemClock clock;
    std::unique_ptr<storage::Database> db;
    std::unique_ptr<crypto::Vault> vault;  // sealed: these commands need no key
    std::unique_ptr<audit::Recorder> audit;
    std::unique_ptr<accounts::Service> accounts;
};

void print_error(const Error& e);

}  // namespace haven::cli
