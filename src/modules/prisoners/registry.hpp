// The registry of political prisoners a site writes to (issue 18): names in every alphabet (found through the
// blind index, as people's are), case and articles, status, whether they may be named publicly, interests,
// languages, the correspondents they approved, and where they are held — an address history of institutions, where
// "in transit" (этап) is a state of its own. Also the campaign calendar and the counts a report may show.
//
// Storage (migration 0020): each prisoner's record is one sealed JSON document; plain are only the status, the
// "approved correspondents only" flag and the matching weight, which the matching reads for every prisoner.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/principal.hpp"
#include "core/result.hpp"
#include "modules/accounts/service.hpp"
#include "modules/shared.hpp"

namespace haven::prisoners {

const std::vector<std::string>& prisoner_statuses();  // pre_trial, convicted, in_transit, released
const std::vector<std::string>& institution_kinds();  // sizo, colony, prison, hospital, other

struct Institution {
    int64_t id = 0, site_id = 0;
    std::string kind, name, address;  // name and address sealed
};

struct KeyDate {  // a trial, an appeal, a hearing: shown on the calendar
    std::string date, note;
};

struct Prisoner {
    int64_t id = 0, site_id = 0, created_at = 0;
    std::vector<std::string> names;  // the first as letters write it; the others in other alphabets
    std::string address_as;          // how a letter greets them ("Иван"): all a writer sees when not public
    std::string birth_date, release_date;
    std::string case_summary, articles, interests, notes;
    std::vector<std::string> languages;  // ISO 639-1
    std::vector<KeyDate> dates;
    bool public_name = true;  // may be named publicly (writers see the names)
    std::string status = "pre_trial";
    bool approved_only = false;  // letters only from correspondents on their approved list
    int weight = 1;              // 1 to 5: how much more often the matching gives them (a heavier sentence, nobody writing)
};

// One stay in the address history; institution_id 0: in transit.
struct Stay {
    int64_t id = 0, number = 0, institution_id = 0;
    std::string since, note;
    std::optional<Institution> institution;
};

struct Transfer {
    int64_t institution_id = 0;  // 0: in transit (every letter not yet sent is held)
    std::string since, note;
    std::string status;  // on arrival; empty: pre_trial in a SIZO, convicted elsewhere, as before in a hospital
};

struct CalendarItem {
    std::string date, kind;  // birthday, release, trial (a key date), holiday
    int64_t prisoner_id = 0;
    std::string name, note;  // the prisoner as the reader may see them; a key date's note; a holiday's name
    int64_t letters = 0;     // letters written to them in the 30 days before
};

struct Figures {
    int64_t prisoners = 0, writers = 0, writers_active = 0, letters = 0;
    std::vector<std::pair<std::string, int64_t>> by_status;         // prisoners per status
    std::vector<std::pair<std::string, int64_t>> letters_by_state;  // letters per state
    std::vector<std::pair<int64_t, int64_t>> prisoners_by_letters;  // letters received → prisoners (0…4, 5 = five or more)
    struct PerInstitution {
        std::string name, kind;
        int64_t sent = 0, delivered = 0, returned = 0, withheld = 0, answered = 0;
    };
    std::vector<PerInstitution> institutions;
};

struct ImportRowError {
    size_t row = 0;
    std::string column, problem, message;
};

class Registry {
public:
    Registry(const modules::Shared& shared, accounts::Service& accounts)
        : db_(shared.db), vault_(shared.vault), clock_(shared.clock), audit_(shared.audit), accounts_(accounts) {}

    Result<int64_t> create(const Principal& actor, Prisoner p);
    Status update(const Principal& actor, Prisoner p);          // everything but the status in transit (that is a transfer)
    Result<Prisoner> read(const Principal& actor, int64_t id);  // audited
    // The site's prisoners, by first name; with `query`, those whose names meet it in any alphabet, best first.
    Result<std::vector<Prisoner>> list(const Principal& actor, int64_t site_id, std::string_view query = {});
    // Moves a prisoner: into transit (letters not yet sent are held), or to an institution (held letters are
    // re-addressed there and released).
    Status transfer(const Principal& actor, int64_t prisoner_id, const Transfer& t);
    Result<std::vector<Stay>> stays(const Principal& actor, int64_t prisoner_id);  // newest first
    Status set_approved(const Principal& actor, int64_t prisoner_id, const std::vector<int64_t>& writer_ids);
    Result<std::vector<int64_t>> approved(const Principal& actor, int64_t prisoner_id);

    Result<int64_t> add_institution(const Principal& actor, Institution i);
    Result<std::vector<Institution>> institutions(const Principal& actor, int64_t site_id);

    // A list of prisoners as CSV (headers: name, other_names, address_as, birth_date, status, articles, case,
    // interests, languages, public, release_date, weight, approved_only): every row checked first; all or none.
    struct Imported {
        std::vector<int64_t> ids;
        std::vector<ImportRowError> errors;  // nothing was written when there are any
    };
    Result<Imported> import_csv(const Principal& actor, int64_t site_id, std::string_view csv);

    // What comes in the next `weeks` (1 to 26): birthdays, releases, key dates, holidays.
    Result<std::vector<CalendarItem>> calendar(const Principal& actor, int64_t site_id, int weeks);
    // Counts only, over the last `days`.
    Result<Figures> figures(const Principal& actor, int64_t site_id, int days);

    // The site the actor acts for when none is named: their only site where `action` is allowed.
    Result<int64_t> default_site(const Principal& actor, accounts::Action action) const;
    int64_t now_ms() const { return clock_.now_ms(); }

    // For the letters: a prisoner as stored (no permission check), and the institution of a stay.
    Result<Prisoner> open(storage::Tx& tx, int64_t id) const;
    std::optional<Stay> current_stay(storage::Tx& tx, int64_t prisoner_id) const;
    std::optional<Institution> institution(storage::Tx& tx, int64_t id) const;

private:
    Result<int64_t> prisoner_site(storage::Tx& tx, const Principal& actor, int64_t id, accounts::Action action) const;
    void write(storage::Tx& tx, const Prisoner& p, bool fresh);
    Result<std::vector<Prisoner>> all_of(storage::Tx& tx, int64_t site_id) const;

    storage::Database& db_;
    const crypto::Vault& vault_;
    const Clock& clock_;
    const audit::Recorder& audit_;
    accounts::Service& accounts_;
};

// A prisoner's record checked (names, dates, lengths, choices); the error names the field.
Status check(const Prisoner& p, int64_t now_ms);

}  // namespace haven::prisoners
