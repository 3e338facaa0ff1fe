// The registry's pages for prisoner support: the site's prisoners (search in any alphabet by a form post, so that a
// name never enters a URL), a new prisoner, a list imported from CSV; a prisoner's page with where they are held
// and have been, the move form (in transit, or arrived), the correspondents they approved, their letters and a
// letter written by hand; the institutions; the campaign calendar; the counts; the censor's rules.
#include <charconv>

#include "core/dates.hpp"
#include "core/utf8.hpp"
#include "http/form.hpp"
#include "http/params.hpp"
#include "modules/accounts/types.hpp"
#include "modules/prisoners/handlers.hpp"
#include "web/widgets.hpp"

namespace haven::prisoners {

using accounts::Action;
using accounts::may;
using http::form_body;
using http::id_param;
using web::field;
using web::folded;
using web::page_context;

namespace {

std::string prisoner_url(int64_t id) { return "/prisoners/" + std::to_string(id); }
std::string site_url(int64_t site) { return "/sites/" + std::to_string(site); }

std::vector<std::string> split(std::string_view text, std::string_view by) {
    std::vector<std::string> out;
    for (size_t at = 0; at <= text.size();) {
        size_t end = text.find_first_of(by, at);
        if (end == std::string_view::npos) end = text.size();
        if (auto part = trim(text.substr(at, end - at)); !part.empty()) out.push_back(part);
        at = end + 1;
    }
    return out;
}

std::string joined(const std::vector<std::string>& v, const char* by) {
    std::string out;
    for (const auto& x : v) out += (out.empty() ? "" : by) + x;
    return out;
}

void status_options(web::Html& h, const web::PageContext& ctx, const std::string& chosen, bool with_transit) {
    std::vector<std::pair<std::string, std::string>> options;
    for (const auto& s : prisoner_statuses())
        if (with_transit || s != "in_transit") options.push_back({s, ctx.t("prisoners.status_" + s)});
    web::select_field(h, ctx, "status", "prisoners.status", options, chosen);
}

// The fields of a prisoner's form, filled with `p`.
void prisoner_fields(web::Html& h, const web::PageContext& ctx, const Prisoner& p) {
    field(h, ctx, "name", "prisoners.name", "text", p.names.empty() ? "" : p.names[0]);
    field(h, ctx, "other_names", "prisoners.other_names", "text", p.names.size() > 1 ? joined({p.names.begin() + 1, p.names.end()}, "; ") : "");
    field(h, ctx, "address_as", "prisoners.address_as", "text", p.address_as);
    field(h, ctx, "birth_date", "prisoners.birth_date", "date", p.birth_date);
    if (p.status != "in_transit") status_options(h, ctx, p.status, false);
    field(h, ctx, "articles", "prisoners.articles", "text", p.articles);
    web::textarea(h, ctx, "case", "prisoners.case", p.case_summary, 3);
    web::textarea(h, ctx, "interests", "prisoners.interests", p.interests, 2);
    field(h, ctx, "languages", "prisoners.languages", "text", joined(p.languages, " "));
    field(h, ctx, "release_date", "prisoners.release_date", "date", p.release_date);
    std::string dates;
    for (const auto& d : p.dates) dates += d.date + (d.note.empty() ? "" : " " + d.note) + "\n";
    web::textarea(h, ctx, "dates", "prisoners.dates", dates, 3, "prisoners.dates_help");
    field(h, ctx, "weight", "prisoners.weight", "number", std::to_string(p.weight));
    for (const auto& box :
         {std::tuple{"public", "prisoners.public", p.public_name}, std::tuple{"approved_only", "prisoners.approved_only", p.approved_only}})
        h.element("label", {{"class", "check"}}, [&] {
            const char* name = std::get<0>(box);
            if (web::echoed_check(ctx.request, name, "1", std::get<2>(box)))
                h.empty("input", {{"type", "checkbox"}, {"name", name}, {"value", "1"}, {"checked", "checked"}});
            else
                h.empty("input", {{"type", "checkbox"}, {"name", name}, {"value", "1"}});
            h.text(" " + ctx.t(std::get<1>(box)));
        });
    web::textarea(h, ctx, "notes", "prisoners.notes", p.notes, 3);
}

Result<Prisoner> prisoner_from(const http::Form& form) {
    Prisoner p;
    if (auto n = trim(form.get("name")); !n.empty()) p.names.push_back(n);
    for (auto& n : split(form.get("other_names"), ";")) p.names.push_back(n);
    p.address_as = form.get("address_as");
    p.birth_date = form.get("birth_date");
    p.status = form.has("status") ? std::string(form.get("status")) : "";
    p.articles = form.get("articles");
    p.case_summary = form.get("case");
    p.interests = form.get("interests");
    p.languages = split(form.get("languages"), " ,;");
    p.release_date = form.get("release_date");
    for (const auto& line : split(form.get("dates"), "\n")) {
        const size_t space = line.find(' ');
        p.dates.push_back({line.substr(0, space), space == std::string::npos ? std::string() : trim(line.substr(space + 1))});
    }
    const std::string_view weight = form.get("weight");
    p.weight = weight.size() == 1 && weight[0] >= '1' && weight[0] <= '5' ? weight[0] - '0' : weight.empty() ? 1 : 0;
    p.public_name = form.get("public") == "1";
    p.approved_only = form.get("approved_only") == "1";
    p.notes = form.get("notes");
    if (p.names.empty()) return invalid("name", "name is required.", "required");
    return p;
}

// The service names the first name "names"; the form calls it "name".
Error on_form(Error e) {
    if (e.field == "names") e.field = "name";
    if (e.field.starts_with("names[")) e.field = "other_names";
    return e;
}

Result<Response> prisoners_page(Request& request, Context& c, int64_t site, std::string_view query = {}) {
    HAVEN_TRY(list, c.registry.list(*request.principal, site, query));
    auto ctx = page_context(request);
    const bool manage = may(*request.principal, Action::prisoners_manage, site);
    return web::page(ctx, 200, "prisoners.title", [&](web::Html& h) {
        h.element("nav", {{"class", "sub"}}, [&] {
            for (auto [path, key] : {std::pair{"/letters", "letters.site_title"}, std::pair{"/prisoners/calendar", "prisoners.calendar"},
                                     std::pair{"/prisoners/figures", "prisoners.figures"}, std::pair{"/institutions", "prisoners.institutions"},
                                     std::pair{"/censor", "censor.title"}})
                if (manage || std::string(path) != "/letters") h.element("a", {{"href", site_url(site) + path}}, ctx.t(key));
        });
        web::post_form(h, request, site_url(site) + "/prisoners/search", {{"class", "search"}, {"role", "search"}}, [&] {
            field(h, ctx, "q", "prisoners.search", "search", std::string(query));
            h.element("button", {{"type", "submit"}}, ctx.t("prisoners.search_button"));
        });
        if (list.empty()) h.element("p", {}, query.empty() ? ctx.t("prisoners.none") : ctx.t("prisoners.none_found"));
        h.element("table", {{"class", "list"}, {"id", "prisoners"}}, [&] {
            h.element("tbody", {}, [&] {
                for (const auto& p : list)
                    h.element("tr", {}, [&] {
                        h.element("td", {{"data-label", ctx.t("prisoners.name")}}, [&] {
                            h.element("a", {{"href", prisoner_url(p.id)}}, p.names[0]);
                        });
                        h.element("td", {{"data-label", ctx.t("prisoners.status")}}, ctx.t("prisoners.status_" + p.status));
                    });
            });
        });
        if (!manage) return;
        folded(h, ctx, [&] {
            h.element("summary", {}, ctx.t("prisoners.new"));
            web::post_form(h, request, site_url(site) + "/prisoners", {{"class", "stack"}, {"id", "new-prisoner"}}, [&] {
                prisoner_fields(h, ctx, Prisoner{});
                h.element("button", {{"type", "submit"}}, ctx.t("prisoners.create"));
            });
        });
        folded(h, ctx, [&] {
            h.element("summary", {}, ctx.t("prisoners.import"));
            h.element("p", {{"class", "small"}}, ctx.t("prisoners.import_help"));
            h.open("form",
                   {{"method", "post"}, {"action", site_url(site) + "/prisoners/import"}, {"enctype", "multipart/form-data"}, {"class", "stack"}});
            web::csrf_field(h, request);
            field(h, ctx, "file", "prisoners.import_file", "file");
            h.element("button", {{"type", "submit"}}, ctx.t("prisoners.import_button"));
            h.close();
        });
    });
}

Result<Response> prisoner_page(Request& request, Context& c, int64_t id) {
    HAVEN_TRY(p, c.registry.read(*request.principal, id));
    HAVEN_TRY(stays, c.registry.stays(*request.principal, id));
    const bool manage = may(*request.principal, Action::prisoners_manage, p.site_id);
    std::vector<Institution> institutions;
    std::vector<Writer> writers;
    std::vector<int64_t> approved;
    std::vector<Letter> letters;
    if (manage) {
        HAVEN_TRY(i, c.registry.institutions(*request.principal, p.site_id));
        HAVEN_TRY(w, c.letters.writers(*request.principal, p.site_id));
        HAVEN_TRY(a, c.registry.approved(*request.principal, id));
        HAVEN_TRY(l, c.letters.of_prisoner(*request.principal, id));
        institutions = std::move(i);
        writers = std::move(w);
        approved = std::move(a);
        letters = std::move(l);
    }
    auto ctx = page_context(request);
    return web::page(ctx, 200, "prisoners.prisoner_title", [&](web::Html& h) {
        h.element("h2", {{"id", "prisoner-name"}}, p.names[0]);
        h.element("p", {{"id", "prisoner-status"}}, ctx.t("prisoners.status_" + p.status));
        h.element("h3", {}, ctx.t("prisoners.where"));
        if (stays.empty()) h.element("p", {}, ctx.t("prisoners.no_address"));
        h.element("ol", {{"class", "history"}, {"id", "stays"}}, [&] {
            for (const auto& s : stays)
                h.element("li", {}, [&] {
                    h.text(s.since + " · ");
                    if (!s.institution) {
                        h.element("strong", {}, ctx.t("prisoners.status_in_transit"));
                    } else {
                        h.element("strong", {}, s.institution->name);
                        h.text(" (" + ctx.t("prisoners.kind_" + s.institution->kind) + ") — " + s.institution->address);
                    }
                    if (!s.note.empty()) h.text(" · " + s.note);
                });
        });
        if (manage) {
            web::post_form(h, request, prisoner_url(id) + "/transfer", {{"class", "stack"}, {"id", "transfer"}}, [&] {
                std::vector<std::pair<std::string, std::string>> options = {{"0", ctx.t("prisoners.in_transit_option")}};
                for (const auto& i : institutions) options.push_back({std::to_string(i.id), i.name});
                web::select_field(h, ctx, "institution_id", "prisoners.moved_to", options);
                field(h, ctx, "since", "prisoners.since", "date", date_of(c.registry.now_ms()));
                field(h, ctx, "note", "prisoners.move_note", "text");
                h.element("p", {{"class", "small"}}, ctx.t("prisoners.move_help"));
                h.element("button", {{"type", "submit"}}, ctx.t("prisoners.move"));
            });
            if (institutions.empty())
                h.element("p", {}, [&] {
                    h.element("a", {{"href", site_url(p.site_id) + "/institutions"}}, ctx.t("prisoners.add_institution_first"));
                });
            h.element("h3", {}, ctx.t("letters.site_title"));
            h.element("ul", {{"id", "prisoner-letters"}}, [&] {
                for (const auto& l : letters)
                    h.element("li", {}, [&] {
                        h.element("a", {{"href", "/letters/" + std::to_string(l.id)}},
                                  ctx.date(date_of(l.created_at)) + " · " + (l.pen_name.empty() ? ctx.t("letters.by_hand") : l.pen_name));
                        h.text(" · " + ctx.t("letters.state_" + l.status) + (l.held ? " · " + ctx.t("letters.held") : ""));
                    });
            });
            folded(h, ctx, [&] {
                h.element("summary", {}, ctx.t("letters.record_handwritten"));
                web::post_form(h, request, prisoner_url(id) + "/letters", {{"class", "stack"}, {"id", "handwritten"}}, [&] {
                    std::vector<std::pair<std::string, std::string>> options = {{"0", "—"}};
                    for (const auto& w : writers) options.push_back({std::to_string(w.id), w.pen_name});
                    web::select_field(h, ctx, "writer_id", "letters.pen_name", options);
                    web::textarea(h, ctx, "body", "letters.transcription", "", 5);
                    h.element("button", {{"type", "submit"}}, ctx.t("letters.record"));
                });
            });
            folded(h, ctx, [&] {
                h.element("summary", {}, ctx.t("prisoners.approved_title"));
                web::post_form(h, request, prisoner_url(id) + "/approvals", {{"class", "stack"}, {"id", "approvals"}}, [&] {
                    if (writers.empty()) h.element("p", {}, ctx.t("prisoners.no_writers"));
                    for (const auto& w : writers)
                        h.element("label", {{"class", "check"}}, [&] {
                            const std::string v = std::to_string(w.id);
                            if (std::find(approved.begin(), approved.end(), w.id) != approved.end())
                                h.empty("input", {{"type", "checkbox"}, {"name", "writer"}, {"value", v}, {"checked", "checked"}});
                            else
                                h.empty("input", {{"type", "checkbox"}, {"name", "writer"}, {"value", v}});
                            h.text(" " + w.pen_name);
                        });
                    h.element("button", {{"type", "submit"}}, ctx.t("prisoners.save_approved"));
                });
            });
            folded(h, ctx, [&] {
                h.element("summary", {}, ctx.t("prisoners.edit"));
                web::post_form(h, request, prisoner_url(id), {{"class", "stack"}, {"id", "edit-prisoner"}}, [&] {
                    prisoner_fields(h, ctx, p);
                    h.element("button", {{"type", "submit"}}, ctx.t("prisoners.save"));
                });
            });
        } else {
            h.element("dl", {{"class", "facts"}}, [&] {
                for (auto [key, value] :
                     {std::pair{"prisoners.articles", p.articles}, std::pair{"prisoners.interests", p.interests},
                      std::pair{"prisoners.birth_date", ctx.date(p.birth_date)}, std::pair{"prisoners.release_date", ctx.date(p.release_date)}})
                    if (!value.empty()) {
                        h.element("dt", {}, ctx.t(key));
                        h.element("dd", {}, value);
                    }
            });
        }
    });
}

Result<Response> institutions_page(Request& request, Context& c, int64_t site) {
    HAVEN_TRY(list, c.registry.institutions(*request.principal, site));
    auto ctx = page_context(request);
    return web::page(ctx, 200, "prisoners.institutions", [&](web::Html& h) {
        h.element("ul", {{"class", "cards"}, {"id", "institutions"}}, [&] {
            for (const auto& i : list)
                h.element("li", {{"class", "card"}}, [&] {
                    h.element("strong", {}, i.name);
                    h.text(" (" + ctx.t("prisoners.kind_" + i.kind) + ")");
                    h.element("p", {}, i.address);
                });
        });
        if (!may(*request.principal, Action::prisoners_manage, site)) return;
        h.element("h2", {}, ctx.t("prisoners.new_institution"));
        web::post_form(h, request, site_url(site) + "/institutions", {{"class", "stack"}, {"id", "new-institution"}}, [&] {
            std::vector<std::pair<std::string, std::string>> kinds;
            for (const auto& k : institution_kinds()) kinds.push_back({k, ctx.t("prisoners.kind_" + k)});
            web::select_field(h, ctx, "kind", "prisoners.kind", kinds);
            field(h, ctx, "name", "prisoners.institution_name", "text");
            web::textarea(h, ctx, "address", "prisoners.postal_address", "", 3);
            h.element("button", {{"type", "submit"}}, ctx.t("prisoners.add_institution"));
        });
    });
}

Result<Response> censor_page(Request& request, Context& c, int64_t site) {
    HAVEN_TRY(rules, c.letters.censor_rules(*request.principal, site));
    auto ctx = page_context(request);
    return web::page(ctx, 200, "censor.title", [&](web::Html& h) {
        h.element("p", {}, ctx.t("censor.help"));
        web::post_form(h, request, site_url(site) + "/censor", {{"class", "stack"}, {"id", "censor-rules"}}, [&] {
            web::textarea(h, ctx, "rules", "censor.rules", rules_text(rules), 12, "censor.rules_help");
            h.element("button", {{"type", "submit"}}, ctx.t("censor.save"));
        });
    });
}

}  // namespace

Result<Response> prisoners_home(Request& request, Context& c) {
    for (const auto& r : request.principal->roles)
        if (accounts::role_allows(r.role, Action::prisoners_view)) return Response::redirect(site_url(r.site_id) + "/prisoners");
    for (const auto& r : request.principal->roles)
        if (accounts::role_allows(r.role, Action::letters_write)) return Response::redirect("/write");
    (void)c;
    return accounts::role_forbids();
}

Result<Response> prisoners_show(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    return prisoners_page(request, c, site);
}

Result<Response> prisoner_search(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(form, form_body(request));
    const std::string q(form.get("q"));
    auto shown = prisoners_page(request, c, site, q);
    if (!shown) return web::show_again(request, shown.error(), [&] { return prisoners_page(request, c, site); });
    return shown;
}

Result<Response> prisoner_create(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(form, form_body(request));
    auto again = [&](const Error& e) { return web::show_again(request, on_form(e), [&] { return prisoners_page(request, c, site); }); };
    auto p = prisoner_from(form);
    if (!p) return again(p.error());
    p->site_id = site;
    if (p->status.empty()) p->status = "pre_trial";
    auto id = c.registry.create(*request.principal, std::move(*p));
    if (!id) return again(id.error());
    return Response::redirect(prisoner_url(*id));
}

Result<Response> prisoner_import(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(form, form_body(request));
    auto done = c.registry.import_csv(*request.principal, site, form.get("file"));
    if (!done) return web::show_again(request, done.error(), [&] { return prisoners_page(request, c, site); });
    if (done->errors.empty()) return Response::redirect(site_url(site) + "/prisoners");
    auto ctx = page_context(request);
    return web::page(ctx, 422, "prisoners.import", [&](web::Html& h) {
        h.element("p", {{"role", "alert"}}, ctx.t("prisoners.import_failed"));
        h.element("table", {{"class", "list"}, {"id", "import-errors"}}, [&] {
            h.element("tbody", {}, [&] {
                for (const auto& e : done->errors)
                    h.element("tr", {}, [&] {
                        h.element("td", {{"data-label", ctx.t("prisoners.row")}}, std::to_string(e.row));
                        h.element("td", {{"data-label", ctx.t("prisoners.column")}}, e.column);
                        h.element("td", {}, web::localized(ctx, invalid(e.column, e.message, e.problem)));
                    });
            });
        });
        h.element("p", {}, [&] { h.element("a", {{"href", site_url(site) + "/prisoners"}}, ctx.t("prisoners.back")); });
    });
}

Result<Response> prisoner_show(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    return prisoner_page(request, c, id);
}

Result<Response> prisoner_update(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    auto again = [&](const Error& e) { return web::show_again(request, on_form(e), [&] { return prisoner_page(request, c, id); }); };
    auto p = prisoner_from(form);
    if (!p) return again(p.error());
    p->id = id;
    auto done = c.registry.update(*request.principal, std::move(*p));
    if (!done) return again(done.error());
    return Response::redirect(prisoner_url(id));
}

Result<Response> transfer_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    Transfer t;
    const std::string_view inst = form.get("institution_id");
    auto [end, ec] = std::from_chars(inst.data(), inst.data() + inst.size(), t.institution_id);
    if (!inst.empty() && (ec != std::errc() || end != inst.data() + inst.size() || t.institution_id < 0))
        return web::show_again(request, invalid("institution_id", "institution_id must be one of the site's institutions.", "choose"),
                               [&] { return prisoner_page(request, c, id); });
    t.since = form.get("since");
    t.note = form.get("note");
    auto done = c.registry.transfer(*request.principal, id, t);
    if (!done) return web::show_again(request, done.error(), [&] { return prisoner_page(request, c, id); });
    return Response::redirect(prisoner_url(id));
}

Result<Response> approvals_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    std::vector<int64_t> writers;
    for (auto v : form.all("writer")) writers.push_back(std::atoll(std::string(v).c_str()));
    auto done = c.registry.set_approved(*request.principal, id, writers);
    if (!done) return web::show_again(request, done.error(), [&] { return prisoner_page(request, c, id); });
    return Response::redirect(prisoner_url(id));
}

Result<Response> handwritten_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    auto done =
        c.letters.record_handwritten(*request.principal, id, std::atoll(std::string(form.get("writer_id")).c_str()), std::string(form.get("body")));
    if (!done) return web::show_again(request, done.error(), [&] { return prisoner_page(request, c, id); });
    return Response::redirect("/letters/" + std::to_string(*done));
}

Result<Response> institutions_show(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    return institutions_page(request, c, site);
}

Result<Response> institution_save(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(form, form_body(request));
    auto done = c.registry.add_institution(*request.principal,
                                           {0, site, std::string(form.get("kind")), std::string(form.get("name")), std::string(form.get("address"))});
    if (!done) return web::show_again(request, done.error(), [&] { return institutions_page(request, c, site); });
    return Response::redirect(site_url(site) + "/institutions");
}

Result<Response> calendar_show(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(items, c.registry.calendar(*request.principal, site, 8));
    auto ctx = page_context(request);
    return web::page(ctx, 200, "prisoners.calendar", [&](web::Html& h) {
        h.element("p", {}, ctx.t("prisoners.calendar_help"));
        if (items.empty()) h.element("p", {}, ctx.t("prisoners.calendar_empty"));
        h.element("table", {{"class", "list"}, {"id", "calendar"}}, [&] {
            h.element("thead", {}, [&] {
                h.element("tr", {}, [&] {
                    for (const char* k : {"prisoners.date", "prisoners.what", "prisoners.name", "prisoners.letters_lately"})
                        h.element("th", {}, ctx.t(k));
                });
            });
            h.element("tbody", {}, [&] {
                for (const auto& i : items)
                    h.element("tr", {}, [&] {
                        h.element("td", {{"data-label", ctx.t("prisoners.date")}}, i.date);
                        h.element("td", {{"data-label", ctx.t("prisoners.what")}}, ctx.t("calendar." + i.kind));
                        h.element("td", {{"data-label", ctx.t("prisoners.name")}}, [&] {
                            if (i.kind == "holiday")
                                h.text(ctx.t("calendar.holiday_" + i.note));
                            else
                                h.element("a", {{"href", prisoner_url(i.prisoner_id)}}, i.name);
                            if (i.kind == "trial" && !i.note.empty()) h.text(" · " + i.note);
                        });
                        h.element("td", {{"data-label", ctx.t("prisoners.letters_lately")}}, i.kind == "holiday" ? "" : std::to_string(i.letters));
                    });
            });
        });
    });
}

Result<Response> figures_show(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(f, c.registry.figures(*request.principal, site, 90));
    auto ctx = page_context(request);
    return web::page(ctx, 200, "prisoners.figures", [&](web::Html& h) {
        h.element("p", {}, ctx.t("prisoners.figures_help"));
        h.element("dl", {{"class", "facts"}, {"id", "figures"}}, [&] {
            for (auto [key, n] : {std::pair{"prisoners.count", f.prisoners}, std::pair{"prisoners.writers", f.writers},
                                  std::pair{"prisoners.writers_active", f.writers_active}, std::pair{"prisoners.letters", f.letters}}) {
                h.element("dt", {}, ctx.t(key));
                h.element("dd", {}, std::to_string(n));
            }
        });
        h.element("h2", {}, ctx.t("prisoners.by_letters"));
        h.element("table", {{"class", "list"}, {"id", "by-letters"}}, [&] {
            h.element("thead", {}, [&] {
                h.element("tr", {}, [&] {
                    h.element("th", {}, ctx.t("prisoners.letters_received"));
                    h.element("th", {}, ctx.t("prisoners.count"));
                });
            });
            h.element("tbody", {}, [&] {
                for (const auto& row : f.prisoners_by_letters)
                    h.element("tr", {}, [&] {
                        const auto& [letters, prisoners] = row;
                        h.element("td", {}, letters >= 5 ? "5+" : std::to_string(letters));
                        h.element("td", {}, std::to_string(prisoners));
                    });
            });
        });
        h.element("h2", {}, ctx.t("prisoners.per_institution"));
        h.element("table", {{"class", "list"}, {"id", "per-institution"}}, [&] {
            h.element("thead", {}, [&] {
                h.element("tr", {}, [&] {
                    for (const char* k : {"prisoners.institution_name", "letters.state_sent", "letters.state_delivered", "letters.state_returned",
                                          "letters.state_withheld", "letters.state_answered"})
                        h.element("th", {}, ctx.t(k));
                });
            });
            h.element("tbody", {}, [&] {
                for (const auto& i : f.institutions)
                    h.element("tr", {}, [&] {
                        h.element("td", {}, i.name.empty() ? ctx.t("prisoners.kind_" + i.kind) : i.name);
                        for (int64_t n : {i.sent, i.delivered, i.returned, i.withheld, i.answered}) h.element("td", {}, std::to_string(n));
                    });
            });
        });
    });
}

Result<Response> censor_show(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    return censor_page(request, c, site);
}

Result<Response> censor_save(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(form, form_body(request));
    auto rules = parse_rules_text(form.get("rules"));
    if (!rules) return web::show_again(request, rules.error(), [&] { return censor_page(request, c, site); });
    auto done = c.letters.save_censor_rules(*request.principal, site, *rules);
    if (!done) return web::show_again(request, done.error(), [&] { return censor_page(request, c, site); });
    return Response::redirect(site_url(site) + "/censor");
}

}  // namespace haven::prisoners
