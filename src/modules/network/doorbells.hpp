// Doorbells (docs/EMERGENCY.md): a content-free "check your mailbox" sent to every member's doorbell when an
// activation is published. One queue per channel (e-mail, webhook, Matrix, Web Push), each delivering up to
// `parallel_deliveries` rings at once with a deadline each, so that neither a stalled channel nor a slow target
// delays the others; priorities (urgent > first wave > retries); exponential back-off kept in the database; depth
// and oldest ring visible to operators. Addresses are sealed by the vault: while it is sealed, rings wait.
// One doorbell per member device, found by a keyed hash of the member id.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "crypto/vault.hpp"
#include "modules/network/store.hpp"
#include "outbound/doorbell_channels.hpp"
#include "storage/db.hpp"

namespace haven::network {

const std::vector<std::string>& doorbell_channels();  // email, webhook, matrix, webpush

// The channels themselves (e-mail, webhook, Matrix, Web Push) are outbound I/O: outbound/doorbell_channels.hpp.
using outbound::Bell;
using outbound::Ringer;

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
    // The member's device's doorbell, replacing the one it had (503 "sealed" while the vault is sealed: the
    // address is sealed by it). Webhooks to private, loopback or link-local literal addresses are refused here,
    // and any name resolving to one at delivery — unless `allow_private_targets` (tests only).
    Result<Made> subscribe(const std::string& member_id, const std::string& channel, const std::string& address, const std::string& secret);
    Status unsubscribe(int64_t id, const std::string& token);
    // The public key browsers subscribe to Web Push with (applicationServerKey): 404 when this server does not
    // offer Web Push, 503 "sealed" while the vault is sealed (the key derives from it).
    Result<std::string> push_key() const;
    // Removes the doorbell of a member's device that leaves.
    Status forget(const std::string& member_id);
    void allow_private_targets(bool allow) { private_targets_ = allow; }
    // Queues a ring for every doorbell, for a published activation; urgent ones go before the rest. Returns how many.
    Result<int64_t> ring_all(const std::string& activation_id, bool urgent);
    std::vector<QueueState> queues();
    // Per configured channel: that activation's rings delivered, given up and still waiting.
    std::vector<Delivery> deliveries(const std::string& activation_id);

    static constexpr int max_attempts = 8;
    static constexpr int64_t lease_ms = 3 * 60 * 1000;  // longer than one attempt may last (doorbell-timeout-seconds ≤ 120)
    static constexpr size_t parallel_deliveries = 32;   // per channel
    int64_t backoff_ms(int64_t attempts) const;         // 5 s, 10 s, 20 s … at most 10 min

private:
    using Due = store::DueRing;
    // Per channel: a signal for its idle deliverers.
    struct Lane {
        std::condition_variable wake;
        uint64_t generation = 0;
    };
    void work(const std::string& channel, size_t index);
    std::optional<Due> claim(const std::string& channel);
    void deliver(const std::string& channel, const Due& ring);
    Result<std::string> owner_of(const std::string& member_id) const;

    storage::Database& db_;
    const crypto::Vault& vault_;
    const Clock& clock_;
    std::map<std::string, Ringer> ringers_;
    std::map<std::string, std::unique_ptr<std::atomic<int64_t>>> delivered_, failed_;
    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::map<std::string, Lane> lanes_;  // under mutex_
    bool stopping_ = false;
    bool private_targets_ = false;
};

}  // namespace haven::network
