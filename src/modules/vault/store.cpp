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

}  // namespace haven::vault::store
