// All SQL of casework: procedure templates, legal cases, counselling compartments, volunteers' profiles, requests
// for help and a site's counts. Functions take a Tx so a service can make several of them one transaction; none
// checks permissions (the service does) and none seals or opens a value: sealed records come and go as the bytes
// stored, beside the row they belong to.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/db.hpp"

namespace haven::casework::store {

using storage::Tx;

// ---- Procedure templates ----
struct StoredTemplate {
    int64_t id = 0;
    std::string country, name;
    std::string steps;  // JSON: [{title, days, documents}]
};
std::vector<StoredTemplate> templates(Tx& tx);  // by country, then name
bool template_exists(Tx& tx, int64_t id);
// One statement, so two saves at once on PostgreSQL do not both insert (a delete-then-insert answered 500).
void save_template(Tx& tx, const StoredTemplate& t, int64_t now);

// ---- Legal cases ----
struct CaseRow {
    int64_t id = 0, person_id = 0, site_id = 0, adviser_id = 0;  // adviser 0: none
    std::string status;                                          // open, closed
    std::string sealed_record;                                   // title and notes, sealed under the person's key
};
std::optional<CaseRow> legal_case(Tx& tx, int64_t id);
std::vector<CaseRow> cases_of(Tx& tx, int64_t person_id);  // latest first
// `grants`: the case gave its adviser the person (a coordinator named them).
void insert_case(Tx& tx, const CaseRow& row, bool grants, int64_t now);
void insert_step(Tx& tx, int64_t id, int64_t case_id, int64_t position, int64_t due_at, const std::string& sealed_record);
void insert_document(Tx& tx, int64_t id, int64_t case_id, int64_t position, const std::string& sealed_record);
struct StoredStep {
    int64_t id = 0;
    std::optional<int64_t> due_at;
    bool done = false;
    std::string sealed_record;  // title and note
};
std::vector<StoredStep> steps_of(Tx& tx, int64_t case_id);  // in order
struct StoredDocument {
    int64_t id = 0;
    bool received = false;
    std::string sealed_record;  // name
};
std::vector<StoredDocument> documents_of(Tx& tx, int64_t case_id);                 // in order
std::optional<std::string> step_record(Tx& tx, int64_t step_id, int64_t case_id);  // nullopt: no such step in the case
void set_step_done(Tx& tx, int64_t step_id, std::optional<int64_t> at);            // nullopt: not done
void set_step_due(Tx& tx, int64_t step_id, std::optional<int64_t> due_at);
void set_step_record(Tx& tx, int64_t step_id, const std::string& sealed_record);
void touch_case(Tx& tx, int64_t case_id, int64_t now);
// False when the case has no such document.
bool set_document_received(Tx& tx, int64_t document_id, int64_t case_id, std::optional<int64_t> at);
void close_case(Tx& tx, int64_t case_id, int64_t now);
// Open cases on the person that gave the adviser access to them.
int64_t granting_open_cases(Tx& tx, int64_t person_id, int64_t adviser_id);
struct DueStep {
    int64_t step_id = 0, case_id = 0, due_at = 0, person_id = 0, adviser_id = 0;
    std::string sealed_step, sealed_case;
};
// Steps not done of open cases due before `until`, soonest first: of a site, or of an adviser's cases.
std::vector<DueStep> due_steps_at_site(Tx& tx, int64_t site_id, int64_t until);
std::vector<DueStep> due_steps_of_adviser(Tx& tx, int64_t adviser_id, int64_t until);

// ---- Counselling compartments ----
struct StoredCompartment {
    int64_t site_id = 0, person_id = 0, counsellor_id = 0;
    std::string sealed_key;  // sealed to the counsellor's personal public key
    bool closed = false;
};
std::optional<StoredCompartment> compartment(Tx& tx, int64_t id);
struct CompartmentRow {
    int64_t id = 0, person_id = 0, site_id = 0, counsellor_id = 0, opened_at = 0, closed_at = 0;  // closed_at 0: open
    std::string counsellor;                                                                       // username; only from compartments_of_person
};
std::vector<CompartmentRow> open_compartments_of_person(Tx& tx, int64_t person_id);  // id and counsellor only
std::vector<CompartmentRow> open_compartments_of(Tx& tx, int64_t counsellor_id);     // oldest first; no username
std::vector<CompartmentRow> compartments_of_person(Tx& tx, int64_t person_id);       // oldest first, closed ones too
void close_compartment(Tx& tx, int64_t id, int64_t now);
void insert_compartment(Tx& tx, int64_t id, int64_t person_id, int64_t site_id, int64_t counsellor_id, const std::string& sealed_key, int64_t now);
struct StoredNote {
    int64_t id = 0, written_at = 0;
    std::string sealed_text;  // under the compartment's key
};
std::vector<StoredNote> notes_in(Tx& tx, int64_t compartment_id);  // latest first
void insert_note(Tx& tx, int64_t id, int64_t compartment_id, int64_t now, const std::string& sealed_text);

// ---- Volunteers' profiles ----
struct StoredProfile {
    int64_t account_id = 0, site_id = 0;
    std::string sealed_record;  // skills, languages, days, note; sealed by the vault
    std::string username;
    int64_t open_tasks = 0;  // requests assigned to them and not done
};
// One statement, so two saves at once on PostgreSQL do not both insert.
void save_profile(Tx& tx, int64_t account_id, int64_t site_id, const std::string& sealed_record, int64_t now);
std::optional<StoredProfile> profile(Tx& tx, int64_t account_id);
std::vector<StoredProfile> active_profiles_at(Tx& tx, int64_t site_id);  // by username

// ---- Requests for help ----
struct StoredRequest {
    int64_t id = 0, site_id = 0, person_id = 0, volunteer_id = 0;  // volunteer 0: none yet
    std::string status;                                            // open, assigned, done
    std::optional<int64_t> due_at;
    std::string sealed_record;  // what, skill, language, fields; under the person's key
    std::string volunteer;      // username
};
void insert_request(Tx& tx, const StoredRequest& request, int64_t created_by, int64_t now);
std::optional<StoredRequest> request(Tx& tx, int64_t id);
std::vector<int64_t> requests_not_done_at(Tx& tx, int64_t site_id);  // soonest due first
void assign_request(Tx& tx, int64_t id, int64_t volunteer_id);
void finish_request(Tx& tx, int64_t id);
struct TaskRow {
    int64_t request_id = 0, until = 0;  // until: the latest end of the volunteer's assignment to it
};
// Requests assigned to the volunteer while an assignment to them lasts after `now`.
std::vector<TaskRow> tasks_of(Tx& tx, int64_t volunteer_id, int64_t now);

// ---- A site's counts ----
struct SiteCounts {
    int64_t people = 0, open_cases = 0, deadlines_this_week = 0, overdue = 0, open_requests = 0;
};
// Deadlines this week: steps due in [today, today + a week); overdue: before today.
SiteCounts site_counts(Tx& tx, int64_t site_id, int64_t today, int64_t week_end);

}  // namespace haven::casework::store
