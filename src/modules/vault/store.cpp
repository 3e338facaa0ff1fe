#include "modules/vault/store.hpp"

namespace haven::vault::store {

std::vector<SealedValue> sealed_values(Tx& tx, const std::string& table, const std::string& column, int64_t after_id, int64_t limit) {
    return storage::rows_as(
        tx.query("SELECT id, " + column + " FROM " + table + " WHERE " + column + " IS NOT NULL AND id > $1 ORDER BY id LIMIT $2", {after_id, limit}),
        [](const storage::Row& r) {
            const auto& bytes = r.blob(1).bytes;
            return SealedValue{r.integer(0), std::string(bytes.begin(), bytes.end())};
        });
}

void replace_sealed(Tx& tx, const std::string& table, const std::string& column, int64_t id, const std::string& fresh, const std::string& old) {
    tx.exec("UPDATE " + table + " SET " + column + " = $1 WHERE id = $2 AND " + column + " = $3",
            {storage::Blob{{fresh.begin(), fresh.end()}}, id, storage::Blob{{old.begin(), old.end()}}});
}

std::optional<SourceCount> source_count(Tx& tx, const std::string& source) {
    auto rows = tx.query("SELECT failures, next_allowed_at, last_failure_at FROM vault_unseal_sources WHERE source = $1", {source});
    if (rows.empty()) return std::nullopt;
    return SourceCount{int(rows[0].integer(0)), rows[0].integer(1), rows[0].integer(2)};
}

void save_source_count(Tx& tx, const std::string& source, const SourceCount& count) {
    tx.exec(
        "INSERT INTO vault_unseal_sources (source, failures, next_allowed_at, last_failure_at) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (source) DO UPDATE SET failures = excluded.failures, next_allowed_at = excluded.next_allowed_at, "
        "last_failure_at = excluded.last_failure_at",
        {source, int64_t(count.failures), count.next_allowed_ms, count.last_failure_ms});
}

int64_t recent_sources(Tx& tx, const std::string& except, int64_t since) {
    return storage::integer_of(tx.query("SELECT COUNT(*) FROM vault_unseal_sources WHERE source <> $1 AND last_failure_at >= $2", {except, since}))
        .value_or(0);
}

void forget_sources_before(Tx& tx, int64_t before) { tx.exec("DELETE FROM vault_unseal_sources WHERE last_failure_at < $1", {before}); }

void forget_all_sources(Tx& tx) { tx.exec("DELETE FROM vault_unseal_sources"); }

int64_t sources_but(Tx& tx, const std::string& except) {
    return storage::integer_of(tx.query("SELECT COUNT(*) FROM vault_unseal_sources WHERE source <> $1", {except})).value_or(0);
}

}  // namespace haven::vault::store
