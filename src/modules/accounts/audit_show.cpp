#include <map>

#include "core/dates.hpp"
#include "http/form.hpp"
#include "modules/accounts/handlers.hpp"
#include "web/widgets.hpp"

namespace haven::accounts {
Result<Response> audit_show(Request& request, Context& c) {
    HAVEN_TRY(query, http::Form::parse(request.query));
    const std::string account(query.get("account")), action(query.get("action")), from(query.get("from")), to(query.get("to"));
    const int64_t to_ms = day_start(to).value_or(0);
    HAVEN_TRY(lines, c.service.audit_log(*request.principal, account, action, day_start(from).value_or(0), to_ms ? to_ms + 24 * 3600 * 1000 : 0));
    auto ctx = web::page_context(request);
    return web::page(ctx, 200, "audit.title", [&](web::Html& h) {
        h.element("p", {}, ctx.t("audit.help"));
        auto alarms = c.service.read_alarms(*request.principal);
        // Each entry in its site's time zone; site-less ones (logins, key operations) in the reader's.
        const std::string home = c.service.home_zone(*request.principal);
        std::map<int64_t, std::string> zones;
        auto zone_of = [&](int64_t site) -> const std::string& {
            if (!site) return home;
            auto it = zones.find(site);
            return it != zones.end() ? it->second : zones.emplace(site, c.service.site_zone(site)).first->second;
        };
        if (!alarms.empty()) {
            h.element("h2", {}, ctx.t("audit.alarms"));
            h.element("ul", {{"class", "alarms"}, {"id", "alarms"}}, [&] {
                for (const auto& a : alarms)
                    h.element("li", {{"class", "notice error"}},
                              ctx.t(a.suspended ? "audit.alarm_suspended" : "audit.alarm", {{"name", a.username},
                                                                                            {"count", a.records},
                                                                                            {"minutes", a.window_ms / 60000},
                                                                                            {"time", web::site_time(a.raised_at, home)}}));
            });
        }
        h.element("form", {{"method", "get"}, {"action", "/audit"}, {"class", "filters"}}, [&] {
            web::field(h, ctx, "account", "audit.account", "text", account);
            web::field(h, ctx, "action", "audit.action", "text", action);
            web::field(h, ctx, "from", "audit.from", "date", from);
            web::field(h, ctx, "to", "audit.to", "date", to);
            h.element("button", {{"type", "submit"}}, ctx.t("audit.filter"));
        });
        h.element("table", {{"class", "list"}, {"id", "audit"}}, [&] {
            h.element("thead", {}, [&] {
                h.element("tr", {}, [&] {
                    for (const char* key : {"audit.seq", "audit.time", "audit.account", "audit.action", "audit.outcome"})
                        h.element("th", {{"scope", "col"}}, ctx.t(key));
                });
            });
            h.element("tbody", {}, [&] {
                for (const auto& l : lines) {
                    h.element("tr", {}, [&] {
                        h.element("td", {{"data-label", ctx.t("audit.seq")}}, std::to_string(l.entry.seq));
                        h.element("td", {{"data-label", ctx.t("audit.time")}}, web::site_time(l.entry.at, zone_of(l.entry.site_id)));
                        h.element("td", {{"data-label", ctx.t("audit.account")}}, l.who);
                        h.element("td", {{"data-label", ctx.t("audit.action")}}, l.entry.action);
                        h.element("td", {{"data-label", ctx.t("audit.outcome")}}, l.entry.outcome);
                    });
                }
            });
        });
    });
}

}  // namespace haven::accounts
