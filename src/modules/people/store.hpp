// All SQL of the people module: people, their name index, consents, arrivals. Functions take a Tx so the service
// makes several of them one transaction; none checks permissions (the service does) and none seals or opens a
// value: a person's key and record, and a consent, come and go as the bytes stored.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "storage/db.hpp"

namespace haven::people::store {

using storage::Tx;

// ---- People ----
struct StoredPerson {
    int64_t id = 0, site_id = 0, created_at = 0, active_at = 0;
    std::string sealed_key;     // the person's key, sealed by the vault
    std::string sealed_record;  // the person's JSON document, sealed under that key
};
std::optional<StoredPerson> person(Tx& tx, int64_t id);
std::vector<StoredPerson> people_in(Tx& tx, const std::vector<int64_t>& ids);  // in no particular order
std::vector<StoredPerson> people_of_site(Tx& tx, int64_t site_id);             // oldest first
// Registered at one of `sites` in [from_ms, to_ms), at most `limit` of them.
std::vector<StoredPerson> registered_between(Tx& tx, const std::vector<int64_t>& sites, int64_t from_ms, int64_t to_ms, size_t limit);
void insert_person(Tx& tx, const StoredPerson& person);
// New people, many a statement (an import's).
void insert_people(Tx& tx, const std::vector<StoredPerson>& people);
void set_record(Tx& tx, int64_t id, const std::string& sealed_record, int64_t active_at);
void set_active(Tx& tx, int64_t id, int64_t active_at);
// Names, consents, cases, compartments and requests follow (ON DELETE CASCADE).
void delete_person(Tx& tx, int64_t id);

// Ids of people, for lists: most recently active first (all of the site, or those assigned to the account until
// after `now`), and the least recently active before `before`.
std::vector<int64_t> recent_at(Tx& tx, int64_t site_id, int64_t limit, int64_t offset = 0);
int64_t count_at(Tx& tx, int64_t site_id);
std::vector<int64_t> recent_assigned(Tx& tx, int64_t site_id, int64_t account_id, int64_t now, int64_t limit, int64_t offset = 0);
int64_t count_assigned(Tx& tx, int64_t site_id, int64_t account_id, int64_t now);
std::vector<int64_t> inactive_before(Tx& tx, int64_t site_id, int64_t before, int64_t limit);

// What lets others reach the person: the assignments to them and to their help requests.
void delete_assignments_of(Tx& tx, int64_t person_id);

// ---- The name index (truncated blind index values) ----
void replace_names(Tx& tx, int64_t person_id, const std::set<int64_t>& values);
// Rows (value, person) of people who hold none yet (new ones), many a statement.
void add_names(Tx& tx, const std::vector<std::pair<int64_t, int64_t>>& rows);
// Who holds this value — a pseudonym's, one person's, a few where the truncated hash collides. Nobody if more
// than `most` hold it: the value is then also a common name word's (both indexes share the table and the hash's
// range), and would propose everyone who bears that word, ahead of the person sought.
std::vector<int64_t> bearers_of(Tx& tx, int64_t value, size_t most);
// Who holds a value of every set (each set: the values of one word), those holding the most of all the values
// first (then by id), at most `limit`.
std::vector<int64_t> holding_every(Tx& tx, const std::vector<std::set<int64_t>>& words, size_t limit);

// ---- Consents ----
struct StoredConsent {
    int64_t id = 0, recorded_at = 0;
    std::string sealed_record;  // purposes and note, sealed under the person's key
    std::string recorded_by;    // username ("" when the account is gone)
};
void insert_consent(Tx& tx, int64_t id, int64_t person_id, const std::string& sealed_record, int64_t recorded_by, int64_t at);
std::vector<StoredConsent> consents_of(Tx& tx, int64_t person_id);  // latest first

// ---- Arrivals per month, counted at intake ----
void count_arrivals(Tx& tx, int64_t site_id, const std::string& month, int64_t people);          // "2026-11"
std::vector<std::pair<std::string, int64_t>> arrivals(Tx& tx, int64_t site_id, int64_t months);  // latest first

}  // namespace haven::people::store
