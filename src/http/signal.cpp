#include "http/signal.hpp"

#include <vector>

namespace haven::http {

uint64_t Signal::generation() const {
    std::lock_guard lock(mutex_);
    return generation_;
}

void Signal::notify() {
    std::unordered_map<uint64_t, std::function<void()>> fire;
    {
        std::lock_guard lock(mutex_);
        ++generation_;
        fire.swap(listeners_);
    }
    for (auto& [ticket, wake] : fire) wake();
}

uint64_t Signal::listen(uint64_t seen, std::function<void()> wake) {
    {
        std::lock_guard lock(mutex_);
        if (generation_ == seen) {
            const uint64_t ticket = next_ticket_++;
            listeners_.emplace(ticket, std::move(wake));
            return ticket;
        }
    }
    wake();
    return 0;
}

void Signal::forget(uint64_t ticket) {
    std::lock_guard lock(mutex_);
    listeners_.erase(ticket);
}

size_t Signal::listeners() const {
    std::lock_guard lock(mutex_);
    return listeners_.size();
}

}  // namespace haven::http
