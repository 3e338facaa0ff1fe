// Courses with their waitlist, sessions that book their room, attendance in a few taps and a printable certificate.
#include "modules/accounts/common.hpp"
#include "modules/centre/pages.hpp"

namespace haven::centre {

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

// `candidates`: the people an "enrol someone" search found, each offered with its own button.
Response course_page(Request& request, Context& c, const Course& k, int status, const std::string& message, const spaces::Clash* clash,
                     const std::vector<people::Match>& candidates = {}) {
    auto ctx = page_context(request);
    const Principal& me = *request.principal;
    const bool manage = may(me, Action::courses_manage, k.site_id);
    auto sessions = c.centre.sessions(me, k.id);
    auto people = c.centre.enrolments(me, k.id);
    return web::page(ctx, status, "courses.course_page", [&](web::Html& h) {
        h.element("h2", {{"id", "course-title"}}, k.title);
        h.element("p", {{"class", "small"}},
                  k.language + " · " + k.level + (k.teacher.empty() ? "" : " · " + k.teacher) + " · " +
                      ctx.t("courses.places", {{"taken", std::to_string(k.enrolled)}, {"all", std::to_string(k.capacity)}}));
        notice(h, message, status >= 400);
        if (clash)
            h.element("div", {{"class", "notice error"}, {"role", "alert"}, {"id", "clash"}}, [&] {
                h.element("p", {}, ctx.t("spaces.clash", {{"time", local_text(clash->with.start, k.time_zone)}, {"name", clash->with.booked_by}}));
                for (const auto& f : clash->free)
                    h.element("p", {{"class", "small"}}, ctx.t("spaces.free_slots") + " " + local_text(f.start, k.time_zone));
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
        if (manage) {
            // Enrolling from the course: find the person by pseudonym or any spelling of a name, then choose.
            h.element("h2", {}, ctx.t("courses.enrol_someone"));
            web::post_form(h, request, url("/courses/", k.id, "/enrolments"), {{"class", "filters"}, {"id", "enrol-someone"}}, [&] {
                field(h, ctx, "q", "courses.enrol_find", "search");
                h.element("button", {{"type", "submit"}, {"class", "secondary"}}, ctx.t("courses.enrol_search"));
            });
            if (!candidates.empty())
                h.element("ul", {{"class", "people"}, {"id", "enrol-candidates"}}, [&] {
                    for (const auto& m : candidates)
                        h.element("li", {}, [&] {
                            h.text(m.pseudonym + (m.legal_names.empty() ? "" : " · " + m.legal_names.front()) + " ");
                            web::post_form(h, request, url("/courses/", k.id, "/enrolments"), {{"class", "inline"}}, [&] {
                                h.empty("input", {{"type", "hidden"}, {"name", "person_id"}, {"value", std::to_string(m.id)}});
                                h.element("button", {{"type", "submit"}, {"class", "secondary"}}, ctx.t("courses.enrol"));
                            });
                        });
                });
        }
        h.element("h2", {}, ctx.t("courses.sessions"));
        h.element("ul", {{"id", "sessions"}}, [&] {
            for (const auto& s : sessions ? sessions.value() : std::vector<Session>{})
                h.element("li", {}, [&] {
                    if (people)
                        h.element("a", {{"href", url("/course-sessions/", s.id)}}, local_text(s.start, k.time_zone));
                    else
                        h.text(local_text(s.start, k.time_zone));
                    if (s.marked)
                        h.text(" · " + ctx.t("courses.present_of", {{"present", std::to_string(s.present)}, {"all", std::to_string(s.marked)}}));
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
                    h.element("p", {},
                              ctx.t("courses.places", {{"taken", std::to_string(k.enrolled)}, {"all", std::to_string(k.capacity)}}) +
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
    auto k = c.centre.create_course(*request.principal, {site, teacher, number(form.get("capacity")), room, std::string(form.get("title")),
                                                         std::string(form.get("language")), std::string(form.get("level"))});
    if (!k) return web::show_again(request, k.error(), [&] { return courses_show(request, c); });
    return back(url("/courses/", k->id));
}

Result<Response> course_show(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(k, c.centre.course(*request.principal, id));
    return course_page(request, c, k, 200, "", nullptr);
}

Result<Response> sessions_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(k, c.centre.course(*request.principal, id));
    HAVEN_TRY(form, form_body(request));
    auto ctx = page_context(request);
    auto start = spaces::local_instant(form.get("date"), form.get("from"), k.time_zone),
         end = spaces::local_instant(form.get("date"), form.get("to"), k.time_zone);
    if (!start || !end) return course_page(request, c, k, 422, ctx.t("spaces.bad_time"), nullptr);
    spaces::Recurrence rule;
    const int64_t weeks = number(form.get("weeks"));
    if (weeks > 1) {
        rule.freq = "weekly";
        rule.count = int(std::min<int64_t>(weeks, 1000));
    }
    auto added = c.centre.add_sessions(*request.principal, id, *start, *end, rule);
    if (const spaces::Clash* clash = added ? nullptr : spaces::clash_of(added.error())) return course_page(request, c, k, 409, "", clash);
    if (!added) return course_page(request, c, k, http::status_for(added.error().kind), web::localized(ctx, added.error()), nullptr);
    return back(url("/courses/", id));
}

Result<Response> enrolment_save(Request& request, Context& c) {
    HAVEN_TRY(person, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    HAVEN_TRY(e, c.centre.enrol(*request.principal, number(form.get("course_id")), person));
    return back(url("/courses/", e.course_id));
}

Result<Response> course_enrol_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(k, c.centre.course(*request.principal, id));
    HAVEN_TRY(form, form_body(request));
    auto ctx = page_context(request);
    int64_t person = form.get("person_id").empty() ? 0 : number(form.get("person_id"));
    if (!person) {
        const std::string q(form.get("q"));
        if (q.empty()) return course_page(request, c, k, 422, ctx.t("courses.enrol_none"), nullptr);
        auto found = c.people.search(*request.principal, q, 10, k.site_id);
        if (!found) return course_page(request, c, k, http::status_for(found.error().kind), web::localized(ctx, found.error()), nullptr);
        if (found->empty()) return course_page(request, c, k, 200, ctx.t("courses.enrol_none"), nullptr);
        if (found->size() > 1) return course_page(request, c, k, 200, ctx.t("courses.enrol_choose"), nullptr, found.value());
        person = found->front().id;
    }
    auto e = c.centre.enrol(*request.principal, id, person);
    if (!e) return course_page(request, c, k, http::status_for(e.error().kind), web::localized(ctx, e.error()), nullptr);
    return back(url("/courses/", id));
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
                            h.empty("input",
                                    {{"id", id}, {"name", "present"}, {"type", "checkbox"}, {"value", std::to_string(e.id)}, {"checked", "checked"}});
                        else
                            h.empty("input", {{"id", id}, {"name", "present"}, {"type", "checkbox"}, {"value", std::to_string(e.id)}});
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
    const auto hours = std::to_string(cert.minutes / 60) +
                       (cert.minutes % 60 ? ":" + std::string(cert.minutes % 60 < 10 ? "0" : "") + std::to_string(cert.minutes % 60) : "");
    return web::page(ctx, 200, "courses.certificate_title", [&](web::Html& h) {
        h.element("article", {{"class", "certificate"}, {"id", "certificate"}}, [&] {
            h.element("h2", {}, ctx.t("courses.certificate_title"));
            h.element("p", {{"class", "name"}}, cert.name);
            h.element("p", {},
                      ctx.t("courses.certificate_text", {{"course", cert.course.title},
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

}  // namespace haven::centre
