// Import from a spreadsheet (upload → preview with column mapping and errors per row → import with a
// progress bar) and export. The file travels in the form body, never in a URL.
#include <set>

#include "core/dates.hpp"
#include "crypto/random.hpp"
#include "http/form.hpp"
#include "http/params.hpp"
#include "modules/people/handlers.hpp"
#include "modules/people/import.hpp"
#include "web/widgets.hpp"

namespace haven::people {

using accounts::Action;
using accounts::may;
using http::form_body;
using http::id_param;
using web::notice;
using web::page_context;

Importer::~Importer() {
    for (auto& [job, thread] : threads_) thread.join();
}

// Joins the threads of finished imports and forgets jobs finished over an hour ago (under mutex_).
void Importer::reap() {
    const auto now = std::chrono::steady_clock::now();
    for (auto it = threads_.begin(); it != threads_.end();) {
        if (!it->first->finished) {
            ++it;
            continue;
        }
        it->second.join();
        it = threads_.erase(it);
    }
    for (auto it = jobs_.begin(); it != jobs_.end();)
        it = it->second->finished && now - it->second->finished_at > std::chrono::hours(1) ? jobs_.erase(it) : std::next(it);
}

std::string Importer::start(const Principal& actor, int64_t site_id, std::vector<Person> people, std::vector<std::pair<int64_t, Person>> merges) {
    auto job = std::make_shared<Job>();
    job->site_id = site_id;
    job->account_id = actor.account_id;
    job->total = people.size() + merges.size();
    const std::string id = crypto::random_token();
    std::lock_guard lock(mutex_);
    reap();
    jobs_[id] = job;
    threads_.emplace_back(job, std::thread([this, job, actor, site_id, people = std::move(people), merges = std::move(merges)]() mutable {
                              auto result = service_.create_all(
                                  actor, site_id, std::move(people), [&](size_t done) { job->done = done; }, merges);
                              if (result)
                                  job->ok = true;
                              else
                                  job->error = result.error();
                              job->finished_at = std::chrono::steady_clock::now();
                              job->finished = true;
                          }));
    return id;
}

std::shared_ptr<Importer::Job> Importer::job(const std::string& id) {
    std::lock_guard lock(mutex_);
    auto it = jobs_.find(id);
    return it == jobs_.end() ? nullptr : it->second;
}

namespace {

std::string import_url(int64_t site) { return "/sites/" + std::to_string(site) + "/people/import"; }

// The site's people as a file: CSV, or an Excel workbook (`format` "xlsx"). Never kept by a cache.
Result<Response> download(const std::vector<Person>& people, std::string_view format) {
    if (format == "xlsx") {
        HAVEN_TRY(book, export_xlsx(people));
        Response r = Response::text(200, std::move(book), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        r.set_header("Content-Disposition", "attachment; filename=\"people.xlsx\"");
        r.set_header("Cache-Control", "no-store");
        return r;
    }
    if (!format.empty() && format != "csv") return invalid("format", "format is csv or xlsx.", "choose");
    Response r = Response::text(200, export_csv(people), "text/csv; charset=utf-8");
    r.set_header("Content-Disposition", "attachment; filename=\"people.csv\"");
    r.set_header("Cache-Control", "no-store");
    return r;
}

Result<Response> export_page(Request& request, int64_t site, int status, const std::string& problem) {
    auto ctx = page_context(request);
    return web::page(ctx, status, "export.title", [&](web::Html& h) {
        h.element("p", {}, ctx.t("export.help"));
        if (!problem.empty()) notice(h, problem);
        web::post_form(h, request, "/sites/" + std::to_string(site) + "/people/export", {{"class", "stack"}, {"id", "export"}}, [&] {
            h.element("div", {{"class", "field"}}, [&] {
                h.element("label", {{"for", "code"}}, ctx.t("export.code"));
                h.empty("input",
                        {{"id", "code"}, {"name", "code"}, {"autocomplete", "one-time-code"}, {"inputmode", "numeric"}, {"required", "required"}});
            });
            web::select_field(h, ctx, "format", "export.format", {{"csv", ctx.t("export.format_csv")}, {"xlsx", ctx.t("export.format_xlsx")}});
            h.element("button", {{"type", "submit"}}, ctx.t("export.go"));
        });
    });
}

// The mapping chosen on the preview (col_0, col_1 …), or empty to guess.
std::vector<Column> mapping_from(const http::Form& form) {
    std::vector<Column> out;
    for (size_t i = 0;; ++i) {
        auto v = form.get("col_" + std::to_string(i));
        if (v.empty()) break;
        out.push_back(parse_column(v).value_or(Column::ignore));
    }
    return out;
}

// The file a form carries: a chosen file (its bytes as sent), else the preview's copy (base64), else what was
// pasted into the text area (a chosen file wins: app.js also copies a text file into the area).
Result<std::string> uploaded(const http::Form& form) {
    if (const auto* f = form.file("csv_file")) return f->bytes;
    if (form.has("file")) {
        auto bytes = crypto::from_base64(form.get("file"));
        if (!bytes) return invalid("file", "The file sent back with the preview is damaged: choose it again.", "invalid");
        return *bytes;
    }
    return std::string(form.get("csv"));
}

// `duplicates`: planned people (by index) who may be recorded already (id 0: earlier in the same file). They are
// skipped unless "import anyway" is ticked: the form then posts only the few ticked rows, not one field a row.
// `file`: the file as uploaded (any bytes: a workbook, a CSV in any encoding), carried in the forms as base64.
Response preview_page(Request& request, int64_t site, const std::string& file, const ImportPlan& plan, int status, const std::string& today,
                      const std::vector<std::pair<size_t, Match>>& duplicates = {}) {
    auto ctx = page_context(request);
    const std::string carried = crypto::base64(file);
    return web::page(ctx, status, "import.title", [&](web::Html& h) {
        // What was read, so a wrong guess (an encoding, a sheet) is seen before anything is written.
        if (plan.format == "csv")
            h.element("p", {{"id", "import-read-as"}}, ctx.t("import.read_csv", {{"encoding", plan.encoding}}));
        else
            h.element(
                "p", {{"id", "import-read-as"}},
                ctx.t("import.read_workbook", {{"format", plan.format == "xlsx" ? "Excel .xlsx" : "OpenDocument .ods"}, {"sheet", plan.sheet}}));
        if (plan.sheets.size() > 1)
            web::post_form(h, request, import_url(site) + "/preview", {{"class", "inline"}, {"id", "import-sheet"}}, [&] {
                h.empty("input", {{"type", "hidden"}, {"name", "file"}, {"value", carried}});
                h.element("label", {{"for", "sheet"}}, ctx.t("import.sheet"));
                h.element("select", {{"id", "sheet"}, {"name", "sheet"}}, [&] {
                    for (const auto& s : plan.sheets)
                        if (s == plan.sheet)
                            h.element("option", {{"value", s}, {"selected", "selected"}}, s);
                        else
                            h.element("option", {{"value", s}}, s);
                });
                h.element("button", {{"type", "submit"}, {"class", "secondary"}}, ctx.t("import.read_sheet"));
            });
        h.element("p", {{"id", "import-summary"}}, ctx.t("import.summary", {{"rows", int64_t(plan.rows)}, {"errors", int64_t(plan.errors.size())}}));
        // Arrivals dated after today are kept as expected ones; said here, since a typo in the year looks the same.
        const auto expected = std::count_if(plan.people.begin(), plan.people.end(), [&](const Person& p) { return p.arrival_date > today; });
        if (expected > 0) h.element("p", {{"class", "notice"}, {"id", "import-expected"}}, ctx.t("import.expected", {{"count", int64_t(expected)}}));
        if (!plan.errors.empty()) {
            h.element("p", {{"class", "notice error"}, {"role", "alert"}}, ctx.t("import.nothing_until_fixed"));
            h.element("table", {{"class", "list"}, {"id", "import-errors"}}, [&] {
                h.element("thead", {}, [&] {
                    h.element("tr", {}, [&] {
                        for (const char* key : {"import.row", "import.line", "import.person", "import.column", "import.value", "import.problem"})
                            h.element("th", {{"scope", "col"}}, ctx.t(key));
                    });
                });
                h.element("tbody", {}, [&] {
                    for (const auto& e : plan.errors)
                        h.element("tr", {}, [&] {
                            h.element("td", {{"data-label", ctx.t("import.row")}}, std::to_string(e.row));
                            h.element("td", {{"data-label", ctx.t("import.line")}}, std::to_string(e.line));
                            h.element("td", {{"data-label", ctx.t("import.person")}}, e.pseudonym);
                            h.element("td", {{"data-label", ctx.t("import.column")}}, e.column);
                            h.element("td", {{"data-label", ctx.t("import.value")}}, e.value);
                            h.element("td", {{"data-label", ctx.t("import.problem")}}, ctx.t("import.problem_" + e.problem));
                        });
                });
            });
        }
        web::post_form(h, request, import_url(site), {{"class", "stack"}, {"id", "import-form"}}, [&] {
            h.empty("input", {{"type", "hidden"}, {"name", "file"}, {"value", carried}});
            h.empty("input", {{"type", "hidden"}, {"name", "sheet"}, {"value", plan.sheet}});
            h.element("table", {{"class", "list"}, {"id", "mapping"}}, [&] {
                h.element("thead", {}, [&] {
                    h.element("tr", {}, [&] {
                        h.element("th", {{"scope", "col"}}, ctx.t("import.header"));
                        h.element("th", {{"scope", "col"}}, ctx.t("import.field"));
                    });
                });
                h.element("tbody", {}, [&] {
                    for (size_t i = 0; i < plan.headers.size(); ++i)
                        h.element("tr", {}, [&] {
                            const std::string name = "col_" + std::to_string(i);
                            h.element("td", {{"data-label", ctx.t("import.header")}}, [&] { h.element("label", {{"for", name}}, plan.headers[i]); });
                            h.element("td", {{"data-label", ctx.t("import.field")}}, [&] {
                                h.element("select", {{"id", name}, {"name", name}}, [&] {
                                    for (const auto& [column, cname] : column_names()) {
                                        const std::string v(cname), label = ctx.t("import.col_" + v);
                                        if (plan.columns[i] == column)
                                            h.element("option", {{"value", v}, {"selected", "selected"}}, label);
                                        else
                                            h.element("option", {{"value", v}}, label);
                                    }
                                });
                            });
                        });
                });
            });
            if (!duplicates.empty()) {
                h.element("h2", {}, ctx.t("import.duplicates_title"));
                h.element("p", {{"class", "notice error"}, {"role", "alert"}, {"id", "import-duplicates-help"}},
                          ctx.t("import.duplicates", {{"count", int64_t(duplicates.size())}}));
                h.element("table", {{"class", "list"}, {"id", "import-duplicates"}}, [&] {
                    h.element("thead", {}, [&] {
                        h.element("tr", {}, [&] {
                            for (const char* key : {"import.choice", "import.row", "import.person", "import.known_as"})
                                h.element("th", {{"scope", "col"}}, ctx.t(key));
                        });
                    });
                    h.element("tbody", {}, [&] {
                        for (const auto& duplicate : duplicates)  // no structured binding: clang 14 cannot capture one
                            h.element("tr", {}, [&] {
                                const size_t i = duplicate.first;
                                const Match& known = duplicate.second;
                                const std::string row = std::to_string(plan.row_numbers[i]);
                                // Skip (the default), import as a new person, or add the row to the one recorded.
                                h.element("td", {{"data-label", ctx.t("import.choice")}}, [&] {
                                    h.element("fieldset", {{"class", "choices"}}, [&] {
                                        h.element("legend", {{"class", "visually-hidden"}}, ctx.t("import.choice_row", {{"row", row}}));
                                        for (const char* choice : {"skip", "new", "merge"}) {
                                            if (std::string_view(choice) == "merge" && !known.id) continue;
                                            const std::string id = "row-" + row + "-" + choice;
                                            h.element("span", {{"class", "choice"}}, [&] {  // a radio beside its words, never apart
                                                if (std::string_view(choice) == "skip")
                                                    h.empty("input", {{"type", "radio"},
                                                                      {"id", id},
                                                                      {"name", "row-" + row},
                                                                      {"value", choice},
                                                                      {"checked", "checked"}});
                                                else
                                                    h.empty("input", {{"type", "radio"}, {"id", id}, {"name", "row-" + row}, {"value", choice}});
                                                h.element("label", {{"for", id}}, ctx.t(std::string("import.choice_") + choice));
                                            });
                                        }
                                    });
                                });
                                h.element("td", {{"data-label", ctx.t("import.row")}}, row);
                                h.element("td", {{"data-label", ctx.t("import.person")}}, plan.people[i].pseudonym);
                                h.element("td", {{"data-label", ctx.t("import.known_as")}}, [&] {
                                    if (known.id)
                                        h.element("a", {{"href", "/people/" + std::to_string(known.id)}}, known.pseudonym);
                                    else
                                        h.text(ctx.t("import.earlier_in_file", {{"name", known.pseudonym}}));
                                });
                            });
                    });
                });
            }
            if (!plan.people.empty()) {
                h.element("h2", {}, ctx.t("import.sample"));
                h.element("ul", {{"id", "import-sample"}}, [&] {
                    for (size_t i = 0; i < plan.people.size() && i < 5; ++i) {
                        const auto& p = plan.people[i];
                        std::string names;
                        for (const auto& n : p.legal_names) names += " · " + n;
                        h.element("li", {}, p.pseudonym + names + (p.birth_date.empty() ? "" : " · " + p.birth_date));
                    }
                });
            }
            h.element("p", {{"class", "actions"}}, [&] {
                h.element("button", {{"type", "submit"}, {"class", "secondary"}, {"formaction", import_url(site) + "/preview"}},
                          ctx.t("import.preview_again"));
                if (!plan.people.empty())
                    h.element("button", {{"type", "submit"}, {"id", "import-go"}},
                              ctx.t("import.go", {{"count", int64_t(plan.people.size() - duplicates.size())}}));
            });
        });
    });
}

}  // namespace

Result<Response> import_show(Request& request, Context&) {
    HAVEN_TRY(site, id_param(request, "site"));
    if (!may(*request.principal, Action::people_transfer, site)) return accounts::role_forbids();
    auto ctx = page_context(request);
    return web::page(ctx, 200, "import.title", [&](web::Html& h) {
        h.element("p", {}, ctx.t("import.help"));
        // The file is sent as a multipart part (it works without JavaScript); with it, app.js also shows it in the text area.
        web::post_form(h, request, import_url(site) + "/preview", {{"class", "stack"}, {"id", "upload"}, {"enctype", "multipart/form-data"}}, [&] {
            h.element("div", {{"class", "field"}}, [&] {
                h.element("label", {{"for", "csv-file"}}, ctx.t("import.file"));
                h.empty("input", {{"id", "csv-file"},
                                  {"name", "csv_file"},
                                  {"type", "file"},
                                  {"accept",
                                   ".csv,.txt,.tsv,.xlsx,.ods,text/csv,text/plain,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,"
                                   "application/vnd.oasis.opendocument.spreadsheet"},
                                  {"data-fills", "csv"}});
            });
            h.element("div", {{"class", "field"}}, [&] {
                h.element("label", {{"for", "csv"}}, ctx.t("import.paste"));
                h.element("textarea", {{"id", "csv"}, {"name", "csv"}, {"rows", "8"}}, "");
            });
            h.element("button", {{"type", "submit"}}, ctx.t("import.preview"));
        });
    });
}

Result<Response> import_preview(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    if (!may(*request.principal, Action::people_transfer, site)) return accounts::role_forbids();
    HAVEN_TRY(form, form_body(request, {"csv_file"}));
    HAVEN_TRY(file, uploaded(form));
    HAVEN_TRY(plan, plan_import(file, mapping_from(form), c.people.now_ms(), form.get("sheet")));
    HAVEN_TRY(duplicates, c.people.import_duplicates(*request.principal, site, plan.people));
    return preview_page(request, site, file, plan, plan.errors.empty() ? 200 : 422, date_of(c.people.now_ms()), duplicates);
}

Result<Response> import_save(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    if (!may(*request.principal, Action::people_transfer, site)) return accounts::role_forbids();
    HAVEN_TRY(form, form_body(request));
    HAVEN_TRY(file, uploaded(form));
    HAVEN_TRY(plan, plan_import(file, mapping_from(form), c.people.now_ms(), form.get("sheet")));
    if (!plan.errors.empty()) return preview_page(request, site, file, plan, 422, date_of(c.people.now_ms()));
    // People possibly recorded already (found again now, by the preview's rules) are skipped unless the coordinator
    // ticked "import anyway" for their row.
    HAVEN_TRY(duplicates, c.people.import_duplicates(*request.principal, site, plan.people));
    // Each flagged row: skipped, imported as new ("new", or import_anyway=<row> as scripts send it), or added to
    // the person recorded already ("merge").
    std::set<std::string> anyway;
    for (auto v : form.all("import_anyway")) anyway.emplace(v);
    std::set<size_t> held;
    std::vector<std::pair<int64_t, Person>> merges;
    for (const auto& [i, known] : duplicates) {
        const std::string row = std::to_string(plan.row_numbers[i]);
        const std::string_view choice = anyway.count(row) ? "new" : form.get("row-" + row);
        if (choice == "new") continue;
        held.insert(i);
        if (choice == "merge" && known.id) merges.emplace_back(known.id, plan.people[i]);
    }
    std::vector<Person> chosen;
    for (size_t i = 0; i < plan.people.size(); ++i)
        if (!held.count(i)) chosen.push_back(std::move(plan.people[i]));
    const std::string job = c.importer.start(*request.principal, site, std::move(chosen), std::move(merges));
    return Response::redirect(import_url(site) + "/" + job);
}

Result<Response> import_progress(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    auto job = c.importer.job(request.params.at("id"));
    if (!job || job->site_id != site || job->account_id != request.principal->account_id)
        return make_error(ErrorKind::not_found, "not_found", "There is nothing at this address.");
    auto ctx = page_context(request);
    const bool finished = job->finished;
    auto page = web::page(ctx, 200, "import.title", [&](web::Html& h) {
        if (!finished) {
            h.element("p", {{"id", "import-state"}, {"data-refresh", "1"}},
                      ctx.t("import.running", {{"done", int64_t(job->done)}, {"total", int64_t(job->total)}}));
            h.element("progress", {{"value", std::to_string(job->done)}, {"max", std::to_string(job->total)}}, "");
            h.element("p", {}, [&] { h.element("a", {{"href", import_url(site) + "/" + request.params.at("id")}}, ctx.t("import.refresh")); });
        } else if (job->ok) {
            h.element("p", {{"id", "import-state"}, {"class", "notice"}, {"role", "status"}}, ctx.t("import.done", {{"total", int64_t(job->total)}}));
            h.element("p", {}, [&] { h.element("a", {{"href", "/sites/" + std::to_string(site) + "/people"}}, ctx.t("people.title")); });
        } else {
            notice(h, ctx.t("import.failed") + " " + web::localized(ctx, job->error));
        }
    });
    // Until it is done the page asks to be fetched again in two seconds: a Refresh header, so it works without
    // JavaScript too (app.js reloads sooner where it runs).
    if (!finished) page.set_header("Refresh", "2");
    return page;
}

// Export: the page asks for the second factor again; the file comes from the form's POST (the API sends the code
// in the X-Second-Factor header).
Result<Response> export_show(Request& request, Context&) {
    HAVEN_TRY(site, id_param(request, "site"));
    if (!may(*request.principal, Action::people_transfer, site)) return accounts::role_forbids();
    return export_page(request, site, 200, "");
}

Result<Response> export_save(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(form, form_body(request));
    auto people = c.people.export_site(*request.principal, site, std::string(form.get("code")));
    if (!people && people.error().kind == ErrorKind::invalid)
        return export_page(request, site, 422, web::localized(page_context(request), people.error()));
    if (!people) return people.error();
    return download(people.value(), form.get("format"));
}

Result<Response> api_export(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(query, http::Form::parse(request.query));
    if (query.has("format") && query.get("format") != "csv" && query.get("format") != "xlsx")
        return invalid("format", "format is csv or xlsx.", "choose");  // before the export is made and audited
    HAVEN_TRY(people, c.people.export_site(*request.principal, site, std::string(request.header("X-Second-Factor"))));
    return download(people, query.get("format"));
}

}  // namespace haven::people
