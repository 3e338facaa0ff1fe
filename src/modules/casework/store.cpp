#include "modules/casework/store.hpp"

namespace haven::casework::store {

using storage::Blob;
using storage::Row;
using storage::rows_as;
using storage::Value;

namespace {

int64_t first_column(const Row& r) { return r.integer(0); }
int64_t count_of(const storage::Rows& rows) { return rows.at(0).integer(0); }
int64_t or_zero(const Row& r, size_t i) { return r.is_null(i) ? 0 : r.integer(i); }
std::optional<int64_t> maybe(const Row& r, size_t i) { return r.is_null(i) ? std::nullopt : std::optional<int64_t>(r.integer(i)); }
Value or_null(std::optional<int64_t> v) { return v ? Value(*v) : Value(nullptr); }

constexpr const char* case_columns = "SELECT id, person_id, site_id, adviser_id, status, record FROM cases ";
CaseRow case_from(const Row& r) { return {r.integer(0), r.integer(1), r.integer(2), or_zero(r, 3), r.text(4), r.blob(5).str()}; }

constexpr const char* due_columns =
    "SELECT s.id, s.case_id, s.due_at, s.record, c.person_id, c.record, c.adviser_id FROM case_steps s JOIN cases c ON c.id = s.case_id ";
DueStep due_from(const Row& r) { return {r.integer(0), r.integer(1), r.integer(2), r.integer(4), or_zero(r, 6), r.blob(3).str(), r.blob(5).str()}; }

constexpr const char* profile_columns =
    "SELECT p.id, p.site_id, p.record, a.username, "
    "(SELECT COUNT(*) FROM help_requests r WHERE r.volunteer_id = p.id AND r.status = 'assigned') "
    "FROM volunteer_profiles p JOIN accounts a ON a.id = p.id ";
StoredProfile profile_from(const Row& r) { return {r.integer(0), r.integer(1), r.blob(2).str(), r.text(3), r.integer(4)}; }

}  // namespace

// ---- Procedure templates ----

std::vector<StoredTemplate> templates(Tx& tx) {
    return rows_as(tx.query("SELECT id, country, name, steps FROM procedure_templates ORDER BY country, name"), [](const Row& r) {
        return StoredTemplate{r.integer(0), r.text(1), r.text(2), r.text(3)};
    });
}

bool template_exists(Tx& tx, int64_t id) { return count_of(tx.query("SELECT COUNT(*) FROM procedure_templates WHERE id = $1", {id})) != 0; }

void save_template(Tx& tx, const StoredTemplate& t, int64_t now) {
    tx.exec(
        "INSERT INTO procedure_templates (id, country, name, steps, updated_at) VALUES ($1, $2, $3, $4, $5) "
        "ON CONFLICT (id) DO UPDATE SET country = $2, name = $3, steps = $4, updated_at = $5",
        {t.id, t.country, t.name, t.steps, now});
}

// ---- Legal cases ----

std::optional<CaseRow> legal_case(Tx& tx, int64_t id) {
    auto rows = tx.query(std::string(case_columns) + "WHERE id = $1", {id});
    if (rows.empty()) return std::nullopt;
    return case_from(rows[0]);
}

std::vector<CaseRow> cases_of(Tx& tx, int64_t person_id) {
    return rows_as(tx.query(std::string(case_columns) + "WHERE person_id = $1 ORDER BY created_at DESC", {person_id}), case_from);
}

void insert_case(Tx& tx, const CaseRow& c, bool grants, int64_t now) {
    tx.exec(
        "INSERT INTO cases (id, person_id, site_id, adviser_id, status, record, created_at, updated_at, grants) "
        "VALUES ($1, $2, $3, $4, 'open', $5, $6, $6, $7)",
        {c.id, c.person_id, c.site_id, c.adviser_id ? Value(c.adviser_id) : Value(nullptr), Blob::of(c.sealed_record), now, int64_t(grants)});
}

void insert_step(Tx& tx, int64_t id, int64_t case_id, int64_t position, int64_t due_at, const std::string& sealed_record) {
    tx.exec("INSERT INTO case_steps (id, case_id, position, due_at, record) VALUES ($1, $2, $3, $4, $5)",
            {id, case_id, position, due_at, Blob::of(sealed_record)});
}

void insert_document(Tx& tx, int64_t id, int64_t case_id, int64_t position, const std::string& sealed_record) {
    tx.exec("INSERT INTO case_documents (id, case_id, position, record) VALUES ($1, $2, $3, $4)", {id, case_id, position, Blob::of(sealed_record)});
}

std::vector<StoredStep> steps_of(Tx& tx, int64_t case_id) {
    return rows_as(tx.query("SELECT id, due_at, done_at, record FROM case_steps WHERE case_id = $1 ORDER BY position", {case_id}), [](const Row& r) {
        return StoredStep{r.integer(0), maybe(r, 1), !r.is_null(2), r.blob(3).str()};
    });
}

std::vector<StoredDocument> documents_of(Tx& tx, int64_t case_id) {
    return rows_as(tx.query("SELECT id, received_at, record FROM case_documents WHERE case_id = $1 ORDER BY position", {case_id}), [](const Row& r) {
        return StoredDocument{r.integer(0), !r.is_null(1), r.blob(2).str()};
    });
}

std::optional<std::string> step_record(Tx& tx, int64_t step_id, int64_t case_id) {
    auto rows = tx.query("SELECT record FROM case_steps WHERE id = $1 AND case_id = $2", {step_id, case_id});
    if (rows.empty()) return std::nullopt;
    return rows[0].blob(0).str();
}

void set_step_done(Tx& tx, int64_t step_id, std::optional<int64_t> at) {
    tx.exec("UPDATE case_steps SET done_at = $1 WHERE id = $2", {or_null(at), step_id});
}

void set_step_due(Tx& tx, int64_t step_id, std::optional<int64_t> due_at) {
    tx.exec("UPDATE case_steps SET due_at = $1 WHERE id = $2", {or_null(due_at), step_id});
}

void set_step_record(Tx& tx, int64_t step_id, const std::string& sealed_record) {
    tx.exec("UPDATE case_steps SET record = $1 WHERE id = $2", {Blob::of(sealed_record), step_id});
}

void touch_case(Tx& tx, int64_t case_id, int64_t now) { tx.exec("UPDATE cases SET updated_at = $1 WHERE id = $2", {now, case_id}); }

bool set_document_received(Tx& tx, int64_t document_id, int64_t case_id, std::optional<int64_t> at) {
    return tx.exec("UPDATE case_documents SET received_at = $1 WHERE id = $2 AND case_id = $3", {or_null(at), document_id, case_id}) != 0;
}

void close_case(Tx& tx, int64_t case_id, int64_t now) {
    tx.exec("UPDATE cases SET status = 'closed', updated_at = $1, closed_at = $1 WHERE id = $2", {now, case_id});
}

int64_t granting_open_cases(Tx& tx, int64_t person_id, int64_t adviser_id) {
    return count_of(
        tx.query("SELECT COUNT(*) FROM cases WHERE person_id = $1 AND adviser_id = $2 AND status = 'open' AND grants = 1", {person_id, adviser_id}));
}

std::vector<DueStep> due_steps_at_site(Tx& tx, int64_t site_id, int64_t until) {
    return rows_as(
        tx.query(std::string(due_columns) + "WHERE c.site_id = $1 AND c.status = 'open' AND s.done_at IS NULL AND s.due_at < $2 ORDER BY s.due_at",
                 {site_id, until}),
        due_from);
}

std::vector<DueStep> due_steps_of_adviser(Tx& tx, int64_t adviser_id, int64_t until) {
    return rows_as(
        tx.query(std::string(due_columns) + "WHERE c.adviser_id = $1 AND c.status = 'open' AND s.done_at IS NULL AND s.due_at < $2 ORDER BY s.due_at",
                 {adviser_id, until}),
        due_from);
}

// ---- Counselling compartments ----

std::optional<StoredCompartment> compartment(Tx& tx, int64_t id) {
    auto rows = tx.query("SELECT site_id, person_id, counsellor_id, compartment_key, closed_at FROM counselling WHERE id = $1", {id});
    if (rows.empty()) return std::nullopt;
    const auto& r = rows[0];
    return StoredCompartment{r.integer(0), r.integer(1), r.integer(2), r.blob(3).str(), !r.is_null(4)};
}

std::vector<CompartmentRow> open_compartments_of_person(Tx& tx, int64_t person_id) {
    return rows_as(tx.query("SELECT id, counsellor_id FROM counselling WHERE person_id = $1 AND closed_at IS NULL", {person_id}),
                   [&](const Row& r) { return CompartmentRow{r.integer(0), person_id, 0, r.integer(1), 0, 0, ""}; });
}

std::vector<CompartmentRow> open_compartments_of(Tx& tx, int64_t counsellor_id) {
    return rows_as(
        tx.query("SELECT id, person_id, site_id, opened_at FROM counselling WHERE counsellor_id = $1 AND closed_at IS NULL ORDER BY opened_at",
                 {counsellor_id}),
        [&](const Row& r) { return CompartmentRow{r.integer(0), r.integer(1), r.integer(2), counsellor_id, r.integer(3), 0, ""}; });
}

std::vector<CompartmentRow> compartments_of_person(Tx& tx, int64_t person_id) {
    return rows_as(
        tx.query("SELECT c.id, c.counsellor_id, c.opened_at, c.closed_at, a.username FROM counselling c JOIN accounts a ON a.id = c.counsellor_id "
                 "WHERE c.person_id = $1 ORDER BY c.opened_at",
                 {person_id}),
        [&](const Row& r) { return CompartmentRow{r.integer(0), person_id, 0, r.integer(1), r.integer(2), or_zero(r, 3), r.text(4)}; });
}

void close_compartment(Tx& tx, int64_t id, int64_t now) { tx.exec("UPDATE counselling SET closed_at = $1 WHERE id = $2", {now, id}); }

void insert_compartment(Tx& tx, int64_t id, int64_t person_id, int64_t site_id, int64_t counsellor_id, const std::string& sealed_key, int64_t now) {
    tx.exec("INSERT INTO counselling (id, person_id, site_id, counsellor_id, compartment_key, opened_at) VALUES ($1, $2, $3, $4, $5, $6)",
            {id, person_id, site_id, counsellor_id, Blob::of(sealed_key), now});
}

std::vector<StoredNote> notes_in(Tx& tx, int64_t compartment_id) {
    return rows_as(
        tx.query("SELECT id, written_at, record FROM counselling_notes WHERE compartment_id = $1 ORDER BY written_at DESC", {compartment_id}),
        [](const Row& r) {
            return StoredNote{r.integer(0), r.integer(1), r.blob(2).str()};
        });
}

void insert_note(Tx& tx, int64_t id, int64_t compartment_id, int64_t now, const std::string& sealed_text) {
    tx.exec("INSERT INTO counselling_notes (id, compartment_id, written_at, record) VALUES ($1, $2, $3, $4)",
            {id, compartment_id, now, Blob::of(sealed_text)});
}

// ---- Volunteers' profiles ----

void save_profile(Tx& tx, int64_t account_id, int64_t site_id, const std::string& sealed_record, int64_t now) {
    tx.exec(
        "INSERT INTO volunteer_profiles (id, site_id, record, updated_at) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (id) DO UPDATE SET site_id = $2, record = $3, updated_at = $4",
        {account_id, site_id, Blob::of(sealed_record), now});
}

std::optional<StoredProfile> profile(Tx& tx, int64_t account_id) {
    auto rows = tx.query(std::string(profile_columns) + "WHERE p.id = $1", {account_id});
    if (rows.empty()) return std::nullopt;
    return profile_from(rows[0]);
}

std::vector<StoredProfile> active_profiles_at(Tx& tx, int64_t site_id) {
    return rows_as(tx.query(std::string(profile_columns) + "WHERE p.site_id = $1 AND a.status = 'active' ORDER BY a.username", {site_id}),
                   profile_from);
}

// ---- Requests for help ----

void insert_request(Tx& tx, const StoredRequest& q, int64_t created_by, int64_t now) {
    tx.exec(
        "INSERT INTO help_requests (id, site_id, person_id, status, due_at, record, created_by, created_at) VALUES ($1, $2, $3, 'open', $4, $5, $6, "
        "$7)",
        {q.id, q.site_id, q.person_id, or_null(q.due_at), Blob::of(q.sealed_record), created_by, now});
}

std::optional<StoredRequest> request(Tx& tx, int64_t id) {
    auto rows = tx.query(
        "SELECT r.id, r.site_id, r.person_id, r.status, r.due_at, r.volunteer_id, r.record, a.username FROM help_requests r "
        "LEFT JOIN accounts a ON a.id = r.volunteer_id WHERE r.id = $1",
        {id});
    if (rows.empty()) return std::nullopt;
    const auto& r = rows[0];
    return StoredRequest{r.integer(0), r.integer(1), r.integer(2),    or_zero(r, 5),
                         r.text(3),    maybe(r, 4),  r.blob(6).str(), r.is_null(7) ? "" : r.text(7)};
}

std::vector<int64_t> requests_not_done_at(Tx& tx, int64_t site_id) {
    return rows_as(tx.query("SELECT id FROM help_requests WHERE site_id = $1 AND status <> 'done' ORDER BY due_at, created_at", {site_id}),
                   first_column);
}

void assign_request(Tx& tx, int64_t id, int64_t volunteer_id) {
    tx.exec("UPDATE help_requests SET volunteer_id = $1, status = 'assigned' WHERE id = $2", {volunteer_id, id});
}

void finish_request(Tx& tx, int64_t id) { tx.exec("UPDATE help_requests SET status = 'done' WHERE id = $1", {id}); }

std::vector<TaskRow> tasks_of(Tx& tx, int64_t volunteer_id, int64_t now) {
    return rows_as(
        tx.query("SELECT r.id, MAX(a.expires_at) FROM help_requests r JOIN assignments a ON a.record_type = 'request' AND a.record_id = r.id "
                 "AND a.account_id = $1 WHERE r.volunteer_id = $1 AND r.status = 'assigned' AND a.expires_at > $2 GROUP BY r.id",
                 {volunteer_id, now}),
        [](const Row& r) {
            return TaskRow{r.integer(0), r.integer(1)};
        });
}

// ---- A site's counts ----

SiteCounts site_counts(Tx& tx, int64_t site_id, int64_t today, int64_t week_end) {
    SiteCounts c;
    c.people = count_of(tx.query("SELECT COUNT(*) FROM people WHERE site_id = $1", {site_id}));
    c.open_cases = count_of(tx.query("SELECT COUNT(*) FROM cases WHERE site_id = $1 AND status = 'open'", {site_id}));
    c.deadlines_this_week =
        count_of(tx.query("SELECT COUNT(*) FROM case_steps s JOIN cases c ON c.id = s.case_id WHERE c.site_id = $1 AND c.status = 'open' "
                          "AND s.done_at IS NULL AND s.due_at >= $2 AND s.due_at < $3",
                          {site_id, today, week_end}));
    c.overdue =
        count_of(tx.query("SELECT COUNT(*) FROM case_steps s JOIN cases c ON c.id = s.case_id WHERE c.site_id = $1 AND c.status = 'open' "
                          "AND s.done_at IS NULL AND s.due_at < $2",
                          {site_id, today}));
    c.open_requests = count_of(tx.query("SELECT COUNT(*) FROM help_requests WHERE site_id = $1 AND status <> 'done'", {site_id}));
    return c;
}

}  // namespace haven::casework::store
