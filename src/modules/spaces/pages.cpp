// Spaces pages: a site's spaces, a space's week (in the site's time zone, one column a day, usable on a
// phone: the days stack), and the booking form, which answers a clash with the nearest free slots.
#include <array>
#include <cctype>
#include <cstdio>

#include "core/dates.hpp"
#include "http/form.hpp"
#include "http/params.hpp"
#include "modules/spaces/handlers.hpp"
#include "web/widgets.hpp"

namespace haven::spaces {

using accounts::Action;
using accounts::may;
using http::form_body;
using http::id_param;
using web::field;
using web::notice;
using web::page_context;

namespace {

std::string two(int n) {
    char b[4];
    std::snprintf(b, sizeof b, "%02d", n % 100);
    return b;
}
std::string date_text(const WallTime& w) { return std::to_string(w.year) + "-" + two(w.month) + "-" + two(w.day); }
std::string hm(const WallTime& w) { return two(w.hour) + ":" + two(w.minute); }

// The Monday (00:00 local) of the week holding `ms`.
WallTime monday_of(int64_t ms, const std::string& zone) {
    WallTime w = to_wall(ms, zone);
    w = add_days(w, -weekday(w));
    w.hour = w.minute = 0;
    return w;
}

Response week_page(Request& request, Context& c, const Space& s, const WallTime& monday, int status, const std::string& message, const Clash* clash,
                   const std::string& date, const std::string& from, const std::string& to) {
    auto ctx = page_context(request);
    const int64_t start = from_wall(monday, s.time_zone), end = from_wall(add_days(monday, 7), s.time_zone);
    auto list = c.spaces.bookings(*request.principal, s.id, start, end);
    const std::string base = "/spaces/" + std::to_string(s.id);
    return web::page(ctx, status, "spaces.week_title", [&](web::Html& h) {
        h.element("h2", {{"id", "space-name"}}, s.name);
        h.element("p", {{"class", "small"}}, ctx.t("spaces.kind_" + s.kind) + " · " + s.time_zone);
        notice(h, message, clash || status >= 400);
        if (clash) {
            h.element("div", {{"class", "notice error"}, {"role", "alert"}, {"id", "clash"}}, [&] {
                const WallTime a = to_wall(clash->with.start, s.time_zone), b = to_wall(clash->with.end, s.time_zone);
                h.element("p", {}, ctx.t("spaces.clash", {{"time", date_text(a) + " " + hm(a) + "–" + hm(b)}, {"name", clash->with.booked_by}}));
                if (!clash->free.empty()) {
                    h.element("p", {}, ctx.t("spaces.free_slots"));
                    h.element("ul", {{"id", "free-slots"}}, [&] {
                        for (const auto& f : clash->free) {
                            const WallTime fa = to_wall(f.start, s.time_zone), fb = to_wall(f.end, s.time_zone);
                            h.element("li", {}, date_text(fa) + " " + hm(fa) + "–" + hm(fb));
                        }
                    });
                }
            });
        }
        h.element("p", {{"class", "actions"}}, [&] {
            h.element("a", {{"href", base + "?week=" + date_text(add_days(monday, -7))}}, ctx.t("spaces.previous_week"));
            h.text(" · ");
            h.element("a", {{"href", base + "?week=" + date_text(add_days(monday, 7))}}, ctx.t("spaces.next_week"));
        });
        h.element("div", {{"class", "week"}, {"id", "week"}}, [&] {
            // Wall times once per booking (ICU), then one column a day.
            struct Shown {
                const Booking* booking;
                WallTime start, end;
            };
            std::vector<Shown> shown;
            if (list)
                for (const auto& b : list.value()) shown.push_back({&b, to_wall(b.start, s.time_zone), to_wall(b.end, s.time_zone)});
            for (int d = 0; d < 7; ++d) {
                const WallTime day = add_days(monday, d);
                h.element("section", {{"class", "day"}}, [&] {
                    h.element("h3", {}, ctx.date(date_text(day), "day"));
                    h.element("ul", {}, [&] {
                        for (const auto& one : shown) {
                            const Booking& b = *one.booking;
                            const WallTime &a = one.start, &e = one.end;
                            if (a.year != day.year || a.month != day.month || a.day != day.day) continue;
                            h.element("li", {{"class", "booking"}}, [&] {
                                h.text(hm(a) + "–" + hm(e) + " · " + b.booked_by + " ");
                                if (!b.note.empty()) h.element("span", {{"class", "note"}}, b.note + " ");
                                if (b.booked_by != request.principal->username && !may(*request.principal, Action::spaces_manage, s.site_id)) return;
                                web::post_form(h, request, "/bookings/" + std::to_string(b.id) + "/cancel", {{"class", "inline"}}, [&] {
                                    h.element("button", {{"type", "submit"}, {"class", "link"}}, ctx.t("spaces.cancel"));
                                    if (b.recurring) {
                                        h.element("label", {}, [&] {
                                            h.empty("input", {{"type", "checkbox"}, {"name", "series"}, {"value", "1"}});
                                            h.text(" " + ctx.t("spaces.whole_series"));
                                        });
                                    }
                                });
                            });
                        }
                    });
                });
            }
        });
        // The space's calendar feed: an address a calendar app subscribes to (the API gives the same); managers
        // may replace it when it has leaked (the old one stops at once).
        if (auto token = c.spaces.feed_token(*request.principal, s.id)) {
            h.element("h2", {}, ctx.t("spaces.feed"));
            h.element("p", {{"class", "small"}}, ctx.t("spaces.feed_help"));
            h.element("p", {}, [&] { h.element("code", {{"id", "feed-url"}}, feed_url(request, c.secure, "/feeds/spaces/" + token.value())); });
            if (may(*request.principal, Action::spaces_manage, s.site_id))
                web::post_form(h, request, base + "/feed/rotate", {{"class", "inline"}, {"id", "feed-rotate"}}, [&] {
                    h.element("button", {{"type", "submit"}, {"class", "secondary"}}, ctx.t("spaces.feed_rotate"));
                });
        }
        if (!may(*request.principal, Action::bookings_make, s.site_id)) return;
        h.element("h2", {}, ctx.t("spaces.book"));
        web::post_form(h, request, base + "/bookings", {{"class", "stack"}, {"id", "book"}}, [&] {
            field(h, ctx, "date", "spaces.date", "date", date);
            field(h, ctx, "from", "spaces.from", "time", from);
            field(h, ctx, "to", "spaces.to", "time", to);
            web::select_field(
                h, ctx, "repeat", "spaces.repeat",
                {{"", ctx.t("spaces.repeat_none")}, {"daily", ctx.t("spaces.repeat_daily")}, {"weekly", ctx.t("spaces.repeat_weekly")}});
            field(h, ctx, "count", "spaces.count", "number", "1");
            field(h, ctx, "except", "spaces.except", "text");
            if (s.kind == "studio") field(h, ctx, "note", "spaces.note", "text");
            if (!format_hours(s.hours).empty()) h.element("p", {{"class", "small"}}, ctx.t("spaces.opening_hours") + " " + format_hours(s.hours));
            h.element("button", {{"type", "submit"}}, ctx.t("spaces.book_button"));
        });
    });
}

}  // namespace

namespace {
Response spaces_page(Request& request, Context& c, int64_t site, int status, const std::string& message) {
    auto list = c.spaces.spaces_at(*request.principal, site);
    auto ctx = page_context(request);
    return web::page(ctx, status, "spaces.title", [&](web::Html& h) {
        notice(h, message, status >= 400);
        if (list && list->empty()) h.element("p", {}, ctx.t("spaces.none"));
        h.element("ul", {{"class", "cards"}, {"id", "spaces"}}, [&] {
            for (const auto& s : list ? list.value() : std::vector<Space>{})
                h.element("li", {{"class", "card"}}, [&] {
                    h.element("h2", {}, [&] { h.element("a", {{"href", "/spaces/" + std::to_string(s.id)}}, s.name); });
                    h.element("p", {{"class", "small"}}, ctx.t("spaces.kind_" + s.kind) + (s.hours.always ? "" : " · " + format_hours(s.hours)));
                    if (!s.equipment.empty()) {
                        std::string e;
                        for (const auto& x : s.equipment) e += (e.empty() ? "" : ", ") + x;
                        h.element("p", {{"class", "small"}}, e);
                    }
                });
        });
        if (!may(*request.principal, Action::spaces_manage, site)) return;
        h.element("h2", {}, ctx.t("spaces.new"));
        web::post_form(h, request, "/sites/" + std::to_string(site) + "/spaces", {{"class", "stack"}, {"id", "new-space"}}, [&] {
            field(h, ctx, "name", "spaces.name", "text");
            web::select_field(h, ctx, "kind", "spaces.kind",
                              {{"room", ctx.t("spaces.kind_room")}, {"studio", ctx.t("spaces.kind_studio")}, {"desk", ctx.t("spaces.kind_desk")}});
            field(h, ctx, "equipment", "spaces.equipment", "text");
            field(h, ctx, "opening_hours", "spaces.hours", "text");
            h.element("p", {{"class", "small"}}, ctx.t("spaces.hours_help"));
            h.element("button", {{"type", "submit"}}, ctx.t("spaces.create"));
        });
    });
}
}  // namespace

Result<Response> spaces_show(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(list, c.spaces.spaces_at(*request.principal, site));  // 403 before anything is drawn
    (void)list;
    return spaces_page(request, c, site, 200, "");
}

Result<Response> space_save(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(form, form_body(request));
    auto ctx = page_context(request);
    Space s;
    s.site_id = site;
    s.name = form.get("name");
    s.kind = form.get("kind");
    // "2 cameras, lights": one item per comma.
    const std::string equipment(form.get("equipment"));
    for (size_t at = 0; at < equipment.size();) {
        size_t next = std::min(equipment.find(',', at), equipment.size());
        std::string item = equipment.substr(at, next - at);
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        if (!item.empty()) s.equipment.push_back(item);
        at = next + 1;
    }
    auto hours = parse_hours(form.get("opening_hours"));
    auto again = [&](const Error& e) { return web::show_again(request, e, [&] { return spaces_page(request, c, site, 200, ""); }); };
    if (!hours) return again(hours.error());
    s.hours = hours.value();
    auto made = c.spaces.create_space(*request.principal, s);
    if (!made) return again(made.error());
    return Response::redirect("/spaces/" + std::to_string(made->id));
}

Result<Response> space_show(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(s, c.spaces.space(*request.principal, id));
    HAVEN_TRY(query, http::Form::parse(request.query));
    int64_t at = c.spaces.now_ms();
    if (auto week = query.get("week"); !week.empty()) {
        auto t = local_instant(week, "12:00", s.time_zone);
        if (!t) return make_error(ErrorKind::bad_request, "bad_request", "week must be a date written YYYY-MM-DD.", "week");
        at = *t;
    }
    return week_page(request, c, s, monday_of(at, s.time_zone), 200, "", nullptr, "", "", "");
}

Result<Response> feed_rotate_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    const std::string back = "/spaces/" + std::to_string(id);
    if (auto ask = web::confirm_first(request, form, web::page_context(request).t("confirm.feed_rotate"), back)) return *ask;
    HAVEN_CHECK(c.spaces.rotate_feed(*request.principal, id));
    return Response::redirect(back + "#feed-url");
}

Result<Response> booking_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(s, c.spaces.space(*request.principal, id));
    HAVEN_TRY(form, form_body(request));
    const std::string date(form.get("date")), from(form.get("from")), to(form.get("to"));
    auto ctx = page_context(request);
    auto start = local_instant(date, from, s.time_zone), end = local_instant(date, to, s.time_zone);
    const WallTime shown = monday_of(start ? *start : c.spaces.now_ms(), s.time_zone);
    if (!start || !end) return week_page(request, c, s, shown, 422, ctx.t("spaces.bad_time"), nullptr, date, from, to);
    Recurrence rule;
    rule.freq = form.get("repeat");
    if (!rule.freq.empty()) {
        rule.count = std::atoi(std::string(form.get("count")).c_str());
        // Dates skipped, "2026-12-24 2026-12-31" (spaces or commas between them).
        std::string except(form.get("except"));
        for (char& ch : except)
            if (ch == ',') ch = ' ';
        for (size_t at = 0; at < except.size();) {
            const size_t next = std::min(except.find(' ', at), except.size());
            if (next > at) rule.except.push_back(except.substr(at, next - at));
            at = next + 1;
        }
    }
    auto booked = c.spaces.book(*request.principal, {id, *start, *end, rule, std::string(form.get("note"))});
    if (const Clash* clash = booked ? nullptr : clash_of(booked.error())) return week_page(request, c, s, shown, 409, "", clash, date, from, to);
    if (!booked) return web::show_again(request, booked.error(), [&] { return week_page(request, c, s, shown, 200, "", nullptr, date, from, to); });
    return Response::redirect("/spaces/" + std::to_string(id) + "?week=" + date);
}

Result<Response> booking_cancel(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    HAVEN_TRY(b, c.spaces.booking(*request.principal, id));
    HAVEN_TRY(s, c.spaces.space(*request.principal, b.space_id));
    const std::string week = "/spaces/" + std::to_string(b.space_id) + "?week=" + date_text(to_wall(b.start, s.time_zone));
    const bool series = !form.get("series").empty();
    if (auto ask = web::confirm_first(request, form,
                                      web::page_context(request).t(series ? "confirm.cancel_series" : "confirm.cancel_booking",
                                                                   {{"space", s.name}, {"when", date_text(to_wall(b.start, s.time_zone))}}),
                                      week))
        return *ask;
    if (auto done = c.spaces.cancel(*request.principal, id, !form.get("series").empty()); !done) return done.error();
    return Response::redirect("/spaces/" + std::to_string(b.space_id) + "?week=" + date_text(to_wall(b.start, s.time_zone)));
}

}  // namespace haven::spaces
