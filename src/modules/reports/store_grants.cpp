// Funders' and grants' SQL (migration 0022); see store.hpp.
#include "modules/reports/store.hpp"

namespace haven::reports::store {

using storage::Blob;
using storage::Row;
using storage::rows_as;

namespace {
constexpr const char* funder_columns = "SELECT id, site_id, created_at, record FROM funders ";
StoredFunder funder_from(const Row& r) { return {r.integer(0), r.integer(1), r.integer(2), r.blob(3).str()}; }

constexpr const char* grant_columns =
    "SELECT id, site_id, funder_id, amount_minor, created_at, updated_at, status, currency, starts, ends, restricted, record FROM grants ";
StoredGrant grant_from(const Row& r) {
    return {r.integer(0), r.integer(1), r.integer(2), r.integer(3), r.integer(4),       r.integer(5),
            r.text(6),    r.text(7),    r.text(8),    r.text(9),    r.integer(10) != 0, r.blob(11).str()};
}
}  // namespace

void insert_funder(Tx& tx, const StoredFunder& f) {
    tx.exec("INSERT INTO funders (id, site_id, record, created_at) VALUES ($1, $2, $3, $4)", {f.id, f.site_id, Blob::of(f.record), f.created_at});
}

std::optional<StoredFunder> funder(Tx& tx, int64_t id) {
    auto rows = tx.query(std::string(funder_columns) + "WHERE id = $1", {id});
    if (rows.empty()) return std::nullopt;
    return funder_from(rows.front());
}

std::vector<StoredFunder> funders_of(Tx& tx, int64_t site_id) {
    return rows_as(tx.query(std::string(funder_columns) + "WHERE site_id = $1 ORDER BY created_at, id", {site_id}), funder_from);
}

void insert_grant(Tx& tx, const StoredGrant& g) {
    tx.exec(
        "INSERT INTO grants (id, site_id, funder_id, status, currency, amount_minor, starts, ends, restricted, record, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
        {g.id, g.site_id, g.funder_id, g.status, g.currency, g.amount_minor, g.starts, g.ends, int64_t(g.restricted), Blob::of(g.record),
         g.created_at});
}

void update_grant(Tx& tx, const StoredGrant& g) {
    tx.exec(
        "UPDATE grants SET funder_id = $1, status = $2, currency = $3, amount_minor = $4, starts = $5, ends = $6, restricted = $7, record = $8, "
        "updated_at = $9 WHERE id = $10",
        {g.funder_id, g.status, g.currency, g.amount_minor, g.starts, g.ends, int64_t(g.restricted), Blob::of(g.record), g.updated_at, g.id});
}

std::optional<StoredGrant> locked_grant(Tx& tx, int64_t id) {
    tx.exec("UPDATE grants SET updated_at = updated_at WHERE id = $1", {id});
    return grant(tx, id);
}

std::optional<StoredGrant> grant(Tx& tx, int64_t id) {
    auto rows = tx.query(std::string(grant_columns) + "WHERE id = $1", {id});
    if (rows.empty()) return std::nullopt;
    return grant_from(rows.front());
}

std::vector<StoredGrant> grants_of(Tx& tx, int64_t site_id) {
    return rows_as(tx.query(std::string(grant_columns) + "WHERE site_id = $1 ORDER BY starts DESC, id", {site_id}), grant_from);
}

}  // namespace haven::reports::store
