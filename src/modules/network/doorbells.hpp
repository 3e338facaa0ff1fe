// Doorbells (docs/EMERGENCY.md): a content-free "check your mailbox" sent to every member's doorbell when an
// activation is published. One queue and one worker thread per channel (e-mail, webhook, Matrix), so that a
// stalled channel never delays another; priorities (urgent > first wave > retries); exponential back-off kept
// in the database; depth and oldest ring visible to operators. Addresses are sealed by the vault.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "crypto/vault.hpp"
#include "storage/db.hpp"

namespace haven::network {

const std::vector<std::string>& doorbell_channels();  // email, webhook, matrix

// Delivers one doorbell on one channel; an error is retried later. Must return within its own timeout.
struct Bell {
    std::string address, secret, idempotency_key;
};
using Ringer = std::function<Status(const Bell&)>;

struct QueueState {
    std::string channel;
    int64_t depth = 0, oldest_ms = 0, delivered = 0, failed = 0;  // oldest: age of the oldest waiting ring
};

// What one channel did for one activation's rings (the drill report's "delivered per channel").
struct Delivery {
    std::string channel;
    int64_t delivered = 0, failed = 0, waiting = 0, last_at = 0;  // last_at: when the last was delivered (ms)
};

class Doorbells {
public:
    Doorbells(storage::Database& db, const crypto::Vault& vault, const Clock& clock);
    ~Doorbells();

    // A channel with no ringer is off: subscribing to it is refused.
    void set_ringer(const std::string& channel, Ringer ringer);
    void start();  // one worker a channel
    void stop();

    struct Made {
        int64_t id = 0;
        std::string token;
    };
    Result<Made> subscribe(const std::string& channel, const std::string& address, const std::string& secret);
    Status unsubscribe(int64_t id, const std::string& token);
    // Queues a ring for every doorbell, for a published activation; urgent ones go before the rest. Returns how many.
    Result<int64_t> ring_all(const std::string& activation_id, bool urgent);
    std::vector<QueueState> queues();
    // Per configured channel: that activation's rings delivered, given up and still waiting.
    std::vector<Delivery> deliveries(const std::string& activation_id);

    static constexpr int max_attempts = 8;
    int64_t backoff_ms(int64_t attempts) const;  // 5 s, 10 s, 20 s … at most 10 min

private:
    void work(const std::string& channel);
    bool deliver_one(const std::string& channel);

    storage::Database& db_;
    const crypto::Vault& vault_;
    const Clock& clock_;
    std::map<std::string, Ringer> ringers_;
    std::map<std::string, std::unique_ptr<std::atomic<int64_t>>> delivered_, failed_;
    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    int64_t rung_ = 0;  // publications rung so far: a worker that saw an older count does not sleep
};

// The real channels. Each has its own timeout (seconds).
Ringer smtp_ringer(const std::string& relay, const std::string& from, int timeout_seconds = 10);
Ringer webhook_ringer(int timeout_seconds = 10);
Ringer matrix_ringer(const std::string& homeserver, const std::string& access_token, int timeout_seconds = 10);

}  // namespace haven::network
