#include "http/api.hpp"
#include "http/form.hpp"
#include "http/params.hpp"
#include "modules/people/handlers.hpp"
#include "modules/people/import.hpp"

#include <set>

namespace haven::people {

using http::id_param;
using http::json_body;
using http::ok;
namespace json = boost::json;

namespace {

json::array matches_json(const std::vector<Match>& matches) {
    json::array a;
    for (const auto& m : matches) {
        json::array names;
        for (const auto& n : m.legal_names) names.emplace_back(n);
        json::object o{{"id", m.id}, {"site_id", m.site_id}, {"pseudonym", m.pseudonym}, {"legal_names", names}};
        if (m.matched_name >= 0) {  // a search: which name met the query (0 the pseudonym), and each query word's place in it
            json::array words;
            for (int w : m.matched_words) words.emplace_back(w);
            o["matched"] = json::object{{"name", m.matched_name}, {"words", words}};
        }
        a.push_back(std::move(o));
    }
    return a;
}

json::object person_json(const Person& p) {
    json::object o = to_json(p);
    o["id"] = p.id;
    o["site_id"] = p.site_id;
    o["created_at"] = p.created_at;
    o["active_at"] = p.active_at;
    return o;
}

Result<int64_t> site_member(const json::object& body) {
    const auto* v = body.if_contains("site_id");
    if (!v || v->is_null()) return int64_t(0);
    if (!v->is_int64() || v->get_int64() <= 0) return make_error(ErrorKind::invalid, "validation_failed", "site_id must be a site's id.", "site_id");
    return v->get_int64();
}

Response import_errors(const ImportPlan& plan) {
    json::array rows;
    for (const auto& e : plan.errors)
        rows.push_back(json::object{{"row", e.row},
                                    {"line", e.line},
                                    {"pseudonym", e.pseudonym},
                                    {"column", e.column},
                                    {"value", e.value},
                                    {"problem", e.problem},
                                    {"message", e.message}});
    return ok(422,
              json::object{{"error", json::object{{"code", "import_failed"},
                                                  {"message", "Nothing was imported: " + std::to_string(plan.errors.size()) + " rows have errors."}}},
                           {"rows", rows}});
}

}  // namespace

Result<Response> api_people_create(Request& request, Context& c) {
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(person, from_json(body));
    HAVEN_TRY(site, site_member(body));
    person.site_id = site;
    HAVEN_TRY(created, c.people.create(*request.principal, std::move(person)));
    return ok(201, json::object{{"id", created.id}, {"possible_duplicates", matches_json(created.possible_duplicates)}});
}

Result<Response> api_people_search(Request& request, Context& c) {
    HAVEN_TRY(query, http::Form::parse(request.query));
    std::optional<int64_t> site;
    if (query.has("site")) {
        site = std::atoll(std::string(query.get("site")).c_str());
        if (*site <= 0) return make_error(ErrorKind::invalid, "validation_failed", "site must be a site's id.", "site");
    }
    const std::string q(query.get("q"));
    if (!q.empty()) {
        HAVEN_TRY(found, c.people.search(*request.principal, q, 50, site));
        return ok(200, json::object{{"items", matches_json(found)}});
    }
    if (!site) {
        HAVEN_TRY(s, c.people.default_site(*request.principal, accounts::Action::people_open));
        site = s;
    }
    HAVEN_TRY(recent, c.people.recent(*request.principal, *site));
    return ok(200, json::object{{"items", matches_json(recent)}});
}

Result<Response> api_person(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(person, c.people.read(*request.principal, id));
    return ok(200, person_json(person));
}

Result<Response> api_person_update(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(person, from_json(body));
    person.id = id;
    if (auto s = c.people.update(*request.principal, std::move(person)); !s) return s.error();
    return ok(200, json::object{{"id", id}});
}

Result<Response> api_person_erase(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(site, c.people.erase(*request.principal, id));
    return ok(200, json::object{{"erased", true}, {"site_id", site}});
}

Result<Response> api_consents(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(list, c.people.consents(*request.principal, id));
    json::array items;
    for (const auto& k : list) {
        json::array purposes;
        for (const auto& p : k.purposes) purposes.emplace_back(p);
        items.push_back(
            json::object{{"id", k.id}, {"purposes", purposes}, {"note", k.note}, {"recorded_at", k.recorded_at}, {"recorded_by", k.recorded_by}});
    }
    return ok(200, json::object{{"items", items}});
}

Result<Response> api_consent_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(body, json_body(request));
    Consent consent;
    if (const auto* v = body.if_contains("purposes")) {
        if (!v->is_array()) return make_error(ErrorKind::invalid, "validation_failed", "purposes must be a list of strings.", "purposes");
        for (const auto& p : v->get_array()) {
            if (!p.is_string()) return make_error(ErrorKind::invalid, "validation_failed", "purposes must be a list of strings.", "purposes");
            consent.purposes.emplace_back(p.get_string());
        }
    }
    HAVEN_TRY(note, http::text(body, "note", 1000));
    consent.note = note;
    if (auto s = c.people.add_consent(*request.principal, id, std::move(consent)); !s) return s.error();
    return ok(201, json::object{{"recorded", true}});
}

Result<Response> api_retention(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(due, c.people.retention_due(*request.principal, site));
    json::array items = matches_json(due);
    for (size_t i = 0; i < due.size(); ++i) items[i].as_object()["active_at"] = due[i].active_at;
    return ok(200, json::object{{"items", items}});
}

Result<Response> api_import(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    const std::string_view type = request.header("Content-Type");
    if (!type.starts_with("text/csv") && !type.starts_with("text/plain") && !type.starts_with("text/tab-separated-values") &&
        !type.starts_with("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") &&
        !type.starts_with("application/vnd.oasis.opendocument.spreadsheet"))
        return make_error(ErrorKind::unsupported_media, "unsupported_media_type", "Send the file as text/csv, an .xlsx or an .ods workbook.");
    HAVEN_TRY(query, http::Form::parse(request.query));
    std::vector<Column> columns;
    if (query.has("columns")) {
        std::string list(query.get("columns"));
        size_t at = 0;
        while (at <= list.size()) {
            const size_t comma = std::min(list.find(',', at), list.size());
            auto column = parse_column(list.substr(at, comma - at));
            if (!column) return make_error(ErrorKind::invalid, "validation_failed", "columns names a field Haven does not know.", "columns");
            columns.push_back(*column);
            at = comma + 1;
        }
    }
    // People possibly recorded already (the intake's rules, as the preview page shows them) are skipped unless
    // duplicates=import; the answer lists them by row either way.
    const std::string_view duplicates = query.has("duplicates") ? query.get("duplicates") : "skip";
    if (duplicates != "skip" && duplicates != "import") return invalid("duplicates", "duplicates is skip or import.", "choose");
    HAVEN_TRY(plan, plan_import(request.body, columns, c.people.now_ms(), query.get("sheet")));
    if (!plan.errors.empty()) return import_errors(plan);
    HAVEN_TRY(found, c.people.import_duplicates(*request.principal, site, plan.people));
    json::array flagged;
    std::set<size_t> held;
    for (const auto& [i, known] : found) {
        flagged.push_back(json::object{{"row", plan.row_numbers[i]}, {"pseudonym", plan.people[i].pseudonym}, {"recorded_id", known.id}});
        if (duplicates == "skip") held.insert(i);
    }
    if (query.get("dry_run") == "true")
        return ok(200, json::object{{"rows", plan.people.size()}, {"imported", 0}, {"duplicates", std::move(flagged)}});
    std::vector<Person> chosen;
    for (size_t i = 0; i < plan.people.size(); ++i)
        if (!held.count(i)) chosen.push_back(std::move(plan.people[i]));
    HAVEN_TRY(ids, c.people.create_all(*request.principal, site, std::move(chosen)));
    return ok(201, json::object{{"imported", ids.size()}, {"skipped", held.size()}, {"duplicates", std::move(flagged)}});
}

}  // namespace haven::people
