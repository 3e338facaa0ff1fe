// Funders and grants (issue 19): who funds the centre, what each grant gives and asks, and what is due when —
// the tranches expected, the reports owed — shown ahead of time to report editors and administrators; the budget
// lines against what was spent; the targets a funder set, against what released reports say was done.
//
// Storage (migration 0022): a funder is one sealed record (name, contact person, e-mail, phone, notes); a grant
// keeps plain only what lists and sums need — its funder, site, status, currency, amount, start and end — and
// seals the rest in one record (title, purpose, notes, tranches, deadlines, budget lines, targets): a centre has
// dozens of grants, so opening them all to list what is due costs little.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "core/principal.hpp"
#include "core/result.hpp"
#include "modules/accounts/service.hpp"
#include "modules/shared.hpp"

namespace haven::reports {

const std::vector<std::string>& grant_statuses();  // prospect, applied, awarded, active, reporting, closed, declined

struct Funder {
    int64_t id = 0, site_id = 0;
    std::string name, contact_name, email, phone, notes;  // sealed
};

struct Tranche {
    std::string due;  // YYYY-MM-DD
    int64_t amount_minor = 0;
    std::string received;  // YYYY-MM-DD, or "" while expected
};

struct Deadline {
    std::string due, what;  // a report owed, a renewal to apply for …
    bool done = false;
};

struct BudgetLine {
    std::string label;
    int64_t budget_minor = 0, actual_minor = 0;
};

struct Target {
    std::string indicator;  // one of indicators() in report.hpp
    int64_t target = 0;
};

struct Grant {
    int64_t id = 0, site_id = 0, funder_id = 0, updated_at = 0;
    std::string status = "prospect", currency = "EUR";
    int64_t amount_minor = 0;
    std::string starts, ends;  // YYYY-MM-DD or ""
    bool restricted = false;   // the money may only go to its purpose
    std::string title, purpose, notes;
    std::vector<Tranche> tranches;
    std::vector<Deadline> deadlines;
    std::vector<BudgetLine> lines;
    std::vector<Target> targets;
};

// What is due soon, or overdue: a deadline not done, a tranche not received.
struct Due {
    std::string date, kind;  // kind: deadline, tranche
    int64_t grant_id = 0;
    std::string grant, what;  // the grant's title; the deadline's words
    int64_t amount_minor = 0;
    std::string currency;
};

// A grant checked; the error names the field ("tranches[2].due").
Status check(const Grant& g);

// Budget lines as the grant's page takes them: one per line, "Rent | 12000 | 8000.50" (label | budgeted | spent,
// spent optional, amounts as people type them); blank lines skipped; the error names the line ("lines[2]").
Result<std::vector<BudgetLine>> parse_budget_lines(std::string_view text);
std::string format_budget_lines(const std::vector<BudgetLine>& lines);  // what parse_budget_lines reads back

// A grant as JSON, whole: what the API answers and, sealed, what is stored.
boost::json::object to_json(const Grant& g);

class Grants {
public:
    explicit Grants(const modules::Shared& shared) : db_(shared.db), vault_(shared.vault), clock_(shared.clock), audit_(shared.audit) {}

    Result<int64_t> add_funder(const Principal& actor, Funder f);  // grants.manage
    Result<std::vector<Funder>> funders(const Principal& actor, int64_t site_id);
    Result<int64_t> create(const Principal& actor, Grant g);  // grants.manage; the funder is the site's
    Status update(const Principal& actor, Grant g);           // everything but the site
    Result<Grant> read(const Principal& actor, int64_t id);   // grants.view
    Result<std::vector<Grant>> list(const Principal& actor, int64_t site_id);
    // Deadlines not done and tranches not received, due within `days` (overdue ones too), soonest first.
    Result<std::vector<Due>> due(const Principal& actor, int64_t site_id, int days);
    Status tranche_received(const Principal& actor, int64_t id, size_t number, const std::string& date);  // number from 1
    Status deadline_done(const Principal& actor, int64_t id, size_t number);
    // Changes the grant `id` as stored, under its row lock (no change made meanwhile is lost): `change` edits it,
    // then it is checked and written. grants.manage at its site.
    Status edit(const Principal& actor, int64_t id, const std::function<Status(Grant&)>& change);

    std::string today() const;

private:
    storage::Database& db_;
    const crypto::Vault& vault_;
    const Clock& clock_;
    const audit::Recorder& audit_;
};

}  // namespace haven::reports
