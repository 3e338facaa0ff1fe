#include "http/api.hpp"
#include "http/form.hpp"
#include "http/params.hpp"
#include "modules/spaces/handlers.hpp"

namespace haven::spaces {

using http::id_param;
using http::json_body;
using http::ok;
namespace json = boost::json;

namespace {

json::object space_json(const Space& s) {
    json::array equipment;
    for (const auto& e : s.equipment) equipment.emplace_back(e);
    return {{"id", s.id},
            {"site_id", s.site_id},
            {"kind", s.kind},
            {"name", s.name},
            {"time_zone", s.time_zone},
            {"equipment", equipment},
            {"opening_hours", format_hours(s.hours)}};
}

json::object occurrence_json(const Occurrence& o) { return {{"start", format_rfc3339(o.start)}, {"end", format_rfc3339(o.end)}}; }

}  // namespace

Result<int64_t> instant(const json::object& body, const char* name) {
    HAVEN_TRY(text, http::text(body, name, 40));
    auto ms = parse_rfc3339(text);
    if (!ms) return invalid(name, std::string(name) + " must be an RFC 3339 time such as 2026-12-01T10:00:00+01:00.");
    return *ms;
}

Result<Recurrence> recurrence_from(const json::object& body) {
    Recurrence r;
    const auto* v = body.if_contains("recurrence");
    if (!v || v->is_null()) return r;
    if (!v->is_object()) return invalid("recurrence", "recurrence must be an object {freq, interval, count | until, except}.");
    const auto& o = v->get_object();
    HAVEN_TRY(freq, http::text(o, "freq", 10));
    HAVEN_TRY(until, http::text(o, "until", 10));
    r.freq = freq;
    r.until = until;
    for (auto [name, target] : {std::pair{"interval", &r.interval}, std::pair{"count", &r.count}})
        if (const auto* n = o.if_contains(name); n && !n->is_null()) {
            if (!n->is_int64() || n->get_int64() < 0 || n->get_int64() > 1000)
                return invalid(std::string("recurrence.") + name, std::string("recurrence.") + name + " must be a small whole number.");
            *target = int(n->get_int64());
        }
    if (const auto* e = o.if_contains("except"); e && !e->is_null()) {
        if (!e->is_array() || e->get_array().size() > 400) return invalid("recurrence.except", "recurrence.except must be a list of dates.");
        for (const auto& d : e->get_array()) {
            if (!d.is_string()) return invalid("recurrence.except", "recurrence.except must be a list of dates.");
            r.except.emplace_back(d.get_string());
        }
    }
    return r;
}

Response clash_response(const Clash& clash) {
    json::array free;
    for (const auto& f : clash.free) free.push_back(occurrence_json(f));
    const auto& w = clash.with;
    return ok(
        409, json::object{
                 {"error", json::object{{"code", "conflict"},
                                        {"message", "The space is already booked from " + format_rfc3339(w.start) + " to " + format_rfc3339(w.end) +
                                                        " by " + w.booked_by + "."}}},
                 {"clash",
                  json::object{{"booking_id", w.id}, {"start", format_rfc3339(w.start)}, {"end", format_rfc3339(w.end)}, {"booked_by", w.booked_by}}},
                 {"wanted", occurrence_json(clash.wanted)},
                 {"free", free}});
}

Result<Response> api_space_create(Request& request, Context& c) {
    HAVEN_TRY(body, json_body(request));
    Space s;
    HAVEN_TRY(name, http::text(body, "name", 100));
    HAVEN_TRY(kind, http::text(body, "kind", 10));
    s.name = name;
    s.kind = kind;
    if (const auto* v = body.if_contains("site_id"); v && !v->is_null()) {
        if (!v->is_int64() || v->get_int64() <= 0) return invalid("site_id", "site_id must be a site's id.");
        s.site_id = v->get_int64();
    } else {
        for (const auto& r : request.principal->roles)
            if (accounts::role_allows(r.role, accounts::Action::spaces_manage)) s.site_id = s.site_id ? -1 : r.site_id;
        if (s.site_id <= 0) return invalid("site_id", "site_id is required: say which site the space belongs to.");
    }
    if (const auto* v = body.if_contains("equipment"); v && !v->is_null()) {
        if (!v->is_array()) return invalid("equipment", "equipment must be a list of strings.");
        for (const auto& e : v->get_array()) {
            if (!e.is_string()) return invalid("equipment", "equipment must be a list of strings.");
            s.equipment.emplace_back(e.get_string());
        }
    }
    HAVEN_TRY(hours_text, http::text(body, "opening_hours", 200));
    HAVEN_TRY(hours, parse_hours(hours_text));
    s.hours = hours;
    HAVEN_TRY(created, c.spaces.create_space(*request.principal, s));
    return ok(201, space_json(created));
}

std::string feed_url(const Request& request, bool secure, const std::string& path) {
    return std::string(secure ? "https://" : "http://") + std::string(request.header("Host")) + path;
}

Result<Response> api_space(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(s, c.spaces.space(*request.principal, id));
    HAVEN_TRY(token, c.spaces.feed_token(*request.principal, id));
    json::object out = space_json(s);
    out["ical_url"] = feed_url(request, c.secure, "/feeds/spaces/" + token);
    return ok(200, out);
}

Result<Response> api_space_hours(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(text, http::text(body, "opening_hours", 200));
    HAVEN_TRY(hours, parse_hours(text));
    if (auto s = c.spaces.set_hours(*request.principal, id, hours); !s) return s.error();
    return ok(200, json::object{{"opening_hours", format_hours(hours)}});
}

Result<Response> api_feed_rotate(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(token, c.spaces.rotate_feed(*request.principal, id));
    return ok(200, json::object{{"ical_url", feed_url(request, c.secure, "/feeds/spaces/" + token)}});
}

Result<Response> feed_show(Request& request, Context& c) {
    auto feed = c.spaces.feed(request.params.at("token"));
    if (!feed) return make_error(ErrorKind::not_found, "not_found", "There is nothing at this address.");
    return Response::text(200, std::move(*feed), "text/calendar; charset=utf-8");
}

Result<Response> api_spaces(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(list, c.spaces.spaces_at(*request.principal, site));
    return http::items(list, space_json);
}

Result<Response> api_booking_create(Request& request, Context& c) {
    HAVEN_TRY(body, json_body(request));
    BookingInput in;
    const auto* space = body.if_contains("space_id");
    if (!space || !space->is_int64() || space->get_int64() <= 0) return invalid("space_id", "space_id must be a space's id.");
    in.space_id = space->get_int64();
    HAVEN_TRY(start, instant(body, "start"));
    HAVEN_TRY(end, instant(body, "end"));
    HAVEN_TRY(rule, recurrence_from(body));
    HAVEN_TRY(note, http::text(body, "note", 1000));
    in.start = start;
    in.end = end;
    in.recurrence = rule;
    in.note = note;
    auto booked = c.spaces.book(*request.principal, in);
    if (const Clash* clash = booked ? nullptr : clash_of(booked.error())) return clash_response(*clash);
    if (!booked) return booked.error();
    json::array ids;
    for (int64_t id : booked->ids) ids.emplace_back(id);
    return ok(201, json::object{{"id", booked->ids.front()}, {"series_id", booked->series_id}, {"ids", ids}});
}

Result<Response> api_bookings(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(query, http::Form::parse(request.query));
    auto from = parse_rfc3339(query.get("from")), to = parse_rfc3339(query.get("to"));
    if (!from) return invalid("from", "from must be an RFC 3339 time.");
    if (!to) return invalid("to", "to must be an RFC 3339 time.");
    HAVEN_TRY(list, c.spaces.bookings(*request.principal, id, *from, *to));
    json::array out;
    for (const auto& b : list)
        out.push_back(json::object{{"id", b.id},
                                   {"series_id", b.series_id},
                                   {"start", format_rfc3339(b.start)},
                                   {"end", format_rfc3339(b.end)},
                                   {"booked_by", b.booked_by}});
    return ok(200, json::object{{"items", out}});
}

Result<Response> api_booking_cancel(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(query, http::Form::parse(request.query));
    if (auto s = c.spaces.cancel(*request.principal, id, query.get("series") == "true"); !s) return s.error();
    return ok(200, json::object{{"cancelled", true}});
}

}  // namespace haven::spaces
