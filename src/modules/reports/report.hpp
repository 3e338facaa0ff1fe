// Reports for funders (issue 19): a report editor declares a report — sites, months, grain, indicators — and
// prepares it: the counts are read from what the modules record, laid out as figures, and every figure under k
// and every figure that would reveal one (now or set against any earlier release) is hidden by the disclosure
// engine (disclosure.hpp). An administrator other than the editor then releases it, or discards it; the release
// is checked again against the log, under its lock. Only released reports download (CSV, XLSX, PDF).
//
// The finest counts ("atoms", one per indicator × site × month) are stored with each report, sealed; a count
// once released keeps its released value in every later report (late entries and erased people do not move a
// released figure), which is what lets the engine check a new report against the old ones.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/principal.hpp"
#include "core/result.hpp"
#include "modules/accounts/service.hpp"
#include "modules/shared.hpp"

namespace haven::reports {

struct Indicator {
    std::string_view name;  // the key in definitions, URLs and catalogues ("cases_opened")
    bool network = false;   // the emergency network: one row for the whole network, and only by quarter
};
const std::vector<Indicator>& indicators();

constexpr size_t max_months = 36, max_sites = 50;
// Figures under k are hidden: the association's rule, not each editor's choice — a k chosen per report would let
// an editor learn, from what one k hides and the next shows, the width the program found, and so a count.
constexpr int64_t policy_k = 10;
constexpr int most_preparing = 2;     // reports being checked at once in this process; more wait (429)
constexpr int64_t most_per_day = 20;  // reports one account may prepare in 24 hours (each stays in the log for ever)
constexpr int64_t most_seconds = 20;  // checking one report, its indicators and retries together (422 too_large)

// Breakdowns of the people registered (people_new), where the records hold the values: the age band at
// registration, and the nationality grouped. The groups are fixed (a finer count, once reported, is an unknown the
// disclosure check must keep meaning the same thing): each month's people are counted in all 30 pairs, and the
// month's total is their sum in every report from then on.
const std::vector<std::string_view>& age_bands();           // 0-17, 18-29, 30-44, 45-64, 65+, unknown
const std::vector<std::string_view>& nationality_groups();  // RU, BY, UA, other, unknown
std::string_view age_band(std::string_view birth_date, int64_t at_ms);
std::string_view nationality_group(std::string_view nationality);  // "RU", "rus", "Russia", "Россия" → RU
constexpr size_t most_broken_down = 20'000;                        // people opened for one report's breakdown

// A person as a breakdown counts them (people::Service::profiles; the app wires it, as reports do not know people).
struct Profile {
    int64_t site_id = 0, created_at = 0;
    std::string birth_date, nationality;
};
using ProfileSource =
    std::function<Result<std::vector<Profile>>(storage::Tx&, const std::vector<int64_t>& sites, int64_t from_ms, int64_t to_ms, size_t most)>;

struct Definition {
    std::string title;
    std::vector<int64_t> sites;  // sorted, distinct
    std::string from, to;        // "2027-01" … "2027-03", whole months, inclusive
    std::string grain = "quarter";
    std::vector<std::string> indicators;  // in the catalogue's order
    std::string language = "en";          // the outputs' language
    int64_t k = policy_k;                 // figures under k are hidden (recorded with each report)
    int64_t grant_id = 0;                 // the grant it reports on (a grant at one of its sites), or 0
    std::string breakdown;                // "", "age" or "nationality": the people registered broken down
    int64_t round_to = 0;                 // 0, or 5: figures shown rounded to the nearest 5 (checked unrounded)
};

// The definition checked; the error names the field.
Status check(const Definition& d);

// Whether `action` is allowed at every one of `sites` (none: no).
bool allowed_everywhere(const Principal& actor, accounts::Action action, const std::vector<int64_t>& sites);

// The site the actor acts for when none is named: their only site where `action` is allowed.
Result<int64_t> only_site(const Principal& actor, accounts::Action action);

// One figure of a report: an indicator at a site (0: the total over the report's sites, or the whole network) in
// a column (the last column is the total over the period when there is more than one).
struct Cell {
    std::string indicator;
    int64_t site_id = 0;
    std::string category;  // "" or, broken down, "age:18-29" / "nationality:BY"
    size_t column = 0;
    std::optional<int64_t> value;  // nullopt: hidden (its value never leaves the service)
};

struct Report {
    int64_t id = 0, prepared_by = 0, prepared_at = 0, decided_by = 0, decided_at = 0;
    std::string state;  // prepared, released, discarded
    Definition definition;
    std::vector<std::string> columns;  // "2027-Q1" or "2027-01"; "total" last when more than one period
    std::vector<Cell> cells;           // by indicator, then site (0 last), then category ("" first), then column
    int64_t hidden = 0;                // how many figures are hidden (which of them are small is never said)
    int64_t frozen = 0;                // atoms that kept the value an earlier release gave them
};

struct Body;  // a report as sealed in the log (report.cpp)

struct Summary {
    int64_t id = 0, prepared_at = 0;
    std::string state, title, from, to;
};

class Reports {
public:
    Reports(const modules::Shared& shared, accounts::Service& accounts)
        : db_(shared.db), vault_(shared.vault), clock_(shared.clock), audit_(shared.audit), accounts_(accounts) {}

    Result<int64_t> prepare(const Principal& actor, Definition d);  // reports.prepare at every site; audited
    Result<Report> read(const Principal& actor, int64_t id);        // reports.view at every site it covers
    // The reports the actor may read (every site they cover allows reports.view), newest first.
    Result<std::vector<Summary>> list(const Principal& actor);
    // Releases a prepared report: reports.release at every site, and not the one who prepared it. It shows nothing
    // new (it was checked against every report prepared before it, and every later one against it); refused
    // (409 changed) when a report released since gave one of its counts another value: prepare it again.
    Status release(const Principal& actor, int64_t id);
    Status discard(const Principal& actor, int64_t id);  // the one who prepared it, or who may release it

    // Released reports made for a grant that the actor may read, oldest first.
    Result<std::vector<Report>> for_grant(const Principal& actor, int64_t grant_id);
    accounts::Service& accounts() { return accounts_; }
    void set_profiles(ProfileSource source) { profiles_ = std::move(source); }  // without it, no breakdown

private:
    Result<std::vector<int64_t>> covered(storage::Tx& tx, const Principal& actor, int64_t id, accounts::Action action) const;
    // A report's body, opened once: a body never changes once written, so it is kept (the log is read by every
    // report prepared, and each body can be large).
    Result<std::shared_ptr<const Body>> body(storage::Tx& tx, int64_t id, const std::string* sealed = nullptr);
    // Every report prepared (each `except` the one given), and the values released reports gave their counts.
    struct Log {
        std::vector<std::shared_ptr<const Body>> bodies;
        std::map<std::string, int64_t> frozen;
    };
    Result<Log> log(storage::Tx& tx, int64_t except = 0);
    ProfileSource profiles_;

    std::mutex cache_mutex_;
    std::map<int64_t, std::shared_ptr<const Body>> cache_;
    std::atomic<int> preparing_{0};
    storage::Database& db_;
    const crypto::Vault& vault_;
    const Clock& clock_;
    const audit::Recorder& audit_;
    accounts::Service& accounts_;
};

}  // namespace haven::reports
