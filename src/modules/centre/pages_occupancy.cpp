// The month's occupancy of a site, and one's own calendar feed.
#include "modules/centre/pages.hpp"

namespace haven::centre {

Result<Response> occupancy_show(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(query, http::Form::parse(request.query));
    HAVEN_TRY(o, c.centre.occupancy(*request.principal, site, std::string(query.get("month"))));
    auto ctx = page_context(request);
    auto hours = [](int64_t minutes) { return std::to_string(minutes / 60) + (minutes % 60 >= 30 ? ".5" : ""); };
    return web::page(ctx, 200, "occupancy.title", [&](web::Html& h) {
        h.element("form", {{"method", "get"}, {"class", "filters"}}, [&] {
            field(h, ctx, "month", "occupancy.month", "month", o.month);
            h.element("button", {{"type", "submit"}, {"class", "secondary"}}, ctx.t("desks.show"));
        });
        const std::pair<const char*, std::string> rows[] = {
            {"occupancy.desks", std::to_string(o.desks)},
            {"occupancy.desk_days", std::to_string(o.desk_days_used) + " / " + std::to_string(o.desk_days_available) +
                                        (o.desk_days_available ? " (" + std::to_string(o.desk_days_used * 100 / o.desk_days_available) + " %)" : "")},
            {"occupancy.studio_hours", hours(o.studio_minutes)},
            {"occupancy.room_hours", hours(o.room_minutes)},
            {"occupancy.sessions", std::to_string(o.sessions)},
            {"occupancy.attendance", std::to_string(o.present) + " / " + std::to_string(o.marked)},
            {"occupancy.events", std::to_string(o.events)},
            {"occupancy.registered", std::to_string(o.registered)},
            {"occupancy.checked_in", std::to_string(o.checked_in)},
            {"occupancy.headcount", std::to_string(o.headcount)},
        };
        h.element("dl", {{"class", "facts"}, {"id", "occupancy"}}, [&] {
            for (const auto& [key, value] : rows) {
                h.element("dt", {}, ctx.t(key));
                h.element("dd", {}, value);
            }
        });
    });
}

// ---- One's own calendar ----

Result<Response> own_feed_show(Request& request, Context& c) {
    HAVEN_TRY(feed, c.centre.own_feed(*request.principal, std::nullopt, false));
    auto ctx = page_context(request);
    return web::page(ctx, 200, "feed.title", [&](web::Html& h) {
        h.element("p", {}, ctx.t("feed.help"));
        h.element("p", {}, [&] { h.element("code", {{"id", "feed-url"}}, spaces::feed_url(request, c.secure, "/feeds/people/" + feed.first)); });
        web::post_form(h, request, "/account/feed", {{"class", "stack"}, {"id", "feed"}}, [&] {
            h.element("div", {{"class", "field check"}}, [&] {
                if (feed.second)
                    h.empty("input", {{"id", "show_names"}, {"name", "show_names"}, {"type", "checkbox"}, {"value", "1"}, {"checked", "checked"}});
                else
                    h.empty("input", {{"id", "show_names"}, {"name", "show_names"}, {"type", "checkbox"}, {"value", "1"}});
                h.element("label", {{"for", "show_names"}}, ctx.t("feed.show_names"));
            });
            h.element("button", {{"type", "submit"}, {"class", "secondary"}}, ctx.t("feed.save"));
        });
        button_form(h, request, "/account/feed/rotate", ctx.t("feed.rotate"), "danger");
        h.element("p", {{"class", "small"}}, ctx.t("feed.rotate_help"));
    });
}

Result<Response> own_feed_save(Request& request, Context& c) {
    HAVEN_TRY(form, form_body(request));
    HAVEN_TRY(feed, c.centre.own_feed(*request.principal, !form.get("show_names").empty(), false));
    (void)feed;
    return back("/account/feed");
}

Result<Response> own_feed_rotate(Request& request, Context& c) {
    HAVEN_TRY(feed, c.centre.own_feed(*request.principal, std::nullopt, true));
    (void)feed;
    return back("/account/feed");
}

}  // namespace haven::centre
