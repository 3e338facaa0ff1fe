// Casework pages: volunteers, requests for help, assignments and tasks.
#include "modules/casework/pages.hpp"

namespace haven::casework {

Result<Response> volunteer_show(Request& request, Context& c) {
    HAVEN_TRY(p, c.casework.my_profile(*request.principal));
    auto ctx = page_context(request);
    HAVEN_TRY(query, http::Form::parse(request.query));
    return web::page(ctx, 200, "volunteer.title", [&](web::Html& h) {
        if (query.get("saved") == "1") notice(h, ctx.t("people.saved"), false);
        h.element("p", {}, ctx.t("volunteer.help"));
        web::post_form(h, request, "/volunteer", {{"class", "stack"}, {"id", "profile"}}, [&] {
            checkboxes(h, ctx, "skills", "volunteer.skills", skills(), p.skills, "skill.");
            field(h, ctx, "languages", "people.languages", "text", joined(p.languages, ", "));
            checkboxes(h, ctx, "days", "volunteer.days", weekdays(), p.days, "day.");
            field(h, ctx, "note", "volunteer.note", "text", p.note);
            h.element("button", {{"type", "submit"}}, ctx.t("people.save"));
        });
    });
}

Result<Response> volunteer_save(Request& request, Context& c) {
    HAVEN_TRY(form, form_body(request));
    Profile p;
    p.skills = all(form, "skills");
    p.days = all(form, "days");
    std::string langs(form.get("languages")), w;
    for (char ch : langs + ",") {
        if (ch == ',' || ch == ' ' || ch == ';') {
            if (!w.empty()) p.languages.push_back(w);
            w.clear();
        } else {
            w += ch;
        }
    }
    p.note = form.get("note");
    for (const auto& r : request.principal->roles)
        if (r.role == Role::volunteer) p.site_id = r.site_id;
    if (auto s = c.casework.save_profile(*request.principal, p); !s)
        return web::show_again(request, s.error(), [&] { return volunteer_show(request, c); });
    return Response::redirect("/volunteer?saved=1");
}

Result<Response> request_save(Request& request, Context& c) {
    HAVEN_TRY(person, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    HelpRequest q;
    q.person_id = person;
    q.what = form.get("what");
    q.skill = form.get("skill");
    q.language = form.get("language");
    q.due_date = form.get("due_date");
    q.fields = all(form, "fields");
    auto id = c.casework.create_request(*request.principal, q);
    if (!id) return web::show_again(request, id.error(), [&] { return c.person_page(request); });
    HAVEN_TRY(got, c.casework.read_request(*request.principal, *id));
    return Response::redirect("/sites/" + std::to_string(got.site_id) + "/requests#request-" + std::to_string(*id));
}

Result<Response> requests_show(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(list, c.casework.requests(*request.principal, site));
    auto ctx = page_context(request);
    return web::page(ctx, 200, "requests.title", [&](web::Html& h) {
        if (list.empty()) h.element("p", {}, ctx.t("requests.none"));
        h.element("ul", {{"class", "cards"}, {"id", "requests"}}, [&] {
            for (const auto& q : list)
                h.element("li", {{"class", "card"}, {"id", "request-" + std::to_string(q.id)}}, [&] {
                    h.element("h2", {}, q.what);
                    h.element("p", {{"class", "small"}},
                              q.pseudonym + (q.language.empty() ? "" : " · " + q.language) +
                                  (q.due_date.empty() ? "" : " · " + ctx.t("cases.due", {{"time", ctx.date(q.due_date)}})) + " · " +
                                  ctx.t("requests.status_" + q.status) + (q.volunteer.empty() ? "" : " · " + q.volunteer));
                    if (q.status == "done") return;
                    auto suggestions = c.casework.suggestions(*request.principal, q.id);
                    if (!suggestions || suggestions->empty()) {
                        h.element("p", {}, ctx.t("requests.no_volunteers"));
                        return;
                    }
                    web::post_form(h, request, url("/requests/", q.id) + "/assign", {{"class", "stack"}}, [&] {
                        std::vector<std::pair<std::string, std::string>> options;
                        for (const auto& s : suggestions.value()) {
                            std::vector<std::string> why;
                            for (const auto& r : s.reasons) why.push_back(ctx.t("requests.reason_" + r));
                            options.emplace_back(std::to_string(s.volunteer.account_id),
                                                 s.volunteer.username + (why.empty() ? "" : " — " + joined(why, ", ")));
                        }
                        const std::string select_id = "volunteer-" + std::to_string(q.id);
                        h.element("div", {{"class", "field"}}, [&] {
                            h.element("label", {{"for", select_id}}, ctx.t("requests.suggested"));
                            h.element("select", {{"id", select_id}, {"name", "volunteer_id"}}, [&] {
                                for (const auto& [value, label] : options) h.element("option", {{"value", value}}, label);
                            });
                        });
                        h.element("button", {{"type", "submit"}, {"class", "secondary"}},
                                  ctx.t(q.volunteer.empty() ? "requests.assign" : "requests.reassign"));
                    });
                });
        });
    });
}

Result<Response> assign_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    if (auto s = c.casework.assign_volunteer(*request.principal, id, std::atoll(std::string(form.get("volunteer_id")).c_str()),
                                             std::string(form.get("until")));
        !s)
        return s.error();
    HAVEN_TRY(q, c.casework.read_request(*request.principal, id));
    return Response::redirect("/sites/" + std::to_string(q.site_id) + "/requests#request-" + std::to_string(id));
}

Result<Response> tasks_show(Request& request, Context& c) {
    auto tasks = c.casework.tasks(*request.principal);
    auto ctx = page_context(request);
    auto profile = c.casework.my_profile(*request.principal);
    const std::string zone = c.accounts.home_zone(*request.principal);
    const bool no_profile = !profile || (profile->skills.empty() && profile->languages.empty());
    return web::page(ctx, 200, "tasks.title", [&](web::Html& h) {
        // Coordinators match requests to what volunteers said they can do: until then, nothing is suggested.
        if (no_profile)
            h.element("p", {{"class", "notice"}, {"id", "fill-profile"}}, [&] {
                h.text(ctx.t("tasks.fill_profile") + " ");
                h.element("a", {{"href", "/volunteer"}}, ctx.t("nav.volunteer"));
            });
        if (tasks.empty()) h.element("p", {}, ctx.t("tasks.none"));
        h.element("ul", {{"class", "cards"}, {"id", "tasks"}}, [&] {
            for (const auto& t : tasks)
                h.element("li", {{"class", "card"}}, [&] {
                    h.element("h2", {}, t.request.what);
                    if (!t.request.due_date.empty()) h.element("p", {}, ctx.t("cases.due", {{"time", ctx.date(t.request.due_date)}}));
                    h.element("dl", {{"class", "facts"}}, [&] {
                        for (const auto& [k, v] : t.person) {
                            if (v.empty()) continue;
                            h.element("dt", {}, ctx.t("requests.field_" + k));
                            h.element("dd", {}, v);
                        }
                    });
                    h.element("p", {{"class", "small"}}, ctx.t("tasks.until", {{"time", web::site_time(t.until, zone)}}));
                    web::post_form(h, request, url("/tasks/", t.request.id) + "/done", {}, [&] {
                        h.element("button", {{"type", "submit"}, {"class", "secondary"}}, ctx.t("tasks.done"));
                    });
                });
        });
    });
}

Result<Response> task_done_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    if (auto s = c.casework.complete_task(*request.principal, id); !s) return s.error();
    return Response::redirect("/tasks");
}

}  // namespace haven::casework
