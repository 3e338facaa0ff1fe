// The JSON API of the registry and the letters (docs/openapi.yaml). A search's words go in a POST body, never in a
// URL; a writer's routes answer only about their own letters; a reply's text reaches only its writer.
#include "crypto/random.hpp"
#include "http/params.hpp"
#include "modules/prisoners/api_common.hpp"
#include "modules/prisoners/handlers.hpp"

namespace haven::prisoners {

using http::id_param;
using http::json_body;
using http::ok;
namespace json = boost::json;

namespace {

json::array list_of(const std::vector<std::string>& v) { return json::array(v.begin(), v.end()); }

json::object institution_json(const Institution& i) { return {{"id", i.id}, {"kind", i.kind}, {"name", i.name}, {"address", i.address}}; }

json::object prisoner_json(const Prisoner& p) {
    json::array dates;
    for (const auto& d : p.dates) dates.push_back(json::object{{"date", d.date}, {"note", d.note}});
    return {{"id", p.id},
            {"site_id", p.site_id},
            {"names", list_of(p.names)},
            {"address_as", p.address_as},
            {"birth_date", p.birth_date},
            {"release_date", p.release_date},
            {"case", p.case_summary},
            {"articles", p.articles},
            {"interests", p.interests},
            {"notes", p.notes},
            {"languages", list_of(p.languages)},
            {"dates", dates},
            {"public", p.public_name},
            {"status", p.status},
            {"approved_only", p.approved_only},
            {"weight", p.weight}};
}

json::object letter_json(const Letter& l, bool with_body) {
    json::object o{{"id", l.id},
                   {"prisoner_id", l.prisoner_id},
                   {"prisoner", l.prisoner},
                   {"pen_name", l.pen_name},
                   {"status", l.status},
                   {"held", l.held},
                   {"handwritten", l.handwritten},
                   {"warnings", l.warnings},
                   {"channel", l.channel},
                   {"cost_minor", l.cost_minor},
                   {"currency", l.currency},
                   {"replied", l.replied}};
    if (with_body) o["body"] = l.body;
    if (l.address) o["address"] = institution_json(*l.address);
    return o;
}

json::array warnings_json(const std::vector<text::CensorWarning>& warnings) {
    json::array out;
    for (const auto& w : warnings) out.push_back(json::object{{"kind", w.kind}, {"topic", w.topic}, {"word", w.word}, {"offset", int64_t(w.offset)}});
    return out;
}

// A prisoner as a list shows them: the full record is GET /api/v1/prisoners/{id} (audited, counted).
json::object summary_json(const Prisoner& p) {
    return {{"id", p.id}, {"names", list_of(p.names)}, {"status", p.status}, {"approved_only", p.approved_only}, {"weight", p.weight}};
}

// A prisoner from a request's body (every member optional but names).
Result<Prisoner> prisoner_from(const json::object& body) {
    Prisoner p;
    HAVEN_TRY(names, api::strings(body, "names", 10, 200));
    HAVEN_TRY(languages, api::strings(body, "languages", 10, 3));
    p.names = std::move(names);
    p.languages = std::move(languages);
    for (auto [name, to, max] :
         {std::tuple{"address_as", &p.address_as, 100}, std::tuple{"birth_date", &p.birth_date, 10}, std::tuple{"release_date", &p.release_date, 10},
          std::tuple{"case", &p.case_summary, 4000}, std::tuple{"articles", &p.articles, 500}, std::tuple{"interests", &p.interests, 1000},
          std::tuple{"notes", &p.notes, 4000}, std::tuple{"status", &p.status, 20}}) {
        HAVEN_TRY(v, http::text(body, name, size_t(max)));
        if (!v.empty() || std::string(name) != "status") *to = v;
    }
    if (const auto* d = body.if_contains("dates")) {
        if (!d->is_array() || d->get_array().size() > 50) return invalid("dates", "dates must be a list of at most 50 {date, note}.", "too_many", 50);
        for (const auto& x : d->get_array()) {
            const auto* o = x.if_object();
            if (!o) return invalid("dates", "dates must hold objects {date, note}.", "invalid");
            HAVEN_TRY(date, http::text(*o, "date", 10));
            HAVEN_TRY(note, http::text(*o, "note", 200));
            p.dates.push_back({date, note});
        }
    }
    HAVEN_TRY(pub, api::boolean_or(body, "public", true));
    HAVEN_TRY(approved, api::boolean_or(body, "approved_only", false));
    HAVEN_TRY(weight, api::integer_or(body, "weight", 1));
    p.public_name = pub;
    p.approved_only = approved;
    p.weight = weight < 0 || weight > 1000 ? 0 : int(weight);
    return p;
}

}  // namespace

// ---- The registry ----

Result<Response> api_prisoners(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(list, c.registry.list(*request.principal, site));
    return http::items(list, summary_json);
}

Result<Response> api_prisoner_search(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(q, http::text(body, "q", 200));
    if (q.empty()) return invalid("q", "q is required.", "required");
    HAVEN_TRY(list, c.registry.list(*request.principal, site, q));
    return http::items(list, summary_json);
}

Result<Response> api_prisoner_create(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(p, prisoner_from(body));
    p.site_id = site;
    HAVEN_TRY(id, c.registry.create(*request.principal, std::move(p)));
    return ok(201, json::object{{"id", id}});
}

Result<Response> api_prisoner(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(p, c.registry.read(*request.principal, id));
    HAVEN_TRY(stays, c.registry.stays(*request.principal, id));
    HAVEN_TRY(approved, c.registry.approved(*request.principal, id));
    json::object o = prisoner_json(p);
    json::array history;
    for (const auto& s : stays) {
        json::object h{{"since", s.since}, {"note", s.note}, {"in_transit", s.institution_id == 0}};
        if (s.institution) h["institution"] = institution_json(*s.institution);
        history.push_back(h);
    }
    o["addresses"] = history;
    o["approved_writers"] = json::array(approved.begin(), approved.end());
    return ok(200, o);
}

Result<Response> api_prisoner_update(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(p, prisoner_from(body));
    p.id = id;
    if (!body.if_contains("status")) p.status.clear();  // kept as it is
    HAVEN_CHECK(c.registry.update(*request.principal, std::move(p)));
    return Response::text(204, "");
}

Result<Response> api_transfer(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(body, json_body(request));
    Transfer t;
    HAVEN_TRY(institution, api::integer_or(body, "institution_id", 0));
    HAVEN_TRY(since, http::text(body, "since", 10));
    HAVEN_TRY(note, http::text(body, "note", 500));
    HAVEN_TRY(status, http::text(body, "status", 20));
    t = {institution, since, note, status};
    HAVEN_CHECK(c.registry.transfer(*request.principal, id, t));
    return Response::text(204, "");
}

Result<Response> api_approvals(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(writers, api::ids(body, "writer_ids", 200));
    HAVEN_CHECK(c.registry.set_approved(*request.principal, id, writers));
    return Response::text(204, "");
}

Result<Response> api_institutions(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(list, c.registry.institutions(*request.principal, site));
    return http::items(list, institution_json);
}

Result<Response> api_institution_create(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(kind, http::text(body, "kind", 20));
    HAVEN_TRY(name, http::text(body, "name", 200));
    HAVEN_TRY(address, http::text(body, "address", 1000));
    HAVEN_TRY(id, c.registry.add_institution(*request.principal, {0, site, kind, name, address}));
    return ok(201, json::object{{"id", id}});
}

Result<Response> api_prisoner_import(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    if (!request.header("Content-Type").starts_with("text/csv"))
        return make_error(ErrorKind::unsupported_media, "unsupported_media_type", "Send the list as text/csv.");
    HAVEN_TRY(done, c.registry.import_csv(*request.principal, site, request.body));
    if (!done.errors.empty()) {
        json::array errors;
        for (const auto& e : done.errors)
            errors.push_back(json::object{{"row", int64_t(e.row)}, {"column", e.column}, {"problem", e.problem}, {"message", e.message}});
        return ok(422, json::object{{"error", "validation_failed"}, {"message", "Some rows are wrong: nothing was imported."}, {"rows", errors}});
    }
    return ok(201, json::object{{"imported", int64_t(done.ids.size())}, {"ids", json::array(done.ids.begin(), done.ids.end())}});
}

Result<Response> api_calendar(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(query, http::Form::parse(request.query));
    HAVEN_TRY(weeks, api::query_number(query, "weeks", 6));
    HAVEN_TRY(items, c.registry.calendar(*request.principal, site, int(std::min<int64_t>(weeks, 1000))));
    return http::items(items, [](const CalendarItem& i) {
        return json::object{{"date", i.date}, {"kind", i.kind}, {"prisoner_id", i.prisoner_id},
                            {"name", i.name}, {"note", i.note}, {"letters", i.letters}};
    });
}

Result<Response> api_figures(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(query, http::Form::parse(request.query));
    HAVEN_TRY(days, api::query_number(query, "days", 90));
    HAVEN_TRY(f, c.registry.figures(*request.principal, site, int(std::min<int64_t>(days, 100000))));
    auto pairs = [](const auto& v) {
        json::object o;
        for (const auto& [k, n] : v) o[k] = n;
        return o;
    };
    json::array by_letters, institutions;
    for (const auto& [letters, prisoners] : f.prisoners_by_letters)
        by_letters.push_back(json::object{{"letters", letters}, {"prisoners", prisoners}});
    for (const auto& i : f.institutions)
        institutions.push_back(json::object{{"name", i.name},
                                            {"kind", i.kind},
                                            {"sent", i.sent},
                                            {"delivered", i.delivered},
                                            {"returned", i.returned},
                                            {"withheld", i.withheld},
                                            {"answered", i.answered}});
    return ok(200, json::object{{"prisoners", f.prisoners},
                                {"writers", f.writers},
                                {"writers_active", f.writers_active},
                                {"letters", f.letters},
                                {"prisoners_by_status", pairs(f.by_status)},
                                {"letters_by_status", pairs(f.letters_by_state)},
                                {"prisoners_by_letters", by_letters},
                                {"institutions", institutions}});
}

// ---- Writers and letters ----

Result<Response> api_writers(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(list, c.letters.writers(*request.principal, site));
    return http::items(list, [](const Writer& w) {
        return json::object{{"id", w.id}, {"pen_name", w.pen_name}, {"languages", list_of(w.languages)}};
    });
}

Result<Response> api_writer(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(w, c.letters.writer(*request.principal, site));
    return ok(200, json::object{{"pen_name", w.pen_name}, {"languages", list_of(w.languages)}});
}

Result<Response> api_writer_save(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(pen_name, http::text(body, "pen_name", 60));
    HAVEN_TRY(languages, api::strings(body, "languages", 10, 3));
    HAVEN_CHECK(c.letters.save_writer(*request.principal, {0, 0, site, pen_name, languages}));
    return Response::text(204, "");
}

Result<Response> api_ask(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(l, c.letters.ask(*request.principal, site));
    return ok(201, letter_json(l, false));
}

Result<Response> api_my_letters(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(list, c.letters.mine(*request.principal, site));
    return http::items(list, [](const Letter& l) { return letter_json(l, false); });
}

Result<Response> api_site_letters(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(query, http::Form::parse(request.query));
    HAVEN_TRY(list, c.letters.of_site(*request.principal, site, std::string(query.get("status"))));
    return http::items(list, [](const Letter& l) { return letter_json(l, false); });
}

Result<Response> api_prisoner_letters(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(list, c.letters.of_prisoner(*request.principal, id));
    return http::items(list, [](const Letter& l) { return letter_json(l, false); });
}

Result<Response> api_handwritten(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(writer, api::integer_or(body, "writer_id", 0));
    HAVEN_TRY(text, http::text(body, "body", 20000));
    HAVEN_TRY(letter, c.letters.record_handwritten(*request.principal, id, writer, text));
    return ok(201, json::object{{"id", letter}});
}

Result<Response> api_letter(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(l, c.letters.read(*request.principal, id));
    return ok(200, letter_json(l, true));
}

Result<Response> api_letter_prisoner(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(p, c.letters.prisoner_of(*request.principal, id));
    return ok(200, json::object{{"id", p.id},
                                {"address_as", p.address_as},
                                {"names", p.names},
                                {"birthday", p.birthday},
                                {"interests", p.interests},
                                {"in_transit", p.status == "in_transit"},
                                {"languages", list_of(p.languages)}});
}

Result<Response> api_letter_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(text, http::text(body, "body", 20000));
    HAVEN_TRY(warnings, c.letters.save(*request.principal, id, text));
    return ok(200, json::object{{"warnings", warnings_json(warnings)}});
}

Result<Response> api_again(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(l, c.letters.again(*request.principal, id));
    return ok(201, letter_json(l, false));
}

Result<Response> api_hand_in(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_CHECK(c.letters.hand_in(*request.principal, id));
    return Response::text(204, "");
}

Result<Response> api_send(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(channel, http::text(body, "channel", 20));
    HAVEN_TRY(cost, api::integer_or(body, "cost_minor", 0));
    HAVEN_TRY(currency, http::text(body, "currency", 3));
    HAVEN_CHECK(c.letters.send(*request.principal, id, channel, cost, currency.empty() ? "EUR" : currency));
    return Response::text(204, "");
}

Result<Response> api_outcome(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(status, http::text(body, "status", 20));
    HAVEN_CHECK(c.letters.outcome(*request.principal, id, status));
    return Response::text(204, "");
}

Result<Response> api_reply_create(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(body, json_body(request));
    Reply r;
    HAVEN_TRY(text, http::text(body, "text", 20000));
    HAVEN_TRY(file_name, http::text(body, "file_name", 200));
    HAVEN_TRY(file_type, http::text(body, "file_type", 40));
    HAVEN_TRY(scan64, http::text(body, "scan_base64", 7 * 1024 * 1024 + 4));
    r.text = text;
    r.file_name = file_name;
    r.file_type = file_type;
    if (!scan64.empty()) {
        auto scan = crypto::from_base64(scan64);
        if (!scan) return invalid("scan_base64", "scan_base64 must be the file in base64.", "invalid");
        r.scan = std::move(*scan);
    }
    HAVEN_CHECK(c.letters.enter_reply(*request.principal, id, std::move(r)));
    return Response::text(204, "");
}

Result<Response> api_replies(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(list, c.letters.replies(*request.principal, id, true));
    return http::items(list, [](const Reply& r) {
        json::object o{{"id", r.id}, {"number", r.number}, {"text", r.text}, {"file_name", r.file_name}, {"file_type", r.file_type}};
        if (!r.scan.empty()) o["scan_base64"] = crypto::base64(r.scan);
        o["has_scan"] = r.has_scan;
        return o;
    });
}

Result<Response> api_censor_rules(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(rules, c.letters.censor_rules(*request.principal, site));
    return ok(200, json::object{{"rules", rules_text(rules)}});
}

Result<Response> api_censor_rules_save(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(text, http::text(body, "rules", 20000));
    HAVEN_TRY(rules, parse_rules_text(text));
    HAVEN_CHECK(c.letters.save_censor_rules(*request.principal, site, rules));
    return Response::text(204, "");
}

Result<Response> api_censor_check(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(text, http::text(body, "body", 20000));
    HAVEN_TRY(warnings, c.letters.check(*request.principal, site, text));
    return ok(200, json::object{{"warnings", warnings_json(warnings)}});
}

}  // namespace haven::prisoners
