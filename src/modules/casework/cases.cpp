// Legal cases: procedure templates, steps with due dates, document checklists, deadlines.
#include <boost/json.hpp>

#include "core/dates.hpp"
#include "core/ids.hpp"
#include "core/utf8.hpp"
#include "http/json.hpp"
#include "modules/accounts/store.hpp"
#include "modules/casework/service.hpp"
#include "modules/casework/store.hpp"
#include "modules/people/person.hpp"
#include "modules/people/store.hpp"

namespace haven::casework {

using accounts::Action;
using accounts::may;
using storage::Tx;
namespace json = boost::json;

namespace {

Error not_found() { return make_error(ErrorKind::not_found, "not_found", "There is no such case, or you may not see it."); }
Error damaged() { return make_error(ErrorKind::unavailable, "bad_ciphertext", "A stored case is damaged."); }

Result<json::object> open_json(const people::Service::Sealer& s, std::string_view table, int64_t id, const std::string& sealed) {
    auto plain = s.open(table, id, sealed);
    if (!plain) return plain.error();
    auto v = http::parse_json(*plain);
    if (!v || !v->is_object()) return damaged();
    return std::move(v->as_object());
}

std::string str(const json::object& o, const char* key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

Status check_text(const std::string& value, const char* field, size_t max) {
    if (value.size() > max || !valid_utf8(value))
        return invalid(field, std::string(field) + " must be UTF-8 text of at most " + std::to_string(max) + " bytes.", "too_long");
    return {};
}

}  // namespace

using store::CaseRow;

Service::Service(const modules::Shared& shared, accounts::Service& accounts, people::Service& people)
    : db_(shared.db), vault_(shared.vault), clock_(shared.clock), audit_(shared.audit), accounts_(accounts), people_(people) {}

void Service::grant(Tx& tx, const Principal& actor, int64_t account_id, const std::string& type, int64_t record_id, int64_t until) {
    accounts::store::insert_assignment(tx, new_id(), account_id, type, record_id, until, actor.account_id, clock_.now_ms());
    audit_.record(tx, {"assignment.grant", actor.account_id, "account", account_id});
}

void Service::end_grant(Tx& tx, int64_t account_id, const std::string& type, int64_t record_id) {
    accounts::store::end_assignment(tx, account_id, type, record_id, clock_.now_ms());
}

std::string office_language(std::string_view country) {
    for (const auto& [c, lang] : {std::pair{"FR", "fr"},
                                  {"BE", "fr"},
                                  {"LU", "fr"},
                                  {"MC", "fr"},
                                  {"DE", "de"},
                                  {"AT", "de"},
                                  {"CH", "de"},
                                  {"LT", "lt"},
                                  {"LV", "lv"},
                                  {"EE", "et"},
                                  {"PL", "pl"},
                                  {"CZ", "cs"},
                                  {"NL", "nl"},
                                  {"ES", "es"},
                                  {"IT", "it"},
                                  {"GE", "ka"}})
        if (country == c) return lang;
    return "";
}

std::string case_step_title(const TemplateStep& step, std::string_view country, const std::vector<std::string>& languages) {
    const auto office = step.titles.find(office_language(country));
    std::string shown = office != step.titles.end() ? office->second : step.title;
    for (const auto& lang : languages)
        if (auto theirs = step.titles.find(lang); theirs != step.titles.end()) {
            if (theirs->second != shown) shown += " — " + theirs->second;
            break;
        }
    return shown;
}

std::vector<Template> Service::templates() {
    std::vector<store::StoredTemplate> stored;
    db_.read([&](Tx& tx) { stored = store::templates(tx); });
    std::vector<Template> out;
    for (const auto& r : stored) {
        Template t{r.id, r.country, r.name, {}};
        auto v = http::parse_json(r.steps);
        if (v && v->is_array())
            for (const auto& s : v->as_array()) {
                if (!s.is_object()) continue;
                TemplateStep step{str(s.as_object(), "title"), 0, {}};
                if (const auto* d = s.as_object().if_contains("days"); d && d->is_int64()) step.days = int(d->get_int64());
                if (const auto* docs = s.as_object().if_contains("documents"); docs && docs->is_array())
                    for (const auto& d : docs->as_array())
                        if (d.is_string()) step.documents.emplace_back(d.get_string());
                if (const auto* titles = s.as_object().if_contains("titles"); titles && titles->is_object())
                    for (const auto& [lang, title] : titles->as_object())
                        if (title.is_string()) step.titles[std::string(lang)] = std::string(title.get_string());
                t.steps.push_back(std::move(step));
            }
        out.push_back(std::move(t));
    }
    return out;
}

Status Service::save_template(const Principal& actor, const Template& t) {
    if (!may(actor, Action::templates_manage, std::nullopt)) return accounts::role_forbids();
    if (t.country.size() != 2) return invalid("country", "country must be a two-letter code such as FR.", "country");
    if (auto s = check_text(t.name, "name", 200); !s || t.name.empty()) return invalid("name", "name is required (at most 200 bytes).", "required");
    if (t.steps.empty() || t.steps.size() > 50) return invalid("steps", "A template has 1 to 50 steps.", "steps");
    json::array steps;
    for (size_t i = 0; i < t.steps.size(); ++i) {
        const auto& s = t.steps[i];
        const std::string field = "steps[" + std::to_string(i) + "]";
        if (s.title.empty() || s.title.size() > 300 || !valid_utf8(s.title))
            return invalid(field + ".title", field + ".title is required (at most 300 bytes).", "required");
        if (s.days < 0 || s.days > 3650) return invalid(field + ".days", field + ".days must be 0 to 3650.", "range", 3650);
        json::array docs;
        for (const auto& d : s.documents) {
            if (d.empty() || d.size() > 300 || !valid_utf8(d))
                return invalid(field + ".documents", field + ".documents holds an empty or overlong name.", "too_long");
            docs.emplace_back(d);
        }
        json::object titles;
        for (const auto& [lang, title] : s.titles) {
            if (lang.size() != 2 || !std::all_of(lang.begin(), lang.end(), [](char ch) { return ch >= 'a' && ch <= 'z'; }))
                return invalid(field + ".titles", field + ".titles are keyed by two-letter language codes such as ru.", "language");
            if (title.empty() || title.size() > 300 || !valid_utf8(title))
                return invalid(field + ".titles", field + ".titles holds an empty or overlong title.", "too_long");
            titles[lang] = title;
        }
        if (s.titles.size() > 10) return invalid(field + ".titles", field + ".titles has at most 10 languages.", "too_many", 10);
        steps.push_back(json::object{{"title", s.title}, {"days", s.days}, {"documents", docs}, {"titles", titles}});
    }
    return db_.write([&](Tx& tx) -> Status {
        const int64_t id = t.id ? t.id : new_id();
        if (t.id && !store::template_exists(tx, t.id)) return make_error(ErrorKind::not_found, "not_found", "There is no such template.");
        store::save_template(tx, {id, t.country, t.name, json::serialize(steps)}, clock_.now_ms());
        audit_.record(tx, {"template.save", actor.account_id});
        return {};
    });
}

Result<int64_t> Service::open_case(const Principal& actor, const CaseInput& in) {
    Template chosen;
    for (auto& t : templates())
        if (t.id == in.template_id) chosen = std::move(t);
    if (!chosen.id) return invalid("template_id", "template_id must name a procedure template.", "choose");
    const int64_t today = clock_.now_ms() / day_ms * day_ms;
    auto start = in.start_date.empty() ? std::optional<int64_t>(today) : day_start(in.start_date);
    if (!start) return invalid("start_date", "start_date must be a date written YYYY-MM-DD.", "date");
    const int64_t id = new_id();
    HAVEN_CHECK(db_.write([&](Tx& tx) -> Status {
        HAVEN_TRY(sealer, people_.readable_sealer(tx, actor, in.person_id));
        if (!may(actor, Action::cases_work, sealer.site_id)) return accounts::role_forbids();
        HAVEN_TRY(person, sealer.person());  // the steps in the person's languages
        // Naming an adviser gives them the person for a year: only those who allocate casework (coordinators,
        // administrators) may, and never to themselves. An adviser opening a case may name only themselves, and
        // gains nothing by it (their access stays what their assignment says).
        const bool allocates = may(actor, Action::cases_view, sealer.site_id);
        if (in.adviser_id && !allocates && in.adviser_id != actor.account_id)
            return make_error(ErrorKind::forbidden, "forbidden", "Only coordinators and administrators may name another adviser.", "adviser_id");
        const int64_t adviser_id = allocates ? in.adviser_id : actor.account_id;  // an adviser's own case is theirs
        const bool grants = adviser_id && allocates && adviser_id != actor.account_id;
        if (adviser_id) {
            auto row = accounts::store::account(tx, adviser_id);
            bool adviser = false;
            if (row && row->account.status == accounts::AccountStatus::active)
                for (const auto& r : row->account.roles) adviser = adviser || (r.site_id == sealer.site_id && r.role == Role::legal_adviser);
            if (!adviser) return invalid("adviser_id", "adviser_id must be an active legal adviser of the site.", "choose");
        }
        const int64_t now = clock_.now_ms();
        const std::string record = json::serialize(json::object{{"title", chosen.name + " (" + chosen.country + ")"}, {"notes", ""}});
        store::insert_case(tx, {id, in.person_id, sealer.site_id, adviser_id, "open", sealer.seal("cases", id, record)}, grants, now);
        int64_t due = *start;
        int64_t position = 0, doc_position = 0;
        std::vector<std::string> documents;
        for (const auto& step : chosen.steps) {
            due += int64_t(step.days) * day_ms;
            const int64_t step_id = new_id();
            store::insert_step(
                tx, step_id, id, position++, due,
                sealer.seal("case_steps", step_id,
                            json::serialize(json::object{{"title", case_step_title(step, chosen.country, person.languages)}, {"note", ""}})));
            for (const auto& d : step.documents)
                if (std::find(documents.begin(), documents.end(), d) == documents.end()) documents.push_back(d);
        }
        for (const auto& d : documents) {
            const int64_t doc_id = new_id();
            store::insert_document(tx, doc_id, id, doc_position++, sealer.seal("case_documents", doc_id, json::serialize(json::object{{"name", d}})));
        }
        // The adviser may open the person for as long as the case lasts (at most a year at a time).
        if (grants) grant(tx, actor, adviser_id, "person", in.person_id, now + 365 * day_ms);
        audit_.record(tx, {"case.open", actor.account_id, "person", in.person_id, sealer.site_id});
        return {};
    }));
    return id;
}

// Coordinators see every case of their site; an adviser sees their own cases while they are open and while their
// assignment on the person lasts. A closed case stays with the coordinators (who may open a new one).
bool Service::may_see_case(Tx& tx, const Principal& actor, const CaseRow& row) const {
    if (may(actor, Action::cases_view, row.site_id)) return true;
    return may(actor, Action::cases_work, row.site_id) && row.adviser_id == actor.account_id && row.status == "open" &&
           people_.may_read(tx, actor, row.site_id, row.person_id);
}

Result<Case> Service::read_case(const Principal& actor, int64_t id) {
    return db_.write<Case>([&](Tx& tx) -> Result<Case> {
        auto row = store::legal_case(tx, id);
        if (!row || !may_see_case(tx, actor, *row)) return not_found();
        HAVEN_TRY(sealer, people_.sealer(tx, row->person_id));
        HAVEN_TRY(person, sealer.person());
        HAVEN_TRY(record, open_json(sealer, "cases", id, row->sealed_record));
        Case c{id, row->person_id, row->site_id, row->adviser_id, "", person.pseudonym, row->status, str(record, "title"), str(record, "notes"), {},
               {}};
        if (row->adviser_id)
            if (auto a = accounts::store::account(tx, row->adviser_id)) c.adviser = a->account.username;
        for (const auto& r : store::steps_of(tx, id)) {
            HAVEN_TRY(step, open_json(sealer, "case_steps", r.id, r.sealed_record));
            c.steps.push_back({r.id, str(step, "title"), str(step, "note"), r.due_at ? date_of(*r.due_at) : "", r.done});
        }
        for (const auto& r : store::documents_of(tx, id)) {
            HAVEN_TRY(doc, open_json(sealer, "case_documents", r.id, r.sealed_record));
            c.documents.push_back({r.id, str(doc, "name"), r.received});
        }
        accounts_.record_read(tx, actor, "case", id);
        return c;
    });
}

Result<std::vector<Case>> Service::cases_of(const Principal& actor, int64_t person_id) {
    return db_.write<std::vector<Case>>([&](Tx& tx) -> Result<std::vector<Case>> {
        HAVEN_TRY(sealer, people_.readable_sealer(tx, actor, person_id));
        std::vector<Case> out;
        for (const auto& row : store::cases_of(tx, person_id)) {
            if (!may_see_case(tx, actor, row)) continue;
            HAVEN_TRY(record, open_json(sealer, "cases", row.id, row.sealed_record));
            Case c{row.id, row.person_id, row.site_id, row.adviser_id, "", "", row.status, str(record, "title"), "", {}, {}};
            if (row.adviser_id)
                if (auto a = accounts::store::account(tx, row.adviser_id)) c.adviser = a->account.username;
            out.push_back(std::move(c));
        }
        return out;
    });
}

Status Service::update_step(const Principal& actor, int64_t case_id, int64_t step_id, std::optional<bool> done, std::optional<std::string> due_date,
                            std::optional<std::string> note) {
    std::optional<int64_t> due;
    if (due_date && !due_date->empty()) {
        due = day_start(*due_date);
        if (!due) return invalid("due_date", "due_date must be a date written YYYY-MM-DD.", "date");
    }
    if (note)
        if (auto s = check_text(*note, "note", 4000); !s) return s;
    return db_.write([&](Tx& tx) -> Status {
        auto row = store::legal_case(tx, case_id);
        if (!row || !may_see_case(tx, actor, *row)) return not_found();
        if (!may(actor, Action::cases_work, row->site_id)) return accounts::role_forbids();
        auto step = store::step_record(tx, step_id, case_id);
        if (!step) return make_error(ErrorKind::not_found, "not_found", "There is no such step in this case.");
        const int64_t now = clock_.now_ms();
        if (done) store::set_step_done(tx, step_id, *done ? std::optional<int64_t>(now) : std::nullopt);
        if (due_date) store::set_step_due(tx, step_id, due);
        if (note) {
            HAVEN_TRY(sealer, people_.sealer(tx, row->person_id));
            HAVEN_TRY(record, open_json(sealer, "case_steps", step_id, *step));
            record["note"] = *note;
            store::set_step_record(tx, step_id, sealer.seal("case_steps", step_id, json::serialize(record)));
        }
        store::touch_case(tx, case_id, now);
        people::store::set_active(tx, row->person_id, now);
        audit_.record(tx, {"case.update", actor.account_id, "case", case_id, row->site_id});
        return {};
    });
}

Status Service::set_document(const Principal& actor, int64_t case_id, int64_t document_id, bool received) {
    return db_.write([&](Tx& tx) -> Status {
        auto row = store::legal_case(tx, case_id);
        if (!row || !may_see_case(tx, actor, *row)) return not_found();
        if (!may(actor, Action::cases_work, row->site_id)) return accounts::role_forbids();
        if (!store::set_document_received(tx, document_id, case_id, received ? std::optional<int64_t>(clock_.now_ms()) : std::nullopt))
            return make_error(ErrorKind::not_found, "not_found", "There is no such document in this case.");
        audit_.record(tx, {"case.update", actor.account_id, "case", case_id, row->site_id});
        return {};
    });
}

Status Service::close_case(const Principal& actor, int64_t case_id) {
    return db_.write([&](Tx& tx) -> Status {
        auto row = store::legal_case(tx, case_id);
        if (!row || !may_see_case(tx, actor, *row)) return not_found();
        if (!may(actor, Action::cases_work, row->site_id)) return accounts::role_forbids();
        store::close_case(tx, case_id, clock_.now_ms());
        // The adviser's access to the person ends with their last open case that gave it (one a coordinator named
        // them on): a case they opened on themselves never keeps it alive.
        if (row->adviser_id && store::granting_open_cases(tx, row->person_id, row->adviser_id) == 0)
            end_grant(tx, row->adviser_id, "person", row->person_id);
        audit_.record(tx, {"case.close", actor.account_id, "case", case_id, row->site_id});
        return {};
    });
}

Result<std::vector<Deadline>> Service::deadlines(const Principal& actor, std::optional<int64_t> site_id, int days) {
    if (days < 1 || days > 366) return invalid("days", "days must be 1 to 366.", "range", 366);
    const bool whole_site = site_id && may(actor, Action::cases_view, *site_id);
    if (!whole_site && !may(actor, Action::cases_work, site_id)) return accounts::role_forbids();
    const int64_t today = clock_.now_ms() / day_ms * day_ms, until = today + int64_t(days) * day_ms;
    return db_.write<std::vector<Deadline>>([&](Tx& tx) -> Result<std::vector<Deadline>> {
        const auto rows = whole_site ? store::due_steps_at_site(tx, *site_id, until) : store::due_steps_of_adviser(tx, actor.account_id, until);
        std::vector<Deadline> out;
        for (const auto& r : rows) {
            HAVEN_TRY(sealer, people_.sealer(tx, r.person_id));
            if (!whole_site && !people_.may_read(tx, actor, sealer.site_id, r.person_id)) continue;  // the assignment ran out
            HAVEN_TRY(person, sealer.person());
            HAVEN_TRY(step, open_json(sealer, "case_steps", r.step_id, r.sealed_step));
            HAVEN_TRY(kase, open_json(sealer, "cases", r.case_id, r.sealed_case));
            Deadline d{r.case_id, r.person_id, person.pseudonym, str(kase, "title"), str(step, "title"), date_of(r.due_at), "", r.due_at < today};
            if (r.adviser_id)
                if (auto a = accounts::store::account(tx, r.adviser_id)) d.adviser = a->account.username;
            out.push_back(std::move(d));
        }
        audit_.record(tx, {"deadlines.read", actor.account_id});
        return out;
    });
}

}  // namespace haven::casework
