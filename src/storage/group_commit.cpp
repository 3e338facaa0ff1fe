#include "storage/group_commit.hpp"

namespace haven::storage {

GroupCommit::GroupCommit(Writer& writer, bool group, int max_batch)
    : writer_(writer), group_(group), max_batch_(size_t(std::max(max_batch, 1))), thread_([this] { loop(); }) {}

GroupCommit::~GroupCommit() {
    {
        std::lock_guard lock(queue_mutex_);
        stopping_ = true;
    }
    queue_cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

Status GroupCommit::write(const std::function<Status(Tx&)>& fn) {
    Job job{&fn, {}};
    auto done = job.promise.get_future();
    {
        std::lock_guard lock(queue_mutex_);
        if (stopping_) throw DbError(DbError::Kind::unavailable, "the database is closing");
        queue_.push_back(std::move(job));
    }
    queue_cv_.notify_one();
    return done.get();  // rethrows what the writer stored
}

int64_t GroupCommit::queued() const {
    std::lock_guard lock(queue_mutex_);
    return int64_t(queue_.size());
}

void GroupCommit::loop() {
    for (;;) {
        std::deque<Job> batch;
        {
            std::unique_lock lock(queue_mutex_);
            queue_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;  // stopping and drained
            const size_t take = group_ ? std::min(queue_.size(), max_batch_) : 1;
            for (size_t i = 0; i < take; ++i) {
                batch.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
        }
        std::lock_guard lock(connection_);
        run(batch);
    }
}

void GroupCommit::run(std::deque<Job>& batch) {
    std::vector<Status> results(batch.size());
    std::vector<std::exception_ptr> errors(batch.size());
    Tx* tx = nullptr;
    try {
        tx = &writer_.prepare();
        writer_.begin();
    } catch (...) {
        for (auto& job : batch) job.promise.set_exception(std::current_exception());
        return;
    }
    for (size_t i = 0; i < batch.size(); ++i) {
        try {
            writer_.savepoint();
            results[i] = (*batch[i].fn)(*tx);
            if (results[i])
                writer_.release();
            else if (!writer_.rollback_to())
                return fail(batch, errors, i);
        } catch (...) {
            errors[i] = std::current_exception();
            // The transaction itself is gone (e.g. an I/O error, a lost connection): nothing of the batch is kept.
            if (!writer_.rollback_to()) return fail(batch, errors, i);
        }
    }
    if (!writer_.commit()) return fail(batch, errors, batch.size());
    ++commits_;
    for (size_t i = 0; i < batch.size(); ++i) {
        if (errors[i])
            batch[i].promise.set_exception(errors[i]);
        else {
            if (results[i]) ++writes_;
            batch[i].promise.set_value(std::move(results[i]));
        }
    }
}

void GroupCommit::fail(std::deque<Job>& batch, std::vector<std::exception_ptr>& errors, size_t failed_at) {
    writer_.rollback();
    auto failure = std::make_exception_ptr(DbError(DbError::Kind::unavailable, "the transaction could not be committed"));
    for (size_t i = 0; i < batch.size(); ++i) batch[i].promise.set_exception(i == failed_at && errors[i] ? errors[i] : failure);
}

}  // namespace haven::storage
