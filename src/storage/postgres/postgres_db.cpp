#include "storage/postgres/postgres_db.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <list>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "core/log.hpp"
#include "storage/group_commit.hpp"

namespace haven::storage {
namespace {

// OIDs from PostgreSQL's pg_type.dat.
constexpr Oid bool_oid = 16, bytea_oid = 17, int8_oid = 20, int2_oid = 21, int4_oid = 23, oid_oid = 26, float4_oid = 700, float8_oid = 701,
              numeric_oid = 1700;

// Prepared statements kept per connection. Some SQL texts are built (IN lists of any length), so the least
// recently used are dropped beyond this many.
constexpr size_t max_statements = 512;

// Scripts run by this process (migrations, which change the schema): every connection drops the statements it
// prepared before one, which may no longer fit the tables (a statement whose result changed shape fails once).
std::atomic<uint64_t> scripts_run{0};

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
    // A constraint, or a concurrent transaction (class 40: a deadlock broken, a serialization failure): the
    // caller is told to try again (409), as when two wrote the same at once.
    if (state && ((state[0] == '2' && state[1] == '3') || (state[0] == '4' && state[1] == '0'))) kind = DbError::Kind::constraint;
    if (!state || PQstatus(conn) != CONNECTION_OK || (state[0] == '0' && state[1] == '8') || (state[0] == '5' && state[1] == '7'))
        kind = DbError::Kind::unavailable;
    throw DbError(kind, msg);
}

bool succeeded(PGresult* r) {
    auto st = PQresultStatus(r);
    return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

// Parameters as libpq takes them: text, except blobs (binary).
struct Bound {
    explicit Bound(const Params& params) : storage(params.size()), values(params.size()), lengths(params.size()), formats(params.size()) {
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
    }
    int count() const { return int(values.size()); }

    std::vector<std::string> storage;
    std::vector<const char*> values;
    std::vector<int> lengths, formats;
};

// One connection. Every statement is prepared once (a named statement, kept per connection) so that PostgreSQL
// parses and plans it once; and round trips are saved where nothing waits for them: a transaction's BEGIN travels
// with its first statement, a new statement's Parse with its execution (libpq's pipeline mode), on the writer's
// connection the statements whose count nobody needs (Tx::exec_later) with the next one or with the end of their
// write, and the end of a transaction whose outcome nobody waits for — a read's COMMIT, a ROLLBACK — is sent
// without waiting for the answer, which is read when the connection is next used.
class Connection final : public Tx {
public:
    explicit Connection(const std::string& url) : url_(url) { connect(); }
    ~Connection() override { PQfinish(conn_); }

    // Before each use from the pool: the answer to the last transaction's end is read, and a broken connection is
    // replaced by a new one (with none of the old one's prepared statements).
    void take() {
        if (ending_) finish_ending();
        if (PQstatus(conn_) != CONNECTION_OK || broken_) {
            PQfinish(conn_);
            conn_ = nullptr;
            connect();
        }
        if (scripts_seen_ != scripts_run.load()) {
            scripts_seen_ = scripts_run.load();
            forget_statements();
        }
    }

    // The transaction starts with the first statement, which carries `begin` with it; a transaction that sends
    // nothing sends nothing.
    void begin(const char* begin) { pending_ = {control(begin)}; }

    // The writer's connection: exec_later's statements wait for the next statement or the end of their write.
    void defer_statements() { defers_ = true; }

    // A savepoint around one write of a group commit's batch. Sent with the write's first statement; a write that
    // sends nothing sends none; released by the next one's (or by the COMMIT) — unless statements of the write
    // still wait (exec_later): they go with the RELEASE now, so that their failure is this write's, not the next
    // one's (thrown here).
    void savepoint() { pending_.push_back(control(savepoint_sql)); }
    void release_savepoint() {
        if (!pending_.empty() && pending_.back().sql == savepoint_sql) {
            pending_.pop_back();
            return;
        }
        pending_.push_back(control("RELEASE w"));
        if (holds_statements()) flush(false);
    }
    // Undoes the write since its savepoint; false if the transaction itself is gone.
    bool rollback_to_savepoint() noexcept {
        // The write's statements not sent yet are dropped, and its savepoint with them if nothing was sent since.
        auto sp = std::find_if(pending_.rbegin(), pending_.rend(), [](const Pending& p) { return p.control && p.sql == savepoint_sql; });
        if (sp != pending_.rend()) {
            pending_.erase(std::prev(sp.base()), pending_.end());
            return true;
        }
        std::erase_if(pending_, [](const Pending& p) { return !p.control; });
        Result res{PQexec(conn_, "ROLLBACK TO w; RELEASE w")};
        return succeeded(res.r);
    }

    // Waits for the answer: a write is durable only once its COMMIT has been answered.
    void commit() {
        if (holds_statements()) flush(false);  // their failure fails the commit
        pending_.clear();                      // a BEGIN never sent, or a RELEASE the COMMIT does
        if (!open_) return;
        open_ = false;
        Result res{PQexec(conn_, "COMMIT")};
        if (!succeeded(res.r)) fail(res.r, conn_, "commit");
        // An aborted transaction's COMMIT is answered "ROLLBACK", not an error.
        if (std::string_view(PQcmdStatus(res.r)) != "COMMIT") throw DbError(DbError::Kind::other, "commit: the transaction was rolled back");
    }

    // Sends `end` (a read's COMMIT, or ROLLBACK) without waiting: take() reads the answer.
    void end_without_waiting(const char* end) {
        pending_.clear();
        if (!open_) return;
        open_ = false;
        if (PQenterPipelineMode(conn_) != 1 || PQsendQueryParams(conn_, end, 0, nullptr, nullptr, nullptr, nullptr, 0) != 1 ||
            PQpipelineSync(conn_) != 1) {
            broken_ = true;  // replaced when next taken
            return;
        }
        ending_ = true;
    }

    Rows query(std::string_view sql, const Params& params) override { return to_rows(run(sql, params, false)); }
    Rows query_per_values(std::string_view sql, const Params& params) override { return to_rows(run(sql, params, true)); }

    int64_t exec(std::string_view sql, const Params& params) override {
        Result res{run(sql, params, false)};
        const char* n = PQcmdTuples(res.r);
        return (n && *n) ? std::strtoll(n, nullptr, 10) : 0;
    }

    void exec_later(std::string_view sql, const Params& params) override {
        if (!defers_) {
            (void)exec(sql, params);
            return;
        }
        pending_.push_back(prepared(sql, params));
        if (pending_.size() >= max_pending) flush(false);  // an import's rows are not all held in memory at once
    }

    void exec_script(std::string_view sql) override {
        if (!pending_.empty()) flush(false);
        // Scripts change the schema (migrations): statements prepared before may no longer fit it, here or on the
        // other connections (take()).
        forget_statements();
        simple(std::string(sql).c_str());
        scripts_seen_ = ++scripts_run;
    }

    // Outside any transaction: CHECKPOINT, ANALYZE (which changes no statement's meaning: PostgreSQL plans a
    // prepared statement again when a table's statistics change).
    void command(const std::string& sql) { simple(sql.c_str()); }

    size_t rows_per_insert() const override { return 128; }

private:
    static constexpr const char* savepoint_sql = "SAVEPOINT w";
    static constexpr size_t max_pending = 64;

    struct Statement {
        std::string name;
        std::list<std::string>::iterator used;  // its place in recent_
    };

    void connect() {
        conn_ = PQconnectdb(url_.c_str());
        if (PQstatus(conn_) != CONNECTION_OK) {
            PQfinish(conn_);
            conn_ = nullptr;
            // libpq's message may name the host and user, never a person's data; keep it short anyway.
            throw DbError(DbError::Kind::unavailable, "cannot connect to PostgreSQL");
        }
        PQsetNoticeProcessor(
            conn_, [](void*, const char*) {}, nullptr);
        statements_.clear();
        recent_.clear();
        unused_.clear();
        pending_.clear();
        open_ = ending_ = broken_ = false;
        // A prepared statement's plan is PostgreSQL's to cache (plan_cache_mode auto: after five runs, a generic
        // plan if it costs no more than those planned for their values): planning a statement anew at each run
        // cost a durable booking half its time. Statements whose plan depends on their values say so
        // (query_per_values) and run unnamed, planned for their values each time.
        simple("SET client_encoding = 'UTF8'; SET TimeZone = 'UTC'; SET plan_cache_mode = auto");
        Rows r = query("SHOW synchronous_commit", {});
        if (r.empty() || r[0].text(0) != "on") throw DbError(DbError::Kind::other, "PostgreSQL synchronous_commit must be on for Haven");
    }

    // What waits to be sent: a transaction's BEGIN, SAVEPOINT or RELEASE (`control`), or a statement, prepared
    // (`name`, parsed first when `fresh`) or run unnamed.
    struct Pending {
        std::string sql;
        Params params;
        std::optional<std::string> name;
        bool fresh = false;
        bool control = false;
    };
    static Pending control(const char* sql) { return {sql, {}, std::nullopt, false, true}; }
    Pending prepared(std::string_view sql, const Params& params) {
        auto [name, fresh] = statement(sql);
        return {std::string(sql), params, name ? std::optional<std::string>(*name) : std::nullopt, fresh, false};
    }
    bool holds_statements() const {
        return std::any_of(pending_.begin(), pending_.end(), [](const Pending& p) { return !p.control; });
    }

    void simple(const char* sql) {
        Result res{PQexec(conn_, sql)};
        if (!succeeded(res.r)) fail(res.r, conn_, "script");
    }

    void forget_statements() {
        if (statements_.empty()) return;
        simple("DEALLOCATE ALL");
        statements_.clear();
        recent_.clear();
        unused_.clear();
    }

    void finish_ending() {
        ending_ = false;
        // A failure there is the connection's: a read-only COMMIT or a ROLLBACK cannot fail otherwise.
        for (PGresult* r : until_sync()) PQclear(r);
    }

    // The results of what was sent in pipeline mode, up to its sync, which leaves the pipeline mode.
    std::vector<PGresult*> until_sync() {
        std::vector<PGresult*> results;
        // In pipeline mode a null result ends each statement's results; two in a row mean nothing is coming.
        for (int nulls = 0; nulls < 2;) {
            PGresult* r = PQgetResult(conn_);
            if (!r) {
                ++nulls;
                continue;
            }
            nulls = 0;
            if (PQresultStatus(r) == PGRES_PIPELINE_SYNC) {
                PQclear(r);
                if (PQexitPipelineMode(conn_) != 1) broken_ = true;
                return results;
            }
            results.push_back(r);
        }
        broken_ = true;  // replaced when next taken
        return results;
    }

    // The prepared statement for `sql`, and whether it is new (to be parsed before it runs).
    // None (run it unnamed) the first time a text is seen: built texts (IN lists of every length) are often run
    // once, and preparing them would cost a DEALLOCATE each and push out the statements run again and again.
    std::pair<const std::string*, bool> statement(std::string_view sql) {
        std::string key(sql);
        if (auto it = statements_.find(key); it != statements_.end()) {
            recent_.splice(recent_.begin(), recent_, it->second.used);
            return {&it->second.name, false};
        }
        if (!seen_once_.erase(key)) {
            if (seen_once_.size() >= 4 * max_statements) seen_once_.clear();
            seen_once_.insert(std::move(key));
            return {nullptr, false};
        }
        if (statements_.size() >= max_statements) {
            auto oldest = statements_.find(recent_.back());
            unused_.push_back(std::move(oldest->second.name));
            statements_.erase(oldest);
            recent_.pop_back();
        }
        recent_.push_front(key);
        auto [it, added] = statements_.emplace(std::move(key), Statement{"haven_" + std::to_string(++named_), recent_.begin()});
        return {&it->second.name, true};
    }

    // Drops the statement from the cache; `prepared`: PostgreSQL holds it (DEALLOCATE it).
    void forget(std::string_view sql, bool prepared) {
        auto it = statements_.find(std::string(sql));
        if (it == statements_.end()) return;
        if (prepared) unused_.push_back(std::move(it->second.name));
        recent_.erase(it->second.used);
        statements_.erase(it);
    }

    // `per_values`: unnamed, planned for these values (query_per_values).
    PGresult* run(std::string_view sql, const Params& params, bool per_values) {
        if (!pending_.empty()) {
            pending_.push_back(per_values ? Pending{std::string(sql), params, std::nullopt, false, false} : prepared(sql, params));
            return flush(true);
        }
        const Bound bound(params);
        auto [name, fresh] = per_values ? std::pair<const std::string*, bool>{nullptr, false} : statement(sql);
        if (!name) {
            PGresult* r = PQexecParams(conn_, std::string(sql).c_str(), bound.count(), nullptr, bound.values.data(), bound.lengths.data(),
                                       bound.formats.data(), 0);
            if (!succeeded(r)) {
                Result guard{r};
                fail(r, conn_, "statement");
            }
            return r;
        }
        if (!fresh) {
            PGresult* r = PQexecPrepared(conn_, name->c_str(), bound.count(), bound.values.data(), bound.lengths.data(), bound.formats.data(), 0);
            if (!succeeded(r)) {
                Result guard{r};
                if (const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE); state && std::string_view(state) == "0A000")
                    forget(sql, true);  // "cached plan must not change result type": parse it afresh next time
                fail(r, conn_, "statement");
            }
            return r;
        }
        pending_.push_back({std::string(sql), params, *name, true, false});
        return flush(true);
    }

    // Sends everything pending in one round trip — the BEGIN, savepoints, each statement (its Parse first when
    // new) and the statements dropped from the cache — and throws the first failure (what follows it is not run).
    // Returns the last one's result (the caller's) when `want_last`.
    PGresult* flush(bool want_last) {
        std::vector<Pending> sending;
        sending.swap(pending_);
        std::vector<std::string> dropping;
        dropping.swap(unused_);
        std::deque<Bound> bounds;  // their values stay where they are until sent
        bool sent = PQenterPipelineMode(conn_) == 1;
        for (const auto& p : sending) {
            const Bound& b = bounds.emplace_back(p.params);
            if (p.fresh) sent = sent && PQsendPrepare(conn_, p.name->c_str(), p.sql.c_str(), 0, nullptr) == 1;
            if (p.name)
                sent = sent && PQsendQueryPrepared(conn_, p.name->c_str(), b.count(), b.values.data(), b.lengths.data(), b.formats.data(), 0) == 1;
            else
                sent =
                    sent && PQsendQueryParams(conn_, p.sql.c_str(), b.count(), nullptr, b.values.data(), b.lengths.data(), b.formats.data(), 0) == 1;
        }
        // After the statements: were one of these to fail, the statements would not run.
        for (const auto& old : dropping)
            sent = sent && PQsendQueryParams(conn_, ("DEALLOCATE " + old).c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
        sent = sent && PQpipelineSync(conn_) == 1;
        if (!sent) {
            broken_ = true;  // replaced when next taken
            for (const auto& p : sending)
                if (p.fresh) forget(p.sql, false);
            throw DbError(DbError::Kind::unavailable, "statement: connection failed");
        }
        std::vector<PGresult*> results = until_sync();
        struct Clear {
            std::vector<PGresult*>& rs;
            ~Clear() {
                for (PGresult* r : rs) PQclear(r);
            }
        } clear{results};
        size_t at = 0;
        auto next = [&]() -> PGresult* { return at < results.size() ? results[at++] : nullptr; };
        if (std::any_of(sending.begin(), sending.end(), [](const Pending& p) { return p.control; }))
            open_ = true;  // what began the transaction was sent: it ends with a COMMIT or ROLLBACK
        PGresult* failed = nullptr;
        const char* failed_at = nullptr;
        PGresult* out = nullptr;
        for (size_t i = 0; i < sending.size(); ++i) {
            const Pending& p = sending[i];
            if (p.fresh) {
                PGresult* r = next();
                if (!r || !succeeded(r)) {
                    forget(p.sql, false);
                    if (!failed_at) failed = r, failed_at = "prepare";
                }
            }
            const size_t here = at;
            PGresult* r = next();
            if (r && succeeded(r)) {
                if (want_last && i + 1 == sending.size()) out = r, results[here] = nullptr;  // handed to the caller
                continue;
            }
            if (const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr; state && std::string_view(state) == "0A000")
                forget(p.sql, true);  // "cached plan must not change result type": parse it afresh next time
            if (!failed_at) failed = r, failed_at = p.control ? "begin" : "statement";
        }
        for (const auto& old : dropping) {
            // Not dropped because a statement before it failed: dropped next time.
            PGresult* r = next();
            if (!r || PQresultStatus(r) == PGRES_PIPELINE_ABORTED) unused_.push_back(old);
        }
        if (failed_at) fail(failed, conn_, failed_at);
        return out;
    }

    static Rows to_rows(PGresult* r) {
        Result res{r};
        Rows rows;
        int n = PQntuples(r), cols = PQnfields(r);
        rows.reserve(n);
        for (int i = 0; i < n; ++i) {
            Row row;
            row.values.reserve(cols);
            for (int c = 0; c < cols; ++c) row.values.push_back(value(r, i, c));
            rows.push_back(std::move(row));
        }
        return rows;
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

    std::string url_;
    PGconn* conn_ = nullptr;
    std::unordered_map<std::string, Statement> statements_;  // SQL text → its prepared statement
    std::list<std::string> recent_;                          // SQL texts, most recently used first
    std::unordered_set<std::string> seen_once_;              // SQL texts run once, unnamed
    std::vector<std::string> unused_;                        // prepared statements to drop (DEALLOCATE)
    int64_t named_ = 0;
    std::vector<Pending> pending_;  // sent with the next statement
    bool defers_ = false;           // exec_later waits (the writer's connection)
    bool open_ = false;             // a transaction was begun on the server
    uint64_t scripts_seen_ = scripts_run.load();
    bool ending_ = false;  // a COMMIT or ROLLBACK sent, its answer not read
    bool broken_ = false;
};

class PostgresDatabase final : public Database {
public:
    PostgresDatabase(const std::string& url, const DbOptions& options) : writer_(url) {
        for (int i = 0; i < options.pool_size; ++i) {
            conns_.push_back(std::make_unique<Connection>(url));
            free_.push_back(conns_.back().get());
        }
        writes_ = std::make_unique<GroupCommit>(writer_, options.group_commit, options.max_batch);
    }

    std::string engine() const override { return "postgres"; }

    // On the writer connection, with whatever other writes are waiting (GroupCommit).
    Status write(const std::function<Status(Tx&)>& fn) override { return writes_->write(fn); }

    void read(const std::function<void(Tx&)>& fn) override {
        with_connection([&](Connection& c) {
            c.begin("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
            try {
                fn(c);
            } catch (...) {
                c.end_without_waiting("ROLLBACK");
                throw;
            }
            // Nothing was written: nobody waits for this COMMIT's answer.
            c.end_without_waiting("COMMIT");
        });
    }

    void purge_deleted() override {}

    void checkpoint() override {
        with_connection([](Connection& c) { c.command("CHECKPOINT"); });
    }

    void analyze(const std::vector<std::string>& tables) override {
        std::string sql = "ANALYZE";
        for (size_t i = 0; i < tables.size(); ++i) sql += (i ? ", " : " ") + tables[i];  // names from the code, never from input
        // Best effort: what landed has landed; a failure leaves the statistics to autovacuum.
        try {
            with_connection([&](Connection& c) { c.command(sql); });
        } catch (const DbError&) {
            log::error("postgres_analyze_failed", {});
        }
    }

    DbStats stats() const override {
        std::lock_guard lock(mutex_);
        DbStats s;
        s.pool_size = int64_t(conns_.size());
        s.pool_in_use = int64_t(conns_.size() - free_.size());
        s.write_queue = writes_->queued();
        s.commits = writes_->commits();
        s.writes = writes_->writes();
        return s;
    }

private:
    // The one writer connection, as GroupCommit drives it.
    struct Writer final : GroupCommit::Writer {
        explicit Writer(const std::string& url) : c(url) { c.defer_statements(); }
        Connection c;
        Tx& prepare() override {
            c.take();
            return c;
        }
        void begin() override { c.begin("BEGIN"); }
        void savepoint() override { c.savepoint(); }
        void release() override { c.release_savepoint(); }
        bool rollback_to() noexcept override { return c.rollback_to_savepoint(); }
        bool commit() noexcept override {
            try {
                c.commit();
                return true;
            } catch (const std::exception&) {
                log::error("postgres_commit_failed", {});
                return false;
            }
        }
        void rollback() noexcept override { c.end_without_waiting("ROLLBACK"); }
    };

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
        c->take();
        f(*c);
    }

    std::vector<std::unique_ptr<Connection>> conns_;
    std::vector<Connection*> free_;
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    Writer writer_;
    std::unique_ptr<GroupCommit> writes_;  // last: stopped (drained) first
};

}  // namespace

std::unique_ptr<Database> open_postgres(const std::string& url, const DbOptions& options) { return std::make_unique<PostgresDatabase>(url, options); }

}  // namespace haven::storage
