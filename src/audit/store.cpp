#include "audit/store.hpp"

#include <algorithm>

namespace haven::audit::store {

namespace {

constexpr const char* columns = "SELECT seq, at, actor, action, object, site_id, outcome, prev_hash, hash, signature FROM audit_log";

Stored from_row(const storage::Row& r) {
    return Stored{r.integer(0), r.integer(1), r.integer(5), r.text(2), r.text(3), r.text(4), r.text(6), r.text(7), r.text(8), r.text(9)};
}

}  // namespace

std::optional<Head> advance_head(Tx& tx) {
    auto rows = tx.query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash");
    if (rows.empty()) return std::nullopt;
    return Head{rows[0].integer(0), rows[0].text(1)};
}

void append(Tx& tx, const Stored& e) {
    tx.exec_later(
        "INSERT INTO audit_log (seq, at, actor, action, object, site_id, outcome, prev_hash, hash, signature) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        {e.seq, e.at, e.actor, e.action, e.object, e.site_id, e.outcome, e.prev_hash, e.hash, e.signature});
}

void set_head_hash(Tx& tx, const std::string& hash) { tx.exec_later("UPDATE audit_head SET hash = $1 WHERE id = 1", {hash}); }

std::optional<Head> head(Tx& tx) {
    auto rows = tx.query("SELECT seq, hash FROM audit_head WHERE id = 1");
    if (rows.empty()) return std::nullopt;
    return Head{rows[0].integer(0), rows[0].text(1)};
}

std::vector<Stored> entries_after(Tx& tx, int64_t seq, int64_t limit) {
    return storage::rows_as(tx.query(std::string(columns) + " WHERE seq > $1 ORDER BY seq LIMIT $2", {seq, limit}), from_row);
}

std::optional<Stored> last_entry(Tx& tx) {
    auto rows = tx.query(std::string(columns) + " ORDER BY seq DESC LIMIT 1");
    if (rows.empty()) return std::nullopt;
    return from_row(rows[0]);
}

std::vector<Stored> matching(Tx& tx, const Filter& f) {
    return storage::rows_as(tx.query(std::string(columns) + " WHERE ($1 = '' OR actor = $1) AND ($2 = '' OR action = $2) AND (CAST($3 AS BIGINT) = 0 "
                                                            "OR at >= CAST($3 AS BIGINT)) AND (CAST($4 AS BIGINT) = 0 OR at < CAST($4 AS BIGINT))"
                                                            " ORDER BY seq DESC LIMIT $5",
                                     {f.actor, f.action, f.from, f.to, int64_t(std::clamp(f.limit, 1, 1000))}),
                            from_row);
}

}  // namespace haven::audit::store
