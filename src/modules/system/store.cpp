#include "modules/system/store.hpp"

namespace haven::system {

Status probe_insert(storage::Database& db, const ProbeWrite& w) {
    return db.write([&](storage::Tx& tx) -> Status {
        int64_t n = tx.exec("INSERT INTO write_probe (id, payload, created_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
                            {w.id, w.payload, w.created_at});
        if (n == 0) return make_error(ErrorKind::conflict, "exists", "A write with this id exists.", "id");
        return {};
    });
}

std::optional<ProbeWrite> probe_find(storage::Database& db, const std::string& id) {
    auto rows = db.query("SELECT id, payload, created_at FROM write_probe WHERE id = $1", {id});
    if (rows.empty()) return std::nullopt;
    return ProbeWrite{rows[0].text(0), rows[0].text(1), rows[0].integer(2)};
}

}  // namespace haven::system
