// Every URL Haven serves, in one place. A test dumps this table to tests/golden/routes.txt, so a
// change of URL shows in review.
#include "app/app.hpp"
#include "modules/home/handlers.hpp"
#include "modules/system/handlers.hpp"

namespace haven {

void add_routes(App& app) {
    auto& r = app.router_;
    auto& db = *app.db_;
    const Clock& clock = app.clock_;
    const bool secure = app.config_.secure_cookies;
    home::Installation installation{db, clock, app.started_ms_};

    // Machines
    r.get("/healthz", [](http::Request& q) { return system::health_show(q); });
    r.get("/metrics", [&m = app.metrics_](http::Request& q) { return system::metrics_show(q, m); });
    r.get("/assets/{file}", [](http::Request& q) { return system::asset_show(q); });

    // Pages
    r.get("/", [installation](http::Request& q) { return home::home_show(q, installation); });
    r.post("/language", [secure](http::Request& q) { return home::language_save(q, secure); });

    // Test-only (config test-routes = true): the durability probe of the crash test and benchmarks.
    if (app.config_.test_routes) {
        r.post("/api/v1/test/writes", [&db, &clock](http::Request& q) { return system::probe_save(q, db, clock); });
        r.get("/api/v1/test/writes/{id}", [&db](http::Request& q) { return system::probe_show(q, db); });
    }
}

}  // namespace haven
