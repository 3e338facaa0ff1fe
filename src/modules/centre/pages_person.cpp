// The centre's sections of a person's page: their desk, courses and events.
#include "modules/centre/pages.hpp"

namespace haven::centre {

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
        else
            h.element("p", {}, ctx.t("desks.none_free"));
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
            options.emplace_back(std::to_string(k.id),
                                 k.title + " (" + k.level + ") · " + std::to_string(k.enrolled) + "/" + std::to_string(k.capacity));
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

}  // namespace haven::centre
