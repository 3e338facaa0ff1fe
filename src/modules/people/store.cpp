#include "modules/people/store.hpp"

#include <algorithm>
#include <map>

namespace haven::people::store {

using storage::Blob;
using storage::Row;
using storage::rows_as;

namespace {

constexpr const char* person_columns = "SELECT id, site_id, person_key, record, created_at, active_at FROM people ";

StoredPerson person_from(const Row& r) { return {r.integer(0), r.integer(1), r.integer(4), r.integer(5), r.blob(2).str(), r.blob(3).str()}; }

int64_t first_column(const Row& r) { return r.integer(0); }

// The SQL parameters `$first` … for `count` bound values, for an IN list: "$3, $4, $5" for first 3, count 3.
std::string in_list(size_t first, size_t count) {
    std::string s;
    for (size_t i = 0; i < count; ++i) s += (i ? ", $" : "$") + std::to_string(first + i);
    return s;
}

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

void insert_person(Tx& tx, const StoredPerson& p) {
    tx.exec("INSERT INTO people (id, site_id, person_key, record, created_at, active_at) VALUES ($1, $2, $3, $4, $5, $6)",
            {p.id, p.site_id, Blob::of(p.sealed_key), Blob::of(p.sealed_record), p.created_at, p.active_at});
}

void set_record(Tx& tx, int64_t id, const std::string& sealed_record, int64_t active_at) {
    tx.exec("UPDATE people SET record = $1, active_at = $2 WHERE id = $3", {Blob::of(sealed_record), active_at, id});
}

void set_active(Tx& tx, int64_t id, int64_t active_at) { tx.exec("UPDATE people SET active_at = $1 WHERE id = $2", {active_at, id}); }

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

void replace_names(Tx& tx, int64_t person_id, const std::set<int64_t>& values) {
    tx.exec("DELETE FROM people_names WHERE person_id = $1", {person_id});
    for (int64_t v : values) tx.exec("INSERT INTO people_names (value, person_id) VALUES ($1, $2)", {v, person_id});
}

std::vector<int64_t> bearers_of(Tx& tx, int64_t value, size_t most) {
    auto ids = rows_as(tx.query("SELECT DISTINCT person_id FROM people_names WHERE value = $1 LIMIT $2", {value, int64_t(most + 1)}), first_column);
    if (ids.size() > most) ids.clear();
    return ids;
}

namespace {

// The rows holding one of `values`, of `among` people only if given: person → how many of the values they hold.
std::map<int64_t, int64_t> holders(Tx& tx, const std::set<int64_t>& values, const std::vector<int64_t>* among) {
    std::map<int64_t, int64_t> out;
    storage::Params params(values.begin(), values.end());
    const std::string which = "SELECT person_id FROM people_names WHERE value IN (" + in_list(1, values.size()) + ")";
    if (!among) {
        for (const auto& r : tx.query(which, params)) ++out[r.integer(0)];
        return out;
    }
    constexpr size_t chunk = 500;
    for (size_t at = 0; at < among->size(); at += chunk) {
        storage::Params p = params;
        p.insert(p.end(), among->begin() + at, among->begin() + std::min(among->size(), at + chunk));
        for (const auto& r : tx.query(which + " AND person_id IN (" + in_list(params.size() + 1, p.size() - params.size()) + ")", p))
            ++out[r.integer(0)];
    }
    return out;
}

}  // namespace

std::vector<int64_t> holding_every(Tx& tx, const std::vector<std::set<int64_t>>& words, size_t limit) {
    // Rarest word first: its holders are the candidates, and each other word keeps those of them who hold one of
    // its values too — looked up for those candidates alone when that is cheaper than reading all its holders, so
    // that a common given name costs a few lookups, not a read of its thousands. Those holding the most of the
    // query's values come first — a word truly met holds most of its spellings' values, a truncated hash that
    // collides holds one — so that a limit cuts the noise, not the person sought.
    // Rows counted at most per word: enough to find the rarest and to choose between reading a word's holders
    // and looking it up for the candidates; counting further costs (on PostgreSQL, before a vacuum, a heap visit a
    // row) more than it tells. A word at the cap counts as eight times as many.
    constexpr int64_t common = 1024;
    std::vector<std::pair<int64_t, const std::set<int64_t>*>> sized;
    for (const auto& values : words) {
        if (values.empty()) continue;
        storage::Params params(values.begin(), values.end());
        const int64_t rows = tx.query("SELECT COUNT(*) FROM (SELECT 1 FROM people_names WHERE value IN (" + in_list(1, values.size()) + ") LIMIT " +
                                          std::to_string(common) + ") AS held",
                                      params)
                                 .at(0)
                                 .integer(0);
        sized.emplace_back(rows, &values);
    }
    if (sized.empty()) return {};
    std::stable_sort(sized.begin(), sized.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::map<int64_t, int64_t> held = holders(tx, *sized[0].second, nullptr);
    for (size_t w = 1; w < sized.size() && !held.empty(); ++w) {
        std::vector<int64_t> ids;
        for (const auto& [id, n] : held) ids.push_back(id);
        // A lookup per candidate and value costs about ten rows read.
        const int64_t rows = sized[w].first >= common ? 8 * common : sized[w].first;
        const bool look_up = int64_t(ids.size() * sized[w].second->size()) * 10 < rows;
        std::map<int64_t, int64_t> next;
        for (const auto& [id, n] : holders(tx, *sized[w].second, look_up ? &ids : nullptr))
            if (auto it = held.find(id); it != held.end()) next[id] = it->second + n;
        held = std::move(next);
    }
    std::vector<std::pair<int64_t, int64_t>> ranked(held.begin(), held.end());
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    std::vector<int64_t> out;
    for (size_t i = 0; i < ranked.size() && i < limit; ++i) out.push_back(ranked[i].first);
    return out;
}

// ---- Consents ----

void insert_consent(Tx& tx, int64_t id, int64_t person_id, const std::string& sealed_record, int64_t recorded_by, int64_t at) {
    tx.exec("INSERT INTO consents (id, person_id, record, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5)",
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

void count_arrival(Tx& tx, int64_t site_id, const std::string& month) {
    tx.exec(
        "INSERT INTO arrivals (site_id, month, people) VALUES ($1, $2, 1) "
        "ON CONFLICT (site_id, month) DO UPDATE SET people = arrivals.people + 1",
        {site_id, month});
}

std::vector<std::pair<std::string, int64_t>> arrivals(Tx& tx, int64_t site_id, int64_t months) {
    return rows_as(tx.query("SELECT month, people FROM arrivals WHERE site_id = $1 ORDER BY month DESC LIMIT $2", {site_id, months}),
                   [](const Row& r) {
                       return std::pair<std::string, int64_t>{r.text(0), r.integer(1)};
                   });
}

}  // namespace haven::people::store
