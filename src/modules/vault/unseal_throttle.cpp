#include "modules/vault/unseal_throttle.hpp"

#include <algorithm>

#include "crypto/random.hpp"
#include "modules/vault/store.hpp"

namespace haven::vault {
namespace {

constexpr int free_failures = 3;
constexpr int64_t max_backoff_ms = 10 * 60 * 1000;
constexpr int64_t forget_after_ms = 60 * 60 * 1000;

Error too_many(int64_t wait_ms) {
    Error e = make_error(ErrorKind::too_many, "too_many_attempts", "Too many wrong attempts. Wait and try again.");
    e.retry_after_seconds = int(std::max<int64_t>(1, (wait_ms + 999) / 1000));
    return e;
}

constexpr const char* overflow = "overflow";  // the row new sources share while the table is full (never a hash)

}  // namespace

UnsealThrottle::UnsealThrottle(const Clock& clock, size_t max_sources)
    : clock_(clock), max_sources_(std::max<size_t>(1, max_sources)), key_(crypto::random_bytes(32)) {}

UnsealThrottle::UnsealThrottle(const Clock& clock, storage::Database& db, std::string key, size_t max_sources)
    : clock_(clock), max_sources_(std::max<size_t>(1, max_sources)), key_(std::move(key)), db_(&db) {}

// BLAKE2b over a fixed-length random key and the address: a keyed hash (BLAKE2 has no length extension).
std::string UnsealThrottle::source_of(const std::string& address) const { return crypto::token_hash(key_ + address); }

UnsealThrottle::Count UnsealThrottle::load(const std::string& source, int64_t now) {
    if (!db_) {
        if (auto it = counts_.find(source); it != counts_.end()) return it->second;
        return counts_.size() >= max_sources_ ? overflow_ : Count{};
    }
    std::optional<store::SourceCount> found;
    db_->read([&](storage::Tx& tx) {
        found = store::source_count(tx, source);
        if (!found && store::recent_sources(tx, overflow, now - forget_after_ms) >= int64_t(max_sources_)) found = store::source_count(tx, overflow);
    });
    return found ? Count{found->failures, found->next_allowed_ms, found->last_failure_ms} : Count{};
}

// A new source takes a row only while fewer than max_sources were counted in the last hour; else it shares 'overflow'.
void UnsealThrottle::save(const std::string& source, const Count& count, int64_t now) {
    if (!db_) {
        auto it = counts_.find(source);
        if (it == counts_.end() && counts_.size() >= max_sources_)
            std::erase_if(counts_, [now](const auto& entry) { return now - entry.second.last_failure_ms >= forget_after_ms; });
        if (it != counts_.end() || counts_.size() < max_sources_)
            counts_[source] = count;
        else
            overflow_ = count;
        return;
    }
    (void)db_->write([&](storage::Tx& tx) -> Status {
        std::string slot = source;
        if (!store::source_count(tx, source)) {
            store::forget_sources_before(tx, now - forget_after_ms);
            if (store::recent_sources(tx, overflow, now - forget_after_ms) >= int64_t(max_sources_)) slot = overflow;
        }
        store::save_source_count(tx, slot, {count.failures, count.next_allowed_ms, count.last_failure_ms});
        return {};
    });
}

void UnsealThrottle::forget_all() {
    counts_.clear();
    overflow_ = {};
    if (db_)
        (void)db_->write([](storage::Tx& tx) -> Status {
            store::forget_all_sources(tx);
            return {};
        });
}

Status UnsealThrottle::begin(const std::string& address) {
    const std::string source = source_of(address);
    std::lock_guard lock(mutex_);
    const int64_t now = clock_.now_ms();
    const Count count = load(source, now);
    if (now < count.next_allowed_ms) return too_many(count.next_allowed_ms - now);
    if (attempt_running_) return too_many(1000);
    attempt_running_ = true;
    return {};
}

void UnsealThrottle::done(const std::string& address, bool wrong, bool unsealed) {
    const std::string source = source_of(address);
    std::lock_guard lock(mutex_);
    attempt_running_ = false;
    if (unsealed) {
        forget_all();
        return;
    }
    if (!wrong) return;
    const int64_t now = clock_.now_ms();
    Count count = load(source, now);
    if (now - count.last_failure_ms >= forget_after_ms) count.failures = 0;
    ++count.failures;
    count.last_failure_ms = now;
    // Three attempts, then 2 s, 4 s, 8 s … up to 10 minutes (Argon2id already costs about a second each).
    if (count.failures >= free_failures)
        count.next_allowed_ms = now + std::min<int64_t>(max_backoff_ms, int64_t(1000) << std::min(count.failures - free_failures + 1, 20));
    save(source, count, now);
}

size_t UnsealThrottle::sources() const {
    std::lock_guard lock(mutex_);
    if (db_) return size_t(db_->read<int64_t>([](storage::Tx& tx) -> Result<int64_t> { return store::sources_but(tx, overflow); }).value());
    return counts_.size();
}

}  // namespace haven::vault
