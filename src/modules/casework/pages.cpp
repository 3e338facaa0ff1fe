// Casework pages: sections of a person's page, a case, deadlines, templates, counselling, volunteers,
// requests, tasks and the dashboard. Each page is short and works on a phone.
#include "http/form.hpp"
#include "http/params.hpp"
#include "modules/accounts/common.hpp"
#include "modules/casework/handlers.hpp"
#include "web/widgets.hpp"

namespace haven::casework {

using accounts::Action;
using accounts::accounts_with;
using accounts::may;
using http::form_body;
using http::id_param;
using web::field;
using web::notice;
using web::page_context;
using web::select_field;

namespace {

std::string url(const char* base, int64_t id) { return std::string(base) + std::to_string(id); }

std::string joined(const std::vector<std::string>& v, const char* sep) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
    return s;
}

void checkboxes(web::Html& h, const web::PageContext& ctx, const char* name, const char* legend_key, const std::vector<std::string_view>& values,
                const std::vector<std::string>& checked, const std::string& label_prefix) {
    h.element("fieldset", {{"class", "stack"}}, [&] {
        h.element("legend", {}, ctx.t(legend_key));
        for (auto v : values) {
            const std::string value(v), id = std::string(name) + "-" + value;
            h.element("div", {{"class", "field check"}}, [&] {
                if (std::find(checked.begin(), checked.end(), value) != checked.end())
                    h.empty("input", {{"id", id}, {"name", name}, {"type", "checkbox"}, {"value", value}, {"checked", "checked"}});
                else h.empty("input", {{"id", id}, {"name", name}, {"type", "checkbox"}, {"value", value}});
                h.element("label", {{"for", id}}, ctx.t(label_prefix + value));
            });
        }
    });
}


std::vector<std::string> all(const http::Form& f, const char* name) {
    std::vector<std::string> out;
    for (auto v : f.all(name)) out.emplace_back(v);
    return out;
}


}  // namespace

void person_sections(web::Html& h, const web::PageContext& ctx, const Request& request, Context& c, const people::Person& p) {
    const Principal& me = *request.principal;
    const std::string base = "/people/" + std::to_string(p.id);
    if (may(me, Action::cases_work, p.site_id)) {
        h.element("h2", {}, ctx.t("cases.title"));
        auto cases = c.casework.cases_of(me, p.id);
        h.element("ul", {{"id", "cases"}}, [&] {
            for (const auto& k : cases ? cases.value() : std::vector<Case>{})
                h.element("li", {}, [&] {
                    h.element("a", {{"href", url("/cases/", k.id)}}, k.title);
                    h.text(" · " + ctx.t("cases.status_" + k.status) + (k.adviser.empty() ? "" : " · " + k.adviser));
                });
        });
        std::vector<std::pair<std::string, std::string>> templates, advisers = {{"", ctx.t("cases.no_adviser")}};
        for (const auto& t : c.casework.templates()) templates.emplace_back(std::to_string(t.id), t.name + " (" + t.country + ")");
        for (auto& a : accounts_with(c.accounts, me, p.site_id, Role::legal_adviser)) advisers.push_back(std::move(a));
        web::post_form(h, request, base + "/cases", {{"class", "stack"}, {"id", "open-case"}}, [&] {
            select_field(h, ctx, "template_id", "cases.template", templates);
            if (may(me, Action::accounts_view, p.site_id)) select_field(h, ctx, "adviser_id", "cases.adviser", advisers);
            field(h, ctx, "start_date", "cases.start_date", "date");
            h.element("button", {{"type", "submit"}, {"class", "secondary"}}, ctx.t("cases.open"));
        });
    }
    if (may(me, Action::counselling_assign, p.site_id)) {
        h.element("h2", {}, ctx.t("counselling.title"));
        auto list = c.casework.compartments_of(me, p.id);
        h.element("ul", {{"id", "counsellors"}}, [&] {
            for (const auto& k : list ? list.value() : std::vector<Compartment>{})
                h.element("li", {}, k.counsellor + " · " + ctx.t(k.closed_at ? "counselling.closed" : "counselling.open"));
        });
        auto counsellors = accounts_with(c.accounts, me, p.site_id, Role::counsellor);
        if (!counsellors.empty())
            web::post_form(h, request, base + "/counselling", {{"class", "stack"}, {"id", "assign-counsellor"}}, [&] {
                select_field(h, ctx, "counsellor_id", "counselling.counsellor", counsellors);
                h.element("p", {{"class", "small"}}, ctx.t("counselling.assign_help"));
                h.element("button", {{"type", "submit"}, {"class", "secondary"}}, ctx.t("counselling.assign"));
            });
    }
    if (may(me, Action::requests_manage, p.site_id)) {
        h.element("h2", {}, ctx.t("requests.new"));
        std::vector<std::pair<std::string, std::string>> skill_options = {{"", "—"}};
        for (auto s : skills()) skill_options.emplace_back(std::string(s), ctx.t("skill." + std::string(s)));
        web::post_form(h, request, base + "/requests", {{"class", "stack"}, {"id", "new-request"}}, [&] {
            field(h, ctx, "what", "requests.what", "text");
            select_field(h, ctx, "skill", "requests.skill", skill_options);
            field(h, ctx, "language", "requests.language", "text");
            field(h, ctx, "due_date", "requests.due_date", "date");
            checkboxes(h, ctx, "fields", "requests.fields", shareable_fields(), {"pseudonym"}, "requests.field_");
            h.element("button", {{"type", "submit"}, {"class", "secondary"}}, ctx.t("requests.create"));
        });
    }
}

Result<Response> case_open_save(Request& request, Context& c) {
    HAVEN_TRY(person, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    CaseInput in{person, std::atoll(std::string(form.get("template_id")).c_str()), std::atoll(std::string(form.get("adviser_id")).c_str()),
                 std::string(form.get("start_date"))};
    HAVEN_TRY(id, c.casework.open_case(*request.principal, in));
    return Response::redirect(url("/cases/", id));
}

Result<Response> case_show(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(k, c.casework.read_case(*request.principal, id));
    auto ctx = page_context(request);
    const bool work = may(*request.principal, Action::cases_work, k.site_id) && k.status == "open";
    const std::string base = url("/cases/", id);
    return web::page(ctx, 200, "cases.case_title", [&](web::Html& h) {
        h.element("h2", {{"id", "case-title"}}, k.title);
        h.element("p", {}, [&] {
            h.element("a", {{"href", url("/people/", k.person_id)}}, k.pseudonym);
            h.text(" · " + ctx.t("cases.status_" + k.status) + (k.adviser.empty() ? "" : " · " + k.adviser));
        });
        h.element("h2", {}, ctx.t("cases.steps"));
        h.element("ol", {{"class", "steps"}, {"id", "steps"}}, [&] {
            for (const auto& s : k.steps)
                h.element("li", {{"class", s.done ? "done" : "open"}}, [&] {
                    h.element("p", {}, s.title + (s.due_date.empty() ? "" : " — " + ctx.t("cases.due", {{"time", s.due_date}})) +
                                           (s.done ? " ✓" : ""));
                    if (!s.note.empty()) h.element("p", {{"class", "small"}}, s.note);
                    if (!work) return;
                    web::post_form(h, request, base + "/steps/" + std::to_string(s.id), {{"class", "inline"}}, [&] {
                        h.empty("input", {{"type", "hidden"}, {"name", "done"}, {"value", s.done ? "0" : "1"}});
                        h.empty("input", {{"type", "date"}, {"name", "due_date"}, {"value", s.due_date}, {"aria-label", ctx.t("cases.due_date")}});
                        h.element("button", {{"type", "submit"}, {"class", "secondary"}}, ctx.t(s.done ? "cases.reopen_step" : "cases.step_done"));
                    });
                });
        });
        h.element("h2", {}, ctx.t("cases.documents"));
        h.element("ul", {{"id", "documents"}}, [&] {
            for (const auto& d : k.documents)
                h.element("li", {}, [&] {
                    h.text((d.received ? "✓ " : "○ ") + d.name + " ");
                    if (!work) return;
                    web::post_form(h, request, base + "/documents/" + std::to_string(d.id), {{"class", "inline"}}, [&] {
                        h.empty("input", {{"type", "hidden"}, {"name", "received"}, {"value", d.received ? "0" : "1"}});
                        h.element("button", {{"type", "submit"}, {"class", "link"}}, ctx.t(d.received ? "cases.not_received" : "cases.received"));
                    });
                });
        });
        if (work)
            web::post_form(h, request, base + "/close", {}, [&] { h.element("button", {{"type", "submit"}, {"class", "secondary"}}, ctx.t("cases.close")); });
    });
}

Result<Response> step_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(step, id_param(request, "step"));
    HAVEN_TRY(form, form_body(request));
    std::optional<bool> done;
    if (form.has("done")) done = form.get("done") == "1";
    std::optional<std::string> due;
    if (form.has("due_date")) due = std::string(form.get("due_date"));
    if (auto s = c.casework.update_step(*request.principal, id, step, done, due, std::nullopt); !s) return s.error();
    return Response::redirect(url("/cases/", id));
}

Result<Response> document_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(doc, id_param(request, "doc"));
    HAVEN_TRY(form, form_body(request));
    if (auto s = c.casework.set_document(*request.principal, id, doc, form.get("received") == "1"); !s) return s.error();
    return Response::redirect(url("/cases/", id));
}

Result<Response> case_close_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    if (auto s = c.casework.close_case(*request.principal, id); !s) return s.error();
    return Response::redirect(url("/cases/", id));
}

Result<Response> deadlines_show(Request& request, Context& c) {
    HAVEN_TRY(query, http::Form::parse(request.query));
    std::optional<int64_t> site;
    if (query.has("site")) site = std::atoll(std::string(query.get("site")).c_str());
    HAVEN_TRY(list, c.casework.deadlines(*request.principal, site, 7));
    auto ctx = page_context(request);
    return web::page(ctx, 200, "deadlines.title", [&](web::Html& h) {
        h.element("p", {}, ctx.t(site ? "deadlines.site_help" : "deadlines.help"));
        if (list.empty()) h.element("p", {}, ctx.t("deadlines.none"));
        h.element("ul", {{"class", "people"}, {"id", "deadlines"}}, [&] {
            for (const auto& d : list)
                h.element("li", {{"class", d.overdue ? "overdue" : ""}}, [&] {
                    h.element("strong", {}, d.due_date + (d.overdue ? " · " + ctx.t("deadlines.overdue") : ""));
                    h.text(" " + d.step_title + " — ");
                    h.element("a", {{"href", url("/cases/", d.case_id)}}, d.pseudonym + " · " + d.case_title);
                    if (site && !d.adviser.empty()) h.text(" · " + d.adviser);
                });
        });
    });
}

Result<Response> templates_show(Request& request, Context& c) {
    auto ctx = page_context(request);
    return web::page(ctx, 200, "templates.title", [&](web::Html& h) {
        h.element("p", {}, ctx.t("templates.help"));
        for (const auto& t : c.casework.templates()) {
            std::string lines;
            for (const auto& s : t.steps) lines += std::to_string(s.days) + " | " + s.title + " | " + joined(s.documents, "; ") + "\n";
            web::post_form(h, request, url("/templates/", t.id), {{"class", "stack card"}}, [&] {
                field(h, ctx, "name", "templates.name", "text", t.name);
                field(h, ctx, "country", "templates.country", "text", t.country);
                h.element("div", {{"class", "field"}}, [&] {
                    const std::string id = "steps-" + std::to_string(t.id);
                    h.element("label", {{"for", id}}, ctx.t("templates.steps"));
                    h.element("textarea", {{"id", id}, {"name", "steps"}, {"rows", "6"}}, lines);
                });
                h.element("button", {{"type", "submit"}}, ctx.t("templates.save"));
            });
        }
    });
}

Result<Response> template_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    Template t{id, std::string(form.get("country")), std::string(form.get("name")), {}};
    // One step per line: "days | title | document; document".
    std::string steps(form.get("steps"));
    size_t at = 0;
    while (at < steps.size()) {
        size_t end = steps.find('\n', at);
        if (end == std::string::npos) end = steps.size();
        std::string line = steps.substr(at, end - at);
        at = end + 1;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        auto bar = line.find('|'), bar2 = line.find('|', bar == std::string::npos ? line.size() : bar + 1);
        if (bar == std::string::npos) return make_error(ErrorKind::invalid, "validation_failed", "Write each step as: days | title | documents.", "steps");
        TemplateStep s;
        s.days = std::atoi(line.substr(0, bar).c_str());
        auto trim = [](std::string x) {
            x.erase(0, x.find_first_not_of(' '));
            x.erase(x.find_last_not_of(' ') + 1);
            return x;
        };
        s.title = trim(line.substr(bar + 1, bar2 == std::string::npos ? std::string::npos : bar2 - bar - 1));
        if (bar2 != std::string::npos) {
            std::string docs = line.substr(bar2 + 1);
            size_t d = 0;
            while (d <= docs.size()) {
                size_t e = std::min(docs.find(';', d), docs.size());
                if (auto name = trim(docs.substr(d, e - d)); !name.empty()) s.documents.push_back(name);
                d = e + 1;
            }
        }
        t.steps.push_back(std::move(s));
    }
    if (auto s = c.casework.save_template(*request.principal, t); !s) return s.error();
    return Response::redirect("/templates");
}

Result<Response> counsellor_save(Request& request, Context& c) {
    HAVEN_TRY(person, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    HAVEN_TRY(id, c.casework.assign_counsellor(*request.principal, person, std::atoll(std::string(form.get("counsellor_id")).c_str())));
    (void)id;
    return Response::redirect(url("/people/", person) + "?saved=1");
}

Result<Response> counselling_show(Request& request, Context& c) {
    auto list = c.casework.my_compartments(*request.principal);
    auto ctx = page_context(request);
    return web::page(ctx, 200, "counselling.title", [&](web::Html& h) {
        h.element("p", {}, ctx.t("counselling.help"));
        if (list.empty()) h.element("p", {}, ctx.t("counselling.none"));
        h.element("ul", {{"class", "people"}, {"id", "compartments"}}, [&] {
            for (const auto& k : list) h.element("li", {}, [&] { h.element("a", {{"href", url("/counselling/", k.id)}}, k.pseudonym); });
        });
    });
}

Result<Response> compartment_show(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(notes, c.casework.notes(*request.principal, id));
    auto ctx = page_context(request);
    return web::page(ctx, 200, "counselling.notes", [&](web::Html& h) {
        h.element("p", {{"class", "small"}}, ctx.t("counselling.sealed"));
        web::post_form(h, request, url("/counselling/", id) + "/notes", {{"class", "stack"}, {"id", "new-note"}}, [&] {
            h.element("div", {{"class", "field"}}, [&] {
                h.element("label", {{"for", "text"}}, ctx.t("counselling.new_note"));
                h.element("textarea", {{"id", "text"}, {"name", "text"}, {"rows", "5"}}, "");
            });
            h.element("button", {{"type", "submit"}}, ctx.t("counselling.save_note"));
        });
        h.element("ul", {{"class", "people"}, {"id", "notes"}}, [&] {
            for (const auto& n : notes)
                h.element("li", {}, [&] {
                    h.element("p", {{"class", "small"}}, web::utc_time(n.written_at));
                    h.element("p", {{"class", "note"}}, n.text);
                });
        });
    });
}

Result<Response> note_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    if (auto s = c.casework.add_note(*request.principal, id, std::string(form.get("text"))); !s) return s.error();
    return Response::redirect(url("/counselling/", id));
}

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
    if (auto s = c.casework.save_profile(*request.principal, p); !s) return s.error();
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
    HAVEN_TRY(id, c.casework.create_request(*request.principal, q));
    HAVEN_TRY(got, c.casework.read_request(*request.principal, id));
    return Response::redirect("/sites/" + std::to_string(got.site_id) + "/requests#request-" + std::to_string(id));
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
                              q.pseudonym + (q.language.empty() ? "" : " · " + q.language) + (q.due_date.empty() ? "" : " · " + ctx.t("cases.due", {{"time", q.due_date}})) +
                                  " · " + ctx.t("requests.status_" + q.status) + (q.volunteer.empty() ? "" : " · " + q.volunteer));
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
                            options.emplace_back(std::to_string(s.volunteer.account_id), s.volunteer.username + (why.empty() ? "" : " — " + joined(why, ", ")));
                        }
                        const std::string select_id = "volunteer-" + std::to_string(q.id);
                        h.element("div", {{"class", "field"}}, [&] {
                            h.element("label", {{"for", select_id}}, ctx.t("requests.suggested"));
                            h.element("select", {{"id", select_id}, {"name", "volunteer_id"}}, [&] {
                                for (const auto& [value, label] : options) h.element("option", {{"value", value}}, label);
                            });
                        });
                        h.element("button", {{"type", "submit"}, {"class", "secondary"}}, ctx.t("requests.assign"));
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
    return web::page(ctx, 200, "tasks.title", [&](web::Html& h) {
        if (tasks.empty()) h.element("p", {}, ctx.t("tasks.none"));
        h.element("ul", {{"class", "cards"}, {"id", "tasks"}}, [&] {
            for (const auto& t : tasks)
                h.element("li", {{"class", "card"}}, [&] {
                    h.element("h2", {}, t.request.what);
                    if (!t.request.due_date.empty()) h.element("p", {}, ctx.t("cases.due", {{"time", t.request.due_date}}));
                    h.element("dl", {{"class", "facts"}}, [&] {
                        for (const auto& [k, v] : t.person) {
                            if (v.empty()) continue;
                            h.element("dt", {}, ctx.t("requests.field_" + k));
                            h.element("dd", {}, v);
                        }
                    });
                    h.element("p", {{"class", "small"}}, ctx.t("tasks.until", {{"time", web::utc_time(t.until)}}));
                    web::post_form(h, request, url("/tasks/", t.request.id) + "/done", {},
                                   [&] { h.element("button", {{"type", "submit"}, {"class", "secondary"}}, ctx.t("tasks.done")); });
                });
        });
    });
}

Result<Response> task_done_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    if (auto s = c.casework.complete_task(*request.principal, id); !s) return s.error();
    return Response::redirect("/tasks");
}

Result<Response> dashboard_show(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(d, c.casework.dashboard(*request.principal, site));
    auto ctx = page_context(request);
    const std::string s = std::to_string(site);
    return web::page(ctx, 200, "dashboard.title", [&](web::Html& h) {
        h.element("ul", {{"class", "cards figures"}, {"id", "figures"}}, [&] {
            auto figure = [&](const char* key, int64_t n, const std::string& href) {
                h.element("li", {{"class", "card"}}, [&] {
                    h.element("p", {{"class", "figure"}}, std::to_string(n));
                    if (href.empty()) h.element("p", {}, ctx.t(key));
                    else h.element("a", {{"href", href}}, ctx.t(key));
                });
            };
            figure("dashboard.people", d.people, may(*request.principal, Action::people_open, site) ? "/sites/" + s + "/people" : "");
            figure("dashboard.open_cases", d.open_cases, "");
            figure("dashboard.deadlines", d.deadlines_this_week, may(*request.principal, Action::cases_view, site) ? "/deadlines?site=" + s : "");
            figure("dashboard.overdue", d.overdue, "");
            figure("dashboard.open_requests", d.open_requests, may(*request.principal, Action::requests_manage, site) ? "/sites/" + s + "/requests" : "");
        });
        h.element("h2", {}, ctx.t("dashboard.arrivals"));
        int64_t most = 1;
        for (const auto& [m, n] : d.arrivals) most = std::max(most, n);
        h.element("table", {{"class", "list"}, {"id", "arrivals"}}, [&] {
            h.element("tbody", {}, [&] {
                for (const auto& arrival : d.arrivals)
                    h.element("tr", {}, [&] {
                        const std::string& month = arrival.first;  // (no structured binding: clang 14 cannot capture one)
                        const int64_t n = arrival.second;
                        h.element("th", {{"scope", "row"}}, month);
                        h.element("td", {}, [&] {
                            h.element("meter", {{"min", "0"}, {"max", std::to_string(most)}, {"value", std::to_string(n)}}, std::to_string(n));
                            h.text(" " + std::to_string(n));
                        });
                    });
            });
        });
    });
}

}  // namespace haven::casework
