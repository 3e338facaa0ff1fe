// Waiting in tests for what another thread or process does: poll a condition until it holds or a limit passes.
// Limits are generous (CI machines are shared and slow at times); a test that measures a delay prints it instead.
#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace haven::testing {

// True once `done()` holds, polled every `step` for at most `limit`; its last answer otherwise.
inline bool within(std::chrono::milliseconds limit, const std::function<bool()>& done,
                   std::chrono::milliseconds step = std::chrono::milliseconds(5)) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() >= until) return done();
        std::this_thread::sleep_for(step);
    }
    return true;
}

}  // namespace haven::testing
