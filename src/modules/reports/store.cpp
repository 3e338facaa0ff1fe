#include "modules/reports/store.hpp"

#include <map>
#include <set>
#include <tuple>

namespace haven::reports::store {

using storage::Blob;
using storage::integer_of;
using storage::Row;
using storage::rows_as;

namespace {

// Where each indicator counts from: the rows (FROM … WHERE …, the WHERE ending in AND or empty), the site and the
// instant that place a row in a site and a month, and what is summed. Every statement joins a table of months
// made from numbers, so one statement per indicator serves any period, on both engines.
struct Source {
    const char* from;   // "FROM cases x"
    const char* where;  // "x.status = 'closed' AND ", or ""
    const char* site;   // "x.site_id"; "0" for the whole network
    const char* at;     // "x.created_at", epoch ms
    const char* value;  // "COUNT(*)"
};

const std::map<std::string_view, std::vector<Source>>& sources() {
    static const std::map<std::string_view, std::vector<Source>> s = {
        {"people_new", {{"FROM people x", "", "x.site_id", "x.created_at", "COUNT(*)"}}},
        {"course_enrolments", {{"FROM course_enrolments x JOIN courses c ON c.id = x.course_id", "", "c.site_id", "x.since", "COUNT(*)"}}},
        {"course_attendance",
         {{"FROM attendance x JOIN course_sessions s ON s.id = x.session_id JOIN courses c ON c.id = s.course_id", "x.present = 1 AND ", "c.site_id",
           "s.start_at", "COUNT(*)"}}},
        {"cases_opened", {{"FROM cases x", "", "x.site_id", "x.created_at", "COUNT(*)"}}},
        {"cases_closed", {{"FROM cases x", "", "x.site_id", "x.closed_at", "COUNT(*)"}}},
        {"counselling_opened", {{"FROM counselling x", "", "x.site_id", "x.opened_at", "COUNT(*)"}}},
        // Studio booked (not cancelled), in ms: counts() rounds it to hours per month and site.
        {"studio_hours",
         {{"FROM bookings x JOIN spaces s ON s.id = x.space_id", "s.kind = 'studio' AND x.cancelled_at IS NULL AND ", "s.site_id", "x.start_at",
           "CAST(SUM(x.end_at - x.start_at) AS BIGINT)"}}},
        // People checked in at events, and the headcounts of events without registration.
        {"event_attendance",
         {{"FROM registrations x JOIN events e ON e.id = x.event_id", "x.checked_in_at IS NOT NULL AND ", "e.site_id", "e.start_at", "COUNT(*)"},
          {"FROM headcounts x JOIN events e ON e.id = x.event_id", "", "e.site_id", "e.start_at", "CAST(SUM(x.count) AS BIGINT)"}}},
        {"requests_done", {{"FROM help_requests x", "x.status = 'done' AND ", "x.site_id", "x.created_at", "COUNT(*)"}}},
        {"letters_sent",
         {{"FROM letters x", "x.status IN ('sent', 'delivered', 'returned', 'withheld', 'answered') AND ", "x.site_id", "x.sent_at", "COUNT(*)"}}},
        {"letters_answered", {{"FROM letters x", "x.status = 'answered' AND ", "x.site_id", "x.sent_at", "COUNT(*)"}}},
        {"donations", {{"FROM fund_ledger x JOIN funds f ON f.id = x.fund_id", "x.kind = 'donation' AND ", "f.site_id", "x.at", "COUNT(*)"}}},
        {"disbursements", {{"FROM fund_ledger x JOIN funds f ON f.id = x.fund_id", "x.kind = 'disbursement' AND ", "f.site_id", "x.at", "COUNT(*)"}}},
        {"network_activations", {{"FROM network_activations x", "x.published_at IS NOT NULL AND ", "0", "x.published_at", "COUNT(*)"}}},
    };
    return s;
}

// WITH bucket_month (k, lo, hi, d0, d1) AS (VALUES (0, 1798761600000, 1801440000000, '2027-01-01', '2027-01-31'), …),
// bucket_site (id) AS (VALUES (…), …): one row per month (its instants and its days), one per site (names no source's
// alias can shadow).
std::string buckets(const std::vector<Month>& months, const std::vector<int64_t>& sites) {
    std::string out = "WITH bucket_month (k, lo, hi, d0, d1) AS (VALUES ";
    for (size_t i = 0; i < months.size(); ++i) {
        // Days are made by the caller from numbers ("2027-01-01"): digits and dashes only, so quoting is safe.
        out += (i ? ", (" : "(") + std::to_string(i) + ", " + std::to_string(months[i].start_ms) + ", " + std::to_string(months[i].end_ms) + ", '" +
               months[i].first_day + "', '" + months[i].last_day + "')";
    }
    out += "), bucket_site (id) AS (VALUES ";
    for (size_t i = 0; i < sites.size(); ++i) out += (i ? ", (" : "(") + std::to_string(sites[i]) + ")";
    return out + ") ";
}

void add_count(std::vector<Count>& out, int64_t site, size_t month, int64_t value) {
    for (auto& c : out)
        if (c.site_id == site && c.month == month) {
            c.value += value;
            return;
        }
    out.push_back({site, month, value});
}

void add(std::vector<Count>& out, const storage::Rows& rows) {
    for (const Row& r : rows) add_count(out, r.integer(0), size_t(r.integer(1)), r.is_null(2) ? 0 : r.integer(2));
}

}  // namespace

// One count per site and month, each a correlated subquery that the index on (site, instant) answers by a range:
// a GROUP BY over a join with the months visited every row through a temporary B-tree, ten times slower.
std::vector<Count> counts(Tx& tx, std::string_view indicator, const std::vector<int64_t>& sites, const std::vector<Month>& months) {
    std::vector<Count> out;
    if (months.empty() || sites.empty()) return out;
    if (indicator == "desk_months") {  // a desk held for any day of a month counts one desk-month
        add(out, tx.query(buckets(months, sites) +
                          "SELECT bucket_site.id, bucket_month.k, (SELECT COUNT(*) FROM desk_allocations x JOIN spaces p ON p.id = x.space_id "
                          "WHERE p.site_id = bucket_site.id AND x.from_date <= bucket_month.d1 AND x.to_date >= bucket_month.d0) FROM bucket_site, "
                          "bucket_month"));
        return out;
    }
    if (indicator == "people_returning") {  // people registered before the month and served in it, each once
        auto served = [&](const std::string& from, const std::string& where, const std::string& at) {
            const std::string when = at.empty() ? "x.from_date <= bucket_month.d1 AND x.to_date >= bucket_month.d0"
                                                : at + " >= bucket_month.lo AND " + at + " < bucket_month.hi";
            return tx.query(buckets(months, sites) + "SELECT DISTINCT bucket_site.id, bucket_month.k, p.id FROM bucket_site, bucket_month, " + from +
                            " WHERE " + where + when + " AND p.created_at < bucket_month.lo");
        };
        const storage::Rows found[] = {
            served("cases x JOIN people p ON p.id = x.person_id", "x.site_id = bucket_site.id AND ", "x.created_at"),
            served("counselling x JOIN people p ON p.id = x.person_id", "x.site_id = bucket_site.id AND ", "x.opened_at"),
            served("help_requests x JOIN people p ON p.id = x.person_id", "x.site_id = bucket_site.id AND ", "x.created_at"),
            served("attendance x JOIN course_sessions s ON s.id = x.session_id JOIN courses c ON c.id = s.course_id JOIN course_enrolments e ON "
                   "e.id = x.enrolment_id JOIN people p ON p.id = e.person_id",
                   "x.present = 1 AND c.site_id = bucket_site.id AND ", "s.start_at"),
            served("registrations x JOIN events e ON e.id = x.event_id JOIN people p ON p.id = x.person_id",
                   "x.checked_in_at IS NOT NULL AND e.site_id = bucket_site.id AND ", "e.start_at"),
            served("desk_allocations x JOIN spaces s ON s.id = x.space_id JOIN people p ON p.id = x.person_id", "s.site_id = bucket_site.id AND ",
                   ""),
        };
        std::set<std::tuple<int64_t, int64_t, int64_t>> seen;  // site, month, person
        for (const auto& rows : found)
            for (const Row& r : rows) seen.emplace(r.integer(0), r.integer(1), r.integer(2));
        for (const auto& [site, month, person] : seen) {
            (void)person;
            add_count(out, site, size_t(month), 1);
        }
        return out;
    }
    const auto found = sources().find(indicator);
    if (found == sources().end()) return out;
    for (const Source& source : found->second) {
        const std::string site = source.site, at = source.at;
        const bool network = site == "0";
        add(out, tx.query(buckets(months, network ? std::vector<int64_t>{0} : sites) + "SELECT bucket_site.id, bucket_month.k, (SELECT " +
                          source.value + " " + source.from + " WHERE " + source.where + (network ? "" : site + " = bucket_site.id AND ") + at +
                          " >= bucket_month.lo AND " + at + " < bucket_month.hi) FROM bucket_site, bucket_month"));
    }
    if (indicator == "studio_hours")
        for (auto& c : out) c.value = (c.value + 1800000) / 3600000;
    return out;
}

namespace {
constexpr const char* release_columns =
    "SELECT id, site_id, state, body, prepared_by, prepared_at, decided_by, decided_at, grant_id FROM report_releases ";
StoredRelease release_from(const Row& r) {
    return {r.integer(0),
            r.integer(1),
            r.integer(4),
            r.integer(5),
            r.is_null(6) ? 0 : r.integer(6),
            r.is_null(7) ? 0 : r.integer(7),
            r.text(2),
            r.blob(3).str(),
            r.is_null(8) ? 0 : r.integer(8)};
}
}  // namespace

void insert_release(Tx& tx, const StoredRelease& r, const std::vector<int64_t>& sites) {
    tx.exec("INSERT INTO report_releases (id, site_id, state, body, prepared_by, prepared_at, grant_id) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            {r.id, r.site_id, r.state, Blob::of(r.body), r.prepared_by, r.prepared_at,
             r.grant_id ? storage::Value(r.grant_id) : storage::Value(nullptr)});
    for (int64_t site : sites) tx.exec("INSERT INTO report_sites (report_id, site_id) VALUES ($1, $2)", {r.id, site});
}

std::optional<StoredRelease> release(Tx& tx, int64_t id) {
    auto rows = tx.query(std::string(release_columns) + "WHERE id = $1", {id});
    if (rows.empty()) return std::nullopt;
    return release_from(rows.front());
}

std::vector<int64_t> sites_of(Tx& tx, int64_t report_id) {
    return rows_as(tx.query("SELECT site_id FROM report_sites WHERE report_id = $1 ORDER BY site_id", {report_id}),
                   [](const Row& r) { return r.integer(0); });
}

std::vector<StoredRelease> releases_at(Tx& tx, int64_t site_id, size_t limit) {
    return rows_as(tx.query(std::string(release_columns) +
                                "WHERE id IN (SELECT report_id FROM report_sites WHERE site_id = $1) ORDER BY prepared_at DESC, id LIMIT $2",
                            {site_id, int64_t(limit)}),
                   release_from);
}

std::vector<std::pair<int64_t, std::string>> report_states(Tx& tx) {
    return rows_as(tx.query("SELECT id, state FROM report_releases ORDER BY prepared_at, id"), [](const Row& r) {
        return std::pair<int64_t, std::string>{r.integer(0), r.text(1)};
    });
}

bool decide(Tx& tx, int64_t id, std::string_view state, int64_t by, int64_t at) {
    return tx.exec("UPDATE report_releases SET state = $1, decided_by = $2, decided_at = $3 WHERE id = $4 AND state = 'prepared'",
                   {std::string(state), by, at, id}) == 1;
}

std::vector<StoredRelease> released_for(Tx& tx, int64_t grant_id) {
    return rows_as(tx.query(std::string(release_columns) + "WHERE grant_id = $1 AND state = 'released' ORDER BY prepared_at, id", {grant_id}),
                   release_from);
}

int64_t prepared_since(Tx& tx, int64_t account, int64_t since) {
    return integer_of(tx.query("SELECT COUNT(*) FROM report_releases WHERE prepared_by = $1 AND prepared_at >= $2", {account, since})).value_or(0);
}

int64_t reports_prepared(Tx& tx) { return tx.query("SELECT releases FROM report_release_head WHERE id = 1").at(0).integer(0); }

int64_t lock_releases(Tx& tx) {
    tx.exec("UPDATE report_release_head SET releases = releases + 1 WHERE id = 1");
    return reports_prepared(tx);
}

std::vector<int64_t> all_sites(Tx& tx) {
    return rows_as(tx.query("SELECT id FROM sites ORDER BY id"), [](const Row& r) { return r.integer(0); });
}

}  // namespace haven::reports::store
