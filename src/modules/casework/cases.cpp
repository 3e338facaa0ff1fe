// Legal cases: procedure templates, steps with due dates, document checklists, deadlines.
#include <boost/json.hpp>

#include "core/utf8.hpp"
#include "http/json.hpp"
#include "core/dates.hpp"
#include "modules/accounts/store.hpp"
#include "modules/casework/service.hpp"
#include "modules/people/person.hpp"

namespace haven::casework {

using accounts::Action;
using accounts::may;
using storage::Blob;
using storage::Tx;
namespace json = boost::json;

namespace {

Error not_found() { return make_error(ErrorKind::not_found, "not_found", "There is no such case, or you may not see it."); }
Error damaged() { return make_error(ErrorKind::unavailable, "bad_ciphertext", "A stored case is damaged."); }

Result<json::object> open_json(const people::Service::Sealer& s, std::string_view table, int64_t id, const Blob& sealed) {
    auto plain = s.open(table, id, sealed.str());
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
        return make_error(ErrorKind::invalid, "validation_failed", std::string(field) + " must be UTF-8 text of at most " + std::to_string(max) + " bytes.", field);
    return {};
}

}  // namespace

struct Service::CaseRow {
    int64_t id = 0, person_id = 0, site_id = 0, adviser_id = 0;
    std::string status;
    Blob record;
};

Service::Service(storage::Database& db, const crypto::Vault& vault, const Clock& clock, accounts::Service& accounts, people::Service& people)
    : db_(db), vault_(vault), clock_(clock), accounts_(accounts), people_(people) {}

void Service::grant(Tx& tx, const Principal& actor, int64_t account_id, const std::string& type, int64_t record_id, int64_t until) {
    accounts::store::insert_assignment(tx, accounts::store::new_id(), account_id, type, record_id, until, actor.account_id, clock_.now_ms());
    accounts_.audit(tx, "assignment.grant", actor.account_id, "account", account_id);
}

void Service::end_grant(Tx& tx, int64_t account_id, const std::string& type, int64_t record_id) {
    tx.exec("UPDATE assignments SET expires_at = $4 WHERE account_id = $1 AND record_type = $2 AND record_id = $3 AND expires_at > $4",
            {account_id, type, record_id, clock_.now_ms()});
}

std::vector<Template> Service::templates() {
    std::vector<Template> out;
    for (const auto& r : db_.query("SELECT id, country, name, steps FROM procedure_templates ORDER BY country, name")) {
        Template t{r.integer(0), r.text(1), r.text(2), {}};
        auto v = http::parse_json(r.text(3));
        if (v && v->is_array())
            for (const auto& s : v->as_array()) {
                if (!s.is_object()) continue;
                TemplateStep step{str(s.as_object(), "title"), 0, {}};
                if (const auto* d = s.as_object().if_contains("days"); d && d->is_int64()) step.days = int(d->get_int64());
                if (const auto* docs = s.as_object().if_contains("documents"); docs && docs->is_array())
                    for (const auto& d : docs->as_array())
                        if (d.is_string()) step.documents.emplace_back(d.get_string());
                t.steps.push_back(std::move(step));
            }
        out.push_back(std::move(t));
    }
    return out;
}

Status Service::save_template(const Principal& actor, const Template& t) {
    if (!may(actor, Action::templates_manage, std::nullopt)) return accounts::role_forbids();
    if (t.country.size() != 2) return make_error(ErrorKind::invalid, "validation_failed", "country must be a two-letter code such as FR.", "country");
    if (auto s = check_text(t.name, "name", 200); !s || t.name.empty())
        return make_error(ErrorKind::invalid, "validation_failed", "name is required (at most 200 bytes).", "name");
    if (t.steps.empty() || t.steps.size() > 50) return make_error(ErrorKind::invalid, "validation_failed", "A template has 1 to 50 steps.", "steps");
    json::array steps;
    for (size_t i = 0; i < t.steps.size(); ++i) {
        const auto& s = t.steps[i];
        const std::string field = "steps[" + std::to_string(i) + "]";
        if (s.title.empty() || s.title.size() > 300 || !valid_utf8(s.title))
            return make_error(ErrorKind::invalid, "validation_failed", field + ".title is required (at most 300 bytes).", field + ".title");
        if (s.days < 0 || s.days > 3650) return make_error(ErrorKind::invalid, "validation_failed", field + ".days must be 0 to 3650.", field + ".days");
        json::array docs;
        for (const auto& d : s.documents) {
            if (d.empty() || d.size() > 300 || !valid_utf8(d))
                return make_error(ErrorKind::invalid, "validation_failed", field + ".documents holds an empty or overlong name.", field + ".documents");
            docs.emplace_back(d);
        }
        steps.push_back(json::object{{"title", s.title}, {"days", s.days}, {"documents", docs}});
    }
    return db_.write([&](Tx& tx) -> Status {
        const int64_t id = t.id ? t.id : accounts::store::new_id();
        if (t.id && tx.query("SELECT COUNT(*) FROM procedure_templates WHERE id = $1", {t.id}).at(0).integer(0) == 0)
            return make_error(ErrorKind::not_found, "not_found", "There is no such template.");
        // One statement, so two saves at once on PostgreSQL do not both insert (a delete-then-insert answered 500).
        tx.exec("INSERT INTO procedure_templates (id, country, name, steps, updated_at) VALUES ($1, $2, $3, $4, $5) "
                "ON CONFLICT (id) DO UPDATE SET country = $2, name = $3, steps = $4, updated_at = $5",
                {id, t.country, t.name, json::serialize(steps), clock_.now_ms()});
        accounts_.audit(tx, "template.save", actor.account_id);
        return {};
    });
}

Result<int64_t> Service::open_case(const Principal& actor, const CaseInput& in) {
    Template chosen;
    for (auto& t : templates())
        if (t.id == in.template_id) chosen = std::move(t);
    if (!chosen.id) return make_error(ErrorKind::invalid, "validation_failed", "template_id must name a procedure template.", "template_id");
    const int64_t today = clock_.now_ms() / day_ms * day_ms;
    auto start = in.start_date.empty() ? std::optional<int64_t>(today) : day_start(in.start_date);
    if (!start) return make_error(ErrorKind::invalid, "validation_failed", "start_date must be a date written YYYY-MM-DD.", "start_date");
    int64_t id = accounts::store::new_id();
    Status s = db_.write([&](Tx& tx) -> Status {
        HAVEN_TRY(sealer, people_.readable_sealer(tx, actor, in.person_id));
        if (!may(actor, Action::cases_work, sealer.site_id)) return accounts::role_forbids();
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
                for (const auto& r : row->account.roles)
                    adviser = adviser || (r.site_id == sealer.site_id && r.role == Role::legal_adviser);
            if (!adviser) return make_error(ErrorKind::invalid, "validation_failed", "adviser_id must be an active legal adviser of the site.", "adviser_id");
        }
        const int64_t now = clock_.now_ms();
        tx.exec("INSERT INTO cases (id, person_id, site_id, adviser_id, status, record, created_at, updated_at, grants) "
                "VALUES ($1, $2, $3, $4, 'open', $5, $6, $6, $7)",
                {id, in.person_id, sealer.site_id, adviser_id ? storage::Value(adviser_id) : storage::Value(nullptr),
                 Blob::of(sealer.seal("cases", id, json::serialize(json::object{{"title", chosen.name + " (" + chosen.country + ")"}, {"notes", ""}}))), now, int64_t(grants)});
        int64_t due = *start;
        int position = 0, doc_position = 0;
        std::vector<std::string> documents;
        for (const auto& step : chosen.steps) {
            due += int64_t(step.days) * day_ms;
            const int64_t step_id = accounts::store::new_id();
            tx.exec("INSERT INTO case_steps (id, case_id, position, due_at, record) VALUES ($1, $2, $3, $4, $5)",
                    {step_id, id, int64_t(position++), due, Blob::of(sealer.seal("case_steps", step_id, json::serialize(json::object{{"title", step.title}, {"note", ""}})))});
            for (const auto& d : step.documents)
                if (std::find(documents.begin(), documents.end(), d) == documents.end()) documents.push_back(d);
        }
        for (const auto& d : documents) {
            const int64_t doc_id = accounts::store::new_id();
            tx.exec("INSERT INTO case_documents (id, case_id, position, record) VALUES ($1, $2, $3, $4)",
                    {doc_id, id, int64_t(doc_position++), Blob::of(sealer.seal("case_documents", doc_id, json::serialize(json::object{{"name", d}})))});
        }
        // The adviser may open the person for as long as the case lasts (at most a year at a time).
        if (grants) grant(tx, actor, adviser_id, "person", in.person_id, now + 365 * day_ms);
        accounts_.audit(tx, "case.open", actor.account_id, "person", in.person_id, sealer.site_id);
        return {};
    });
    if (!s) return s.error();
    return id;
}

std::optional<Service::CaseRow> Service::case_row(Tx& tx, int64_t id) {
    auto rows = tx.query("SELECT id, person_id, site_id, adviser_id, status, record FROM cases WHERE id = $1", {id});
    if (rows.empty()) return std::nullopt;
    const auto& r = rows[0];
    return CaseRow{r.integer(0), r.integer(1), r.integer(2), r.is_null(3) ? 0 : r.integer(3), r.text(4), r.blob(5)};
}

// Coordinators see every case of their site; an adviser sees their own cases while they are open and while their
// assignment on the person lasts. A closed case stays with the coordinators (who may open a new one).
bool Service::may_see_case(Tx& tx, const Principal& actor, const CaseRow& row) const {
    if (may(actor, Action::cases_view, row.site_id)) return true;
    return may(actor, Action::cases_work, row.site_id) && row.adviser_id == actor.account_id && row.status == "open" &&
           people_.may_read(tx, actor, row.site_id, row.person_id);
}

Result<Case> Service::read_case(const Principal& actor, int64_t id) {
    Case c;
    Status s = db_.write([&](Tx& tx) -> Status {
        auto row = case_row(tx, id);
        if (!row || !may_see_case(tx, actor, *row)) return not_found();
        HAVEN_TRY(sealer, people_.sealer(tx, row->person_id));
        HAVEN_TRY(person, sealer.person());
        HAVEN_TRY(record, open_json(sealer, "cases", id, row->record));
        c = Case{id, row->person_id, row->site_id, row->adviser_id, "", person.pseudonym, row->status, str(record, "title"), str(record, "notes"), {}, {}};
        if (row->adviser_id)
            if (auto a = accounts::store::account(tx, row->adviser_id)) c.adviser = a->account.username;
        for (const auto& r : tx.query("SELECT id, due_at, done_at, record FROM case_steps WHERE case_id = $1 ORDER BY position", {id})) {
            HAVEN_TRY(step, open_json(sealer, "case_steps", r.integer(0), r.blob(3)));
            c.steps.push_back({r.integer(0), str(step, "title"), str(step, "note"), r.is_null(1) ? "" : date_of(r.integer(1)), !r.is_null(2)});
        }
        for (const auto& r : tx.query("SELECT id, received_at, record FROM case_documents WHERE case_id = $1 ORDER BY position", {id})) {
            HAVEN_TRY(doc, open_json(sealer, "case_documents", r.integer(0), r.blob(2)));
            c.documents.push_back({r.integer(0), str(doc, "name"), !r.is_null(1)});
        }
        accounts_.record_read(tx, actor, "case", id);
        return {};
    });
    if (!s) return s.error();
    return c;
}

Result<std::vector<Case>> Service::cases_of(const Principal& actor, int64_t person_id) {
    std::vector<Case> out;
    Status s = db_.write([&](Tx& tx) -> Status {
        HAVEN_TRY(sealer, people_.readable_sealer(tx, actor, person_id));
        for (const auto& r : tx.query("SELECT id, person_id, site_id, adviser_id, status, record FROM cases WHERE person_id = $1 ORDER BY created_at DESC",
                                      {person_id})) {
            CaseRow row{r.integer(0), r.integer(1), r.integer(2), r.is_null(3) ? 0 : r.integer(3), r.text(4), r.blob(5)};
            if (!may_see_case(tx, actor, row)) continue;
            HAVEN_TRY(record, open_json(sealer, "cases", row.id, row.record));
            Case c{row.id, row.person_id, row.site_id, row.adviser_id, "", "", row.status, str(record, "title"), "", {}, {}};
            if (row.adviser_id)
                if (auto a = accounts::store::account(tx, row.adviser_id)) c.adviser = a->account.username;
            out.push_back(std::move(c));
        }
        return {};
    });
    if (!s) return s.error();
    return out;
}

Status Service::update_step(const Principal& actor, int64_t case_id, int64_t step_id, std::optional<bool> done, std::optional<std::string> due_date,
                            std::optional<std::string> note) {
    std::optional<int64_t> due;
    if (due_date && !due_date->empty()) {
        due = day_start(*due_date);
        if (!due) return make_error(ErrorKind::invalid, "validation_failed", "due_date must be a date written YYYY-MM-DD.", "due_date");
    }
    if (note)
        if (auto s = check_text(*note, "note", 4000); !s) return s;
    return db_.write([&](Tx& tx) -> Status {
        auto row = case_row(tx, case_id);
        if (!row || !may_see_case(tx, actor, *row)) return not_found();
        if (!may(actor, Action::cases_work, row->site_id)) return accounts::role_forbids();
        auto steps = tx.query("SELECT record FROM case_steps WHERE id = $1 AND case_id = $2", {step_id, case_id});
        if (steps.empty()) return make_error(ErrorKind::not_found, "not_found", "There is no such step in this case.");
        const int64_t now = clock_.now_ms();
        if (done) tx.exec("UPDATE case_steps SET done_at = $1 WHERE id = $2", {*done ? storage::Value(now) : storage::Value(nullptr), step_id});
        if (due_date) tx.exec("UPDATE case_steps SET due_at = $1 WHERE id = $2", {due ? storage::Value(*due) : storage::Value(nullptr), step_id});
        if (note) {
            HAVEN_TRY(sealer, people_.sealer(tx, row->person_id));
            HAVEN_TRY(record, open_json(sealer, "case_steps", step_id, steps[0].blob(0)));
            record["note"] = *note;
            tx.exec("UPDATE case_steps SET record = $1 WHERE id = $2", {Blob::of(sealer.seal("case_steps", step_id, json::serialize(record))), step_id});
        }
        tx.exec("UPDATE cases SET updated_at = $1 WHERE id = $2", {now, case_id});
        tx.exec("UPDATE people SET active_at = $1 WHERE id = $2", {now, row->person_id});
        accounts_.audit(tx, "case.update", actor.account_id, "case", case_id, row->site_id);
        return {};
    });
}

Status Service::set_document(const Principal& actor, int64_t case_id, int64_t document_id, bool received) {
    return db_.write([&](Tx& tx) -> Status {
        auto row = case_row(tx, case_id);
        if (!row || !may_see_case(tx, actor, *row)) return not_found();
        if (!may(actor, Action::cases_work, row->site_id)) return accounts::role_forbids();
        if (tx.exec("UPDATE case_documents SET received_at = $1 WHERE id = $2 AND case_id = $3",
                    {received ? storage::Value(clock_.now_ms()) : storage::Value(nullptr), document_id, case_id}) == 0)
            return make_error(ErrorKind::not_found, "not_found", "There is no such document in this case.");
        accounts_.audit(tx, "case.update", actor.account_id, "case", case_id, row->site_id);
        return {};
    });
}

Status Service::close_case(const Principal& actor, int64_t case_id) {
    return db_.write([&](Tx& tx) -> Status {
        auto row = case_row(tx, case_id);
        if (!row || !may_see_case(tx, actor, *row)) return not_found();
        if (!may(actor, Action::cases_work, row->site_id)) return accounts::role_forbids();
        tx.exec("UPDATE cases SET status = 'closed', updated_at = $1 WHERE id = $2", {clock_.now_ms(), case_id});
        // The adviser's access to the person ends with their last open case that gave it (one a coordinator named
        // them on): a case they opened on themselves never keeps it alive.
        if (row->adviser_id &&
            tx.query("SELECT COUNT(*) FROM cases WHERE person_id = $1 AND adviser_id = $2 AND status = 'open' AND grants = 1",
                     {row->person_id, row->adviser_id})
                    .at(0)
                    .integer(0) == 0)
            end_grant(tx, row->adviser_id, "person", row->person_id);
        accounts_.audit(tx, "case.close", actor.account_id, "case", case_id, row->site_id);
        return {};
    });
}

Result<std::vector<Deadline>> Service::deadlines(const Principal& actor, std::optional<int64_t> site_id, int days) {
    if (days < 1 || days > 366) return make_error(ErrorKind::invalid, "validation_failed", "days must be 1 to 366.", "days");
    const bool whole_site = site_id && may(actor, Action::cases_view, *site_id);
    if (!whole_site && !may(actor, Action::cases_work, site_id)) return accounts::role_forbids();
    const int64_t today = clock_.now_ms() / day_ms * day_ms, until = today + int64_t(days) * day_ms;
    std::vector<Deadline> out;
    Status s = db_.write([&](Tx& tx) -> Status {
        auto rows = whole_site
                        ? tx.query("SELECT s.id, s.case_id, s.due_at, s.record, c.person_id, c.record, c.adviser_id FROM case_steps s JOIN cases c ON c.id = s.case_id "
                                   "WHERE c.site_id = $1 AND c.status = 'open' AND s.done_at IS NULL AND s.due_at < $2 ORDER BY s.due_at",
                                   {*site_id, until})
                        : tx.query("SELECT s.id, s.case_id, s.due_at, s.record, c.person_id, c.record, c.adviser_id FROM case_steps s JOIN cases c ON c.id = s.case_id "
                                   "WHERE c.adviser_id = $1 AND c.status = 'open' AND s.done_at IS NULL AND s.due_at < $2 ORDER BY s.due_at",
                                   {actor.account_id, until});
        for (const auto& r : rows) {
            HAVEN_TRY(sealer, people_.sealer(tx, r.integer(4)));
            if (!whole_site && !people_.may_read(tx, actor, sealer.site_id, r.integer(4))) continue;  // the assignment ran out
            HAVEN_TRY(person, sealer.person());
            HAVEN_TRY(step, open_json(sealer, "case_steps", r.integer(0), r.blob(3)));
            HAVEN_TRY(kase, open_json(sealer, "cases", r.integer(1), r.blob(5)));
            Deadline d{r.integer(1), r.integer(4), person.pseudonym, str(kase, "title"), str(step, "title"), date_of(r.integer(2)), "", r.integer(2) < today};
            if (!r.is_null(6))
                if (auto a = accounts::store::account(tx, r.integer(6))) d.adviser = a->account.username;
            out.push_back(std::move(d));
        }
        accounts_.audit(tx, "deadlines.read", actor.account_id);
        return {};
    });
    if (!s) return s.error();
    return out;
}

}  // namespace haven::casework
