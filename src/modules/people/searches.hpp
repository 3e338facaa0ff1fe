// Searches typed on the people list, kept in memory for a short while under a random token, so that the
// results are a page reached by GET (the browser's Back works) while the name typed never enters a URL, a
// log or the database. Bound to the account that searched; gone after ten minutes, at a panic seal and at a
// restart (the list then says the search has expired).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "core/clock.hpp"

namespace haven::people {

class Searches {
public:
    static constexpr int64_t keep_ms = 10 * 60 * 1000;
    static constexpr size_t max_kept = 10'000;  // the oldest goes first beyond this

    explicit Searches(const Clock& clock) : clock_(clock) {}
    // The token of a kept search (43 characters, URL-safe).
    std::string keep(int64_t account_id, std::string query);
    // The search behind `token`, if `account_id` made it and it has not expired.
    std::optional<std::string> find(int64_t account_id, const std::string& token);
    void clear();
    size_t size();

private:
    struct Kept {
        int64_t account_id = 0, until = 0;
        std::string query;
    };
    void drop_expired(int64_t now);  // under mutex_

    const Clock& clock_;
    std::mutex mutex_;
    std::map<std::string, Kept> kept_;
};

}  // namespace haven::people
