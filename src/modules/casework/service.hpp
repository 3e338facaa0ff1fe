// Casework: legal cases built from procedure templates, counselling compartments, volunteers and their
// requests for help, and a site's dashboard. Every function checks the acting Principal itself; every value
// about a person is sealed under that person's key (people::Service::Sealer) or a compartment's key.
//
// Who sees what (docs/SECURITY.md):
// - cases: coordinators and administrators of the site; a legal adviser only the cases they follow;
// - counselling notes: only the counsellor of an open compartment — nobody else, administrators included;
// - requests: coordinators; a volunteer sees their own tasks, with only the fields of the person the request
//   names, while their assignment lasts.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/dates.hpp"
#include "core/principal.hpp"
#include "core/result.hpp"
#include "crypto/vault.hpp"
#include "modules/accounts/service.hpp"
#include "modules/people/service.hpp"
#include "storage/db.hpp"

namespace haven::casework {

namespace store {
struct CaseRow;
}

// ---- Legal cases ----
struct TemplateStep {
    std::string title;
    int days = 0;  // after the previous step
    std::vector<std::string> documents;
    std::map<std::string, std::string> titles;  // the title in other languages ("fr", "ru", "uk"): the country's, the people's
};
// The language a country's offices write in ("FR" → "fr"), or "".
std::string office_language(std::string_view country);
// A step as a case shows it: in the office's language, and in the person's (the first of `languages` the step
// has) when that differs: "Envoyer la demande à l’OFPRA — Отправить заявление в OFPRA".
std::string case_step_title(const TemplateStep& step, std::string_view country, const std::vector<std::string>& languages);
struct Template {
    int64_t id = 0;
    std::string country, name;
    std::vector<TemplateStep> steps;
};
struct Step {
    int64_t id = 0;
    std::string title, note, due_date;  // due_date YYYY-MM-DD or ""
    bool done = false;
};
struct Document {
    int64_t id = 0;
    std::string name;
    bool received = false;
};
struct Case {
    int64_t id = 0, person_id = 0, site_id = 0, adviser_id = 0;
    std::string adviser, pseudonym, status, title, notes;
    std::vector<Step> steps;
    std::vector<Document> documents;
};
struct Deadline {
    int64_t case_id = 0, person_id = 0;
    std::string pseudonym, case_title, step_title, due_date, adviser;
    bool overdue = false;
};
struct CaseInput {
    int64_t person_id = 0, template_id = 0, adviser_id = 0;
    std::string start_date;  // YYYY-MM-DD; today when empty
};

// ---- Counselling ----
struct Compartment {
    int64_t id = 0, person_id = 0, site_id = 0, counsellor_id = 0, opened_at = 0, closed_at = 0;
    std::string counsellor, pseudonym;
};
struct Note {
    int64_t id = 0, written_at = 0;
    std::string text;
};

// ---- Volunteers and requests ----
const std::vector<std::string_view>& skills();    // translation, accompaniment, paperwork, housing, it, childcare, transport, legal_orientation
const std::vector<std::string_view>& weekdays();  // mon … sun
const std::vector<std::string_view>& shareable_fields();  // the person's fields a request may open: pseudonym, phone, messenger, email, languages
struct Profile {
    int64_t account_id = 0, site_id = 0;
    std::string username;
    std::vector<std::string> skills, languages, days;
    std::string note;
    int64_t open_tasks = 0;
};
struct HelpRequest {
    int64_t id = 0, site_id = 0, person_id = 0, volunteer_id = 0;
    std::string status, what, skill, language, due_date, pseudonym, volunteer;
    std::vector<std::string> fields;
};
struct Suggestion {
    Profile volunteer;
    int score = 0;
    std::vector<std::string> reasons;  // "language", "skill", "available", "free"
};
struct Task {
    HelpRequest request;
    std::vector<std::pair<std::string, std::string>> person;  // only the fields the request names
    int64_t until = 0;
};

struct Dashboard {
    std::vector<std::pair<std::string, int64_t>> arrivals;  // month → people, newest first
    int64_t people = 0, open_cases = 0, deadlines_this_week = 0, overdue = 0, open_requests = 0;
};

class Service {
public:
    Service(const modules::Shared& shared, accounts::Service& accounts, people::Service& people);

    // Legal cases
    std::vector<Template> templates();
    Status save_template(const Principal& actor, const Template& t);
    Result<int64_t> open_case(const Principal& actor, const CaseInput& input);
    Result<Case> read_case(const Principal& actor, int64_t id);                     // audited
    Result<std::vector<Case>> cases_of(const Principal& actor, int64_t person_id);  // titles and states only
    Status update_step(const Principal& actor, int64_t case_id, int64_t step_id, std::optional<bool> done, std::optional<std::string> due_date,
                       std::optional<std::string> note);
    Status set_document(const Principal& actor, int64_t case_id, int64_t document_id, bool received);
    Status close_case(const Principal& actor, int64_t case_id);
    // Steps not done and due within `days` (overdue ones included): the adviser's own, or a whole site's.
    Result<std::vector<Deadline>> deadlines(const Principal& actor, std::optional<int64_t> site_id, int days);

    // Counselling
    Result<int64_t> assign_counsellor(const Principal& actor, int64_t person_id, int64_t counsellor_id);
    std::vector<Compartment> my_compartments(const Principal& actor);
    Result<std::vector<Compartment>> compartments_of(const Principal& actor, int64_t person_id);  // who, never what
    Result<std::vector<Note>> notes(const Principal& actor, int64_t compartment_id);              // audited
    Status add_note(const Principal& actor, int64_t compartment_id, const std::string& text);

    // Volunteers and requests
    Status save_profile(const Principal& actor, Profile profile);
    Result<Profile> my_profile(const Principal& actor);
    Result<std::vector<Profile>> profiles(const Principal& actor, int64_t site_id);
    Result<int64_t> create_request(const Principal& actor, HelpRequest request);
    Result<std::vector<HelpRequest>> requests(const Principal& actor, int64_t site_id);
    Result<HelpRequest> read_request(const Principal& actor, int64_t id);
    Result<std::vector<Suggestion>> suggestions(const Principal& actor, int64_t request_id);
    Status assign_volunteer(const Principal& actor, int64_t request_id, int64_t volunteer_id, const std::string& until_date);
    std::vector<Task> tasks(const Principal& actor);  // audited
    Status complete_task(const Principal& actor, int64_t request_id);

    Result<Dashboard> dashboard(const Principal& actor, int64_t site_id);

private:
    bool may_see_case(storage::Tx& tx, const Principal& actor, const store::CaseRow& row) const;
    Result<HelpRequest> request_in(storage::Tx& tx, int64_t id);
    void grant(storage::Tx& tx, const Principal& actor, int64_t account_id, const std::string& type, int64_t record_id, int64_t until);
    void end_grant(storage::Tx& tx, int64_t account_id, const std::string& type, int64_t record_id);

    storage::Database& db_;
    const crypto::Vault& vault_;
    const Clock& clock_;
    const audit::Recorder& audit_;
    accounts::Service& accounts_;
    people::Service& people_;
};

}  // namespace haven::casework
