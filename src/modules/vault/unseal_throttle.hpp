// Wrong unseal attempts from strangers (the form and the API), counted per source: three free, then 2 s, 4 s …
// 10 min for that source alone, so nobody can keep the vault sealed against the operator — who unseals from the
// server itself with DATA/seal-token, a path this throttle never counts or refuses. A source is a keyed hash of
// the client address; the address itself is never kept or logged. With a database (haven serve), the counts live
// in vault_unseal_sources under a key from DATA/unseal-throttle-key, shared by every process of the store; without
// (tests), in memory under a key made per process.
// Bounded: at most `max_sources` entries. A source quiet for an hour is forgotten; when every entry is recent,
// new sources share one overflow entry, so a flood from many addresses throttles itself and nobody else.
// Strangers' attempts also run one at a time (Argon2id takes 256 MiB each): another gets 429, retry in 1 s.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "storage/db.hpp"

namespace haven::vault {

class UnsealThrottle {
public:
    explicit UnsealThrottle(const Clock& clock, size_t max_sources = 4096);
    // Counts kept in `db` (the store is readable while sealed), sources hashed under `key`.
    UnsealThrottle(const Clock& clock, storage::Database& db, std::string key, size_t max_sources = 4096);

    // Takes the attempt slot for `address` (429 too_many_attempts, with Retry-After, when that source must wait
    // or another stranger's attempt is running); done() gives it back.
    Status begin(const std::string& address);
    // The attempt's outcome: a wrong passphrase or wrong key files count against the source; an unseal forgets
    // every count (the operator is in).
    void done(const std::string& address, bool wrong, bool unsealed);

    size_t sources() const;

private:
    struct Count {
        int failures = 0;
        int64_t next_allowed_ms = 0;
        int64_t last_failure_ms = 0;
    };
    std::string source_of(const std::string& address) const;
    // The count of a source (the shared one when the table is full of recent sources), and its saving. Hold mutex_.
    Count load(const std::string& source, int64_t now);
    void save(const std::string& source, const Count& count, int64_t now);
    void forget_all();

    const Clock& clock_;
    const size_t max_sources_;
    const std::string key_;
    storage::Database* db_ = nullptr;
    mutable std::mutex mutex_;
    bool attempt_running_ = false;
    std::unordered_map<std::string, Count> counts_;
    Count overflow_;
};

}  // namespace haven::vault
