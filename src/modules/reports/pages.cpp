// The reports' pages: the reports one may read and the form that declares a new one (editors); a report's table
// with its hidden figures marked, its charts, and — once released — its downloads (CSV, XLSX, PDF). An
// administrator other than the editor releases it or discards it from the same page.
#include <algorithm>
#include <charconv>
#include <map>

#include "http/form.hpp"
#include "http/params.hpp"
#include "modules/accounts/types.hpp"
#include "modules/reports/handlers.hpp"
#include "modules/reports/pages.hpp"
#include "modules/reports/render.hpp"
#include "web/widgets.hpp"

namespace haven::reports {

using accounts::Action;
using accounts::may;
using http::form_body;
using http::id_param;
using web::page_context;

namespace {

std::string report_url(int64_t id) { return "/reports/" + std::to_string(id); }

// "2027-Q1" → "Q1 2027", "2027-01" → "Jan 2027", "total" → "Total", in `locale`.
std::string column_label(std::string_view locale, const std::string& column) {
    const auto& m = web::Messages::shipped();
    if (column == "total") return m.t(locale, "reports.total");
    const std::string year = column.substr(0, 4);
    if (column.size() == 7 && column[5] == 'Q') return m.t(locale, "reports.quarter", {{"q", column.substr(6)}, {"year", year}});
    return m.t(locale, "reports.month", {{"month", std::to_string(std::stoi(column.substr(5)))}, {"year", year}});
}

std::map<int64_t, std::string> site_names(Context& c, const Principal& who) {
    std::map<int64_t, std::string> out;
    for (const auto& s : c.reports.accounts().sites_visible_to(who)) out[s.id] = s.name;
    return out;
}

// The report as its outputs show it, in the report's own language (not the reader's).
View view_of(const Report& r, const std::map<int64_t, std::string>& sites) {
    const auto& m = web::Messages::shipped();
    const std::string& lang = r.definition.language;
    View v;
    v.title = r.definition.title;
    std::string where;
    for (int64_t s : r.definition.sites) {
        const auto name = sites.find(s);
        where += (where.empty() ? "" : ", ") + (name != sites.end() ? name->second : std::to_string(s));
    }
    v.subtitle = m.t(lang, "reports.subtitle",
                     {{"from", column_label(lang, r.definition.from)}, {"to", column_label(lang, r.definition.to)}, {"sites", where}});
    v.first_column = m.t(lang, "reports.indicator");
    for (const auto& col : r.columns) v.columns.push_back(column_label(lang, col));
    v.hidden_mark = m.t(lang, "reports.hidden_mark");
    v.note = m.t(lang, "reports.note", {{"k", r.definition.k}});
    if (r.definition.round_to) v.note += " " + m.t(lang, "reports.rounded_note", {{"to", r.definition.round_to}});
    v.chart_hidden = m.t(lang, "reports.chart_hidden");
    for (size_t i = 0; i < r.cells.size();) {
        View::Group g{m.t(lang, "indicator." + r.cells[i].indicator), {}};
        const std::string indicator = r.cells[i].indicator;
        while (i < r.cells.size() && r.cells[i].indicator == indicator) {
            const int64_t site = r.cells[i].site_id;
            View::Row row;
            row.total = site == 0;
            if (site != 0) {
                const auto name = sites.find(site);
                row.place = name != sites.end() ? name->second : std::to_string(site);
            } else {
                row.place =
                    m.t(lang, r.definition.sites.size() > 1 && indicator != "network_activations" ? "reports.all_sites" : "reports.whole_network");
            }
            const std::string category = r.cells[i].category;
            if (!category.empty())
                row.place += " — " + m.t(lang, "reports." + category.substr(0, category.find(':')) + "." + category.substr(category.find(':') + 1));
            row.label = g.indicator + " — " + row.place;  // a line of a file stands alone
            for (; i < r.cells.size() && r.cells[i].indicator == indicator && r.cells[i].site_id == site && r.cells[i].category == category; ++i)
                row.cells.push_back(r.cells[i].value);
            g.rows.push_back(std::move(row));
        }
        // Sites by name, the total last.
        std::stable_sort(g.rows.begin(), g.rows.end(),
                         [](const View::Row& a, const View::Row& b) { return a.total != b.total ? b.total : !a.total && a.place < b.place; });
        v.groups.push_back(std::move(g));
    }
    return v;
}

void report_table(web::Html& h, const View& v) {
    h.element("div", {{"class", "table-wrap"}}, [&] {
        h.element("table", {{"class", "report"}, {"id", "report-table"}}, [&] {
            h.element("thead", {}, [&] {
                h.element("tr", {}, [&] {
                    h.element("th", {{"scope", "col"}}, v.first_column);
                    for (const auto& c : v.columns) h.element("th", {{"scope", "col"}}, c);
                });
            });
            for (const auto& g : v.groups)
                h.element("tbody", {}, [&] {
                    h.element("tr", {{"class", "group"}}, [&] {
                        h.element("th", {{"scope", "rowgroup"}, {"colspan", std::to_string(v.columns.size() + 1)}}, g.indicator);
                    });
                    for (const auto& row : g.rows)
                        h.element("tr", {{"class", row.total ? "total" : ""}}, [&] {
                            h.element("th", {{"scope", "row"}}, row.place);
                            for (const auto& cell : row.cells) {
                                if (cell)
                                    h.element("td", {}, std::to_string(*cell));
                                else
                                    h.element("td", {{"class", "hidden-figure"}}, v.hidden_mark);
                            }
                        });
                });
        });
    });
    h.element("p", {{"class", "note"}, {"id", "report-note"}}, v.note);
}

Result<Response> reports_page(Request& request, Context& c) {
    const Principal& who = *request.principal;
    auto ctx = page_context(request);
    std::vector<Summary> list;
    if (auto found = c.reports.list(who)) list = std::move(*found);
    const auto sites = c.reports.accounts().sites_visible_to(who);
    // What is due for the grants of every site one may see them at: this is a report editor's first page.
    std::vector<Due> due;
    std::vector<Grant> grants;
    for (const auto& s : sites) {
        if (!may(who, Action::grants_view, s.id)) continue;
        if (auto d = c.grants.due(who, s.id, 60)) due.insert(due.end(), d->begin(), d->end());
        if (auto g = c.grants.list(who, s.id)) grants.insert(grants.end(), g->begin(), g->end());
    }
    std::stable_sort(due.begin(), due.end(), [](const Due& a, const Due& b) { return a.date < b.date; });
    return web::page(ctx, 200, "reports.title", [&](web::Html& h) {
        if (may(who, Action::grants_view, std::nullopt)) {
            h.element("h2", {}, ctx.t("grants.due"));
            due_list(h, ctx, due, c.grants.today());
        }
        h.element("p", {}, ctx.t("reports.help"));
        if (list.empty()) h.element("p", {}, ctx.t("reports.none"));
        h.element("ul", {{"class", "cards"}, {"id", "reports"}}, [&] {
            for (const auto& s : list)
                h.element("li", {{"class", "card"}}, [&] {
                    h.element("a", {{"href", report_url(s.id)}}, s.title);
                    h.text(" · " + column_label(request.locale, s.from) + " – " + column_label(request.locale, s.to) + " · ");
                    h.element("span", {{"class", "state state-" + s.state}}, ctx.t("reports.state_" + s.state));
                });
        });
        if (!may(who, Action::reports_prepare, std::nullopt)) return;
        h.element("h2", {}, ctx.t("reports.new"));
        web::post_form(h, request, "/reports", {{"class", "stack"}, {"id", "new-report"}}, [&] {
            web::field(h, ctx, "title", "reports.report_title", "text");
            h.element("fieldset", {{"id", "report-sites"}}, [&] {
                h.element("legend", {}, ctx.t("reports.sites"));
                // Posted always, so a form sent back with every box unticked shows them unticked.
                h.empty("input", {{"type", "hidden"}, {"name", "site"}, {"value", ""}});
                for (const auto& s : sites) {
                    if (!may(who, Action::reports_prepare, s.id)) continue;
                    const std::string v = std::to_string(s.id);
                    h.element("label", {{"class", "check"}}, [&] {
                        if (web::echoed_check(request, "site", v, true))
                            h.empty("input", {{"type", "checkbox"}, {"name", "site"}, {"value", v}, {"checked", "checked"}});
                        else
                            h.empty("input", {{"type", "checkbox"}, {"name", "site"}, {"value", v}});
                        h.text(" " + s.name);
                    });
                }
            });
            if (!grants.empty()) {
                std::vector<std::pair<std::string, std::string>> options{{"", ctx.t("reports.no_grant")}};
                for (const auto& g : grants) options.push_back({std::to_string(g.id), g.title});
                web::select_field(h, ctx, "grant_id", "reports.grant", options);
            }
            web::field(h, ctx, "from", "reports.from", "month");
            web::field(h, ctx, "to", "reports.to", "month");
            web::select_field(h, ctx, "grain", "reports.grain",
                              {{"quarter", ctx.t("reports.grain_quarter")}, {"month", ctx.t("reports.grain_month")}});
            h.element("fieldset", {{"id", "report-indicators"}}, [&] {
                h.element("legend", {}, ctx.t("reports.indicators"));
                h.empty("input", {{"type", "hidden"}, {"name", "indicator"}, {"value", ""}});
                for (const auto& i : indicators()) {
                    const std::string v(i.name);
                    h.element("label", {{"class", "check"}}, [&] {
                        if (web::echoed_check(request, "indicator", v, v == "people_new" || v == "cases_opened" || v == "course_enrolments"))
                            h.empty("input", {{"type", "checkbox"}, {"name", "indicator"}, {"value", v}, {"checked", "checked"}});
                        else
                            h.empty("input", {{"type", "checkbox"}, {"name", "indicator"}, {"value", v}});
                        h.text(" " + ctx.t("indicator." + v));
                    });
                }
            });
            web::select_field(h, ctx, "breakdown", "reports.breakdown",
                              {{"", ctx.t("reports.breakdown_none")},
                               {"age", ctx.t("reports.breakdown_age")},
                               {"nationality", ctx.t("reports.breakdown_nationality")}});
            web::select_field(h, ctx, "round_to", "reports.rounding", {{"0", ctx.t("reports.rounding_none")}, {"5", ctx.t("reports.rounding_5")}});
            std::vector<std::pair<std::string, std::string>> languages;
            for (const auto& l : web::Messages::shipped().locales()) languages.push_back({l, web::Messages::shipped().t(l, "language.self")});
            web::select_field(h, ctx, "language", "reports.language", languages, request.locale);
            h.element("p", {{"class", "help"}}, ctx.t("reports.k_help", {{"k", policy_k}}));
            h.element("button", {{"type", "submit"}}, ctx.t("reports.prepare"));
        });
    });
}

Result<Report> released_report(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(r, c.reports.read(*request.principal, id));
    if (r.state != "released") return make_error(ErrorKind::conflict, "not_released", "Only a released report can be downloaded.");
    return r;
}

Response download(std::string body, const char* type, int64_t id, const char* ext) {
    Response out = Response::text(200, std::move(body), type);
    out.headers.emplace_back("Content-Disposition", "attachment; filename=\"report-" + std::to_string(id) + "." + ext + "\"");
    out.headers.emplace_back("Cache-Control", "no-store");
    return out;
}

}  // namespace

Result<Response> reports_show(Request& request, Context& c) { return reports_page(request, c); }

Result<Response> report_prepare(Request& request, Context& c) {
    HAVEN_TRY(form, form_body(request));
    Definition d;
    d.title = std::string(form.get("title"));
    for (auto s : form.all("site")) {
        if (s.empty()) continue;
        int64_t id = 0;
        if (auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), id); ec != std::errc{} || p != s.data() + s.size() || id <= 0)
            return web::show_again(request, invalid("sites", "A site is not a number.", "invalid"), [&] { return reports_page(request, c); });
        d.sites.push_back(id);
    }
    d.from = std::string(form.get("from"));
    d.to = std::string(form.get("to"));
    d.grain = std::string(form.get("grain"));
    for (auto i : form.all("indicator"))
        if (!i.empty()) d.indicators.emplace_back(i);
    d.language = std::string(form.get("language"));
    d.breakdown = std::string(form.get("breakdown"));
    if (const std::string_view r = form.get("round_to"); !r.empty()) {
        if (r != "0" && r != "5")
            return web::show_again(request, invalid("round_to", "Choose how figures are rounded.", "choose"),
                                   [&] { return reports_page(request, c); });
        d.round_to = r == "5" ? 5 : 0;
    }
    if (const std::string_view g = form.get("grant_id"); !g.empty()) {
        if (auto [p, ec] = std::from_chars(g.data(), g.data() + g.size(), d.grant_id); ec != std::errc{} || p != g.data() + g.size())
            return web::show_again(request, invalid("grant_id", "Choose a grant.", "choose"), [&] { return reports_page(request, c); });
    }
    auto id = c.reports.prepare(*request.principal, d);
    if (!id) return web::show_again(request, id.error(), [&] { return reports_page(request, c); });
    return Response::redirect(report_url(*id));
}

Result<Response> report_show(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    const Principal& who = *request.principal;
    HAVEN_TRY(r, c.reports.read(who, id));
    const View v = view_of(r, site_names(c, who));
    auto ctx = page_context(request);
    return web::page(ctx, 200, "reports.report", [&](web::Html& h) {
        h.element("h2", {{"id", "report-title"}}, v.title);
        h.element("p", {{"class", "lead"}}, v.subtitle);
        h.element("p", {{"id", "report-state"}}, [&] {
            h.element("span", {{"class", "state state-" + r.state}}, ctx.t("reports.state_" + r.state));
            h.text(" · " + ctx.t("reports.hidden_count", {{"hidden", r.hidden}}));
        });
        report_table(h, v);
        h.element("section", {{"class", "charts"}, {"id", "report-charts"}}, [&] {
            const auto charts = render_charts(v);
            for (size_t i = 0; i < charts.size(); ++i)
                h.element("figure", {}, [&] {
                    h.empty("img",
                            {{"src", report_url(id) + "/charts/" + std::to_string(i + 1)}, {"alt", v.groups[i].indicator}, {"loading", "lazy"}});
                    h.element("figcaption", {}, v.groups[i].indicator);
                });
        });
        if (r.state == "released") {
            h.element("p", {{"class", "actions"}, {"id", "downloads"}}, [&] {
                h.element("a", {{"href", report_url(id) + "/pdf"}, {"id", "download-pdf"}}, ctx.t("reports.download_pdf"));
                h.element("a", {{"href", report_url(id) + "/xlsx"}, {"id", "download-xlsx"}}, ctx.t("reports.download_xlsx"));
                h.element("a", {{"href", report_url(id) + "/csv"}, {"id", "download-csv"}}, ctx.t("reports.download_csv"));
            });
        }
        if (r.state != "prepared") return;
        const bool can_release = allowed_everywhere(who, Action::reports_release, r.definition.sites) && r.prepared_by != who.account_id;
        if (can_release)
            web::post_form(h, request, report_url(id) + "/release", {{"class", "stack"}, {"id", "release"}}, [&] {
                h.element("p", {}, ctx.t("reports.release_help"));
                h.element("button", {{"type", "submit"}}, ctx.t("reports.release"));
            });
        else if (r.prepared_by == who.account_id)
            h.element("p", {{"id", "awaiting"}}, ctx.t("reports.awaiting_release"));
        if (can_release || r.prepared_by == who.account_id)
            web::post_form(h, request, report_url(id) + "/discard", {{"id", "discard"}}, [&] {
                h.element("button", {{"type", "submit"}, {"class", "secondary"}}, ctx.t("reports.discard"));
            });
    });
}

Result<Response> report_chart(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(number, id_param(request, "number"));
    HAVEN_TRY(r, c.reports.read(*request.principal, id));
    const auto charts = render_charts(view_of(r, site_names(c, *request.principal)));
    if (number < 1 || size_t(number) > charts.size()) return make_error(ErrorKind::not_found, "not_found", "There is no such chart.");
    Response out = Response::text(200, charts[size_t(number) - 1], "image/svg+xml");
    out.headers.emplace_back("Cache-Control", "no-store");
    return out;
}

Result<Response> report_release(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    auto done = c.reports.release(*request.principal, id);
    if (!done) return web::show_again(request, done.error(), [&] { return report_show(request, c); });
    return Response::redirect(report_url(id));
}

Result<Response> report_discard(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    // Asked first: a discarded report stays in the log (what it showed was seen) and cannot be released.
    if (auto ask = web::confirm_first(request, form, page_context(request).t("reports.discard_what"), report_url(id))) return *ask;
    auto done = c.reports.discard(*request.principal, id);
    if (!done) return web::show_again(request, done.error(), [&] { return report_show(request, c); });
    return Response::redirect("/reports");
}

Result<Response> report_csv(Request& request, Context& c) {
    HAVEN_TRY(r, released_report(request, c));
    return download(render_csv(view_of(r, site_names(c, *request.principal))), "text/csv; charset=utf-8", r.id, "csv");
}

Result<Response> report_xlsx(Request& request, Context& c) {
    HAVEN_TRY(r, released_report(request, c));
    HAVEN_TRY(bytes, render_xlsx(view_of(r, site_names(c, *request.principal))));
    return download(std::move(bytes), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", r.id, "xlsx");
}

Result<Response> report_pdf(Request& request, Context& c) {
    HAVEN_TRY(r, released_report(request, c));
    HAVEN_TRY(bytes, render_pdf(view_of(r, site_names(c, *request.principal))));
    return download(std::move(bytes), "application/pdf", r.id, "pdf");
}

}  // namespace haven::reports
