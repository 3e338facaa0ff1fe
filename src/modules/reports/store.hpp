// The reports' SQL (migration 0021): the counts the indicators read from the other modules' tables, and the
// release log. Nothing here checks a permission.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/db.hpp"

namespace haven::reports::store {

using storage::Tx;

// A calendar month as the counts bucket records: [start_ms, end_ms) in UTC, and its days for desks.
struct Month {
    std::string key;  // "2027-01"
    int64_t start_ms = 0, end_ms = 0;
    std::string first_day, last_day;  // "2027-01-01", "2027-01-31"
};

// One count: an indicator's value at a site (0: the whole network) in the month of the given index.
struct Count {
    int64_t site_id = 0;
    size_t month = 0;
    int64_t value = 0;
};

// The counts of `indicator` (one of indicators() in report.hpp) at `sites` over `months`; buckets with no record
// are absent. Sites and months go into the statement as numbers and dates the caller made, never as text typed.
std::vector<Count> counts(Tx& tx, std::string_view indicator, const std::vector<int64_t>& sites, const std::vector<Month>& months);

// ---- The release log ----
struct StoredRelease {
    int64_t id = 0, site_id = 0, prepared_by = 0, prepared_at = 0, decided_by = 0, decided_at = 0;
    std::string state, body;  // prepared, released, discarded; body sealed
    int64_t grant_id = 0;     // 0: for no grant
};
void insert_release(Tx& tx, const StoredRelease& r, const std::vector<int64_t>& sites);
std::optional<StoredRelease> release(Tx& tx, int64_t id);
std::vector<int64_t> sites_of(Tx& tx, int64_t report_id);
// Reports covering `site_id`, newest first, at most `limit`.
std::vector<StoredRelease> releases_at(Tx& tx, int64_t site_id, size_t limit);
// Every report's id and state, in the order they were prepared.
std::vector<std::pair<int64_t, std::string>> report_states(Tx& tx);
// Moves a prepared report to `state`; false when it was no longer prepared (another decision came first).
bool decide(Tx& tx, int64_t id, std::string_view state, int64_t by, int64_t at);
// Reports `account` prepared since `since` (ms).
int64_t prepared_since(Tx& tx, int64_t account, int64_t since);
// How many reports were prepared: each prepared report adds one, under the row's lock (lock_releases).
int64_t reports_prepared(Tx& tx);
// Takes the log's one row and counts one more report: two reports prepared at once take turns.
int64_t lock_releases(Tx& tx);
// Every site's id (a report of the emergency network covers them all).
std::vector<int64_t> all_sites(Tx& tx);
// Released reports made for a grant, oldest first.
std::vector<StoredRelease> released_for(Tx& tx, int64_t grant_id);

// ---- Funders and grants (store_grants.cpp) ----
struct StoredFunder {
    int64_t id = 0, site_id = 0, created_at = 0;
    std::string record;
};
void insert_funder(Tx& tx, const StoredFunder& f);
std::optional<StoredFunder> funder(Tx& tx, int64_t id);
std::vector<StoredFunder> funders_of(Tx& tx, int64_t site_id);

struct StoredGrant {
    int64_t id = 0, site_id = 0, funder_id = 0, amount_minor = 0, created_at = 0, updated_at = 0;
    std::string status, currency, starts, ends;
    bool restricted = false;
    std::string record;
};
void insert_grant(Tx& tx, const StoredGrant& g);
void update_grant(Tx& tx, const StoredGrant& g);  // all but id, site and created_at
// The grant, its row locked first (PostgreSQL) so that two changes of one grant take turns.
std::optional<StoredGrant> locked_grant(Tx& tx, int64_t id);
std::optional<StoredGrant> grant(Tx& tx, int64_t id);
std::vector<StoredGrant> grants_of(Tx& tx, int64_t site_id);

}  // namespace haven::reports::store
