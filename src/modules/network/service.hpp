// The emergency network's server: opaque mailboxes (docs/EMERGENCY.md). It stores what the operators' and the
// members' devices produce and serves it back; it holds no key that opens any of it. Operators (the
// emergency_operator role) make enrolment codes, read the members' prekeys and the sealed inbox, keep the
// encrypted roster and upload activations; members' devices (no account: a code, then a member token for
// their own prekey only) enrol, rotate their prekey, poll, fetch their wrap by locator and post sealed answers.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "core/result.hpp"
#include "emergency/wire.hpp"
#include "http/signal.hpp"
#include "modules/accounts/service.hpp"
#include "modules/network/store.hpp"
#include "modules/network/types.hpp"
#include "storage/db.hpp"

namespace haven::network {

struct Enrolment {
    int64_t id = 0;
    std::string code;
    int64_t expires_at = 0;
};
struct Registered {
    std::string token;
};

struct Published {
    int64_t published_at = 0;
    bool now = false;  // false: it was published before (a retry), nothing rung again
};

struct Limits {
    int64_t enrolment_hours = 48;
    size_t max_inbox_item = 8192, max_roster = 8 * 1024 * 1024, max_ack = 4096;
    int64_t answers_per_member = 5;  // per activation: a member may change their answer, a few times
    int64_t longest_activation_ms = 30LL * 24 * 3600 * 1000;
};

class Service {
public:
    Service(const modules::Shared& shared, accounts::Service& accounts, Limits limits = {});

    // A single-use code (48 h): 15 random bytes in base32 (24 characters that fit a QR code's alphanumeric mode).
    // `keys` are the organisation key and the operators' box key (32 bytes each) that the code's link
    // fingerprints; an older client sends none.
    Result<Enrolment> new_enrolment(const Principal& operator_, const std::optional<store::CodeKeys>& keys = std::nullopt);
    // The keys an open code was made with, for the device holding the code to check against its link's
    // fingerprint. A code unknown, used, expired, revoked or made without keys: the same 404 as enrolling with it.
    Result<store::CodeKeys> enrolment_keys(const std::string& code);
    // The operators' lists (sealed under the code) for an open code made with keys; 404 otherwise.
    Status set_code_lists(const Principal& operator_, int64_t id, const Bytes& sealed_lists);
    // Codes made and not used yet (by id: the codes themselves are stored hashed), and revoking one.
    Result<std::vector<store::OpenCode>> open_codes(const Principal& operator_);
    Status revoke_code(const Principal& operator_, int64_t id);
    // An operator removes a member (a lost phone): its prekey and token go, so no activation is wrapped for it
    // again and its device can do nothing more; its doorbell goes through Doorbells::forget, called first.
    Status revoke_member(const Principal& operator_, const std::string& member_id);
    // A device enrolling with a code: the random id it chose (16 bytes, hex), its signed prekey, and a packet sealed
    // to the operators (which names that id, so that operators can tie the roster entry to its prekey).
    Result<Registered> register_member(const std::string& code, const std::string& member_id, const SignedPrekey& prekey, const Bytes& packet);
    Status rotate_prekey(const std::string& member_id, const std::string& token, const SignedPrekey& prekey);
    Result<std::vector<MemberKey>> members(const Principal& operator_);
    // Whether a device holds a member's token (for what only members may do, such as setting a doorbell).
    bool is_member(const std::string& member_id, const std::string& token);

    Result<std::vector<InboxItem>> inbox(const Principal& operator_);
    Status drop_inbox(const Principal& operator_, int64_t id);
    Result<Roster> roster(const Principal& operator_);
    // Replaces the roster if `expected_version` is the stored one (409 otherwise); returns the new version.
    Result<int64_t> put_roster(const Principal& operator_, const Bytes& blob, int64_t expected_version);

    // An activation is created (body), filled (wraps, in as many uploads as needed), then published: members see
    // it only whole. `wraps` is locator[16] || wrap[48] || ack_tag[16], repeated.
    Result<std::string> create_activation(const Principal& operator_, const Bytes& body, int64_t expires_at);
    Result<int64_t> add_wraps(const Principal& operator_, const std::string& id, const Bytes& wraps);
    // Publishes; then rings every doorbell (urgent ones — an update, a cancel — before the rest; the server learns
    // only that flag). Publishing again (a reply lost, a retry) changes nothing and rings nobody.
    Result<Published> publish(const Principal& operator_, const std::string& id, bool urgent = false);
    void on_publish(std::function<void(const std::string& id, bool urgent)> ring) { ring_ = std::move(ring); }
    Result<ActivationState> status(const Principal& operator_, const std::string& id);
    Result<std::vector<Bytes>> acks(const Principal& operator_, const std::string& id);

    // Members' side (no account): published, unexpired activations after `after` (at most 100, oldest first), a
    // body, a wrap by locator, a sealed answer (with the member's answer capability for that activation, whose tag
    // one of its wraps carries; at most `answers_per_member` each). A long poll reads published().generation() before asking, and
    // parks on it when there is nothing yet (the transport holds the request, no thread: see http::Park).
    std::vector<Listed> activations(int64_t after);
    http::Signal& published() { return published_; }
    std::optional<Bytes> body(const std::string& id);
    std::optional<Bytes> wrap(const std::string& id, const std::string& locator_hex);
    Status add_ack(const std::string& id, const std::string& capability_hex, const Bytes& sealed);
    // A device leaves the network (with its token): its member row and prekey go; its doorbell goes through
    // Doorbells::forget, called first.
    Status leave(const std::string& member_id, const std::string& token);

    // Deletes expired activations with their wraps, answers, doorbell rings and delivery counts, and expired
    // enrolment codes; first adds the fetch counts kept in memory to the database. Returns how many activations went.
    int64_t sweep();

    // A publication in another process on the same database (storage::listen on `published_channel`): the polls
    // parked here look again.
    void heard_published();
    static constexpr const char* published_channel = "network_published";

private:
    const std::vector<Listed>& recent(std::unique_lock<std::mutex>& lock);
    Status operator_only(const Principal& p) const;

    storage::Database& db_;
    const Clock& clock_;
    const audit::Recorder& audit_;
    accounts::Service& accounts_;
    Limits limits_;
    http::Signal published_;
    // Published, unexpired activations, read once for the thousands of polls a publication wakes: reloaded
    // after a publication or a sweep here, and at least every second (another server on the same database).
    std::mutex mutex_;
    std::vector<Listed> recent_;
    int64_t recent_loaded_ = -1;  // clock ms; -1: load before use
    std::atomic<int64_t> last_sweep_{0};
    std::function<void(const std::string&, bool)> ring_;
    std::map<std::string, int64_t> fetched_;  // wraps fetched since the last flush, by activation (under mutex_)
    void flush_fetched();
    void flush_fetched_now_and_then(int64_t now);
    std::atomic<int64_t> last_flush_{0};
};

}  // namespace haven::network
