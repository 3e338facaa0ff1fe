#include "storage/postgres/postgres_db.hpp"

#include <libpq-fe.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <mutex>

namespace haven::storage {
namespace {

// OIDs from PostgreSQL's pg_type.dat.
constexpr Oid bool_oid = 16, bytea_oid = 17, int8_oid = 20, int2_oid = 21, int4_oid = 23, oid_oid = 26, float4_oid = 700, float8_oid = 701,
              numeric_oid = 1700;

struct Result {
    PGresult* r;
    ~Result() { PQclear(r); }
};

// The primary message and SQLSTATE only: DETAIL can quote the values of a row.
[[noreturn]] void fail(PGresult* r, PGconn* conn, const char* what) {
    const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    const char* primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    std::string msg = std::string(what) + ": ";
    msg += primary ? primary : "connection failed";
    if (state) msg += std::string(" (SQLSTATE ") + state + ")";
    auto kind = DbError::Kind::other;
    if (state && state[0] == '2' && state[1] == '3') kind = DbError::Kind::constraint;
    if (!state || PQstatus(conn) != CONNECTION_OK || (state[0] == '0' && state[1] == '8') || (state[0] == '5' && state[1] == '7'))
        kind = DbError::Kind::unavailable;
    throw DbError(kind, msg);
}

class Connection final : public Tx {
public:
    explicit Connection(const std::string& url) {
        conn_ = PQconnectdb(url.c_str());
        if (PQstatus(conn_) != CONNECTION_OK) {
            PQfinish(conn_);
            conn_ = nullptr;
            // libpq's message may name the host and user, never a person's data; keep it short anyway.
            throw DbError(DbError::Kind::unavailable, "cannot connect to PostgreSQL");
        }
        PQsetNoticeProcessor(
            conn_, [](void*, const char*) {}, nullptr);
        exec_script("SET client_encoding = 'UTF8'; SET TimeZone = 'UTC'");
        Rows r = query("SHOW synchronous_commit", {});
        if (r.empty() || r[0].text(0) != "on") throw DbError(DbError::Kind::other, "PostgreSQL synchronous_commit must be on for Haven");
    }
    ~Connection() override { PQfinish(conn_); }

    bool healthy() const { return PQstatus(conn_) == CONNECTION_OK; }
    void reset() { PQreset(conn_); }

    Rows query(std::string_view sql, const Params& params) override {
        Result res{run(sql, params)};
        Rows rows;
        int n = PQntuples(res.r), cols = PQnfields(res.r);
        rows.reserve(n);
        for (int i = 0; i < n; ++i) {
            Row row;
            row.values.reserve(cols);
            for (int c = 0; c < cols; ++c) row.values.push_back(value(res.r, i, c));
            rows.push_back(std::move(row));
        }
        return rows;
    }

    int64_t exec(std::string_view sql, const Params& params) override {
        Result res{run(sql, params)};
        const char* n = PQcmdTuples(res.r);
        return (n && *n) ? std::strtoll(n, nullptr, 10) : 0;
    }

    void exec_script(std::string_view sql) override {
        std::string text(sql);
        Result res{PQexec(conn_, text.c_str())};
        auto st = PQresultStatus(res.r);
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) fail(res.r, conn_, "script");
    }

private:
    PGresult* run(std::string_view sql, const Params& params) {
        std::string text(sql);
        std::vector<std::string> storage(params.size());
        std::vector<const char*> values(params.size());
        std::vector<int> lengths(params.size()), formats(params.size());
        for (size_t i = 0; i < params.size(); ++i) {
            const Value& v = params[i];
            switch (v.index()) {
                case 0: values[i] = nullptr; break;
                case 1: storage[i] = std::to_string(std::get<int64_t>(v)); break;
                case 2: {
                    char buf[40];
                    std::snprintf(buf, sizeof buf, "%.17g", std::get<double>(v));
                    storage[i] = buf;
                    break;
                }
                case 3: storage[i] = std::get<std::string>(v); break;
                case 4: {
                    const auto& b = std::get<Blob>(v).bytes;
                    storage[i].assign(reinterpret_cast<const char*>(b.data()), b.size());
                    formats[i] = 1;  // binary
                    break;
                }
            }
            if (v.index() != 0) {
                values[i] = storage[i].data();
                lengths[i] = int(storage[i].size());
            }
        }
        PGresult* r = PQexecParams(conn_, text.c_str(), int(params.size()), nullptr, values.data(), lengths.data(), formats.data(), 0);
        auto st = PQresultStatus(r);
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
            Result guard{r};
            fail(r, conn_, "statement");
        }
        return r;
    }

    static Value value(PGresult* r, int row, int col) {
        if (PQgetisnull(r, row, col)) return nullptr;
        const char* text = PQgetvalue(r, row, col);
        int len = PQgetlength(r, row, col);
        switch (PQftype(r, col)) {
            case int8_oid:
            case int4_oid:
            case int2_oid:
            case oid_oid: return int64_t(std::strtoll(text, nullptr, 10));
            case bool_oid: return int64_t(text[0] == 't' ? 1 : 0);
            case float4_oid:
            case float8_oid:
            case numeric_oid: return std::strtod(text, nullptr);
            case bytea_oid: {
                size_t n = 0;
                unsigned char* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &n);
                if (!bytes) throw DbError(DbError::Kind::other, "cannot decode bytea");
                Blob b;
                b.bytes.assign(bytes, bytes + n);
                PQfreemem(bytes);
                return b;
            }
            default: return std::string(text, size_t(len));
        }
    }

    PGconn* conn_ = nullptr;
};

class PostgresDatabase final : public Database {
public:
    PostgresDatabase(const std::string& url, const DbOptions& options) {
        for (int i = 0; i < options.pool_size; ++i) {
            conns_.push_back(std::make_unique<Connection>(url));
            free_.push_back(conns_.back().get());
        }
    }

    std::string engine() const override { return "postgres"; }

    Status write(const std::function<Status(Tx&)>& fn) override {
        Status result;
        with_connection([&](Connection& c) {
            c.exec_script("BEGIN");
            try {
                result = fn(c);
            } catch (...) {
                rollback(c);
                throw;
            }
            if (!result) {
                rollback(c);
                return;
            }
            c.exec_script("COMMIT");
            ++writes_;
            ++commits_;
        });
        return result;
    }

    void read(const std::function<void(Tx&)>& fn) override {
        with_connection([&](Connection& c) {
            c.exec_script("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
            try {
                fn(c);
            } catch (...) {
                rollback(c);
                throw;
            }
            c.exec_script("COMMIT");
        });
    }

    void purge_deleted() override {}

    void checkpoint() override {
        with_connection([](Connection& c) { c.exec_script("CHECKPOINT"); });
    }

    DbStats stats() const override {
        std::lock_guard lock(mutex_);
        DbStats s;
        s.pool_size = int64_t(conns_.size());
        s.pool_in_use = int64_t(conns_.size() - free_.size());
        s.commits = commits_.load();
        s.writes = writes_.load();
        return s;
    }

private:
    static void rollback(Connection& c) {
        try {
            c.exec_script("ROLLBACK");
        } catch (...) {
            // The connection is broken; it is reset when next taken from the pool.
        }
    }

    template <class F>
    void with_connection(F&& f) {
        Connection* c;
        {
            std::unique_lock lock(mutex_);
            cv_.wait(lock, [&] { return !free_.empty(); });
            c = free_.back();
            free_.pop_back();
        }
        struct Release {
            PostgresDatabase* self;
            Connection* c;
            ~Release() {
                {
                    std::lock_guard lock(self->mutex_);
                    self->free_.push_back(c);
                }
                self->cv_.notify_one();
            }
        } release{this, c};
        if (!c->healthy()) c->reset();
        f(*c);
    }

    std::vector<std::unique_ptr<Connection>> conns_;
    std::vector<Connection*> free_;
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::atomic<int64_t> commits_{0}, writes_{0};
};

}  // namespace

std::unique_ptr<Database> open_postgres(const std::string& url, const DbOptions& options) { return std::make_unique<PostgresDatabase>(url, options); }

}  // namespace haven::storage
