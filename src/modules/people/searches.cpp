#include "modules/people/searches.hpp"

#include <algorithm>

#include "crypto/random.hpp"

namespace haven::people {

void Searches::drop_expired(int64_t now) {
    std::erase_if(kept_, [&](const auto& k) { return k.second.until <= now; });
}

std::string Searches::keep(int64_t account_id, std::string query) {
    const int64_t now = clock_.now_ms();
    std::string token = crypto::random_token();
    std::lock_guard lock(mutex_);
    drop_expired(now);
    if (kept_.size() >= max_kept)
        kept_.erase(std::min_element(kept_.begin(), kept_.end(), [](const auto& a, const auto& b) { return a.second.until < b.second.until; }));
    kept_[token] = Kept{account_id, now + keep_ms, std::move(query)};
    return token;
}

std::optional<std::string> Searches::find(int64_t account_id, const std::string& token) {
    std::lock_guard lock(mutex_);
    drop_expired(clock_.now_ms());
    auto it = kept_.find(token);
    if (it == kept_.end() || it->second.account_id != account_id) return std::nullopt;
    return it->second.query;
}

void Searches::clear() {
    std::lock_guard lock(mutex_);
    kept_.clear();
}

size_t Searches::size() {
    std::lock_guard lock(mutex_);
    return kept_.size();
}

}  // namespace haven::people
