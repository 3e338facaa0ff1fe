#include "storage/sqlite/sqlite_db.hpp"

#include <sqlite3.h>

#include <condition_variable>
#include <deque>
#include <exception>
#include <future>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "core/log.hpp"
#include "storage/group_commit.hpp"

namespace haven::storage {
namespace {

[[noreturn]] void fail(sqlite3* db, int rc, const char* what) {
    // sqlite3_errmsg names tables and columns, never bound values.
    std::string msg = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    int primary = rc & 0xff;
    auto kind = primary == SQLITE_CONSTRAINT ? DbError::Kind::constraint
                : (primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_IOERR || primary == SQLITE_FULL)
                    ? DbError::Kind::unavailable
                    : DbError::Kind::other;
    throw DbError(kind, msg);
}

// One connection with its prepared statements.
class Connection final : public Tx {
public:
    Connection(const std::string& path, bool writer) {
        int flags = writer ? (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) : SQLITE_OPEN_READONLY;
        flags |= SQLITE_OPEN_NOMUTEX;
        int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
        if (rc != SQLITE_OK) {
            std::string msg = "cannot open the SQLite database: " + std::string(db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
            sqlite3_close(db_);
            db_ = nullptr;
            throw DbError(DbError::Kind::unavailable, msg);
        }
        sqlite3_extended_result_codes(db_, 1);
        sqlite3_busy_timeout(db_, 5000);
    }
    ~Connection() override {
        for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
        sqlite3_close(db_);
    }

    sqlite3* handle() { return db_; }

    Rows query(std::string_view sql, const Params& params) override {
        Rows rows;
        run(sql, params, &rows);
        return rows;
    }

    int64_t exec(std::string_view sql, const Params& params) override {
        run(sql, params, nullptr);
        return sqlite3_changes64(db_);
    }

    void exec_script(std::string_view sql) override {
        std::string text(sql);
        char* err = nullptr;
        int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
        if (rc != SQLITE_OK) {
            std::string msg = err ? err : sqlite3_errstr(rc);
            sqlite3_free(err);
            throw DbError(DbError::Kind::other, "script failed: " + msg);
        }
    }

    void simple(const char* sql) {
        int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
        if (rc != SQLITE_OK) fail(db_, rc, sql);
    }

    std::string pragma(const char* name) {
        Rows r = query(std::string("PRAGMA ") + name, {});
        if (r.empty() || r[0].values.empty()) return {};
        const Value& v = r[0].values[0];
        if (auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
        if (auto* s = std::get_if<std::string>(&v)) return *s;
        return {};
    }

private:
    sqlite3_stmt* prepare(std::string_view sql) {
        auto it = statements_.find(std::string(sql));
        if (it != statements_.end()) return it->second;
        sqlite3_stmt* stmt = nullptr;
        const char* tail = nullptr;
        int rc = sqlite3_prepare_v3(db_, sql.data(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
        if (rc != SQLITE_OK) fail(db_, rc, "prepare");
        if (!stmt) throw DbError(DbError::Kind::other, "empty SQL statement");
        if (tail && tail != sql.data() + sql.size()) {
            std::string_view rest(tail, sql.data() + sql.size() - tail);
            if (rest.find_first_not_of(" \t\r\n;") != std::string_view::npos) {
                sqlite3_finalize(stmt);
                throw DbError(DbError::Kind::other, "one statement at a time (use exec_script for several)");
            }
        }
        statements_.emplace(std::string(sql), stmt);
        return stmt;
    }

    // Binds $1..$n by name, as the SQL is shared with PostgreSQL.
    void bind(sqlite3_stmt* stmt, const Params& params) {
        int used = 0;
        for (size_t k = 0; k < params.size(); ++k) {
            std::string name = "$" + std::to_string(k + 1);
            int idx = sqlite3_bind_parameter_index(stmt, name.c_str());
            if (idx == 0) throw DbError(DbError::Kind::other, "SQL does not use parameter " + name);
            ++used;
            const Value& v = params[k];
            int rc = SQLITE_OK;
            switch (v.index()) {
                case 0: rc = sqlite3_bind_null(stmt, idx); break;
                case 1: rc = sqlite3_bind_int64(stmt, idx, std::get<int64_t>(v)); break;
                case 2: rc = sqlite3_bind_double(stmt, idx, std::get<double>(v)); break;
                case 3: {
                    const auto& s = std::get<std::string>(v);
                    rc = sqlite3_bind_text64(stmt, idx, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
                    break;
                }
                case 4: {
                    const auto& b = std::get<Blob>(v).bytes;
                    rc = sqlite3_bind_blob64(stmt, idx, b.data(), b.size(), SQLITE_TRANSIENT);
                    break;
                }
            }
            if (rc != SQLITE_OK) fail(db_, rc, "bind");
        }
        if (used != sqlite3_bind_parameter_count(stmt)) throw DbError(DbError::Kind::other, "SQL uses a parameter that was not given");
    }

    void run(std::string_view sql, const Params& params, Rows* rows) {
        sqlite3_stmt* stmt = prepare(sql);
        struct Reset {
            sqlite3_stmt* s;
            ~Reset() {
                sqlite3_reset(s);
                sqlite3_clear_bindings(s);
            }
        } reset{stmt};
        bind(stmt, params);
        for (;;) {
            int rc = sqlite3_step(stmt);
            if (rc == SQLITE_DONE) return;
            if (rc != SQLITE_ROW) fail(db_, rc, "step");
            if (!rows) continue;
            Row row;
            int n = sqlite3_column_count(stmt);
            row.values.reserve(n);
            for (int i = 0; i < n; ++i) {
                switch (sqlite3_column_type(stmt, i)) {
                    case SQLITE_NULL: row.values.emplace_back(nullptr); break;
                    case SQLITE_INTEGER: row.values.emplace_back(int64_t(sqlite3_column_int64(stmt, i))); break;
                    case SQLITE_FLOAT: row.values.emplace_back(sqlite3_column_double(stmt, i)); break;
                    case SQLITE_TEXT: {
                        auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
                        row.values.emplace_back(std::string(p, size_t(sqlite3_column_bytes(stmt, i))));
                        break;
                    }
                    default: {
                        auto* p = static_cast<const unsigned char*>(sqlite3_column_blob(stmt, i));
                        Blob b;
                        b.bytes.assign(p, p + sqlite3_column_bytes(stmt, i));
                        row.values.emplace_back(std::move(b));
                    }
                }
            }
            rows->push_back(std::move(row));
        }
    }

    sqlite3* db_ = nullptr;
    std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

class SqliteDatabase final : public Database {
public:
    SqliteDatabase(const std::string& path, const DbOptions& options) : options_(options) {
        writer_conn_ = std::make_unique<Connection>(path, true);
        writer_conn_->simple("PRAGMA journal_mode=WAL");
        writer_conn_->simple("PRAGMA synchronous=FULL");
        writer_conn_->simple("PRAGMA secure_delete=ON");
        writer_conn_->simple("PRAGMA foreign_keys=ON");
        verify(*writer_conn_, "journal_mode", "wal");
        verify(*writer_conn_, "synchronous", "2");
        verify(*writer_conn_, "secure_delete", "1");
        verify(*writer_conn_, "foreign_keys", "1");
        for (int i = 0; i < options.pool_size; ++i) {
            auto c = std::make_unique<Connection>(path, false);
            c->simple("PRAGMA foreign_keys=ON");
            readers_.push_back(std::move(c));
            free_.push_back(readers_.back().get());
        }
        writer_.c = writer_conn_.get();
        writes_ = std::make_unique<GroupCommit>(writer_, options.group_commit, options.max_batch);
    }

    std::string engine() const override { return "sqlite"; }

    Status write(const std::function<Status(Tx&)>& fn) override { return writes_->write(fn); }

    void read(const std::function<void(Tx&)>& fn) override {
        Connection* c = acquire();
        struct Release {
            SqliteDatabase* self;
            Connection* c;
            ~Release() { self->release(c); }
        } release{this, c};
        c->simple("BEGIN");
        try {
            fn(*c);
        } catch (...) {
            sqlite3_exec(c->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
            throw;
        }
        c->simple("COMMIT");
    }

    void purge_deleted() override { checkpoint(); }

    void checkpoint() override {
        std::lock_guard lock(writes_->connection());
        writer_conn_->simple("PRAGMA wal_checkpoint(TRUNCATE)");
    }

    DbStats stats() const override {
        DbStats s;
        std::lock_guard lock(pool_mutex_);
        s.pool_size = int64_t(readers_.size());
        s.pool_in_use = int64_t(readers_.size() - free_.size());
        s.write_queue = writes_->queued();
        s.commits = writes_->commits();
        s.writes = writes_->writes();
        return s;
    }

private:
    static void verify(Connection& c, const char* pragma, const std::string& expected) {
        std::string got = c.pragma(pragma);
        if (got != expected) throw DbError(DbError::Kind::other, std::string("SQLite PRAGMA ") + pragma + " is " + got + ", Haven needs " + expected);
    }

    Connection* acquire() {
        std::unique_lock lock(pool_mutex_);
        pool_cv_.wait(lock, [&] { return !free_.empty(); });
        Connection* c = free_.back();
        free_.pop_back();
        return c;
    }

    void release(Connection* c) {
        {
            std::lock_guard lock(pool_mutex_);
            free_.push_back(c);
        }
        pool_cv_.notify_one();
    }

    // The one writer connection, as GroupCommit drives it.
    struct Writer final : GroupCommit::Writer {
        Connection* c = nullptr;
        Tx& prepare() override { return *c; }
        void begin() override { c->simple("BEGIN IMMEDIATE"); }
        void savepoint() override { c->simple("SAVEPOINT w"); }
        void release() override { c->simple("RELEASE w"); }
        bool rollback_to() noexcept override { return sqlite3_exec(c->handle(), "ROLLBACK TO w; RELEASE w", nullptr, nullptr, nullptr) == SQLITE_OK; }
        bool commit() noexcept override {
            const int rc = sqlite3_exec(c->handle(), "COMMIT", nullptr, nullptr, nullptr);
            if (rc != SQLITE_OK) log::error("sqlite_commit_failed", {{"code", rc}});
            return rc == SQLITE_OK;
        }
        void rollback() noexcept override { sqlite3_exec(c->handle(), "ROLLBACK", nullptr, nullptr, nullptr); }
    };

    DbOptions options_;
    std::unique_ptr<Connection> writer_conn_;
    std::vector<std::unique_ptr<Connection>> readers_;
    std::vector<Connection*> free_;
    mutable std::mutex pool_mutex_;
    std::condition_variable pool_cv_;
    Writer writer_;
    std::unique_ptr<GroupCommit> writes_;  // last: stopped (drained) first
};

}  // namespace

std::unique_ptr<Database> open_sqlite(const std::string& path, const DbOptions& options) { return std::make_unique<SqliteDatabase>(path, options); }

}  // namespace haven::storage
