// A Signal is what a parked request waits for (a long poll: see Park in message.hpp). A service notifies it when
// something new exists (an activation published); the transport listens on it for each parked request, with no
// thread held while it waits. No Beast here: services include it.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <unordered_map>

namespace haven::http {

class Signal {
public:
    // Read before looking for something new; a request parked with this value wakes on any later notify().
    uint64_t generation() const;
    // Bumps the generation and calls every listener once (on this thread), then forgets them.
    void notify();
    // Calls `wake` once: on the next notify(), or at once (on this thread) if the generation has already moved
    // past `seen`. Returns a ticket for forget(); `wake` must only post work elsewhere, never block.
    uint64_t listen(uint64_t seen, std::function<void()> wake);
    // Drops a listener that has not been called (no effect when it has been).
    void forget(uint64_t ticket);
    size_t listeners() const;

private:
    mutable std::mutex mutex_;
    uint64_t generation_ = 0, next_ticket_ = 1;
    std::unordered_map<uint64_t, std::function<void()>> listeners_;
};

}  // namespace haven::http
