#include "http/api.hpp"
#include "http/form.hpp"
#include "http/params.hpp"
#include "modules/centre/common.hpp"
#include "modules/centre/handlers.hpp"
#include "modules/spaces/handlers.hpp"

namespace haven::centre {

using http::id_param;
using http::items;
using http::json_body;
using http::ok;
using spaces::format_rfc3339;
namespace json = boost::json;

namespace {

// A positive id member; 0 when absent and not required.
Result<int64_t> id_in(const json::object& body, const char* name, bool required = true) {
    const auto* v = body.if_contains(name);
    if ((!v || v->is_null()) && !required) return int64_t(0);
    if (!v || !v->is_int64() || v->get_int64() <= 0) return invalid(name, std::string(name) + " must be an id (a positive whole number).");
    return v->get_int64();
}

Result<int64_t> number_in(const json::object& body, const char* name, int64_t fallback) {
    const auto* v = body.if_contains(name);
    if (!v || v->is_null()) return fallback;
    if (!v->is_int64()) return invalid(name, std::string(name) + " must be a whole number.");
    return v->get_int64();
}

json::value holding_json(const Holding& h) {
    return json::object{{"allocation_id", h.id}, {"desk_id", h.desk_id}, {"desk", h.desk}, {"person_id", h.person_id},
                        {"person", h.person},    {"from", h.from},       {"to", h.to}};
}

json::object course_json(const Course& c) {
    return {{"id", c.id},
            {"site_id", c.site_id},
            {"title", c.title},
            {"language", c.language},
            {"level", c.level},
            {"capacity", c.capacity},
            {"teacher_id", c.teacher_id},
            {"teacher", c.teacher},
            {"space_id", c.space_id},
            {"enrolled", c.enrolled},
            {"waitlisted", c.waiting}};
}

json::object session_json(const Session& s) {
    return {{"id", s.id}, {"start", format_rfc3339(s.start)}, {"end", format_rfc3339(s.end)}, {"present", s.present}, {"marked", s.marked}};
}

json::object enrolment_json(const Enrolment& e) {
    return {{"id", e.id},         {"course_id", e.course_id}, {"person_id", e.person_id},
            {"person", e.person}, {"status", e.status},       {"attended", e.attended}};
}

json::object event_json(const Event& e) {
    return {{"id", e.id},
            {"site_id", e.site_id},
            {"title", e.title},
            {"start", format_rfc3339(e.start)},
            {"end", format_rfc3339(e.end)},
            {"capacity", e.capacity},
            {"registered", e.registered},
            {"waitlisted", e.waiting},
            {"checked_in", e.checked_in},
            {"headcount", e.headcount}};
}

json::object registration_json(const Registration& r) {
    return {{"id", r.id},
            {"event_id", r.event_id},
            {"person_id", r.person_id},
            {"name", r.name},
            {"status", r.status},
            {"checked_in_at", r.checked_in_at ? json::value(format_rfc3339(r.checked_in_at)) : json::value(nullptr)}};
}

}  // namespace

Result<Response> api_desks(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(query, http::Form::parse(request.query));
    HAVEN_TRY(d, c.centre.desks(*request.principal, site, std::string(query.get("date"))));
    json::array desks, waitlist;
    for (const auto& k : d.desks)
        desks.push_back(json::object{{"id", k.id}, {"name", k.name}, {"held", k.held ? holding_json(*k.held) : json::value(nullptr)}});
    for (const auto& w : d.waitlist)
        waitlist.push_back(json::object{{"id", w.id}, {"person_id", w.person_id}, {"person", w.person}, {"since", format_rfc3339(w.since)}});
    return ok(200, json::object{{"date", d.date}, {"free", d.free()}, {"desks", desks}, {"waitlist", waitlist}});
}

Result<Response> api_desk_allocate(Request& request, Context& c) {
    HAVEN_TRY(desk, id_param(request, "id"));
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(person, id_in(body, "person_id"));
    HAVEN_TRY(from, http::text(body, "from", 10));
    HAVEN_TRY(to, http::text(body, "to", 10));
    HAVEN_TRY(id, c.centre.allocate(*request.principal, desk, person, from, to));
    return ok(201, json::object{{"id", id}});
}

Result<Response> api_desk_release(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(site, c.centre.release(*request.principal, id));
    (void)site;
    return ok(200, json::object{{"released", true}});
}

Result<Response> api_desk_wait(Request& request, Context& c) {
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(person, id_in(body, "person_id"));
    HAVEN_TRY(id, c.centre.wait_for_desk(*request.principal, person));
    return ok(201, json::object{{"id", id}});
}

Result<Response> api_desk_unwait(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(site, c.centre.leave_waitlist(*request.principal, id));
    (void)site;
    return ok(200, json::object{{"removed", true}});
}

Result<Response> api_course_create(Request& request, Context& c) {
    HAVEN_TRY(body, json_body(request));
    CourseInput in;
    HAVEN_TRY(site, id_in(body, "site_id"));
    HAVEN_TRY(title, http::text(body, "title", 100));
    HAVEN_TRY(language, http::text(body, "language", 3));
    HAVEN_TRY(level, http::text(body, "level", 2));
    HAVEN_TRY(capacity, number_in(body, "capacity", 0));
    HAVEN_TRY(teacher, id_in(body, "teacher_id", false));
    HAVEN_TRY(space, id_in(body, "space_id", false));
    in = {site, teacher, capacity, space, title, language, level};
    HAVEN_TRY(course, c.centre.create_course(*request.principal, in));
    return ok(201, course_json(course));
}

Result<Response> api_course(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(course, c.centre.course(*request.principal, id));
    HAVEN_TRY(sessions, c.centre.sessions(*request.principal, id));
    json::object out = course_json(course);
    json::array list;
    for (const auto& s : sessions) list.push_back(session_json(s));
    out["sessions"] = list;
    return ok(200, out);
}

Result<Response> api_courses(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(list, c.centre.courses_at(*request.principal, site));
    return items(list, course_json);
}

Result<Response> api_sessions_add(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(start, spaces::instant(body, "start"));
    HAVEN_TRY(end, spaces::instant(body, "end"));
    HAVEN_TRY(rule, spaces::recurrence_from(body));
    auto added = c.centre.add_sessions(*request.principal, id, start, end, rule);
    if (const spaces::Clash* clash = added ? nullptr : spaces::clash_of(added.error())) return spaces::clash_response(*clash);
    if (!added) return added.error();
    json::array ids;
    for (int64_t s : added.value()) ids.emplace_back(s);
    return ok(201, json::object{{"ids", ids}});
}

Result<Response> api_enrolments(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(list, c.centre.enrolments(*request.principal, id));
    return items(list, enrolment_json);
}

Result<Response> api_enrol(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(person, id_in(body, "person_id"));
    HAVEN_TRY(e, c.centre.enrol(*request.principal, id, person));
    return ok(201, enrolment_json(e));
}

Result<Response> api_leave(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(promoted, c.centre.leave(*request.principal, id));
    return ok(200, json::object{{"left", true}, {"promoted", promoted ? json::value(enrolment_json(*promoted)) : json::value(nullptr)}});
}

Result<Response> api_attendance(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(body, json_body(request));
    const auto* v = body.if_contains("present");
    if (!v || !v->is_array()) return invalid("present", "present must be a list of enrolment ids.");
    std::vector<int64_t> present;
    for (const auto& e : v->get_array()) {
        if (!e.is_int64() || e.get_int64() <= 0) return invalid("present", "present must be a list of enrolment ids.");
        present.push_back(e.get_int64());
    }
    if (auto s = c.centre.mark(*request.principal, id, present); !s) return s.error();
    HAVEN_TRY(session, c.centre.session(*request.principal, id));
    return ok(200, session_json(session));
}

Result<Response> api_event_create(Request& request, Context& c) {
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(site, id_in(body, "site_id"));
    HAVEN_TRY(title, http::text(body, "title", 200));
    HAVEN_TRY(start, spaces::instant(body, "start"));
    HAVEN_TRY(end, spaces::instant(body, "end"));
    HAVEN_TRY(capacity, number_in(body, "capacity", 0));
    HAVEN_TRY(e, c.centre.create_event(*request.principal, {site, start, end, capacity, title}));
    return ok(201, event_json(e));
}

Result<Response> api_event(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(e, c.centre.event(*request.principal, id));
    return ok(200, event_json(e));
}

Result<Response> api_events(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(list, c.centre.events_at(*request.principal, site));
    return items(list, event_json);
}

Result<Response> api_register(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(person, id_in(body, "person_id", false));
    HAVEN_TRY(first_name, http::text(body, "first_name", 60));
    HAVEN_TRY(made, c.centre.register_for(*request.principal, id, person, first_name));
    json::object out = registration_json(made.first);
    out["code"] = made.second;
    return ok(201, out);
}

Result<Response> api_registrations(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(list, c.centre.registrations(*request.principal, id));
    return items(list, registration_json);
}

Result<Response> api_unregister(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(promoted, c.centre.cancel_registration(*request.principal, id));
    return ok(200, json::object{{"cancelled", true}, {"promoted", promoted ? json::value(registration_json(*promoted)) : json::value(nullptr)}});
}

Result<Response> api_check_in(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(code, http::text(body, "code", 100));
    HAVEN_TRY(registration, id_in(body, "registration_id", false));
    if (code.empty() && !registration) return invalid("code", "Give the code of the guest's QR code, or a registration_id.");
    HAVEN_TRY(r, c.centre.check_in(*request.principal, id, code, registration));
    return ok(200, registration_json(r));
}

Result<Response> api_headcount(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(count, number_in(body, "count", 0));
    HAVEN_TRY(total, c.centre.add_headcount(*request.principal, id, count));
    return ok(200, json::object{{"headcount", total}});
}

Result<Response> api_occupancy(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(query, http::Form::parse(request.query));
    HAVEN_TRY(o, c.centre.occupancy(*request.principal, site, std::string(query.get("month"))));
    return ok(200, json::object{
                       {"month", o.month},
                       {"desks", json::object{{"count", o.desks}, {"days_used", o.desk_days_used}, {"days_available", o.desk_days_available}}},
                       {"studio_hours", double(o.studio_minutes) / 60},
                       {"room_hours", double(o.room_minutes) / 60},
                       {"courses", json::object{{"sessions", o.sessions}, {"present", o.present}, {"marked", o.marked}}},
                       {"events",
                        json::object{{"count", o.events}, {"registered", o.registered}, {"checked_in", o.checked_in}, {"headcount", o.headcount}}}});
}

namespace {
Response feed_reply(const Request& request, const Context& c, const std::pair<std::string, bool>& feed) {
    return ok(200, json::object{{"ical_url", spaces::feed_url(request, c.secure, "/feeds/people/" + feed.first)}, {"show_names", feed.second}});
}
}  // namespace

Result<Response> api_own_feed(Request& request, Context& c) {
    std::optional<bool> names;
    if (request.method == "PUT") {
        HAVEN_TRY(body, json_body(request));
        const auto* v = body.if_contains("show_names");
        if (!v || !v->is_bool()) return invalid("show_names", "show_names must be true or false.");
        names = v->get_bool();
    }
    HAVEN_TRY(feed, c.centre.own_feed(*request.principal, names, false));
    return feed_reply(request, c, feed);
}

Result<Response> api_own_feed_rotate(Request& request, Context& c) {
    HAVEN_TRY(feed, c.centre.own_feed(*request.principal, std::nullopt, true));
    return feed_reply(request, c, feed);
}

Result<Response> feed_show(Request& request, Context& c) {
    auto feed = c.centre.feed(request.params.at("token"));
    if (!feed) return make_error(ErrorKind::not_found, "not_found", "There is nothing at this address.");
    return Response::text(200, std::move(*feed), "text/calendar; charset=utf-8");
}

}  // namespace haven::centre
