// One Haven process: configuration, database, routes, pipeline and server wired together.
// Used by `haven serve` and by the integration tests (which boot it in-process on port 0).
#pragma once

#include <memory>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/result.hpp"
#include "http/metrics.hpp"
#include "http/pipeline.hpp"
#include "http/router.hpp"
#include "http/transport/server.hpp"
#include "modules/accounts/gate.hpp"
#include "crypto/vault.hpp"
#include "modules/accounts/handlers.hpp"
#include "modules/casework/handlers.hpp"
#include "modules/centre/handlers.hpp"
#include "modules/network/handlers.hpp"
#include "modules/people/handlers.hpp"
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
    void start();               // serves on background threads
    void run_until_signal();    // serves on this thread
    void stop();

    const Config& config() const { return config_; }
    storage::Database& db() { return *db_; }
    const http::Router& router() const { return router_; }
    http::Pipeline& pipeline() { return *pipeline_; }
    accounts::Service& accounts() { return *accounts_; }
    people::Service& people() { return *people_; }
    casework::Service& casework() { return *casework_; }
    centre::Service& centre() { return *centre_; }
    network::Service& network() { return *network_; }
    network::Doorbells& doorbells() { return *doorbells_; }
    crypto::Vault& vault() { return *vault_; }

private:
    App(const Config& config, const Clock& clock) : config_(config), clock_(clock) {}
    Config config_;
    const Clock& clock_;
    int64_t started_ms_ = 0;
    std::unique_ptr<storage::Database> db_;
    std::unique_ptr<crypto::Vault> vault_;
    std::unique_ptr<vault::Context> vault_context_;
    std::unique_ptr<accounts::Service> accounts_;
    std::unique_ptr<accounts::Gate> gate_;
    std::unique_ptr<accounts::Context> accounts_context_;
    std::unique_ptr<people::Service> people_;
    std::unique_ptr<people::Importer> importer_;
    std::unique_ptr<people::Context> people_context_;
    std::unique_ptr<casework::Service> casework_;
    std::unique_ptr<casework::Context> casework_context_;
    std::unique_ptr<spaces::Service> spaces_;
    std::unique_ptr<spaces::Context> spaces_context_;
    std::unique_ptr<centre::Service> centre_;
    std::unique_ptr<centre::Context> centre_context_;
    std::unique_ptr<network::Service> network_;
    std::unique_ptr<network::Doorbells> doorbells_;
    std::unique_ptr<network::Context> network_context_;
    http::Metrics metrics_;
    http::Router router_;
    std::unique_ptr<http::Pipeline> pipeline_;
    std::unique_ptr<http::Server> server_;

    friend void add_routes(App& app);
};

// src/app/routes.cpp: the one file that lists every URL.
void add_routes(App& app);

}  // namespace haven
