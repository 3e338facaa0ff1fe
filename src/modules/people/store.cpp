#include "modules/people/store.hpp"

#include "storage/name_index.hpp"

#include <algorithm>
#include <map>

namespace haven::people::store {

using storage::Blob;
using storage::in_list;
using storage::Row;
using storage::rows_as;

namespace {

constexpr const char* person_columns = "SELECT id, site_id, person_key, record, created_at, active_at FROM people ";

StoredPerson person_from(const Row& r) { return {r.integer(0), r.integer(1), r.integer(4), r.integer(5), r.blob(2).str(), r.blob(3).str()}; }

int64_t first_column(const Row& r) { return r.integer(0); }

}  // namespace

// ---- People ----

std::optional<StoredPerson> person(Tx& tx, int64_t id) {
    auto rows = tx.query(std::string(person_columns) + "WHERE id = $1", {id});
    if (rows.empty()) return std::nullopt;
    return person_from(rows[0]);
}

std::vector<StoredPerson> people_in(Tx& tx, const std::vector<int64_t>& ids) {
    if (ids.empty()) return {};
    storage::Params params(ids.begin(), ids.end());
    return rows_as(tx.query(std::string(person_columns) + "WHERE id IN (" + in_list(1, params.size()) + ")", params), person_from);
}

std::vector<StoredPerson> people_of_site(Tx& tx, int64_t site_id) {
    return rows_as(tx.query(std::string(person_columns) + "WHERE site_id = $1 ORDER BY created_at, id", {site_id}), person_from);
}

std::vector<StoredPerson> registered_between(Tx& tx, const std::vector<int64_t>& sites, int64_t from_ms, int64_t to_ms, size_t limit) {
    std::vector<StoredPerson> out;
    for (int64_t site : sites) {
        if (out.size() >= limit) break;
        for (auto& p :
             rows_as(tx.query(std::string(person_columns) + "WHERE site_id = $1 AND created_at >= $2 AND created_at < $3 ORDER BY id LIMIT $4",
                              {site, from_ms, to_ms, int64_t(limit - out.size())}),
                     person_from))
            out.push_back(std::move(p));
    }
    return out;
}

void insert_person(Tx& tx, const StoredPerson& p) {
    tx.exec_later("INSERT INTO people (id, site_id, person_key, record, created_at, active_at) VALUES ($1, $2, $3, $4, $5, $6)",
                  {p.id, p.site_id, Blob::of(p.sealed_key), Blob::of(p.sealed_record), p.created_at, p.active_at});
}

void insert_people(Tx& tx, const std::vector<StoredPerson>& people) {
    for (size_t at = 0; at < people.size();) {
        const size_t n = storage::rows_per_insert(people.size() - at, tx.rows_per_insert());
        storage::Params params;
        params.reserve(6 * n);
        for (size_t i = at; i < at + n; ++i) {
            const StoredPerson& p = people[i];
            params.insert(params.end(), {p.id, p.site_id, Blob::of(p.sealed_key), Blob::of(p.sealed_record), p.created_at, p.active_at});
        }
        tx.exec_later("INSERT INTO people (id, site_id, person_key, record, created_at, active_at) VALUES " + storage::values_rows(n, 6), params);
        at += n;
    }
}

void set_record(Tx& tx, int64_t id, const std::string& sealed_record, int64_t active_at) {
    tx.exec_later("UPDATE people SET record = $1, active_at = $2 WHERE id = $3", {Blob::of(sealed_record), active_at, id});
}

void set_active(Tx& tx, int64_t id, int64_t active_at) { tx.exec_later("UPDATE people SET active_at = $1 WHERE id = $2", {active_at, id}); }

void delete_person(Tx& tx, int64_t id) { tx.exec("DELETE FROM people WHERE id = $1", {id}); }

std::vector<int64_t> recent_at(Tx& tx, int64_t site_id, int64_t limit, int64_t offset) {
    return rows_as(tx.query("SELECT id FROM people WHERE site_id = $1 ORDER BY active_at DESC, id LIMIT $2 OFFSET $3", {site_id, limit, offset}),
                   first_column);
}

int64_t count_at(Tx& tx, int64_t site_id) { return tx.query("SELECT COUNT(*) FROM people WHERE site_id = $1", {site_id}).at(0).integer(0); }

std::vector<int64_t> recent_assigned(Tx& tx, int64_t site_id, int64_t account_id, int64_t now, int64_t limit, int64_t offset) {
    return rows_as(tx.query("SELECT p.id FROM people p JOIN assignments a ON a.record_id = p.id AND a.record_type = 'person' "
                            "WHERE p.site_id = $1 AND a.account_id = $2 AND a.expires_at > $3 ORDER BY p.active_at DESC, p.id LIMIT $4 OFFSET $5",
                            {site_id, account_id, now, limit, offset}),
                   first_column);
}

int64_t count_assigned(Tx& tx, int64_t site_id, int64_t account_id, int64_t now) {
    return tx
        .query(
            "SELECT COUNT(DISTINCT p.id) FROM people p JOIN assignments a ON a.record_id = p.id AND a.record_type = 'person' "
            "WHERE p.site_id = $1 AND a.account_id = $2 AND a.expires_at > $3",
            {site_id, account_id, now})
        .at(0)
        .integer(0);
}

std::vector<int64_t> inactive_before(Tx& tx, int64_t site_id, int64_t before, int64_t limit) {
    return rows_as(tx.query("SELECT id FROM people WHERE site_id = $1 AND active_at < $2 ORDER BY active_at LIMIT $3", {site_id, before, limit}),
                   first_column);
}

void delete_assignments_of(Tx& tx, int64_t person_id) {
    tx.exec("DELETE FROM assignments WHERE record_type = 'request' AND record_id IN (SELECT id FROM help_requests WHERE person_id = $1)",
            {person_id});
    tx.exec("DELETE FROM assignments WHERE record_type = 'person' AND record_id = $1", {person_id});
}

// ---- The name index ----

namespace {
const storage::NameIndex names_index{"people_names", "person_id"};
}

void replace_names(Tx& tx, int64_t person_id, const std::set<int64_t>& values) { storage::replace_values(tx, names_index, person_id, values); }

void add_names(Tx& tx, const std::vector<std::pair<int64_t, int64_t>>& rows) { storage::add_values(tx, names_index, rows); }

std::vector<int64_t> bearers_of(Tx& tx, int64_t value, size_t most) { return storage::bearers_of(tx, names_index, value, most); }

std::vector<int64_t> holding_every(Tx& tx, const std::vector<std::set<int64_t>>& words, size_t limit) {
    return storage::holding_every(tx, names_index, words, limit);
}

// ---- Consents ----

void insert_consent(Tx& tx, int64_t id, int64_t person_id, const std::string& sealed_record, int64_t recorded_by, int64_t at) {
    tx.exec_later("INSERT INTO consents (id, person_id, record, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5)",
                  {id, person_id, Blob::of(sealed_record), recorded_by, at});
}

std::vector<StoredConsent> consents_of(Tx& tx, int64_t person_id) {
    return rows_as(tx.query("SELECT c.id, c.record, c.recorded_at, a.username FROM consents c LEFT JOIN accounts a ON a.id = c.recorded_by "
                            "WHERE c.person_id = $1 ORDER BY c.recorded_at DESC",
                            {person_id}),
                   [](const Row& r) {
                       return StoredConsent{r.integer(0), r.integer(2), r.blob(1).str(), r.is_null(3) ? "" : r.text(3)};
                   });
}

// ---- Arrivals ----

void count_arrivals(Tx& tx, int64_t site_id, const std::string& month, int64_t people) {
    tx.exec_later(
        "INSERT INTO arrivals (site_id, month, people) VALUES ($1, $2, $3) "
        "ON CONFLICT (site_id, month) DO UPDATE SET people = arrivals.people + $3",
        {site_id, month, people});
}

std::vector<std::pair<std::string, int64_t>> arrivals(Tx& tx, int64_t site_id, int64_t months) {
    return rows_as(tx.query("SELECT month, people FROM arrivals WHERE site_id = $1 ORDER BY month DESC LIMIT $2", {site_id, months}),
                   [](const Row& r) {
                       return std::pair<std::string, int64_t>{r.text(0), r.integer(1)};
                   });
}

}  // namespace haven::people::store
