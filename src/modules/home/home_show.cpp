#include "modules/home/handlers.hpp"
#include "storage/migrate.hpp"
#include "web/layout.hpp"

namespace haven::home {

Result<Response> home_show(Request& request, const Installation& inst) {
    web::PageContext ctx{request, web::Messages::shipped(), {}};
    const int64_t schema = storage::schema_version(inst.db);
    const int64_t minutes = (inst.clock.now_ms() - inst.started_ms) / 60000;
    return web::page(ctx, 200, "home.title", [&](web::Html& h) {
        h.element("p", {{"class", "lead"}}, ctx.t("home.lead"));
        h.element("h2", {}, ctx.t("home.status_heading"));
        h.element("div", {{"class", "card"}}, [&] {
            h.element("ul", {}, [&] {
                h.element("li", {}, ctx.t("home.engine", {{"engine", inst.db.engine() == "sqlite" ? "SQLite" : "PostgreSQL"}}));
                h.element("li", {{"id", "schema"}}, ctx.t("home.schema", {{"count", schema}}));
                h.element("li", {}, ctx.t("home.uptime", {{"minutes", minutes}}));
            });
        });
        h.element("h2", {}, ctx.t("home.start_heading"));
        h.element("p", {{"id", "start"}}, ctx.t("home.start"));
        h.element("p", {}, [&] { h.element("a", {{"href", "/login"}, {"class", "button"}}, ctx.t("home.sign_in")); });
    });
}

}  // namespace haven::home
