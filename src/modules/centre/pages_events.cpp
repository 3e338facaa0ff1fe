// Events: registration, the guest's QR code, check-in by code or by name at the door, and the headcount button.
#include "modules/centre/pages.hpp"
#include "web/assets.hpp"

namespace haven::centre {

Result<Response> events_show(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(list, c.centre.events_at(*request.principal, site));
    auto ctx = page_context(request);
    return web::page(ctx, 200, "events.title", [&](web::Html& h) {
        if (list.empty()) h.element("p", {}, ctx.t("events.none"));
        h.element("ul", {{"class", "cards"}, {"id", "events"}}, [&] {
            for (const auto& e : list)
                h.element("li", {{"class", "card"}}, [&] {
                    h.element("h2", {}, [&] { h.element("a", {{"href", url("/events/", e.id)}}, e.title); });
                    h.element("p", {{"class", "small"}}, local_text(e.start, e.time_zone));
                    h.element("p", {},
                              e.capacity ? ctx.t("events.places", {{"taken", std::to_string(e.registered)}, {"all", std::to_string(e.capacity)}})
                                         : ctx.t("events.drop_in"));
                });
        });
        if (!may(*request.principal, Action::events_manage, site)) return;
        h.element("h2", {}, ctx.t("events.new"));
        web::post_form(h, request, url("/sites/", site, "/events"), {{"class", "stack"}, {"id", "new-event"}}, [&] {
            field(h, ctx, "title", "events.event_title", "text");
            field(h, ctx, "date", "spaces.date", "date");
            field(h, ctx, "from", "spaces.from", "time");
            field(h, ctx, "to", "spaces.to", "time");
            field(h, ctx, "capacity", "events.capacity", "number", "0");
            h.element("p", {{"class", "small"}}, ctx.t("events.capacity_help"));
            h.element("button", {{"type", "submit"}}, ctx.t("events.create"));
        });
    });
}

Result<Response> event_save(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(form, form_body(request));
    auto zone = c.centre.site_zone(site);
    auto start = spaces::local_instant(form.get("date"), form.get("from"), zone), end = spaces::local_instant(form.get("date"), form.get("to"), zone);
    auto again = [&](const Error& e) { return web::show_again(request, e, [&] { return events_show(request, c); }); };
    if (!start || !end) return again(invalid("date", "date, from and to must give a day and two times.", "time"));
    auto e = c.centre.create_event(*request.principal, {site, *start, *end, number(form.get("capacity")), std::string(form.get("title"))});
    if (!e) return again(e.error());
    return back(url("/events/", e->id));
}

namespace {
Response event_page(Request& request, Context& c, const Event& e, int status, const std::string& message) {
    auto ctx = page_context(request);
    const Principal& me = *request.principal;
    const bool manage = may(me, Action::events_manage, e.site_id), door = may(me, Action::events_checkin, e.site_id);
    auto guests = manage || door ? c.centre.registrations(me, e.id) : Result<std::vector<Registration>>(std::vector<Registration>{});
    return web::page(ctx, status, "events.event_page", [&](web::Html& h) {
        h.element("h2", {{"id", "event-title"}}, e.title);
        h.element("p", {{"class", "small"}}, local_text(e.start, e.time_zone) + " – " + local_text(e.end, e.time_zone));
        notice(h, message, status >= 400);
        h.element("p", {{"id", "event-figures"}},
                  (e.capacity ? ctx.t("events.places", {{"taken", std::to_string(e.registered)}, {"all", std::to_string(e.capacity)}}) + " · " +
                                    ctx.t("events.checked_in", {{"count", std::to_string(e.checked_in)}}) + " · "
                              : "") +
                      ctx.t("events.headcount", {{"count", std::to_string(e.headcount)}}));
        if (door) {
            if (e.capacity) {
                h.element("h2", {}, ctx.t("events.check_in"));
                web::post_form(h, request, url("/events/", e.id, "/check-in"), {{"class", "stack"}, {"id", "check-in"}}, [&] {
                    field(h, ctx, "code", "events.code", "text");
                    // On a phone: the ticket through the camera (app.js; jsQR, loaded on the first press). The typed
                    // code stays the way without JavaScript or a camera.
                    h.element("p", {{"class", "js-only"}}, [&] {
                        h.element("button",
                                  {{"type", "button"},
                                   {"class", "secondary"},
                                   {"id", "scan-ticket"},
                                   {"data-jsqr", web::asset_url("jsQR.js")},
                                   {"data-stop", ctx.t("events.scan_stop")},
                                   {"data-unavailable", ctx.t("events.scan_unavailable")}},
                                  ctx.t("events.scan"));
                    });
                    h.element("video",
                              {{"id", "scan-video"}, {"class", "scan"}, {"playsinline", "playsinline"}, {"muted", "muted"}, {"hidden", "hidden"}},
                              "");
                    h.element("p", {{"class", "small"}}, ctx.t("events.code_help"));
                    h.element("button", {{"type", "submit"}}, ctx.t("events.check_in_button"));
                });
            }
            web::post_form(h, request, url("/events/", e.id, "/headcount"), {{"class", "inline"}, {"id", "headcount"}}, [&] {
                h.empty("input", {{"type", "hidden"}, {"name", "count"}, {"value", "1"}});
                h.element("button", {{"type", "submit"}, {"class", "secondary"}}, ctx.t("events.one_more"));
            });
        }
        if (!guests) return;
        if (!guests->empty()) h.element("h2", {}, ctx.t("events.guests"));
        h.element("ul", {{"class", "people"}, {"id", "guests"}}, [&] {
            for (const auto& g : guests.value())
                h.element("li", {{"class", g.status}}, [&] {
                    h.text(g.name + (g.person_id ? "" : " (" + ctx.t("events.visitor") + ")") + " · " + ctx.t("events.status_" + g.status));
                    if (g.checked_in_at) h.text(" · " + ctx.t("events.arrived", {{"time", local_text(g.checked_in_at, e.time_zone).substr(11)}}));
                    h.text(" ");
                    if (door && g.status == "registered" && !g.checked_in_at)
                        button_form(h, request, url("/events/", e.id, "/check-in"), ctx.t("events.check_in_button"), "secondary",
                                    {{"registration_id", std::to_string(g.id)}});
                    if (manage) {
                        h.element("a", {{"href", url("/registrations/", g.id, "/ticket")}}, ctx.t("events.ticket"));
                        h.text(" ");
                        button_form(h, request, url("/registrations/", g.id, "/cancel"), ctx.t("events.cancel"), "link");
                    }
                });
        });
        if (!manage || !e.capacity) return;
        h.element("h2", {}, ctx.t("events.register_visitor"));
        web::post_form(h, request, url("/events/", e.id, "/registrations"), {{"class", "stack"}, {"id", "register-visitor"}}, [&] {
            field(h, ctx, "first_name", "events.first_name", "text");
            h.element("p", {{"class", "small"}}, ctx.t("events.first_name_help"));
            h.element("button", {{"type", "submit"}, {"class", "secondary"}}, ctx.t("events.register"));
        });
    });
}
}  // namespace

Result<Response> event_show(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(e, c.centre.event(*request.principal, id));
    return event_page(request, c, e, 200, "");
}

Result<Response> guest_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    auto made = c.centre.register_for(*request.principal, id, 0, std::string(form.get("first_name")));
    if (!made) return web::show_again(request, made.error(), [&] { return event_show(request, c); });
    return back(url("/registrations/", made->first.id, "/ticket"));
}

Result<Response> person_register(Request& request, Context& c) {
    HAVEN_TRY(person, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    auto made = c.centre.register_for(*request.principal, number(form.get("event_id")), person, "");
    if (!made) return web::show_again(request, made.error(), [&] { return c.person_page(request); });
    return back(url("/registrations/", made->first.id, "/ticket"));
}

Result<Response> guest_cancel(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    const int64_t event = c.centre.event_of_registration(id);
    HAVEN_TRY(promoted, c.centre.cancel_registration(*request.principal, id));
    (void)promoted;
    return back(url("/events/", event));
}

Result<Response> guest_ticket(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(code, c.centre.code_of(*request.principal, id));
    HAVEN_TRY(e, c.centre.event(*request.principal, c.centre.event_of_registration(id)));
    HAVEN_TRY(guests, c.centre.registrations(*request.principal, e.id));
    auto ctx = page_context(request);
    std::string name, status;
    for (const auto& g : guests)
        if (g.id == id) name = g.name, status = g.status;
    return web::page(ctx, 200, "events.ticket", [&](web::Html& h) {
        h.element("h2", {}, e.title);
        h.element("p", {}, local_text(e.start, e.time_zone) + " · " + name + " · " + ctx.t("events.status_" + status));
        web::qr_code(h, code, ctx.t("events.qr_label"));
        h.element("p", {{"class", "small"}}, [&] {
            h.text(ctx.t("events.code_text") + " ");
            h.element("code", {{"id", "ticket-code"}}, code);
        });
        h.element("p", {{"class", "small"}}, ctx.t("events.ticket_help"));
        h.element("p", {}, [&] { h.element("a", {{"href", url("/events/", e.id)}}, ctx.t("events.back")); });
    });
}

Result<Response> check_in_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(e, c.centre.event(*request.principal, id));
    HAVEN_TRY(form, form_body(request));
    auto ctx = page_context(request);
    const std::string code(form.get("code"));
    const int64_t registration = form.get("registration_id").empty() ? 0 : number(form.get("registration_id"));
    if (code.empty() && registration <= 0) return event_page(request, c, e, 422, ctx.t("events.code_missing"));
    auto r = c.centre.check_in(*request.principal, id, code, registration);
    HAVEN_TRY(fresh, c.centre.event(*request.principal, id));
    if (!r) {
        return event_page(request, c, fresh, http::status_for(r.error().kind), web::localized(ctx, r.error()));
    }
    return event_page(request, c, fresh, 200, ctx.t("events.welcome", {{"name", r->name}}));
}

Result<Response> headcount_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    HAVEN_TRY(total, c.centre.add_headcount(*request.principal, id, number(form.get("count"))));
    (void)total;
    return back(url("/events/", id));
}

}  // namespace haven::centre
