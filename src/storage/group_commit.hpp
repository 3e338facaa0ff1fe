// Group commit, shared by both engines: writes submitted from any thread are run one after another by one thread
// on one connection, as many as are waiting in one transaction, each in a savepoint (one write's failure undoes
// that write alone). Their callers are answered once the one commit — one fsync — has been answered.
//
// SQLite has one writer anyway. On PostgreSQL, without it, every write that appends to the audit chain holds the
// chain's head row from its append to its own commit, so concurrent writers wait for each other's fsync in turn.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>

#include "storage/db.hpp"

namespace haven::storage {

class GroupCommit {
public:
    // What the engine does on its writer connection (always from the writer thread, under connection()).
    struct Writer {
        virtual ~Writer() = default;
        virtual Tx& prepare() = 0;  // the connection, usable (reconnected if it broke); throws if it cannot be
        virtual void begin() = 0;   // throws if the transaction cannot start
        virtual void savepoint() = 0;
        virtual void release() = 0;
        virtual bool rollback_to() noexcept = 0;  // false: the transaction itself is gone
        virtual bool commit() noexcept = 0;       // false: nothing of the batch is kept
        virtual void rollback() noexcept = 0;
    };

    // `group` false: one transaction (and one commit) per write.
    GroupCommit(Writer& writer, bool group, int max_batch);
    ~GroupCommit();  // runs what is queued, then stops

    // Runs `fn` in the next transaction; returns its status once committed; rethrows what it threw.
    Status write(const std::function<Status(Tx&)>& fn);

    std::mutex& connection() { return connection_; }  // held while a batch runs: take it to use the connection
    int64_t queued() const;
    int64_t commits() const { return commits_.load(); }
    int64_t writes() const { return writes_.load(); }

private:
    struct Job {
        const std::function<Status(Tx&)>* fn;
        std::promise<Status> promise;
    };
    void loop();
    void run(std::deque<Job>& batch);
    void fail(std::deque<Job>& batch, std::vector<std::exception_ptr>& errors, size_t failed_at);

    Writer& writer_;
    const bool group_;
    const size_t max_batch_;
    std::mutex connection_;
    mutable std::mutex queue_mutex_;
    std::condition_variable queue_cv_;
    std::deque<Job> queue_;
    bool stopping_ = false;
    std::atomic<int64_t> commits_{0}, writes_{0};
    std::thread thread_;  // last: started once the rest is ready
};

}  // namespace haven::storage
