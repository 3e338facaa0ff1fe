#include "modules/network/doorbells.hpp"

#include <chrono>

#include "core/ids.hpp"
#include "core/log.hpp"
#include "crypto/mac.hpp"
#include "crypto/random.hpp"
#include "crypto/vault.hpp"
#include "crypto/web_push.hpp"
#include "emergency/wire.hpp"
#include "http/transport/client.hpp"
#include "modules/network/store.hpp"

namespace haven::network {

using storage::Tx;

const std::vector<std::string>& doorbell_channels() {
    static const std::vector<std::string> v = {"email", "webhook", "matrix", "webpush"};
    return v;
}

namespace {

// The host of an http(s) URL: between the scheme and the first '/', '?' or '#', without userinfo or port.
std::string url_host(const std::string& url) {
    std::string rest = url.substr(url.find("://") + 3);
    rest = rest.substr(0, rest.find_first_of("/?#"));
    if (const size_t at = rest.rfind('@'); at != std::string::npos) rest = rest.substr(at + 1);
    if (!rest.empty() && rest.front() == '[') return rest.substr(0, rest.find(']') + 1);
    return rest.substr(0, rest.find(':'));
}

Status check_address(const std::string& channel, const std::string& a, bool private_targets) {
    if (a.empty() || a.size() > 500 || a.find_first_of("\r\n\t ") != std::string::npos)
        return invalid("address", "address is one line of at most 500 bytes.");
    if (channel == "email" &&
        (a.find('@') == std::string::npos || a.find('@') == 0 || a.find('@') == a.size() - 1 || a.find_first_of("<>") != std::string::npos))
        return invalid("address", "An e-mail doorbell needs an address such as alias@example.org.");
    if (channel == "webhook" || channel == "webpush") {
        // A push service is always https; plain http only for the tests' local receivers.
        const bool plain_ok = channel == "webhook" || private_targets;
        if (a.rfind("https://", 0) != 0 && (!plain_ok || a.rfind("http://", 0) != 0))
            return invalid("address", channel == "webhook" ? "A webhook is an http(s):// URL." : "A Web Push endpoint is an https:// URL.");
        const std::string host = url_host(a);
        if (host.empty() || a.find('@') != std::string::npos) return invalid("address", "The URL names a host, without user or password.");
        // Names are checked again at every delivery, after resolving (a name may point anywhere, and change).
        if (!private_targets && http::client::public_address(host) == false)
            return invalid("address", "A doorbell may not point to a private, loopback or link-local address.");
    }
    if (channel == "matrix" && !outbound::valid_room_id(a))
        return invalid(
            "address",
            "A Matrix doorbell is a room id such as !abc123:example.org (letters, digits and ._=+- before the colon, a server name after).");
    return {};
}

}  // namespace

Doorbells::Doorbells(storage::Database& db, const crypto::Vault& vault, const Clock& clock) : db_(db), vault_(vault), clock_(clock) {
    for (const auto& c : doorbell_channels()) {
        delivered_[c] = std::make_unique<std::atomic<int64_t>>(0);
        failed_[c] = std::make_unique<std::atomic<int64_t>>(0);
    }
}

Doorbells::~Doorbells() { stop(); }

void Doorbells::set_ringer(const std::string& channel, Ringer ringer) { ringers_[channel] = std::move(ringer); }

void Doorbells::start() {
    for (const auto& [channel, ringer] : ringers_) {
        {
            std::lock_guard lock(mutex_);
            lanes_[channel];  // made before the deliverers run: they hold references to it
        }
        for (size_t i = 0; i < parallel_deliveries; ++i) workers_.emplace_back([this, c = channel, i] { work(c, i); });
    }
}

void Doorbells::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    for (auto& [channel, lane] : lanes_) lane.wake.notify_all();
    for (auto& t : workers_)
        if (t.joinable()) t.join();
    workers_.clear();
}

int64_t Doorbells::backoff_ms(int64_t attempts) const { return std::min<int64_t>(5'000LL << std::min<int64_t>(attempts - 1, 20), 600'000); }

Result<std::string> Doorbells::owner_of(const std::string& member_id) const {
    if (vault_.sealed()) return make_error(ErrorKind::unavailable, "sealed", "Haven is sealed: doorbells wait until it is unsealed.");
    std::string h;
    try {
        vault_.with_key(crypto::KeyPurpose::blind_index, "network_doorbells.owner",
                        [&](const crypto::SecretKey& key) { h = crypto::keyed_hash(key.data(), member_id, 16); });
    } catch (const crypto::VaultSealed&) {  // sealed in between
        return make_error(ErrorKind::unavailable, "sealed", "Haven is sealed: doorbells wait until it is unsealed.");
    }
    return to_hex(h);
}

Result<Doorbells::Made> Doorbells::subscribe(const std::string& member_id, const std::string& channel, const std::string& address,
                                             const std::string& secret) {
    if (!ringers_.count(channel))
        return invalid("channel", "This server does not ring on " + channel + " (e-mail, webhook, Matrix or Web Push, as configured).");
    if (auto s = check_address(channel, address, private_targets_); !s) return s.error();
    if (channel == "webhook" && (secret.size() < 16 || secret.size() > 200))
        return invalid("secret", "A webhook needs a secret of 16 to 200 bytes to sign with.");
    HAVEN_TRY(owner, owner_of(member_id));
    Made made{new_id(), crypto::random_token()};
    const std::string sealed_address = vault_.seal_field("network_doorbells", "address", made.id, address);
    const std::string sealed_secret = secret.empty() ? std::string() : vault_.seal_field("network_doorbells", "secret", made.id, secret);
    HAVEN_CHECK(db_.write([&](Tx& tx) -> Status {
        // One a device: the new one replaces the last (its waiting rings go with it).
        if (auto old = store::doorbell_of(tx, owner)) store::delete_doorbell(tx, *old);
        store::add_doorbell(tx, made.id, channel, sealed_address, sealed_secret, crypto::token_hash(made.token), clock_.now_ms(), owner);
        return {};
    }));
    return made;
}

Status Doorbells::forget(const std::string& member_id) {
    HAVEN_TRY(owner, owner_of(member_id));
    return db_.write([&](Tx& tx) -> Status {
        if (auto id = store::doorbell_of(tx, owner)) store::delete_doorbell(tx, *id);
        return {};
    });
}

Status Doorbells::unsubscribe(int64_t id, const std::string& token) {
    return db_.write([&](Tx& tx) -> Status {
        const auto kept = store::doorbell_token_hash(tx, id);
        if (!kept || !crypto::equal_secret(*kept, crypto::token_hash(token)))
            return make_error(ErrorKind::not_found, "not_found", "There is no such doorbell.");
        store::delete_doorbell(tx, id);
        return {};
    });
}

Result<int64_t> Doorbells::ring_all(const std::string& activation_id, bool urgent) {
    const int64_t now = clock_.now_ms();
    HAVEN_TRY(rung, db_.write<int64_t>([&](Tx& tx) -> Result<int64_t> {
        const auto all = store::doorbells(tx);
        for (const auto& d : all) store::add_ring(tx, new_id(), d.id, d.channel, urgent ? 0 : 1, now, crypto::random_token(), activation_id);
        return int64_t(all.size());
    }));
    {
        std::lock_guard lock(mutex_);
        for (auto& [channel, lane] : lanes_) ++lane.generation;
    }
    for (auto& [channel, lane] : lanes_) lane.wake.notify_all();
    return rung;
}

std::vector<QueueState> Doorbells::queues() {
    std::vector<QueueState> out;
    const int64_t now = clock_.now_ms();
    for (const auto& c : doorbell_channels()) {
        if (!ringers_.count(c)) continue;
        store::QueueRow q;
        db_.read([&](Tx& tx) { q = store::queue(tx, c); });
        out.push_back({c, q.depth, q.oldest_created_at ? now - *q.oldest_created_at : 0, delivered_[c]->load(), failed_[c]->load()});
    }
    return out;
}

std::vector<Delivery> Doorbells::deliveries(const std::string& activation_id) {
    std::vector<Delivery> out;
    for (const auto& c : doorbell_channels()) {
        if (!ringers_.count(c)) continue;
        Delivery d{c};
        db_.read([&](Tx& tx) {
            if (auto r = store::delivery(tx, activation_id, c)) d = {c, r->delivered, r->failed, 0, r->last_at};
            d.waiting = store::waiting_rings(tx, activation_id, c);
        });
        out.push_back(d);
    }
    return out;
}

// Takes the channel's most urgent due ring and leases it: its next attempt moves `lease_ms` ahead in the transaction
// that finds it due, so of all deliverers — threads here, or processes on the same PostgreSQL, which skip the rows
// another holds (FOR UPDATE SKIP LOCKED) — one only takes it. The delivery then deletes it or sets its next attempt;
// a process that dies meanwhile leaves it to be taken again once the lease ends.
std::optional<Doorbells::Due> Doorbells::claim(const std::string& channel) {
    const int64_t now = clock_.now_ms();
    auto taken = db_.write<std::optional<Due>>([&](Tx& tx) -> Result<std::optional<Due>> {
        auto due = store::due_rings(tx, channel, now, 1, db_.engine() == "postgres");
        if (due.empty()) return std::optional<Due>();
        store::lease_ring(tx, due.front().ring, now + lease_ms);
        return std::optional<Due>(std::move(due.front()));
    });
    return taken ? std::move(*taken) : std::nullopt;
}

// Tries one ring once, on its own thread, within the ringer's deadline; then reschedules, drops or counts it.
void Doorbells::deliver(const std::string& channel, const Due& ring) {
    const int64_t attempts = ring.attempts + 1;
    Bell bell{"", "", ring.idempotency_key};
    Status sent;
    try {
        auto address = vault_.open_field("network_doorbells", "address", ring.doorbell, ring.address);
        if (address) bell.address = address.value();
        if (ring.has_secret)
            if (auto secret = vault_.open_field("network_doorbells", "secret", ring.doorbell, ring.secret)) bell.secret = secret.value();
        sent = address ? ringers_.at(channel)(bell) : Status(address.error());
    } catch (const crypto::VaultSealed&) {
        // Sealed in between: the ring waits for the unseal, its attempts untouched (and its lease given back).
        (void)db_.write([&](Tx& tx) -> Status {
            store::lease_ring(tx, ring.ring, clock_.now_ms());
            return {};
        });
        return;
    }
    crypto::wipe(bell.secret);
    const bool done = sent || attempts >= max_attempts;
    (void)db_.write([&](Tx& tx) -> Status {
        if (done)
            store::finish_ring(tx, ring, channel, bool(sent), clock_.now_ms());
        else
            store::reschedule_ring(tx, ring.ring, attempts, clock_.now_ms() + backoff_ms(attempts));
        return {};
    });
    if (sent)
        ++*delivered_[channel];
    else {
        log::warn("doorbell_failed", {{"channel", channel}, {"attempt", std::to_string(attempts)}, {"why", sent.error().message}});
        if (attempts >= max_attempts) ++*failed_[channel];
    }
}

// One of the channel's `parallel_deliveries` deliverers: each takes a ring, delivers it within its deadline, and
// takes the next; a target that never answers holds one deliverer for one deadline and delays nobody else.
void Doorbells::work(const std::string& channel, size_t index) {
    Lane* lane = nullptr;
    {
        std::lock_guard lock(mutex_);
        lane = &lanes_.at(channel);
    }
    for (;;) {
        uint64_t seen;
        {
            std::lock_guard lock(mutex_);
            if (stopping_) return;
            seen = lane->generation;
        }
        std::optional<Due> ring;
        // While the vault is sealed no address can be opened: rings wait, their attempts untouched.
        if (!vault_.sealed()) {
            try {
                ring = claim(channel);
            } catch (const std::exception&) {
                log::error("doorbell_worker", {{"channel", channel}});
            }
        }
        if (ring) {
            {
                std::lock_guard lock(mutex_);
                ++lane->generation;
            }
            lane->wake.notify_one();  // a sibling looks for the next ring meanwhile
            try {
                deliver(channel, *ring);
            } catch (const std::exception&) {
                log::error("doorbell_worker", {{"channel", channel}});
            }
            continue;
        }
        std::unique_lock lock(mutex_);
        auto woken = [&] { return stopping_ || lane->generation != seen; };
        // A publication wakes the deliverers at once; idle, the first of them looks for due retries once a second.
        if (index == 0)
            lane->wake.wait_for(lock, std::chrono::seconds(1), woken);
        else
            lane->wake.wait(lock, woken);
    }
}

Result<std::string> Doorbells::push_key() const {
    if (!ringers_.count("webpush")) return make_error(ErrorKind::not_found, "not_found", "This server does not offer Web Push doorbells.");
    try {
        return crypto::vapid_public_key(*vault_.subkey(crypto::KeyPurpose::web_push));
    } catch (const crypto::VaultSealed&) {
        return make_error(ErrorKind::unavailable, "sealed", "Haven is sealed: doorbells can be set once it is unsealed.");
    }
}

}  // namespace haven::network
