// Time as epoch milliseconds, behind an interface so tests can move it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace haven {

class Clock {
public:
    virtual ~Clock() = default;
    virtual int64_t now_ms() const = 0;
};

class SystemClock final : public Clock {
public:
    int64_t now_ms() const override {
        using namespace std::chrono;
        return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    }
};

// A clock that only moves when a test says so.
class ManualClock final : public Clock {
public:
    explicit ManualClock(int64_t start_ms = 1'700'000'000'000) : now_(start_ms) {}
    int64_t now_ms() const override { return now_.load(); }
    void advance_ms(int64_t ms) { now_ += ms; }
    void set_ms(int64_t ms) { now_ = ms; }

private:
    std::atomic<int64_t> now_;
};

}  // namespace haven
