// One Haven process: configuration, database, routes, pipeline and server wired together.
// Used by `haven serve` and by the integration tests (which boot it in-process on port 0).
#pragma once

#include <memory>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/result.hpp"
#include "crypto/vault.hpp"
#include "http/metrics.hpp"
#include "http/pipeline.hpp"
#include "http/router.hpp"
#include "http/transport/server.hpp"
#include "modules/accounts/gate.hpp"
#include "modules/accounts/handlers.hpp"
#include "modules/casework/handlers.hpp"
#include "modules/centre/handlers.hpp"
#include "modules/network/handlers.hpp"
#include "modules/people/handlers.hpp"
#include "modules/prisoners/handlers.hpp"
#include "modules/reports/handlers.hpp"
#include "modules/spaces/handlers.hpp"
#include "modules/vault/handlers.hpp"
#include "storage/db.hpp"

namespace haven {

class App {
public:
    // Opens the database, applies migrations (refusing a newer schema) and builds the routes.
    static Result<std::unique_ptr<App>> create(const Config& config, const Clock& clock);
    ~App();

    // Binds (port 0 picks a free one) and returns the port.
    uint16_t listen();
    void start();             // serves on background threads
    void run_until_signal();  // serves on this thread
    void stop();

    const Config& config() const { return config_; }
    storage::Database& db() { return *db_; }
    const http::Router& router() const { return router_; }
    http::Pipeline& pipeline() { return *pipeline_; }
    accounts::Service& accounts() { return accounts_->service; }
    people::Service& people() { return people_->service; }
    prisoners::FundService& funds() { return prisoners_->funds; }
    casework::Service& casework() { return casework_->service; }
    centre::Service& centre() { return centre_->service; }
    network::Service& network() { return network_->service; }
    network::Doorbells& doorbells() { return network_->doorbells; }
    crypto::Vault& vault() { return *vault_; }

private:
    App(const Config& config, const Clock& clock) : config_(config), clock_(clock) {}
    Config config_;
    const Clock& clock_;
    int64_t started_ms_ = 0;
    std::unique_ptr<storage::Database> db_;
    std::unique_ptr<crypto::Vault> vault_;
    std::unique_ptr<audit::Recorder> audit_;
    std::unique_ptr<vault::Context> vault_context_;
    // Each module is built from what it uses (modules/<name>/handlers.hpp); destroyed in reverse order.
    std::unique_ptr<accounts::Module> accounts_;
    std::unique_ptr<people::Module> people_;
    std::unique_ptr<casework::Module> casework_;
    std::unique_ptr<spaces::Module> spaces_;
    std::unique_ptr<centre::Module> centre_;
    std::unique_ptr<network::Module> network_;
    std::unique_ptr<prisoners::Module> prisoners_;
    std::unique_ptr<reports::Module> reports_;
    // Several processes on one PostgreSQL: what another announces (publications, a panic seal, a new key version).
    std::unique_ptr<storage::Listener> listener_;
    http::Metrics metrics_;
    http::Router router_;
    std::unique_ptr<http::Pipeline> pipeline_;
    std::unique_ptr<http::Server> server_;

    friend void add_routes(App& app);
};

// src/app/routes.cpp: the one file that lists every URL.
void add_routes(App& app);

}  // namespace haven
