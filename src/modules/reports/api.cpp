// The reports' JSON API: list, prepare (a definition as JSON), read (a hidden figure's value is null), release,
// discard. The same rules as the pages: the service decides.
#include "http/api.hpp"
#include "http/params.hpp"
#include "modules/reports/handlers.hpp"

namespace haven::reports {

namespace json = boost::json;
using http::id_param;
using http::json_body;
using http::ok;

namespace {

Result<std::vector<std::string>> strings(const json::object& o, const char* name) {
    std::vector<std::string> out;
    const auto* v = o.if_contains(name);
    if (!v) return out;
    if (!v->is_array() || v->get_array().size() > 100) return invalid(name, std::string(name) + " must be a list of at most 100 strings.", "invalid");
    for (const auto& s : v->get_array()) {
        if (!s.is_string() || s.get_string().size() > 100) return invalid(name, std::string(name) + " must be a list of strings.", "invalid");
        out.emplace_back(s.get_string());
    }
    return out;
}

Result<std::vector<int64_t>> ids(const json::object& o, const char* name) {
    std::vector<int64_t> out;
    const auto* v = o.if_contains(name);
    if (!v) return out;
    if (!v->is_array() || v->get_array().size() > max_sites)
        return invalid(name, std::string(name) + " must be a list of at most 50 site ids.", "invalid");
    for (const auto& s : v->get_array()) {
        if (!s.is_int64() || s.get_int64() <= 0) return invalid(name, std::string(name) + " must be a list of site ids.", "invalid");
        out.push_back(s.get_int64());
    }
    return out;
}

json::object summary_json(const Summary& s) {
    return {{"id", s.id}, {"title", s.title}, {"from", s.from}, {"to", s.to}, {"state", s.state}, {"prepared_at", s.prepared_at}};
}

json::object report_json(const Report& r) {
    const Definition& d = r.definition;
    json::array cells;
    for (const auto& c : r.cells) {
        json::object cell{{"indicator", c.indicator}, {"site_id", c.site_id}, {"column", r.columns.at(c.column)}};
        if (!c.category.empty()) cell["category"] = c.category;
        cell["value"] = c.value ? json::value(*c.value) : json::value(nullptr);
        cells.push_back(std::move(cell));
    }
    return {{"id", r.id},
            {"state", r.state},
            {"title", d.title},
            {"sites", json::array(d.sites.begin(), d.sites.end())},
            {"from", d.from},
            {"to", d.to},
            {"grain", d.grain},
            {"indicators", json::array(d.indicators.begin(), d.indicators.end())},
            {"language", d.language},
            {"k", d.k},
            {"grant_id", d.grant_id ? json::value(d.grant_id) : json::value(nullptr)},
            {"breakdown", d.breakdown.empty() ? json::value(nullptr) : json::value(d.breakdown)},
            {"round_to", d.round_to},
            {"columns", json::array(r.columns.begin(), r.columns.end())},
            {"cells", std::move(cells)},
            {"hidden", r.hidden},
            {"prepared_by", r.prepared_by},
            {"prepared_at", r.prepared_at},
            {"decided_by", r.decided_by ? json::value(r.decided_by) : json::value(nullptr)},
            {"decided_at", r.decided_at ? json::value(r.decided_at) : json::value(nullptr)}};
}

}  // namespace

Result<Response> api_reports(Request& request, Context& c) {
    HAVEN_TRY(list, c.reports.list(*request.principal));
    return http::items(list, summary_json);
}

Result<Response> api_report_prepare(Request& request, Context& c) {
    HAVEN_TRY(body, json_body(request));
    Definition d;
    HAVEN_TRY(title, http::text(body, "title", 200));
    d.title = std::move(title);
    HAVEN_TRY(sites, ids(body, "sites"));
    d.sites = std::move(sites);
    HAVEN_TRY(from, http::text(body, "from", 7));
    d.from = std::move(from);
    HAVEN_TRY(to, http::text(body, "to", 7));
    d.to = std::move(to);
    HAVEN_TRY(grain, http::text(body, "grain", 10));
    if (!grain.empty()) d.grain = std::move(grain);
    HAVEN_TRY(list, strings(body, "indicators"));
    d.indicators = std::move(list);
    HAVEN_TRY(breakdown, http::text(body, "breakdown", 20));
    d.breakdown = std::move(breakdown);
    if (const auto* round_to = body.if_contains("round_to")) {
        if (!round_to->is_int64()) return invalid("round_to", "round_to is 0 or 5.", "choose");
        d.round_to = round_to->get_int64();
    }
    HAVEN_TRY(language, http::text(body, "language", 10));
    d.language = language.empty() ? std::string(request.locale.empty() ? "en" : request.locale) : language;
    if (const auto* grant = body.if_contains("grant_id")) {
        if (!grant->is_int64() || grant->get_int64() < 0) return invalid("grant_id", "grant_id must be a grant's id.", "invalid");
        d.grant_id = grant->get_int64();
    }
    HAVEN_TRY(id, c.reports.prepare(*request.principal, d));
    HAVEN_TRY(r, c.reports.read(*request.principal, id));
    return ok(201, report_json(r));
}

Result<Response> api_report(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(r, c.reports.read(*request.principal, id));
    return ok(200, report_json(r));
}

Result<Response> api_report_release(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_CHECK(c.reports.release(*request.principal, id));
    HAVEN_TRY(r, c.reports.read(*request.principal, id));
    return ok(200, report_json(r));
}

Result<Response> api_report_discard(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_CHECK(c.reports.discard(*request.principal, id));
    return ok(200, json::object{{"discarded", true}});
}

}  // namespace haven::reports
