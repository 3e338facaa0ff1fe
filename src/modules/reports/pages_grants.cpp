// Funders' and grants' pages: what is due soon (tranches expected, reports owed), the site's grants and the forms
// for a new funder and a new grant; a grant's page with its tranches and deadlines (each marked done in one
// click), its budget lines against what was spent, its targets against what its released reports say.
#include <algorithm>
#include <charconv>

#include "core/dates.hpp"
#include "core/money.hpp"
#include "core/utf8.hpp"
#include "http/form.hpp"
#include "http/params.hpp"
#include "modules/accounts/types.hpp"
#include "modules/reports/handlers.hpp"
#include "modules/reports/pages.hpp"
#include "web/widgets.hpp"

namespace haven::reports {

using accounts::Action;
using accounts::may;
using http::form_body;
using http::id_param;
using web::field;
using web::folded;
using web::page_context;

namespace {

std::string grant_url(int64_t id) { return "/grants/" + std::to_string(id); }
bool indicator_is_network(const std::string& name) {
    for (const auto& i : indicators())
        if (i.name == name) return i.network;
    return false;
}
std::string site_url(int64_t site) { return "/sites/" + std::to_string(site); }

// The grant's main fields from a form (tranches and deadlines are kept: they have forms of their own).
Status fill(Grant& g, const http::Form& form) {
    g.title = std::string(form.get("title"));
    g.status = std::string(form.get("status"));
    g.currency = std::string(form.get("currency"));
    HAVEN_TRY(amount, parse_amount(form.get("amount"), "amount"));
    g.amount_minor = amount;
    g.starts = std::string(form.get("starts"));
    g.ends = std::string(form.get("ends"));
    g.restricted = form.get("restricted") == "1";
    g.purpose = std::string(form.get("purpose"));
    if (!form.get("funder_id").empty()) {
        int64_t f = 0;
        const auto text = form.get("funder_id");
        if (auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), f); ec != std::errc{} || p != text.data() + text.size())
            return invalid("funder_id", "Choose a funder.", "choose");
        g.funder_id = f;
    }
    return {};
}

void grant_fields(web::Html& h, const web::PageContext& ctx, const Grant& g, const std::vector<Funder>& funders) {
    std::vector<std::pair<std::string, std::string>> funder_options, statuses;
    for (const auto& f : funders) funder_options.push_back({std::to_string(f.id), f.name});
    for (const auto& s : grant_statuses()) statuses.push_back({s, ctx.t("grants.status_" + s)});
    web::select_field(h, ctx, "funder_id", "grants.funder", funder_options, std::to_string(g.funder_id));
    field(h, ctx, "title", "grants.grant_title", "text", g.title);
    web::select_field(h, ctx, "status", "grants.status", statuses, g.status);
    field(h, ctx, "amount", "grants.amount", "text", g.amount_minor ? format_amount(g.amount_minor) : "");
    field(h, ctx, "currency", "grants.currency", "text", g.currency);
    field(h, ctx, "starts", "grants.starts", "date", g.starts);
    field(h, ctx, "ends", "grants.ends", "date", g.ends);
    h.element("label", {{"class", "check"}}, [&] {
        if (web::echoed_check(ctx.request, "restricted", "1", g.restricted))
            h.empty("input", {{"type", "checkbox"}, {"name", "restricted"}, {"value", "1"}, {"checked", "checked"}});
        else
            h.empty("input", {{"type", "checkbox"}, {"name", "restricted"}, {"value", "1"}});
        h.text(" " + ctx.t("grants.restricted"));
    });
    web::textarea(h, ctx, "purpose", "grants.purpose", g.purpose, 3);
}

Result<Response> grants_page(Request& request, Context& c, int64_t site) {
    const Principal& who = *request.principal;
    HAVEN_TRY(grants, c.grants.list(who, site));
    HAVEN_TRY(funders, c.grants.funders(who, site));
    HAVEN_TRY(due, c.grants.due(who, site, 60));
    auto ctx = page_context(request);
    for (const auto& s : c.reports.accounts().sites_visible_to(who))
        if (s.id == site) ctx.site_name = s.name;
    return web::page(ctx, 200, "grants.title", [&](web::Html& h) {
        if (!ctx.site_name.empty()) h.element("p", {{"class", "lead"}, {"id", "grants-site"}}, ctx.site_name);
        h.element("h2", {}, ctx.t("grants.due"));
        due_list(h, ctx, due, c.grants.today());
        h.element("h2", {}, ctx.t("grants.grants"));
        if (grants.empty()) h.element("p", {}, ctx.t("grants.none"));
        h.element("ul", {{"class", "cards"}, {"id", "grants"}}, [&] {
            for (const auto& g : grants)
                h.element("li", {{"class", "card"}}, [&] {
                    h.element("a", {{"href", grant_url(g.id)}}, g.title);
                    std::string funder;
                    for (const auto& f : funders)
                        if (f.id == g.funder_id) funder = f.name;
                    h.text(" · " + funder + " · " + ctx.t("grants.status_" + g.status) + " · " + format_amount(g.amount_minor) + " " + g.currency);
                    if (!g.starts.empty()) h.text(" · " + g.starts + " – " + g.ends);
                });
        });
        h.element("h2", {}, ctx.t("grants.funders"));
        h.element("ul", {{"class", "cards"}, {"id", "funders"}}, [&] {
            for (const auto& f : funders)
                h.element("li", {{"class", "card"}}, [&] {
                    h.element("strong", {}, f.name);
                    for (const std::string* part : {&f.contact_name, &f.email, &f.phone})
                        if (!part->empty()) h.text(" · " + *part);
                });
        });
        if (!may(who, Action::grants_manage, site)) return;
        folded(h, ctx, [&] {
            h.element("summary", {}, ctx.t("grants.new_funder"));
            web::post_form(h, request, site_url(site) + "/funders", {{"class", "stack"}, {"id", "new-funder"}}, [&] {
                field(h, ctx, "name", "grants.funder_name", "text");
                field(h, ctx, "contact_name", "grants.contact_name", "text");
                field(h, ctx, "email", "grants.email", "email");
                field(h, ctx, "phone", "grants.phone", "tel");
                web::textarea(h, ctx, "notes", "grants.notes", "", 2);
                h.element("button", {{"type", "submit"}}, ctx.t("grants.add_funder"));
            });
        });
        if (funders.empty()) return;
        folded(h, ctx, [&] {
            h.element("summary", {}, ctx.t("grants.new_grant"));
            web::post_form(h, request, site_url(site) + "/grants", {{"class", "stack"}, {"id", "new-grant"}}, [&] {
                grant_fields(h, ctx, Grant{}, funders);
                h.element("button", {{"type", "submit"}}, ctx.t("grants.add_grant"));
            });
        });
    });
}

Result<Response> grant_page(Request& request, Context& c, int64_t id) {
    const Principal& who = *request.principal;
    HAVEN_TRY(g, c.grants.read(who, id));
    HAVEN_TRY(funders, c.grants.funders(who, g.site_id));
    HAVEN_TRY(reports, c.reports.for_grant(who, id));
    const bool manage = may(who, Action::grants_manage, g.site_id);
    const std::string today = c.grants.today();
    auto ctx = page_context(request);
    return web::page(ctx, 200, "grants.grant", [&](web::Html& h) {
        h.element("h2", {{"id", "grant-title"}}, g.title);
        h.element("dl", {{"class", "facts"}, {"id", "grant-facts"}}, [&] {
            for (const auto& f : funders)
                if (f.id == g.funder_id) {
                    h.element("dt", {}, ctx.t("grants.funder"));
                    h.element("dd", {}, f.name + (f.contact_name.empty() ? "" : " · " + f.contact_name) + (f.email.empty() ? "" : " · " + f.email));
                }
            h.element("dt", {}, ctx.t("grants.status"));
            h.element("dd", {}, ctx.t("grants.status_" + g.status));
            h.element("dt", {}, ctx.t("grants.amount"));
            h.element("dd", {}, format_amount(g.amount_minor) + " " + g.currency + (g.restricted ? " · " + ctx.t("grants.restricted") : ""));
            if (!g.starts.empty()) {
                h.element("dt", {}, ctx.t("grants.period"));
                h.element("dd", {}, g.starts + " – " + g.ends);
            }
            if (!g.purpose.empty()) {
                h.element("dt", {}, ctx.t("grants.purpose"));
                h.element("dd", {}, g.purpose);
            }
        });

        h.element("h2", {}, ctx.t("grants.tranches"));
        h.element("ul", {{"class", "cards"}, {"id", "tranches"}}, [&] {
            for (size_t i = 0; i < g.tranches.size(); ++i) {
                const auto& t = g.tranches[i];
                h.element("li", {{"class", t.received.empty() && t.due < today ? "card overdue" : "card"}}, [&] {
                    h.text(t.due + " · " + format_amount(t.amount_minor) + " " + g.currency + " · ");
                    if (t.received.empty() && t.due < today) h.text(ctx.t("grants.overdue") + " · ");
                    if (!t.received.empty()) {
                        h.text(ctx.t("grants.received_on", {{"date", t.received}}));
                    } else if (manage) {
                        web::post_form(h, request, grant_url(id) + "/tranches/" + std::to_string(i + 1) + "/received", {{"class", "inline"}}, [&] {
                            h.element("button", {{"type", "submit"}, {"class", "secondary"}}, ctx.t("grants.mark_received"));
                        });
                    } else {
                        h.text(ctx.t("grants.expected"));
                    }
                });
            }
        });
        if (manage)
            folded(h, ctx, [&] {
                h.element("summary", {}, ctx.t("grants.add_tranche"));
                web::post_form(h, request, grant_url(id) + "/tranches", {{"class", "stack"}, {"id", "new-tranche"}}, [&] {
                    field(h, ctx, "tranche_due", "grants.due_date", "date");
                    field(h, ctx, "tranche_amount", "grants.amount", "text");
                    h.element("button", {{"type", "submit"}}, ctx.t("grants.add_tranche"));
                });
            });

        h.element("h2", {}, ctx.t("grants.deadlines"));
        h.element("ul", {{"class", "cards"}, {"id", "deadlines"}}, [&] {
            for (size_t i = 0; i < g.deadlines.size(); ++i) {
                const auto& d = g.deadlines[i];
                h.element("li", {{"class", !d.done && d.due < today ? "card overdue" : "card"}}, [&] {
                    h.text(d.due + " · " + d.what + " · ");
                    if (!d.done && d.due < today) h.text(ctx.t("grants.overdue") + " · ");
                    if (d.done)
                        h.text(ctx.t("grants.done"));
                    else if (manage)
                        web::post_form(h, request, grant_url(id) + "/deadlines/" + std::to_string(i + 1) + "/done", {{"class", "inline"}}, [&] {
                            h.element("button", {{"type", "submit"}, {"class", "secondary"}}, ctx.t("grants.mark_done"));
                        });
                });
            }
        });
        if (manage)
            folded(h, ctx, [&] {
                h.element("summary", {}, ctx.t("grants.add_deadline"));
                web::post_form(h, request, grant_url(id) + "/deadlines", {{"class", "stack"}, {"id", "new-deadline"}}, [&] {
                    field(h, ctx, "deadline_due", "grants.due_date", "date");
                    field(h, ctx, "deadline_what", "grants.what", "text");
                    h.element("button", {{"type", "submit"}}, ctx.t("grants.add_deadline"));
                });
            });

        h.element("h2", {}, ctx.t("grants.budget"));
        h.element("div", {{"class", "table-wrap"}}, [&] {
            h.element("table", {{"class", "report"}, {"id", "budget"}}, [&] {
                h.element("thead", {}, [&] {
                    h.element("tr", {}, [&] {
                        for (const char* k : {"grants.line", "grants.budgeted", "grants.spent", "grants.left"})
                            h.element("th", {{"scope", "col"}}, ctx.t(k));
                    });
                });
                h.element("tbody", {}, [&] {
                    int64_t budget = 0, spent = 0;
                    for (const auto& l : g.lines) {
                        budget += l.budget_minor, spent += l.actual_minor;
                        h.element("tr", {}, [&] {
                            h.element("th", {{"scope", "row"}}, l.label);
                            for (int64_t v : {l.budget_minor, l.actual_minor, l.budget_minor - l.actual_minor}) h.element("td", {}, format_amount(v));
                        });
                    }
                    h.element("tr", {{"class", "total"}}, [&] {
                        h.element("th", {{"scope", "row"}}, ctx.t("reports.total"));
                        for (int64_t v : {budget, spent, budget - spent}) h.element("td", {}, format_amount(v));
                    });
                });
            });
        });

        h.element("h2", {}, ctx.t("grants.targets"));
        h.element("div", {{"class", "table-wrap"}}, [&] {
            h.element("table", {{"class", "report"}, {"id", "targets"}}, [&] {
                h.element("thead", {}, [&] {
                    h.element("tr", {}, [&] {
                        h.element("th", {{"scope", "col"}}, ctx.t("reports.indicator"));
                        h.element("th", {{"scope", "col"}}, ctx.t("grants.target"));
                        for (const auto& r : reports) h.element("th", {{"scope", "col"}}, r.definition.title);
                    });
                });
                h.element("tbody", {}, [&] {
                    for (const auto& t : g.targets)
                        h.element("tr", {}, [&] {
                            h.element("th", {{"scope", "row"}}, ctx.t("indicator." + t.indicator));
                            h.element("td", {}, std::to_string(t.target));
                            // What a released report says. Hidden stays hidden.
                            for (const auto& r : reports) {
                                // The grant's site's figure over the report's whole period (its last column).
                                const Cell* last = nullptr;
                                for (const auto& cell : r.cells)
                                    if (cell.indicator == t.indicator && (cell.site_id == g.site_id || indicator_is_network(t.indicator)))
                                        last = &cell;
                                if (!last)
                                    h.element("td", {}, "—");
                                else if (last->value)
                                    h.element("td", {}, std::to_string(*last->value));
                                else
                                    h.element("td", {{"class", "hidden-figure"}}, ctx.t("reports.hidden_mark"));
                            }
                        });
                });
            });
        });
        if (g.targets.empty()) h.element("p", {}, ctx.t("grants.no_targets"));
        if (!manage) return;
        folded(h, ctx, [&] {
            h.element("summary", {}, ctx.t("grants.edit"));
            web::post_form(h, request, grant_url(id), {{"class", "stack"}, {"id", "edit-grant"}}, [&] {
                grant_fields(h, ctx, g, funders);
                web::textarea(h, ctx, "lines", "grants.lines", web::echoed(request, "lines", format_budget_lines(g.lines)), 5, "grants.lines_help");
                h.element("fieldset", {{"id", "grant-targets"}}, [&] {
                    h.element("legend", {}, ctx.t("grants.targets"));
                    for (const auto& i : indicators()) {
                        std::string value;
                        for (const auto& t : g.targets)
                            if (t.indicator == i.name) value = std::to_string(t.target);
                        const std::string name = "target_" + std::string(i.name);
                        h.element("label", {{"class", "target"}}, [&] {
                            h.text(ctx.t("indicator." + std::string(i.name)) + " ");
                            h.empty("input", {{"type", "number"}, {"min", "0"}, {"name", name}, {"value", web::echoed(request, name, value)}});
                        });
                    }
                });
                h.element("button", {{"type", "submit"}}, ctx.t("grants.save"));
            });
        });
    });
}

}  // namespace

void due_list(web::Html& h, const web::PageContext& ctx, const std::vector<Due>& due, const std::string& today) {
    if (due.empty()) {
        h.element("p", {{"id", "due"}}, ctx.t("grants.nothing_due"));
        return;
    }
    h.element("ul", {{"class", "cards"}, {"id", "due"}}, [&] {
        for (const auto& d : due)
            h.element("li", {{"class", d.date < today ? "card overdue" : "card"}}, [&] {
                h.element("strong", {}, d.date);
                h.text(" · ");
                if (d.kind == "deadline")
                    h.text(d.what);
                else
                    h.text(ctx.t("grants.tranche_expected", {{"amount", format_amount(d.amount_minor) + " " + d.currency}}));
                h.text(" · ");
                h.element("a", {{"href", grant_url(d.grant_id)}}, d.grant);
                if (d.date < today) h.text(" · " + ctx.t("grants.overdue"));
            });
    });
}

Result<Response> grants_home(Request& request, Context& c) {
    const Principal& who = *request.principal;
    if (auto site = only_site(who, Action::grants_view)) return Response::redirect(site_url(*site) + "/grants");
    // Working at several sites: each site's grants, to choose from.
    auto ctx = page_context(request);
    return web::page(ctx, 200, "grants.title", [&](web::Html& h) {
        h.element("ul", {{"class", "cards"}, {"id", "grant-sites"}}, [&] {
            for (const auto& s : c.reports.accounts().sites_visible_to(who))
                if (may(who, Action::grants_view, s.id))
                    h.element("li", {{"class", "card"}}, [&] { h.element("a", {{"href", site_url(s.id) + "/grants"}}, s.name); });
        });
    });
}

Result<Response> grants_show(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    return grants_page(request, c, site);
}

Result<Response> funder_save(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(form, form_body(request));
    Funder f{0,
             site,
             std::string(form.get("name")),
             std::string(form.get("contact_name")),
             std::string(form.get("email")),
             std::string(form.get("phone")),
             std::string(form.get("notes"))};
    auto done = c.grants.add_funder(*request.principal, f);
    if (!done) return web::show_again(request, done.error(), [&] { return grants_page(request, c, site); });
    return Response::redirect(site_url(site) + "/grants");
}

Result<Response> grant_create(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(form, form_body(request));
    Grant g;
    g.site_id = site;
    auto made = [&]() -> Result<int64_t> {
        HAVEN_CHECK(fill(g, form));
        return c.grants.create(*request.principal, g);
    }();
    if (!made) return web::show_again(request, made.error(), [&] { return grants_page(request, c, site); });
    return Response::redirect(grant_url(*made));
}

Result<Response> grant_show(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    return grant_page(request, c, id);
}

Result<Response> grant_update(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    auto done = c.grants.edit(*request.principal, id, [&](Grant& g) -> Status {
        HAVEN_CHECK(fill(g, form));
        HAVEN_TRY(lines, parse_budget_lines(form.get("lines")));
        g.lines = std::move(lines);
        g.targets.clear();
        for (const auto& i : indicators()) {
            const std::string name = "target_" + std::string(i.name);
            const std::string_view text = form.get(name);
            if (text.empty()) continue;
            int64_t n = 0;
            if (auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
                ec != std::errc{} || p != text.data() + text.size() || n < 0)
                return invalid(name, "A target is a whole number.", "invalid");
            g.targets.push_back({std::string(i.name), n});
        }
        return {};
    });
    if (!done) return web::show_again(request, done.error(), [&] { return grant_page(request, c, id); });
    return Response::redirect(grant_url(id));
}

Result<Response> tranche_add(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    auto done = c.grants.edit(*request.principal, id, [&](Grant& g) -> Status {
        // Checked here, against this form's own fields, so the error stands beside them.
        const std::string due(form.get("tranche_due"));
        if (!valid_date(due)) return invalid("tranche_due", "The due date is a date.", "date");
        HAVEN_TRY(amount, parse_amount(form.get("tranche_amount"), "tranche_amount"));
        g.tranches.push_back({due, amount, ""});
        std::stable_sort(g.tranches.begin(), g.tranches.end(), [](const Tranche& a, const Tranche& b) { return a.due < b.due; });
        return {};
    });
    if (!done) return web::show_again(request, done.error(), [&] { return grant_page(request, c, id); });
    return Response::redirect(grant_url(id));
}

Result<Response> deadline_add(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    auto done = c.grants.edit(*request.principal, id, [&](Grant& g) -> Status {
        const std::string due(form.get("deadline_due"));
        std::string what(form.get("deadline_what"));
        if (!valid_date(due)) return invalid("deadline_due", "The due date is a date.", "date");
        HAVEN_CHECK(text_field(what, "deadline_what", 300));
        if (what.empty()) return invalid("deadline_what", "Say what is due.", "required");
        g.deadlines.push_back({due, what, false});
        std::stable_sort(g.deadlines.begin(), g.deadlines.end(), [](const Deadline& a, const Deadline& b) { return a.due < b.due; });
        return {};
    });
    if (!done) return web::show_again(request, done.error(), [&] { return grant_page(request, c, id); });
    return Response::redirect(grant_url(id));
}

Result<Response> tranche_received(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(number, id_param(request, "number"));
    HAVEN_TRY(form, form_body(request));
    HAVEN_CHECK(c.grants.tranche_received(*request.principal, id, size_t(number), c.grants.today()));
    return Response::redirect(grant_url(id));
}

Result<Response> deadline_done(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(number, id_param(request, "number"));
    HAVEN_TRY(form, form_body(request));
    HAVEN_CHECK(c.grants.deadline_done(*request.principal, id, size_t(number)));
    return Response::redirect(grant_url(id));
}

}  // namespace haven::reports
