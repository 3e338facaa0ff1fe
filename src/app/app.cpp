#include "app/app.hpp"

#include <sys/resource.h>

#include <filesystem>
#include <fstream>

#include "audit/audit.hpp"
#include "core/log.hpp"
#include "crypto/random.hpp"
#include "http/cookies.hpp"
#include "modules/reports/pages.hpp"
#include "modules/system/handlers.hpp"
#include "storage/migrate.hpp"
#include "web/i18n.hpp"
#include "web/layout.hpp"

namespace haven {
namespace {

// Each connection is a file descriptor (and a waiting member device holds one): raises the soft limit towards the
// hard one, and lowers max-connections, with a warning, when the system allows fewer. Keeps 256 for the database,
// logs and outgoing doorbells.
int open_files_for(int max_connections) {
    constexpr rlim_t spare = 256;
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return max_connections;
    const rlim_t wanted = rlim_t(max_connections) + spare;
    if (limit.rlim_cur < wanted) {
        limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
        (void)setrlimit(RLIMIT_NOFILE, &limit);
        (void)getrlimit(RLIMIT_NOFILE, &limit);
    }
    if (limit.rlim_cur >= wanted) return max_connections;
    const int allowed = limit.rlim_cur > spare * 2 ? int(limit.rlim_cur - spare) : int(limit.rlim_cur / 2);
    log::warn("max_connections_lowered", {{"configured", max_connections}, {"allowed", allowed}, {"open_files_limit", int64_t(limit.rlim_cur)}});
    return allowed;
}

std::string choose_locale(const http::Request& request) {
    const auto& messages = web::Messages::shipped();
    if (auto chosen = http::find_cookie(request.header("Cookie"), "haven_lang"); chosen && messages.supports(*chosen)) return *chosen;
    if (auto negotiated = messages.negotiate(request.header("Accept-Language")); !negotiated.empty()) return negotiated;
    return "en";
}

}  // namespace

Result<std::unique_ptr<App>> App::create(const Config& config, const Clock& clock) {
    std::unique_ptr<App> app(new App(config, clock));
    if (log::Level level; log::parse_level(config.log_level, level)) log::set_level(level);
    app->started_ms_ = clock.now_ms();
    storage::DbOptions options;
    options.pool_size = config.db_pool;
    options.group_commit = config.group_commit;
    try {
        app->db_ = storage::open_database(config.db, options);
    } catch (const storage::DbError& e) {
        return make_error(ErrorKind::unavailable, "db_unavailable", e.what(), "db");
    }
    auto migrated = storage::migrate(*app->db_, {backups_dir(config), config.migrate_without_backup});
    if (!migrated) return migrated.error();

    app->vault_ = std::make_unique<crypto::Vault>(config.data_dir + "/vault.json", clock);
    if (!app->vault_->exists())
        return make_error(ErrorKind::unavailable, "no_vault", "There is no vault in " + config.data_dir + ": run `haven init` first.", "data");
    std::string seal_token;
    if (std::ifstream in(config.data_dir + "/seal-token"); in) std::getline(in, seal_token);
    app->audit_ = std::make_unique<audit::Recorder>(*app->vault_, clock);
    app->vault_context_.reset(
        new vault::Context{*app->vault_, seal_token, *app->db_, *app->audit_,
                           std::make_unique<vault::UnsealThrottle>(clock, *app->db_, crypto::token_file(config.data_dir + "/unseal-throttle-key")),
                           config.data_dir, config.peers});
    if (!config.passphrase_file.empty()) {
        auto passphrase = read_secret_file(config.passphrase_file);
        if (!passphrase || passphrase->empty())
            return make_error(ErrorKind::invalid, "bad_config", "Cannot read the passphrase file.", "passphrase-file");
        if (auto s = app->vault_->unseal_with_passphrase(*passphrase); !s)
            return make_error(ErrorKind::invalid, "bad_config", "The passphrase file does not open the vault.", "passphrase-file");
        (void)app->db_->write([&](storage::Tx& tx) -> Status {
            app->audit_->record(tx, {"vault.unseal"});
            return {};
        });
    }

    const modules::Shared shared{*app->db_, *app->vault_, clock, *app->audit_};
    app->accounts_ = std::make_unique<accounts::Module>(shared, config);
    auto& accounts = app->accounts_->service;
    app->people_ = std::make_unique<people::Module>(shared, accounts, config);
    app->vault_->on_seal([&accounts, &searches = app->people_->searches] {
        accounts.end_all_sessions();
        searches.clear();
    });
    app->casework_ = std::make_unique<casework::Module>(shared, accounts, app->people_->service);
    app->spaces_ = std::make_unique<spaces::Module>(shared, accounts, config.secure_cookies);
    app->centre_ = std::make_unique<centre::Module>(shared, accounts, app->people_->service, app->spaces_->service, config.secure_cookies);
    app->prisoners_ = std::make_unique<prisoners::Module>(shared, accounts);
    app->reports_ = std::make_unique<reports::Module>(shared, accounts);
    // Breakdowns of the people registered open their records (the reports module does not know people).
    app->reports_->reports.set_profiles([p = &app->people_->service](storage::Tx& tx, const std::vector<int64_t>& sites, int64_t from_ms,
                                                                     int64_t to_ms, size_t most) -> Result<std::vector<reports::Profile>> {
        HAVEN_TRY(found, p->profiles(tx, sites, from_ms, to_ms, most));
        std::vector<reports::Profile> out;
        out.reserve(found.size());
        for (auto& f : found) out.push_back({f.site_id, f.created_at, std::move(f.birth_date), std::move(f.nationality)});
        return out;
    });
    // A site's dashboard says what its grants have due in the next 60 days, to those who may see grants.
    app->casework_->context.dashboard_sections = [g = &app->reports_->grants](web::Html& h, const web::PageContext& ctx, const http::Request& q,
                                                                              int64_t site) {
        if (!accounts::may(*q.principal, accounts::Action::grants_view, site)) return;
        auto due = g->due(*q.principal, site, 60);
        if (!due) return;
        h.element("h2", {}, ctx.t("grants.due"));
        reports::due_list(h, ctx, *due, g->today());
    };
    app->people_->context.sections = [cc = &app->casework_->context, ce = &app->centre_->context](web::Html& h, const web::PageContext& ctx,
                                                                                                  const http::Request& q, const people::Person& p) {
        casework::person_sections(h, ctx, q, *cc, p);
        centre::person_sections(h, ctx, q, *ce, p);
    };
    auto person_page = [pc = &app->people_->context](http::Request& q) { return people::person_show(q, *pc); };
    app->casework_->context.person_page = person_page;
    app->centre_->context.person_page = person_page;
    HAVEN_TRY(network, network::Module::create(shared, accounts, config));
    app->network_ = std::move(network);
    app->listener_ = storage::listen(config.db, {network::Service::published_channel, vault::sealed_channel, vault::keys_channel},
                                     [n = &app->network_->service, v = app->vault_.get()](const std::string& channel) {
                                         // "": the connection was lost and is back; a panic seal missed meanwhile reaches
                                         // this process through `peers` (vault/handlers.cpp) — see docs/OPERATIONS.md.
                                         if (channel == network::Service::published_channel || channel.empty()) n->heard_published();
                                         if (channel == vault::sealed_channel && !v->sealed()) v->seal();  // audited where it began
                                         if (channel == vault::keys_channel || channel.empty()) v->reread_key_version();
                                     });
    add_routes(*app);
    web::set_navigation([](const Principal& who) {
        std::vector<web::NavItem> items = {{"/sites", "nav.sites"}};
        if (accounts::may(who, accounts::Action::people_open, std::nullopt)) items.push_back({"/people", "nav.people"});
        if (who.holds_anywhere(Role::legal_adviser)) items.push_back({"/deadlines", "nav.deadlines"});
        if (accounts::may(who, accounts::Action::counselling_write, std::nullopt)) items.push_back({"/counselling", "nav.counselling"});
        if (who.holds_anywhere(Role::volunteer)) {
            items.push_back({"/tasks", "nav.tasks"});
            items.push_back({"/volunteer", "nav.volunteer"});
        }
        if (accounts::may(who, accounts::Action::prisoners_view, std::nullopt)) items.push_back({"/prisoners", "nav.prisoners"});
        if (accounts::may(who, accounts::Action::letters_write, std::nullopt)) items.push_back({"/write", "nav.write"});
        if (accounts::may(who, accounts::Action::funds_view, std::nullopt)) items.push_back({"/funds", "nav.funds"});
        if (accounts::may(who, accounts::Action::reports_view, std::nullopt)) items.push_back({"/reports", "nav.reports"});
        if (accounts::may(who, accounts::Action::grants_view, std::nullopt)) items.push_back({"/grants", "nav.grants"});
        if (accounts::may(who, accounts::Action::templates_manage, std::nullopt)) items.push_back({"/templates", "nav.templates"});
        if (accounts::may(who, accounts::Action::audit_view, std::nullopt)) items.push_back({"/audit", "nav.audit"});
        items.push_back({"/account", "nav.account"});
        return items;
    });
    for (const auto& r : app->router_.routes())
        if (r.access != system::metrics_access && !accounts::known_access(r.access))
            throw std::logic_error("route " + r.pattern + " has an unknown access rule " + r.access);

    auto* db = app->db_.get();
    app->metrics_.add_gauge("haven_db_pool_size", "Database connections in the read pool.", [db] { return double(db->stats().pool_size); });
    app->metrics_.add_gauge("haven_db_pool_in_use", "Database connections in use.", [db] { return double(db->stats().pool_in_use); });
    app->metrics_.add_gauge("haven_db_write_queue_depth", "Writes waiting for the SQLite writer.", [db] { return double(db->stats().write_queue); });
    app->metrics_.add_gauge("haven_db_commits", "Transactions committed since start (a group counts once).",
                            [db] { return double(db->stats().commits); });
    // What docs/monitoring/haven-alerts.yml watches: sealed (nobody can work), doorbells waiting (the network's alerts
    // not reaching members), the newest scheduled backup's age (the timer stopped).
    app->metrics_.add_gauge("haven_vault_sealed", "1 while the vault is sealed.", [v = app->vault_.get()] { return v->sealed() ? 1.0 : 0.0; });
    app->metrics_.add_gauge("haven_doorbell_rings_waiting", "Doorbell rings waiting, every channel together.", [d = &app->network_->doorbells] {
        double n = 0;
        for (const auto& q : d->queues()) n += double(q.depth);
        return n;
    });
    app->metrics_.add_gauge("haven_doorbell_oldest_ring_seconds", "Age of the oldest doorbell ring waiting (0: none).",
                            [d = &app->network_->doorbells] {
                                int64_t oldest = 0;
                                for (const auto& q : d->queues()) oldest = std::max(oldest, q.oldest_ms);
                                return double(oldest) / 1000.0;
                            });
    app->metrics_.add_gauge("haven_backup_newest_age_seconds", "Age of the newest backup in DATA/backups (-1: none).", [dir = backups_dir(config)] {
        std::error_code ec;
        auto newest = std::filesystem::file_time_type::min();
        for (const auto& f : std::filesystem::directory_iterator(dir, ec))
            if (f.path().extension() == ".backup") newest = std::max(newest, f.last_write_time(ec));
        if (newest == std::filesystem::file_time_type::min()) return -1.0;
        return std::chrono::duration<double>(std::filesystem::file_time_type::clock::now() - newest).count();
    });

    http::PipelineHooks hooks;
    hooks.choose_locale = choose_locale;
    hooks.error_page = [](const http::Request& q, int status, const Error& e) {
        return e.code == "sealed" ? vault::sealed_page(q) : web::error_page(q, status, e);
    };
    hooks.hsts = config.secure_cookies;
    hooks.expected_failure = [](const std::exception& e) -> std::optional<Error> {
        // Sealed while the request ran (here, or by a panic seal announced from another process).
        if (dynamic_cast<const crypto::VaultSealed*>(&e))
            return make_error(ErrorKind::unavailable, "sealed", "Haven is sealed. An operator must unseal it.");
        const auto* db = dynamic_cast<const storage::DbError*>(&e);
        if (!db || db->kind() != storage::DbError::Kind::constraint) return std::nullopt;
        return make_error(ErrorKind::conflict, "conflict", "Someone changed this at the same moment. Reload and try again.");
    };
    for (size_t at = 0; at < config.trusted_proxies.size();) {
        size_t end = config.trusted_proxies.find(',', at);
        if (end == std::string::npos) end = config.trusted_proxies.size();
        std::string one = config.trusted_proxies.substr(at, end - at);
        one.erase(0, one.find_first_not_of(' '));
        one.erase(one.find_last_not_of(' ') + 1);
        if (!one.empty()) hooks.trusted_proxies.push_back(one);
        at = end + 1;
    }
    auto* gate = &app->accounts_->gate;
    auto* vault = app->vault_.get();
    // The metrics answer their own token (Prometheus' bearer_token_file), sealed or not, and nothing else.
    // Sealed: only the routes marked `.while_sealed()` in routes.cpp answer.
    hooks.gate = [gate, vault, metrics_token = system::metrics_token(config.data_dir)](http::Request& q, const http::Route& route) -> Status {
        if (q.access == system::metrics_access) return system::check_metrics_token(q, metrics_token);
        if (vault->sealed() && !route.sealed_ok) {
            Error e = make_error(ErrorKind::unavailable, "sealed", "Haven is sealed. An operator must unseal it.");
            return e;
        }
        return gate->check(q);
    };
    hooks.after = [gate](const http::Request& q, http::Response& r) { gate->after(q, r); };
    app->pipeline_ = std::make_unique<http::Pipeline>(app->router_, app->metrics_, hooks);

    http::ServerLimits limits;
    limits.workers = config.workers;
    limits.max_connections = open_files_for(config.max_connections);
    limits.max_queue = config.max_queue;
    limits.max_body_bytes_in_flight = size_t(config.body_memory_mb) * 1024 * 1024;
    auto* pipeline = app->pipeline_.get();
    app->server_ = std::make_unique<http::Server>(
        limits, http::ServerHooks{
                    [pipeline](http::Request& q) { return pipeline->handle(q); },
                    [pipeline](int status, const std::string& code, const std::string& message) { return pipeline->reject(status, code, message); },
                    [pipeline](std::string_view method, std::string_view target) { return pipeline->body_limit(method, target); },
                    [pipeline](const http::Request& q) { return pipeline->admits_large_body(q); }});
    auto* server = app->server_.get();
    app->metrics_.add_gauge("haven_http_connections_open", "Open client connections.", [server] { return double(server->stats().open_connections); });
    app->metrics_.add_gauge("haven_http_queue_depth", "Requests waiting for or in a handler.",
                            [server] { return double(server->stats().queued_requests); });
    app->metrics_.add_gauge("haven_http_body_bytes_in_flight", "Request body bytes being read or handled (bounded by body-memory-mb).",
                            [server] { return double(server->stats().body_bytes_in_flight); });
    app->metrics_.add_gauge("haven_http_parked", "Long polls waiting for a publication (no thread held).",
                            [server] { return double(server->stats().parked_requests); });
    return app;
}

App::~App() { stop(); }

uint16_t App::listen() {
    uint16_t port = server_->listen(config_.listen_host, config_.listen_port);
    log::info("listening", {{"host", config_.listen_host}, {"port", int(port)}, {"db", db_->engine()}});
    return port;
}

void App::start() { server_->start(); }
void App::run_until_signal() { server_->run_until_signal(); }
void App::stop() {
    if (server_) server_->stop();
}

}  // namespace haven
