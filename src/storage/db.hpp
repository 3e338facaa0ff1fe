// The storage interface every module uses. One SQL text serves both engines: placeholders are $1..$n
// (bound by name on SQLite), timestamps are epoch milliseconds in INTEGER/BIGINT columns.
// Modules never include sqlite3.h or libpq-fe.h.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "core/result.hpp"

namespace haven::storage {

struct Blob {
    std::vector<unsigned char> bytes;
    bool operator==(const Blob&) const = default;
    static Blob of(std::string_view s) { return Blob{{s.begin(), s.end()}}; }
    std::string str() const { return std::string(bytes.begin(), bytes.end()); }
};

using Value = std::variant<std::nullptr_t, int64_t, double, std::string, Blob>;
using Params = std::vector<Value>;

struct Row {
    std::vector<Value> values;

    bool is_null(size_t i) const { return std::holds_alternative<std::nullptr_t>(values.at(i)); }
    int64_t integer(size_t i) const;  // throws DbError if the column is not an integer
    double real(size_t i) const;
    const std::string& text(size_t i) const;
    const Blob& blob(size_t i) const;
};
using Rows = std::vector<Row>;

// For stores, which turn rows into named members: every row read by `from`, and the first column of the first row
// as an integer (nullopt when there is no row or it is NULL, as MAX over no rows is).
template <class F>
auto rows_as(const Rows& rows, F&& from) {
    std::vector<std::decay_t<std::invoke_result_t<F&, const Row&>>> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(from(r));
    return out;
}
std::optional<int64_t> integer_of(const Rows& rows);

// Broken infrastructure or a broken statement. Its message never holds a bound value (SQLite's
// messages name columns only; for PostgreSQL we keep the primary message and SQLSTATE, never DETAIL).
class DbError : public std::runtime_error {
public:
    enum class Kind {
        constraint,   // a constraint refused the write, or a concurrent one did (PostgreSQL's deadlocks): try again
        unavailable,  // the database cannot be reached or the transaction could not be committed
        other
    };
    DbError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    Kind kind() const { return kind_; }

private:
    Kind kind_;
};

// One transaction, handed to the function given to Database::write or Database::read.
class Tx {
public:
    virtual ~Tx() = default;
    virtual Rows query(std::string_view sql, const Params& params = {}) = 0;
    // The same for a statement whose best plan depends on its values — a lookup of name-index values, some borne
    // by thousands and some by one: on PostgreSQL planned for the values given every time, never from the plan
    // PostgreSQL may settle on for a prepared statement after five runs (thirty times slower for such searches).
    virtual Rows query_per_values(std::string_view sql, const Params& params = {}) { return query(sql, params); }
    // Returns the number of rows changed.
    virtual int64_t exec(std::string_view sql, const Params& params = {}) = 0;
    // The same when nobody needs the count: on PostgreSQL, inside a write, it is sent with the transaction's next
    // statement or with the end of the write — one round trip fewer each. Its failure fails the write all the same,
    // only later: never where the caller catches a DbError to go on.
    virtual void exec_later(std::string_view sql, const Params& params = {}) { (void)exec(sql, params); }
    // Several statements, no parameters (migrations).
    virtual void exec_script(std::string_view sql) = 0;
    // The most rows one multi-row INSERT should carry (storage::rows_per_insert): on PostgreSQL many, each
    // statement costing a round trip; on SQLite one — in process, binding a long statement's parameters costs more
    // than running short ones (an import of 20,000 people took 2.9 s instead of 1.6 s).
    virtual size_t rows_per_insert() const { return 1; }
};

struct DbStats {
    int64_t pool_size = 0;  // reader connections (SQLite) or connections (PostgreSQL)
    int64_t pool_in_use = 0;
    int64_t write_queue = 0;  // writes waiting for the SQLite writer
    int64_t commits = 0;      // transactions committed (a group counts once)
    int64_t writes = 0;       // write() calls that succeeded
};

struct DbOptions {
    int pool_size = 4;
    bool group_commit = true;  // false gives one transaction and one fsync per write() (storage/group_commit.hpp)
    int max_batch = 256;       // writes that may share one commit
};

class Database {
public:
    virtual ~Database() = default;
    virtual std::string engine() const = 0;  // "sqlite" or "postgres"

    // Runs `fn` in a transaction and returns only once the commit is durable. If `fn` returns an error
    // (or throws), its changes are rolled back and the error (or exception) is passed on.
    virtual Status write(const std::function<Status(Tx&)>& fn) = 0;
    // Runs `fn` in a read-only snapshot.
    virtual void read(const std::function<void(Tx&)>& fn) = 0;

    // The same, handing back what `fn` returns: `db.read<Course>([&](Tx& tx) { return store::course(tx, id); })`.
    // An error `fn` returns rolls its write back and is returned as it is (its detail included).
    template <class T>
    Result<T> write(const std::function<Result<T>(Tx&)>& fn);
    template <class T>
    Result<T> read(const std::function<Result<T>(Tx&)>& fn);
    // One statement in its own read snapshot.
    Rows query(std::string_view sql, const Params& params = {});

    virtual DbStats stats() const = 0;

    // After many rows landed at once (a restore, a copy, a long import): on PostgreSQL the planner's statistics of
    // `tables` (every table if none) are gathered now, not by autovacuum a minute later — until then a query is
    // planned from what the tables held before. Best effort: a failure is logged, not thrown (the rows have landed).
    // SQLite: nothing (its planner keeps no statistics unless asked; Haven's queries are written for it without).
    virtual void analyze(const std::vector<std::string>& tables = {}) { (void)tables; }

    // Moves everything written into the main database files and empties the write-ahead log, so that
    // deleted values do not linger there (SQLite: wal_checkpoint(TRUNCATE) with secure_delete; PostgreSQL:
    // CHECKPOINT). Used after erasure.
    virtual void checkpoint() = 0;
    // After an erasure: drops what the engine keeps of deleted rows where that is cheap — SQLite: the same
    // checkpoint (the WAL is truncated; secure_delete has zeroed the pages). PostgreSQL: nothing; a CHECKPOINT
    // flushes the whole buffer pool (seconds under load, for any coordinator's click) and would not remove the
    // WAL's copies anyway (docs/SECURITY.md, erasure).
    virtual void purge_deleted() = 0;
};

// Wake-ups across processes (several `haven serve` on one PostgreSQL, docs/OPERATIONS.md): `announce(db, tx, channel)`
// reaches, once `tx` commits, every process listening on `channel` — this one included (PostgreSQL's NOTIFY). A
// `Listener` holds one connection of its own for LISTEN and calls `heard(channel)` on its thread; `listen` returns
// once it listens (at most 5 s). After losing the connection it reconnects within a second and calls `heard("")`:
// what was announced meanwhile was missed, look again. SQLite serves one process: announce does nothing and listen
// returns nullptr. Channels: lower-case letters and '_'.
void announce(Database& db, Tx& tx, std::string_view channel);
class Listener {
public:
    virtual ~Listener() = default;
};
std::unique_ptr<Listener> listen(const std::string& url, const std::vector<std::string>& channels,
                                 std::function<void(const std::string& channel)> heard);

template <class T>
Result<T> Database::write(const std::function<Result<T>(Tx&)>& fn) {
    if constexpr (std::is_void_v<T>) {
        return write(std::function<Status(Tx&)>(fn));
    } else {
        std::optional<T> out;  // T need not have a default value
        Status s = write(std::function<Status(Tx&)>([&](Tx& tx) -> Status {
            auto r = fn(tx);
            if (!r) return r.error();
            out.emplace(std::move(r).value());
            return {};
        }));
        if (!s) return s.error();
        return std::move(*out);
    }
}

template <class T>
Result<T> Database::read(const std::function<Result<T>(Tx&)>& fn) {
    std::optional<Result<T>> out;  // Result<T> has no default value
    read(std::function<void(Tx&)>([&](Tx& tx) { out.emplace(fn(tx)); }));
    return std::move(*out);
}

// Opens "sqlite:PATH" or "postgresql://...". Verifies the engine settings Haven relies on and throws
// DbError when they do not hold.
std::unique_ptr<Database> open_database(const std::string& url, const DbOptions& options = {});

}  // namespace haven::storage
