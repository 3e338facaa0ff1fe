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
};
void insert_release(Tx& tx, const StoredRelease& r, const std::vector<int64_t>& sites);
std::optional<StoredRelease> release(Tx& tx, int64_t id);
std::vector<int64_t> sites_of(Tx& tx, int64_t report_id);
// Reports covering `site_id`, newest first, at most `limit`.
std::vector<StoredRelease> releases_at(Tx& tx, int64_t site_id, size_t limit);
// Every release in the given state (the log a new report is checked against).
std::vector<StoredRelease> releases_in(Tx& tx, std::string_view state);
void decide(Tx& tx, int64_t id, std::string_view state, int64_t by, int64_t at);
// Takes the release log's one row first: releases take turns.
void lock_releases(Tx& tx);

}  // namespace haven::reports::store
