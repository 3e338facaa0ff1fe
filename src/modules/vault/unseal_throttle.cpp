#include "modules/vault/unseal_throttle.hpp"

#include <algorithm>

#include "crypto/random.hpp"

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

}  // namespace

UnsealThrottle::UnsealThrottle(const Clock& clock, size_t max_sources)
    : clock_(clock), max_sources_(std::max<size_t>(1, max_sources)), key_(crypto::random_bytes(32)) {}

// BLAKE2b over a fixed-length random key and the address: a keyed hash (BLAKE2 has no length extension).
std::string UnsealThrottle::source_of(const std::string& address) const { return crypto::token_hash(key_ + address); }

UnsealThrottle::Count& UnsealThrottle::count_for(const std::string& source, int64_t now) {
    if (auto it = counts_.find(source); it != counts_.end()) return it->second;
    if (counts_.size() >= max_sources_)
        std::erase_if(counts_, [now](const auto& entry) { return now - entry.second.last_failure_ms >= forget_after_ms; });
    if (counts_.size() >= max_sources_) return overflow_;
    return counts_[source];
}

Status UnsealThrottle::begin(const std::string& address) {
    const std::string source = source_of(address);
    std::lock_guard lock(mutex_);
    const int64_t now = clock_.now_ms();
    auto it = counts_.find(source);
    const Count& count = it != counts_.end() ? it->second : counts_.size() >= max_sources_ ? overflow_ : Count{};
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
        counts_.clear();
        overflow_ = {};
        return;
    }
    if (!wrong) return;
    const int64_t now = clock_.now_ms();
    Count& count = count_for(source, now);
    if (now - count.last_failure_ms >= forget_after_ms) count.failures = 0;
    ++count.failures;
    count.last_failure_ms = now;
    // Three attempts, then 2 s, 4 s, 8 s … up to 10 minutes (Argon2id already costs about a second each).
    if (count.failures >= free_failures)
        count.next_allowed_ms = now + std::min<int64_t>(max_backoff_ms, int64_t(1000) << std::min(count.failures - free_failures + 1, 20));
}

size_t UnsealThrottle::sources() const {
    std::lock_guard lock(mutex_);
    return counts_.size();
}

}  // namespace haven::vault
