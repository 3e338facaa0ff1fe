// The people pages: intake (with the duplicate warning and consent) and a person's page (details, edit, consent,
// erasure). The list, search and retention: pages_list.cpp.
#include <sstream>

#include "core/dates.hpp"
#include "http/form.hpp"
#include "http/params.hpp"
#include "modules/people/pages.hpp"
#include "web/widgets.hpp"

namespace haven::people {

std::string site_url(int64_t site) { return "/sites/" + std::to_string(site) + "/people"; }
std::string person_url(int64_t id) { return "/people/" + std::to_string(id); }

std::string joined(const std::vector<std::string>& v, const char* sep) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
    return s;
}

void match_list(web::Html& h, const std::vector<Match>& matches, const char* id) {
    h.element("ul", {{"class", "people"}, {"id", id}}, [&] {
        for (const auto& m : matches)
            h.element("li", {}, [&] {
                h.element("a", {{"href", person_url(m.id)}}, m.pseudonym);
                // A search marks the name that met the query (Match::matched_name; 0 is the pseudonym).
                h.element("span", {{"class", "small"}}, [&] {
                    for (size_t i = 0; i < m.legal_names.size(); ++i) {
                        h.text(" · ");
                        if (m.matched_name == int(i) + 1)
                            h.element("mark", {}, m.legal_names[i]);
                        else
                            h.text(m.legal_names[i]);
                    }
                });
            });
    });
}

namespace {

std::vector<std::string> lines_of(std::string_view text) {
    std::vector<std::string> out;
    std::string line;
    std::istringstream in{std::string(text)};
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!line.empty()) out.push_back(line);
    }
    return out;
}

std::vector<std::string> words_of(std::string_view text) {
    std::vector<std::string> out;
    std::string w;
    for (char ch : text) {
        if (ch == ',' || ch == ';' || ch == ' ') {
            if (!w.empty()) out.push_back(w);
            w.clear();
        } else {
            w += ch;
        }
    }
    if (!w.empty()) out.push_back(w);
    return out;
}

Person person_from_form(const http::Form& f) {
    Person p;
    p.pseudonym = f.get("pseudonym");
    p.legal_names = lines_of(f.get("legal_names"));
    p.birth_date = f.get("birth_date");
    p.nationality = f.get("nationality");
    p.languages = words_of(f.get("languages"));
    p.phone = f.get("phone");
    p.email = f.get("email");
    p.messenger = f.get("messenger");
    p.arrival_date = f.get("arrival_date");
    p.status = f.get("status");
    for (auto v : f.all("needs")) p.needs.emplace_back(v);
    for (auto v : f.all("circumstances")) p.circumstances.emplace_back(v);
    p.notes = f.get("notes");
    return p;
}

void checkbox(web::Html& h, const http::Request& request, const std::string& name, const std::string& value, const std::string& label, bool checked) {
    const std::string id = name + "-" + value;
    h.element("div", {{"class", "field check"}}, [&] {
        if (web::echoed_check(request, name, value, checked))
            h.empty("input", {{"id", id}, {"name", name}, {"type", "checkbox"}, {"value", value}, {"checked", "checked"}});
        else
            h.empty("input", {{"id", id}, {"name", name}, {"type", "checkbox"}, {"value", value}});
        h.element("label", {{"for", id}}, label);
    });
}

bool has(const std::vector<std::string>& v, std::string_view x) { return std::find(v.begin(), v.end(), x) != v.end(); }

// The person's fields, for intake and edit. Circumstances sit apart, marked as the most sensitive.
void person_fields(web::Html& h, const web::PageContext& ctx, const Person& p) {
    field(h, ctx, "pseudonym", "people.pseudonym", "text", p.pseudonym);
    web::textarea(h, ctx, "legal_names", "people.legal_names", joined(p.legal_names, "\n"), 3, "people.legal_names_help");
    field(h, ctx, "birth_date", "people.birth_date", "date", p.birth_date);
    field(h, ctx, "nationality", "people.nationality", "text", p.nationality);
    field(h, ctx, "languages", "people.languages", "text", joined(p.languages, ", "));
    field(h, ctx, "phone", "people.phone", "tel", p.phone);
    field(h, ctx, "email", "people.email", "email", p.email);
    field(h, ctx, "messenger", "people.messenger", "text", p.messenger);
    field(h, ctx, "arrival_date", "people.arrival_date", "date", p.arrival_date);
    h.element("div", {{"class", "field"}}, [&] {
        h.element("label", {{"for", "status"}}, ctx.t("people.status"));
        h.element("select", {{"id", "status"}, {"name", "status"}}, [&] {
            for (auto s : statuses()) {
                const std::string v(s), label = ctx.t("people.status_" + v);
                if (web::echoed(ctx.request, "status", p.status) == s)
                    h.element("option", {{"value", v}, {"selected", "selected"}}, label);
                else
                    h.element("option", {{"value", v}}, label);
            }
        });
    });
    h.element("fieldset", {{"class", "stack"}}, [&] {
        h.element("legend", {}, ctx.t("people.needs"));
        for (auto n : need_kinds()) checkbox(h, ctx.request, "needs", std::string(n), ctx.t("people.need_" + std::string(n)), has(p.needs, n));
    });
    h.element("fieldset", {{"class", "stack sensitive"}}, [&] {
        h.element("legend", {}, ctx.t("people.circumstances"));
        h.element("p", {{"class", "small"}}, ctx.t("people.circumstances_help"));
        for (auto n : circumstance_kinds())
            checkbox(h, ctx.request, "circumstances", std::string(n), ctx.t("people.circumstance_" + std::string(n)), has(p.circumstances, n));
    });
    web::textarea(h, ctx, "notes", "people.notes", p.notes);
}

void consent_fields(web::Html& h, const web::PageContext& ctx, const std::vector<std::string>& agreed) {
    h.element("fieldset", {{"class", "stack"}}, [&] {
        h.element("legend", {}, ctx.t("people.consent"));
        h.element("p", {{"class", "small"}}, ctx.t("people.consent_help"));
        for (auto k : consent_purposes())
            checkbox(h, ctx.request, "consent", std::string(k), ctx.t("people.consent_" + std::string(k)), has(agreed, k));
        field(h, ctx, "consent_note", "people.consent_note", "text");
    });
}

Response intake_page(Request& request, const Person& p, int64_t site, int status, const std::string& error, const std::vector<Match>& duplicates,
                     const std::vector<std::string>& consent) {
    auto ctx = page_context(request);
    return web::page(ctx, status, "people.intake_title", [&](web::Html& h) {
        h.element("p", {{"class", "lead"}}, ctx.t("people.intake_lead"));
        notice(h, error);
        web::post_form(h, request, site_url(site), {{"class", "stack"}, {"id", "intake"}}, [&] {
            if (!duplicates.empty()) {
                h.element("div", {{"class", "notice error"}, {"role", "alert"}, {"id", "duplicates"}}, [&] {
                    h.element("p", {}, ctx.t("people.duplicates", {{"count", int64_t(duplicates.size())}}));
                    match_list(h, duplicates, "duplicate-list");
                    checkbox(h, ctx.request, "confirm_new", "1", ctx.t("people.confirm_new"), false);
                });
            }
            person_fields(h, ctx, p);
            consent_fields(h, ctx, consent);
            h.element("button", {{"type", "submit"}}, ctx.t("people.save_intake"));
        });
    });
}

}  // namespace

Result<Response> intake_show(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    if (!may(*request.principal, Action::people_manage, site)) return accounts::role_forbids();
    (void)c;
    Person p;
    p.arrival_date = "";
    return intake_page(request, p, site, 200, "", {}, {});  // consent is never ticked for the person
}

Result<Response> intake_save(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(form, form_body(request));
    Person p = person_from_form(form);
    p.site_id = site;
    std::vector<std::string> consent;
    for (auto v : form.all("consent")) consent.emplace_back(v);
    // A failure shows the form again, everything typed kept (the field at fault marked).
    auto again = [&](const Error& e) {
        return web::show_again(request, e, [&]() -> Result<Response> { return intake_page(request, p, site, 200, "", {}, consent); });
    };
    if (auto s = check(p, c.people.now_ms()); !s) return again(s.error());
    if (form.get("confirm_new") != "1") {
        HAVEN_TRY(dups, c.people.possible_duplicates(*request.principal, site, p.names()));
        if (!dups.empty()) return intake_page(request, p, site, 200, "", dups, consent);
    }
    auto created = c.people.create(*request.principal, p, false);  // just looked, or told there is no one
    if (!created) return again(created.error());
    if (auto s = c.people.add_consent(*request.principal, created->id, {0, consent, std::string(form.get("consent_note")), 0, {}}); !s)
        return s.error();
    return Response::redirect(person_url(created->id) + "?created=1");
}

Result<Response> person_show(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    const Principal& me = *request.principal;
    HAVEN_TRY(p, c.people.read(me, id));
    HAVEN_TRY(consents, c.people.consents(me, id));
    HAVEN_TRY(query, http::Form::parse(request.query));
    auto ctx = page_context(request);
    const bool manage = may(me, Action::people_manage, p.site_id);
    const std::string zone = c.accounts.site_zone(p.site_id);
    return web::page(ctx, 200, "people.person_title", [&](web::Html& h) {
        h.element("p", {}, [&] { h.element("a", {{"href", site_url(p.site_id)}}, ctx.t("people.back")); });
        if (query.get("created") == "1") notice(h, ctx.t("people.created"), false);
        if (query.get("saved") == "1") notice(h, ctx.t("people.saved"), false);
        h.element("h2", {{"id", "person-name"}}, p.pseudonym);
        h.element("dl", {{"class", "facts"}, {"id", "person"}}, [&] {
            auto fact = [&](const char* key, const std::string& value) {
                if (value.empty()) return;
                h.element("dt", {}, ctx.t(key));
                h.element("dd", {}, value);
            };
            fact("people.legal_names", joined(p.legal_names, " · "));
            fact("people.birth_date", ctx.date(p.birth_date));
            fact("people.nationality", p.nationality);
            fact("people.languages", joined(p.languages, ", "));
            fact("people.phone", p.phone);
            fact("people.email", p.email);
            fact("people.messenger", p.messenger);
            fact("people.arrival_date", p.arrival_date > date_of(c.people.now_ms()) ? ctx.date(p.arrival_date) + " (" + ctx.t("people.expected") + ")"
                                                                                    : ctx.date(p.arrival_date));
            fact("people.status", ctx.t("people.status_" + p.status));
            std::vector<std::string> needs, circumstances;
            for (const auto& n : p.needs) needs.push_back(ctx.t("people.need_" + n));
            for (const auto& n : p.circumstances) circumstances.push_back(ctx.t("people.circumstance_" + n));
            fact("people.needs", joined(needs, ", "));
            fact("people.circumstances", joined(circumstances, ", "));
            fact("people.notes", p.notes);
        });
        // Editing has its own page: the person's page stays short enough to read on a phone.
        if (manage)
            h.element("p", {}, [&] {
                h.element("a", {{"href", person_url(id) + "/edit"}, {"class", "button secondary"}, {"id", "edit-link"}}, ctx.t("people.edit_link"));
            });
        h.element("h2", {}, ctx.t("people.consent"));
        if (consents.empty()) h.element("p", {}, ctx.t("people.no_consent"));
        h.element("ul", {{"id", "consents"}}, [&] {
            for (const auto& k : consents) {
                std::vector<std::string> what;
                for (const auto& x : k.purposes) what.push_back(ctx.t("people.consent_" + x));
                h.element("li", {},
                          ctx.t("people.consent_line", {{"time", web::site_time(k.recorded_at, zone)},
                                                        {"name", k.recorded_by},
                                                        {"what", what.empty() ? ctx.t("people.consent_none") : joined(what, ", ")}}) +
                              (k.note.empty() ? "" : " — " + k.note));
            }
        });
        // Consent, under its own heading: what the person agreed to, then the form to record a change.
        // Folded until needed (open again when its post failed), which keeps the page short on a phone.
        if (manage) {
            const std::string action = person_url(id) + "/consents";
            const bool failed = request.echo.active && request.path == action;
            h.open("details", failed ? std::initializer_list<web::Attr>{{"id", "consent-change"}, {"open", "open"}}
                                     : std::initializer_list<web::Attr>{{"id", "consent-change"}});
            h.element("summary", {}, ctx.t("people.record_consent"));
            web::post_form(h, request, action, {{"class", "stack"}, {"id", "consent-form"}}, [&] {
                consent_fields(h, ctx, {});
                h.element("button", {{"type", "submit"}, {"class", "secondary"}}, ctx.t("people.record_consent"));
            });
            h.close();
        }
        if (c.sections) c.sections(h, ctx, request, p);
        if (may(me, Action::people_erase, p.site_id)) {
            h.element("h2", {}, ctx.t("people.erase"));
            h.element("p", {}, ctx.t("people.erase_help"));
            web::post_form(h, request, person_url(id) + "/erase", {{"class", "stack"}, {"id", "erase"}}, [&] {
                checkbox(h, ctx.request, "confirm", "1", ctx.t("people.erase_confirm"), false);
                h.element("button", {{"type", "submit"}, {"class", "danger"}}, ctx.t("people.erase_button"));
            });
        }
    });
}

Result<Response> person_edit_show(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(p, c.people.read(*request.principal, id));
    if (!may(*request.principal, Action::people_manage, p.site_id)) return accounts::role_forbids();
    auto ctx = page_context(request);
    return web::page(ctx, 200, "people.edit_title", [&](web::Html& h) {
        h.element("p", {}, [&] { h.element("a", {{"href", person_url(id)}}, ctx.t("people.back_to_person", {{"name", p.pseudonym}})); });
        web::post_form(h, request, person_url(id), {{"class", "stack"}, {"id", "edit"}}, [&] {
            person_fields(h, ctx, p);
            h.element("button", {{"type", "submit"}}, ctx.t("people.save"));
        });
    });
}

Result<Response> person_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    Person p = person_from_form(form);
    p.id = id;
    if (auto s = c.people.update(*request.principal, p); !s) return web::show_again(request, s.error(), [&] { return person_edit_show(request, c); });
    return Response::redirect(person_url(id) + "?saved=1");
}

Result<Response> consent_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    Consent k;
    for (auto v : form.all("consent")) k.purposes.emplace_back(v);
    k.note = form.get("consent_note");
    if (auto s = c.people.add_consent(*request.principal, id, k); !s)
        return web::show_again(request, s.error(), [&] { return person_show(request, c); });
    return Response::redirect(person_url(id) + "?saved=1");
}

Result<Response> erase_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    HAVEN_TRY(p, c.people.read(*request.principal, id));
    if (auto ask = web::confirm_first(request, form, page_context(request).t("confirm.erase", {{"name", p.pseudonym}}), person_url(id))) return *ask;
    HAVEN_TRY(site, c.people.erase(*request.principal, id));
    return Response::redirect(site_url(site) + "?erased=1");
}

}  // namespace haven::people
