// Casework pages: a case, its steps and documents, deadlines, procedure templates.
#include "modules/casework/pages.hpp"

namespace haven::casework {

Result<Response> case_open_save(Request& request, Context& c) {
    HAVEN_TRY(person, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    CaseInput in{person, std::atoll(std::string(form.get("template_id")).c_str()), std::atoll(std::string(form.get("adviser_id")).c_str()),
                 std::string(form.get("start_date"))};
    auto id = c.casework.open_case(*request.principal, in);
    if (!id) return web::show_again(request, id.error(), [&] { return c.person_page(request); });
    return Response::redirect(url("/cases/", *id));
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
                    h.element(
                        "p", {},
                        s.title + (s.due_date.empty() ? "" : " — " + ctx.t("cases.due", {{"time", ctx.date(s.due_date)}})) + (s.done ? " ✓" : ""));
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
            web::post_form(h, request, base + "/close", {}, [&] {
                h.element("button", {{"type", "submit"}, {"class", "secondary"}}, ctx.t("cases.close"));
            });
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
    HAVEN_TRY(form, form_body(request));
    HAVEN_TRY(k, c.casework.read_case(*request.principal, id));
    if (auto ask = web::confirm_first(request, form, page_context(request).t("confirm.close_case", {{"title", k.title}}), url("/cases/", id)))
        return *ask;
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
                    h.element("strong", {}, ctx.date(d.due_date) + (d.overdue ? " · " + ctx.t("deadlines.overdue") : ""));
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
            for (const auto& s : t.steps) {
                lines += std::to_string(s.days) + " | " + s.title + " | " + joined(s.documents, "; ");
                for (const auto& [lang, title] : s.titles) lines += " | " + lang + ": " + title;
                lines += "\n";
            }
            web::post_form(h, request, url("/templates/", t.id), {{"class", "stack card"}}, [&] {
                // Several forms on one page: each field's id names its procedure.
                field(h, ctx, "name", "templates.name", "text", t.name, "off", "name-" + std::to_string(t.id));
                field(h, ctx, "country", "templates.country", "text", t.country, "off", "country-" + std::to_string(t.id));
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
        if (bar == std::string::npos)
            return web::show_again(request, invalid("steps", "Write each step as: days | title | documents.", "steps"),
                                   [&] { return templates_show(request, c); });
        TemplateStep s;
        s.days = std::atoi(line.substr(0, bar).c_str());
        auto trim = [](std::string x) {
            x.erase(0, x.find_first_not_of(' '));
            x.erase(x.find_last_not_of(' ') + 1);
            return x;
        };
        s.title = trim(line.substr(bar + 1, bar2 == std::string::npos ? std::string::npos : bar2 - bar - 1));
        // After the documents, "| ru: …" gives the title in another language (the country's, the people's).
        const size_t languages = bar2 == std::string::npos ? std::string::npos : line.find('|', bar2 + 1);
        for (size_t next = languages; next != std::string::npos;) {
            const size_t after = line.find('|', next + 1);
            const std::string part = trim(line.substr(next + 1, after == std::string::npos ? std::string::npos : after - next - 1));
            const size_t colon = part.find(':');
            if (colon == std::string::npos)
                return web::show_again(request, invalid("steps", "Write a step's other languages as: | ru: title.", "steps"),
                                       [&] { return templates_show(request, c); });
            s.titles[trim(part.substr(0, colon))] = trim(part.substr(colon + 1));
            next = after;
        }
        if (languages != std::string::npos) line.resize(languages);  // the documents end where the languages begin
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
    if (auto s = c.casework.save_template(*request.principal, t); !s)
        return web::show_again(request, s.error(), [&] { return templates_show(request, c); });
    return Response::redirect("/templates");
}

}  // namespace haven::casework
