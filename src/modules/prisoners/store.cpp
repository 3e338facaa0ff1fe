#include "modules/prisoners/store.hpp"

namespace haven::prisoners::store {

using storage::Blob;
using storage::Row;
using storage::rows_as;

namespace {

constexpr const char* entry_columns =
    "SELECT seq, fund_id, at, value_date, kind, amount_minor, currency, channel, risk, party, reverses, recorded_by, prev_hash, hash, signature, "
    "number "
    "FROM fund_ledger ";

Entry entry_from(const Row& r) {
    Entry e;
    e.seq = r.integer(0);
    e.fund_id = r.integer(1);
    e.at = r.integer(2);
    e.value_date = r.text(3);
    e.kind = r.text(4);
    e.amount_minor = r.integer(5);
    e.currency = r.text(6);
    e.channel = r.text(7);
    e.risk = r.text(8);
    e.party = r.integer(9);
    e.reverses = r.integer(10);
    e.recorded_by = r.text(11);
    e.prev_hash = r.text(12);
    e.hash = r.text(13);
    e.signature = r.text(14);
    e.number = r.integer(15);
    return e;
}

StoredFund fund_from(const Row& r) { return {r.integer(0), r.integer(1), r.integer(3), r.integer(4), r.text(2), r.blob(5).str()}; }

constexpr const char* fund_columns = "SELECT id, site_id, currency, goal_minor, created_at, record FROM funds ";

Balance balance_from(const Row& r) { return {r.text(0), r.integer(1), r.integer(2)}; }

}  // namespace

void insert_fund(Tx& tx, const StoredFund& f) {
    tx.exec("INSERT INTO funds (id, site_id, record, currency, goal_minor, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            {f.id, f.site_id, Blob::of(f.record), f.currency, f.goal_minor, f.created_at});
}

std::optional<StoredFund> fund(Tx& tx, int64_t id) {
    auto rows = rows_as(tx.query(std::string(fund_columns) + "WHERE id = $1", {id}), fund_from);
    if (rows.empty()) return std::nullopt;
    return rows[0];
}

std::vector<StoredFund> funds_of(Tx& tx, int64_t site_id) {
    return rows_as(tx.query(std::string(fund_columns) + "WHERE site_id = $1 ORDER BY created_at, id", {site_id}), fund_from);
}

std::vector<Balance> balances(Tx& tx, int64_t fund_id) {
    return rows_as(tx.query("SELECT currency, balance_minor, entries FROM fund_balances WHERE fund_id = $1 ORDER BY currency", {fund_id}),
                   balance_from);
}

std::optional<Balance> balance(Tx& tx, int64_t fund_id, const std::string& currency) {
    auto rows =
        rows_as(tx.query("SELECT currency, balance_minor, entries FROM fund_balances WHERE fund_id = $1 AND currency = $2", {fund_id, currency}),
                balance_from);
    if (rows.empty()) return std::nullopt;
    return rows[0];
}

Head advance_head(Tx& tx) {
    auto rows = tx.query("UPDATE fund_ledger_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash");
    if (rows.empty()) throw storage::DbError(storage::DbError::Kind::other, "fund_ledger_head is missing");
    return {rows[0].integer(0), rows[0].text(1)};
}

std::optional<Head> head(Tx& tx) {
    auto rows = tx.query("SELECT seq, hash FROM fund_ledger_head WHERE id = 1");
    if (rows.empty()) return std::nullopt;
    return Head{rows[0].integer(0), rows[0].text(1)};
}

void append(Tx& tx, const Entry& e) {
    tx.exec_later(
        "INSERT INTO fund_ledger (seq, fund_id, number, at, value_date, kind, amount_minor, currency, channel, risk, party, reverses, "
        "recorded_by, prev_hash, hash, signature) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        {e.seq, e.fund_id, e.number, e.at, e.value_date, e.kind, e.amount_minor, e.currency, e.channel, e.risk, e.party, e.reverses, e.recorded_by,
         e.prev_hash, e.hash, e.signature});
    tx.exec_later("UPDATE fund_ledger_head SET hash = $1 WHERE id = 1", {e.hash});
    tx.exec_later(
        "INSERT INTO fund_balances (fund_id, currency, balance_minor, entries) VALUES ($1, $2, $3, 1) "
        "ON CONFLICT (fund_id, currency) DO UPDATE SET balance_minor = fund_balances.balance_minor + excluded.balance_minor, "
        "entries = fund_balances.entries + 1",
        {e.fund_id, e.currency, e.amount_minor});
}

std::optional<Entry> entry(Tx& tx, int64_t fund_id, int64_t number) {
    auto rows = rows_as(tx.query(std::string(entry_columns) + "WHERE fund_id = $1 AND number = $2", {fund_id, number}), entry_from);
    if (rows.empty()) return std::nullopt;
    return rows[0];
}

std::optional<Landing> landing(Tx& tx, int64_t fund_id, const std::string& currency) {
    auto rows = tx.query(
        "SELECT f.site_id, COALESCE((SELECT balance_minor FROM fund_balances WHERE fund_id = f.id AND currency = $2), 0), "
        "COALESCE((SELECT MAX(number) FROM fund_ledger WHERE fund_id = f.id), 0) + 1 FROM funds f WHERE f.id = $1",
        {fund_id, currency});
    if (rows.empty()) return std::nullopt;
    return Landing{rows[0].integer(0), rows[0].integer(1), rows[0].integer(2)};
}

bool reversed(Tx& tx, int64_t fund_id, int64_t number) {
    return !tx.query("SELECT seq FROM fund_ledger WHERE fund_id = $1 AND reverses = $2", {fund_id, number}).empty();
}

std::vector<Entry> entries_after(Tx& tx, int64_t seq, int64_t limit) {
    return rows_as(tx.query(std::string(entry_columns) + "WHERE seq > $1 ORDER BY seq LIMIT $2", {seq, limit}), entry_from);
}

std::vector<Entry> entries_of(Tx& tx, int64_t fund_id, int64_t after, int64_t limit) {
    return rows_as(tx.query(std::string(entry_columns) + "WHERE fund_id = $1 AND number > $2 ORDER BY number LIMIT $3", {fund_id, after, limit}),
                   entry_from);
}

std::vector<Entry> newest(Tx& tx, int64_t fund_id, int64_t limit) {
    return rows_as(tx.query(std::string(entry_columns) + "WHERE fund_id = $1 ORDER BY number DESC LIMIT $2", {fund_id, limit}), entry_from);
}

std::optional<Entry> last_entry(Tx& tx) {
    auto rows = rows_as(tx.query(std::string(entry_columns) + "ORDER BY seq DESC LIMIT 1"), entry_from);
    if (rows.empty()) return std::nullopt;
    return rows[0];
}

std::vector<std::pair<std::pair<int64_t, std::string>, Balance>> all_balances(Tx& tx) {
    return rows_as(tx.query("SELECT fund_id, currency, balance_minor, entries FROM fund_balances ORDER BY fund_id, currency"), [](const Row& r) {
        return std::pair{std::pair{r.integer(0), r.text(1)}, Balance{r.text(1), r.integer(2), r.integer(3)}};
    });
}

void insert_party(Tx& tx, int64_t id, int64_t fund_id, const std::string& sealed_identity, int64_t at) {
    tx.exec_later("INSERT INTO fund_parties (id, fund_id, identity, created_at) VALUES ($1, $2, $3, $4)",
                  {id, fund_id, Blob::of(sealed_identity), at});
}

std::optional<std::string> party(Tx& tx, int64_t id, int64_t fund_id) {
    auto rows = tx.query("SELECT identity FROM fund_parties WHERE id = $1 AND fund_id = $2", {id, fund_id});
    if (rows.empty()) return std::nullopt;
    return rows[0].blob(0).str();
}

bool delete_party(Tx& tx, int64_t id, int64_t fund_id) {
    return tx.exec("DELETE FROM fund_parties WHERE id = $1 AND fund_id = $2", {id, fund_id}) > 0;
}

}  // namespace haven::prisoners::store
