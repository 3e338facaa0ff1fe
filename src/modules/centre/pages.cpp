// Pages of the centre's day, made for a coordinator or a teacher on a phone: desks at a glance, courses with
// their waitlist, attendance in a few taps, a printable certificate, events with check-in by QR code or by
// name and a headcount button, the month's occupancy, and one's own calendar feed.
#include "core/dates.hpp"
#include "http/pipeline.hpp"
#include "modules/accounts/common.hpp"
#include "modules/centre/common.hpp"
#include "modules/centre/handlers.hpp"
#include "modules/spaces/handlers.hpp"

namespace haven::centre {

using accounts::Action;
using accounts::field;
using accounts::form_body;
using accounts::id_param;
using accounts::may;
using accounts::notice;
using accounts::page_context;
using accounts::select_field;
using spaces::local_text;

namespace {

std::string url(const char* base, int64_t id, const char* tail = "") { return std::string(base) + std::to_string(id) + tail; }

int64_t number(std::string_view text) {
    int64_t n = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    return ec == std::errc() && p == text.data() + text.size() ? n : -1;
}

void button_form(web::Html& h, const Request& request, const std::string& action, const std::string& label, const char* css = "secondary",
                 const std::vector<std::pair<std::string, std::string>>& hidden = {}) {
    web::post_form(h, request, action, {{"class", "inline"}}, [&] {
        for (const auto& [name, value] : hidden) h.empty("input", {{"type", "hidden"}, {"name", name}, {"value", value}});
        h.element("button", {{"type", "submit"}, {"class", css}}, label);
    });
}

Result<Response> back(const std::string& to) { return Response::redirect(to); }

}  // namespace

// ---- A person's page ----

void person_sections(web::Html& h, const web::PageContext& ctx, const Request& request, Context& c, const people::Person& p) {
    const Principal& me = *request.principal;
    const std::string base = url("/people/", p.id);
    if (may(me, Action::desks_manage, p.site_id)) {
        h.element("h2", {}, ctx.t("desks.title"));
        auto held = c.centre.desks_of(me, p.id);
        h.element("ul", {{"id", "person-desks"}}, [&] {
            for (const auto& d : held ? held.value() : std::vector<Holding>{}) h.element("li", {}, d.desk + " · " + d.from + " → " + d.to);
        });
        auto desks = c.centre.desks(me, p.site_id, {}, false);  // only which are free
        std::vector<std::pair<std::string, std::string>> free;
        for (const auto& d : desks ? desks->desks : std::vector<Desk>{})
            if (!d.held) free.emplace_back(std::to_string(d.id), d.name);
        if (!free.empty())
            web::post_form(h, request, base + "/desk", {{"class", "stack"}, {"id", "allocate-desk"}}, [&] {
                select_field(h, ctx, "desk_id", "desks.free_desk", free);
                field(h, ctx, "from", "desks.from", "date", desks->date);
                field(h, ctx, "to", "desks.to", "date");
                h.element("button", {{"type", "submit"}, {"class", "secondary"}}, ctx.t("desks.allocate"));
            });
        else h.element("p", {}, ctx.t("desks.none_free"));
        button_form(h, request, base + "/desk-waitlist", ctx.t("desks.wait"));
    }
    if (may(me, Action::courses_manage, p.site_id)) {
        h.element("h2", {}, ctx.t("courses.title"));
        auto mine = c.centre.courses_of(me, p.id);
        h.element("ul", {{"id", "person-courses"}}, [&] {
            for (const auto& e : mine ? mine.value() : std::vector<Enrolment>{})
                h.element("li", {}, [&] {
                    h.element("a", {{"href", url("/courses/", e.course_id)}}, e.course);
                    h.text(" · " + ctx.t("courses.status_" + e.status));
                });
        });
        auto courses = c.centre.courses_at(me, p.site_id);
        std::vector<std::pair<std::string, std::string>> options;
        for (const auto& k : courses ? courses.value() : std::vector<Course>{})
            options.emplace_back(std::to_string(k.id), k.title + " (" + k.level + ") · " + std::to_string(k.enrolled) + "/" + std::to_string(k.capacity));
        if (!options.empty())
            web::post_form(h, request, base + "/courses", {{"class", "stack"}, {"id", "enrol"}}, [&] {
                select_field(h, ctx, "course_id", "courses.course", options);
                h.element("button", {{"type", "submit"}, {"class", "secondary"}}, ctx.t("courses.enrol"));
            });
    }
    if (may(me, Action::events_manage, p.site_id)) {
        auto events = c.centre.events_at(me, p.site_id);
        std::vector<std::pair<std::string, std::string>> options;
        for (const auto& e : events ? events.value() : std::vector<Event>{})
            if (e.capacity > 0) options.emplace_back(std::to_string(e.id), local_text(e.start, e.time_zone) + " · " + e.title);
        if (!options.empty()) {
            h.element("h2", {}, ctx.t("events.title"));
            web::post_form(h, request, base + "/events", {{"class", "stack"}, {"id", "register"}}, [&] {
                select_field(h, ctx, "event_id", "events.event", options);
                h.element("button", {{"type", "submit"}, {"class", "secondary"}}, ctx.t("events.register"));
            });
        }
    }
}

// ---- Desks ----

Result<Response> desks_show(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(query, http::Form::parse(request.query));
    HAVEN_TRY(d, c.centre.desks(*request.principal, site, std::string(query.get("date"))));
    auto ctx = page_context(request);
    const bool manage = may(*request.principal, Action::desks_manage, site);
    return web::page(ctx, 200, "desks.title", [&](web::Html& h) {
        h.element("form", {{"method", "get"}, {"class", "filters"}}, [&] {
            field(h, ctx, "date", "desks.date", "date", d.date);
            h.element("button", {{"type", "submit"}, {"class", "secondary"}}, ctx.t("desks.show"));
        });
        h.element("p", {{"id", "free-desks"}, {"class", "notice"}},
                  ctx.t("desks.free_count", {{"free", std::to_string(d.free())}, {"all", std::to_string(d.desks.size())}}));
        h.element("table", {{"class", "list"}, {"id", "desks"}}, [&] {
            h.element("tbody", {}, [&] {
                for (const auto& k : d.desks)
                    h.element("tr", {{"class", k.held ? "held" : "free"}}, [&] {
                        h.element("td", {}, k.name);
                        h.element("td", {}, [&] {
                            if (!k.held) {
                                h.element("strong", {}, ctx.t("desks.free"));
                                return;
                            }
                            if (manage) h.element("a", {{"href", url("/people/", k.held->person_id)}}, k.held->person);
                            else h.text(ctx.t("desks.held"));
                            h.text(" · " + k.held->from + " → " + k.held->to);
                        });
                        h.element("td", {}, [&] {
                            if (manage && k.held) button_form(h, request, url("/desk-allocations/", k.held->id, "/release"), ctx.t("desks.release"));
                        });
                    });
            });
        });
        if (!manage) return;
        h.element("h2", {}, ctx.t("desks.waitlist"));
        if (d.waitlist.empty()) h.element("p", {}, ctx.t("desks.waitlist_empty"));
        h.element("ol", {{"id", "desk-waitlist"}}, [&] {
            for (const auto& w : d.waitlist)
                h.element("li", {}, [&] {
                    h.element("a", {{"href", url("/people/", w.person_id)}}, w.person);
                    h.text(" · " + ctx.t("desks.since", {{"date", local_date(w.since, "UTC")}}) + " ");
                    button_form(h, request, url("/desk-waitlist/", w.id, "/remove"), ctx.t("desks.remove"));
                });
        });
        h.element("p", {{"class", "small"}}, ctx.t("desks.how"));
    });
}

Result<Response> desk_allocate(Request& request, Context& c) {
    HAVEN_TRY(person, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    HAVEN_TRY(id, c.centre.allocate(*request.principal, number(form.get("desk_id")), person, std::string(form.get("from")), std::string(form.get("to"))));
    (void)id;
    return back(url("/people/", person));
}

Result<Response> desk_wait(Request& request, Context& c) {
    HAVEN_TRY(person, id_param(request, "id"));
    HAVEN_TRY(id, c.centre.wait_for_desk(*request.principal, person));
    (void)id;
    return back(url("/people/", person));
}

Result<Response> desk_release(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(site, c.centre.release(*request.principal, id));
    return back(url("/sites/", site, "/desks"));
}

Result<Response> desk_unwait(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(site, c.centre.leave_waitlist(*request.principal, id));
    return back(url("/sites/", site, "/desks"));
}

// ---- Courses ----

namespace {

void course_form(web::Html& h, const web::PageContext& ctx, const Request& request, Context& c, int64_t site) {
    h.element("h2", {}, ctx.t("courses.new"));
    std::vector<std::pair<std::string, std::string>> levels, teachers = {{"", ctx.t("courses.no_teacher")}}, rooms = {{"", ctx.t("courses.no_room")}};
    for (auto l : centre::levels()) levels.emplace_back(std::string(l), std::string(l));
    for (auto& t : accounts::accounts_with(c.accounts, *request.principal, site, Role::teacher)) teachers.push_back(std::move(t));
    for (const auto& s : c.spaces_at(request, site))
        if (s.kind != "desk") rooms.emplace_back(std::to_string(s.id), s.name);
    web::post_form(h, request, url("/sites/", site, "/courses"), {{"class", "stack"}, {"id", "new-course"}}, [&] {
        field(h, ctx, "title", "courses.course_title", "text");
        field(h, ctx, "language", "courses.language", "text");
        select_field(h, ctx, "level", "courses.level", levels);
        field(h, ctx, "capacity", "courses.capacity", "number");
        select_field(h, ctx, "teacher_id", "courses.teacher", teachers);
        select_field(h, ctx, "space_id", "courses.room", rooms);
        h.element("button", {{"type", "submit"}}, ctx.t("courses.create"));
    });
}

Response course_page(Request& request, Context& c, const Course& k, int status, const std::string& message, const std::optional<spaces::Clash>& clash) {
    auto ctx = page_context(request);
    const Principal& me = *request.principal;
    const bool manage = may(me, Action::courses_manage, k.site_id);
    auto sessions = c.centre.sessions(me, k.id);
    auto people = c.centre.enrolments(me, k.id);
    return web::page(ctx, status, "courses.course_page", [&](web::Html& h) {
        h.element("h2", {{"id", "course-title"}}, k.title);
        h.element("p", {{"class", "small"}}, k.language + " · " + k.level + (k.teacher.empty() ? "" : " · " + k.teacher) + " · " +
                                                 ctx.t("courses.places", {{"taken", std::to_string(k.enrolled)}, {"all", std::to_string(k.capacity)}}));
        notice(h, message, status >= 400);
        if (clash)
            h.element("div", {{"class", "notice error"}, {"role", "alert"}, {"id", "clash"}}, [&] {
                h.element("p", {}, ctx.t("spaces.clash", {{"time", local_text(clash->with.start, k.time_zone)}, {"name", clash->with.booked_by}}));
                for (const auto& f : clash->free) h.element("p", {{"class", "small"}}, ctx.t("spaces.free_slots") + " " + local_text(f.start, k.time_zone));
            });
        if (people) {
            h.element("h2", {}, ctx.t("courses.enrolled"));
            h.element("ul", {{"class", "people"}, {"id", "enrolled"}}, [&] {
                for (const auto& e : people.value())
                    if (e.status == "enrolled")
                        h.element("li", {}, [&] {
                            h.text(e.person + " · " + ctx.t("courses.attended", {{"count", std::to_string(e.attended)}}) + " ");
                            if (!manage) return;
                            h.element("a", {{"href", url("/course-enrolments/", e.id, "/certificate")}}, ctx.t("courses.certificate"));
                            h.text(" ");
                            button_form(h, request, url("/course-enrolments/", e.id, "/leave"), ctx.t("courses.leave"));
                        });
            });
            h.element("h2", {}, ctx.t("courses.waitlist"));
            h.element("ol", {{"id", "waitlist"}}, [&] {
                for (const auto& e : people.value())
                    if (e.status == "waitlisted")
                        h.element("li", {}, [&] {
                            h.text(e.person + " ");
                            if (manage) button_form(h, request, url("/course-enrolments/", e.id, "/leave"), ctx.t("courses.leave"));
                        });
            });
        }
        h.element("h2", {}, ctx.t("courses.sessions"));
        h.element("ul", {{"id", "sessions"}}, [&] {
            for (const auto& s : sessions ? sessions.value() : std::vector<Session>{})
                h.element("li", {}, [&] {
                    if (people) h.element("a", {{"href", url("/course-sessions/", s.id)}}, local_text(s.start, k.time_zone));
                    else h.text(local_text(s.start, k.time_zone));
                    if (s.marked) h.text(" · " + ctx.t("courses.present_of", {{"present", std::to_string(s.present)}, {"all", std::to_string(s.marked)}}));
                });
        });
        if (!manage) return;
        web::post_form(h, request, url("/courses/", k.id, "/sessions"), {{"class", "stack"}, {"id", "add-sessions"}}, [&] {
            field(h, ctx, "date", "spaces.date", "date");
            field(h, ctx, "from", "spaces.from", "time");
            field(h, ctx, "to", "spaces.to", "time");
            field(h, ctx, "weeks", "courses.weeks", "number", "1");
            h.element("button", {{"type", "submit"}, {"class", "secondary"}}, ctx.t("courses.add_sessions"));
        });
    });
}

}  // namespace

Result<Response> courses_show(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(list, c.centre.courses_at(*request.principal, site));
    auto ctx = page_context(request);
    return web::page(ctx, 200, "courses.title", [&](web::Html& h) {
        if (list.empty()) h.element("p", {}, ctx.t("courses.none"));
        h.element("ul", {{"class", "cards"}, {"id", "courses"}}, [&] {
            for (const auto& k : list)
                h.element("li", {{"class", "card"}}, [&] {
                    h.element("h2", {}, [&] { h.element("a", {{"href", url("/courses/", k.id)}}, k.title); });
                    h.element("p", {{"class", "small"}}, k.language + " · " + k.level + (k.teacher.empty() ? "" : " · " + k.teacher));
                    h.element("p", {}, ctx.t("courses.places", {{"taken", std::to_string(k.enrolled)}, {"all", std::to_string(k.capacity)}}) +
                                           (k.waiting ? " · " + ctx.t("courses.waiting", {{"count", std::to_string(k.waiting)}}) : ""));
                });
        });
        if (may(*request.principal, Action::courses_manage, site)) course_form(h, ctx, request, c, site);
    });
}

Result<Response> course_save(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(form, form_body(request));
    const int64_t teacher = form.get("teacher_id").empty() ? 0 : number(form.get("teacher_id"));
    const int64_t room = form.get("space_id").empty() ? 0 : number(form.get("space_id"));
    HAVEN_TRY(k, c.centre.create_course(*request.principal, {site, teacher, number(form.get("capacity")), room, std::string(form.get("title")),
                                                              std::string(form.get("language")), std::string(form.get("level"))}));
    return back(url("/courses/", k.id));
}

Result<Response> course_show(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(k, c.centre.course(*request.principal, id));
    return course_page(request, c, k, 200, "", std::nullopt);
}

Result<Response> sessions_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(k, c.centre.course(*request.principal, id));
    HAVEN_TRY(form, form_body(request));
    auto ctx = page_context(request);
    auto start = spaces::local_instant(form.get("date"), form.get("from"), k.time_zone), end = spaces::local_instant(form.get("date"), form.get("to"), k.time_zone);
    if (!start || !end) return course_page(request, c, k, 422, ctx.t("spaces.bad_time"), std::nullopt);
    spaces::Recurrence rule;
    const int64_t weeks = number(form.get("weeks"));
    if (weeks > 1) {
        rule.freq = "weekly";
        rule.count = int(std::min<int64_t>(weeks, 1000));
    }
    std::optional<spaces::Clash> clash;
    auto added = c.centre.add_sessions(*request.principal, id, *start, *end, rule, clash);
    if (clash) return course_page(request, c, k, 409, "", clash);
    if (!added) return course_page(request, c, k, http::status_for(added.error().kind), accounts::localized(ctx, added.error()), std::nullopt);
    return back(url("/courses/", id));
}

Result<Response> enrolment_save(Request& request, Context& c) {
    HAVEN_TRY(person, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    HAVEN_TRY(e, c.centre.enrol(*request.principal, number(form.get("course_id")), person));
    return back(url("/courses/", e.course_id));
}

Result<Response> enrolment_leave(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    const int64_t course = c.centre.course_of_enrolment(id);
    HAVEN_TRY(promoted, c.centre.leave(*request.principal, id));
    (void)promoted;
    return back(url("/courses/", course));
}

namespace {
Response attendance_page(Request& request, Context& c, int64_t session_id, const std::string& message) {
    auto ctx = page_context(request);
    const Principal& me = *request.principal;
    auto s = c.centre.session(me, session_id);
    auto k = s ? c.centre.course(me, s->course_id) : Result<Course>(s.error());
    auto people = k ? c.centre.enrolments(me, k->id) : Result<std::vector<Enrolment>>(k.error());
    auto present = c.centre.present_at(me, session_id);
    if (!people || !present) {
        const Error& e = people ? present.error() : people.error();
        return web::error_page(request, http::status_for(e.kind), e);
    }
    return web::page(ctx, 200, "courses.attendance", [&](web::Html& h) {
        h.element("h2", {}, k->title + " · " + local_text(s->start, k->time_zone));
        notice(h, message, false);
        web::post_form(h, request, url("/course-sessions/", session_id), {{"class", "stack"}, {"id", "attendance"}}, [&] {
            h.element("fieldset", {{"class", "stack checklist"}}, [&] {
                h.element("legend", {}, ctx.t("courses.who_came"));
                for (const auto& e : people.value()) {
                    if (e.status != "enrolled") continue;
                    const std::string id = "present-" + std::to_string(e.id);
                    h.element("div", {{"class", "field check"}}, [&] {
                        if (std::find(present->begin(), present->end(), e.id) != present->end())
                            h.empty("input", {{"id", id}, {"name", "present"}, {"type", "checkbox"}, {"value", std::to_string(e.id)}, {"checked", "checked"}});
                        else h.empty("input", {{"id", id}, {"name", "present"}, {"type", "checkbox"}, {"value", std::to_string(e.id)}});
                        h.element("label", {{"for", id}}, e.person);
                    });
                }
            });
            h.element("button", {{"type", "submit"}}, ctx.t("courses.save_attendance"));
        });
        h.element("p", {}, [&] { h.element("a", {{"href", url("/courses/", k->id)}}, ctx.t("courses.back")); });
    });
}
}  // namespace

Result<Response> attendance_show(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(query, http::Form::parse(request.query));
    return attendance_page(request, c, id, query.get("saved").empty() ? "" : page_context(request).t("courses.attendance_saved"));
}

Result<Response> attendance_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    std::vector<int64_t> present;
    for (auto v : form.all("present")) present.push_back(number(v));
    if (auto s = c.centre.mark(*request.principal, id, present); !s) return s.error();
    return back(url("/course-sessions/", id, "?saved=1"));
}

Result<Response> certificate_show(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(cert, c.centre.certificate(*request.principal, id));
    auto ctx = page_context(request);
    const auto hours = std::to_string(cert.minutes / 60) + (cert.minutes % 60 ? ":" + std::string(cert.minutes % 60 < 10 ? "0" : "") + std::to_string(cert.minutes % 60) : "");
    return web::page(ctx, 200, "courses.certificate_title", [&](web::Html& h) {
        h.element("article", {{"class", "certificate"}, {"id", "certificate"}}, [&] {
            h.element("h2", {}, ctx.t("courses.certificate_title"));
            h.element("p", {{"class", "name"}}, cert.name);
            h.element("p", {}, ctx.t("courses.certificate_text", {{"course", cert.course.title},
                                                                  {"language", cert.course.language},
                                                                  {"level", cert.course.level},
                                                                  {"attended", std::to_string(cert.attended)},
                                                                  {"sessions", std::to_string(cert.sessions)},
                                                                  {"hours", hours},
                                                                  {"from", cert.first_session},
                                                                  {"to", cert.last_session}}));
            h.element("p", {}, ctx.t("courses.certificate_date", {{"date", local_date(c.centre.now_ms(), cert.course.time_zone)}}));
            h.element("p", {{"class", "signature"}}, ctx.t("courses.signature"));
        });
        h.element("p", {{"class", "no-print small"}}, ctx.t("courses.print_hint"));
    });
}

// ---- Events ----

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
                    h.element("p", {}, e.capacity ? ctx.t("events.places", {{"taken", std::to_string(e.registered)}, {"all", std::to_string(e.capacity)}})
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
    if (!start || !end) return invalid("date", page_context(request).t("spaces.bad_time"));
    HAVEN_TRY(e, c.centre.create_event(*request.principal, {site, *start, *end, number(form.get("capacity")), std::string(form.get("title"))}));
    return back(url("/events/", e.id));
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
    HAVEN_TRY(made, c.centre.register_for(*request.principal, id, 0, std::string(form.get("first_name"))));
    return back(url("/registrations/", made.first.id, "/ticket"));
}

Result<Response> person_register(Request& request, Context& c) {
    HAVEN_TRY(person, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    HAVEN_TRY(made, c.centre.register_for(*request.principal, number(form.get("event_id")), person, ""));
    return back(url("/registrations/", made.first.id, "/ticket"));
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
        accounts::qr_code(h, code, ctx.t("events.qr_label"));
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
        return event_page(request, c, fresh, http::status_for(r.error().kind), accounts::localized(ctx, r.error()));
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

// ---- Occupancy ----

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
                if (feed.second) h.empty("input", {{"id", "show_names"}, {"name", "show_names"}, {"type", "checkbox"}, {"value", "1"}, {"checked", "checked"}});
                else h.empty("input", {{"id", "show_names"}, {"name", "show_names"}, {"type", "checkbox"}, {"value", "1"}});
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
