#include "storage/db.hpp"

#include <stdexcept>

#include "storage/postgres/listener.hpp"
#include "storage/postgres/postgres_db.hpp"
#include "storage/sqlite/sqlite_db.hpp"

namespace haven::storage {
namespace {
const char* type_name(const Value& v) {
    switch (v.index()) {
        case 0: return "null";
        case 1: return "integer";
        case 2: return "real";
        case 3: return "text";
        default: return "blob";
    }
}
template <class T>
const T& get(const Row& row, size_t i, const char* wanted) {
    const Value& v = row.values.at(i);
    if (auto* p = std::get_if<T>(&v)) return *p;
    throw DbError(DbError::Kind::other, std::string("column ") + std::to_string(i) + " is " + type_name(v) + ", not " + wanted);
}
}  // namespace

int64_t Row::integer(size_t i) const { return get<int64_t>(*this, i, "integer"); }
double Row::real(size_t i) const {
    if (auto* p = std::get_if<int64_t>(&values.at(i))) return double(*p);
    return get<double>(*this, i, "real");
}
const std::string& Row::text(size_t i) const { return get<std::string>(*this, i, "text"); }
const Blob& Row::blob(size_t i) const { return get<Blob>(*this, i, "blob"); }

std::optional<int64_t> integer_of(const Rows& rows) {
    if (rows.empty() || rows[0].is_null(0)) return std::nullopt;
    return rows[0].integer(0);
}

Rows Database::query(std::string_view sql, const Params& params) {
    Rows rows;
    read([&](Tx& tx) { rows = tx.query(sql, params); });
    return rows;
}

void announce(Database& db, Tx& tx, std::string_view channel) {
    if (db.engine() == "postgres") tx.query("SELECT pg_notify($1, '')", {std::string(channel)});
}

std::unique_ptr<Listener> listen(const std::string& url, const std::vector<std::string>& channels,
                                 std::function<void(const std::string& channel)> heard) {
    if (url.rfind("sqlite:", 0) == 0) return nullptr;
    for (const auto& c : channels)
        if (c.empty() || c.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") != std::string::npos)
            throw std::logic_error("a channel is lower-case letters and '_': " + c);
    return listen_postgres(url, channels, std::move(heard));
}

std::unique_ptr<Database> open_database(const std::string& url, const DbOptions& options) {
    if (url.rfind("sqlite:", 0) == 0) return open_sqlite(url.substr(7), options);
    if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) return open_postgres(url, options);
    throw DbError(DbError::Kind::other, "database URL must start with sqlite: or postgresql://");
}

}  // namespace haven::storage
