#include "modules/network/service.hpp"

#include <chrono>

#include "core/ids.hpp"
#include "crypto/random.hpp"
#include "crypto/totp.hpp"
#include "crypto/vault.hpp"
#include "modules/network/store.hpp"

namespace haven::network {

using accounts::Action;
using accounts::may;
using storage::Tx;

namespace {

// One answer for every code that does not open, whatever the reason: no oracle of which codes were ever made.
Error unknown_code() { return make_error(ErrorKind::not_found, "not_found", "This enrolment code is unknown, used or expired.", "code"); }

Error no_activation() { return make_error(ErrorKind::not_found, "not_found", "There is no such activation."); }

Status check_prekey(const SignedPrekey& p) {
    if (p.prekey.size() != 32) return invalid("prekey", "prekey is an X25519 public key (32 bytes, hex).");
    if (p.signature.size() != 64) return invalid("signature", "signature is an Ed25519 signature (64 bytes, hex).");
    return {};
}

// Whether `token` is the member's, against the hash kept (in constant time).
bool token_opens(const std::optional<std::string>& kept_hash, const std::string& token) {
    return kept_hash && crypto::equal_secret(*kept_hash, crypto::token_hash(token));
}

bool hex_id(const std::string& id, size_t bytes) {
    auto raw = from_hex(id);
    return raw && raw->size() == bytes;
}

Error sealed_error() {
    return make_error(ErrorKind::unavailable, "sealed",
                      "Haven is sealed: members' devices are still served, but an operator's change is written to the signed audit log, which "
                      "needs the vault. Unseal first.");
}

// Every change an operator makes is audited, and the audit log is signed under the vault: while the vault is
// sealed (the network keeps serving through a panic seal) the change is refused, and rolled back with it.
Status audited(const audit::Recorder& audit, Tx& tx, std::string_view action, int64_t actor) {
    try {
        audit.record(tx, {action, actor});
    } catch (const crypto::VaultSealed&) {
        return sealed_error();
    }
    return {};
}

}  // namespace

Service::Service(const modules::Shared& shared, accounts::Service& accounts, Limits limits)
    : db_(shared.db), clock_(shared.clock), audit_(shared.audit), accounts_(accounts), limits_(limits) {}

Status Service::operator_only(const Principal& p) const {
    if (!may(p, Action::network_operate, std::nullopt)) return accounts::role_forbids();
    return {};
}

Result<Enrolment> Service::new_enrolment(const Principal& op, const std::optional<store::CodeKeys>& keys) {
    if (auto s = operator_only(op); !s) return s.error();
    if (keys && keys->org_pk.size() != 32) return invalid("org_pk", "org_pk is the organisation's Ed25519 public key (32 bytes, hex).");
    if (keys && keys->box_pk.size() != 32) return invalid("box_pk", "box_pk is the operators' X25519 public key (32 bytes, hex).");
    // 120 bits: no partial base32 character, and far beyond guessing within 48 hours.
    Enrolment e{new_id(), crypto::base32_encode(crypto::random_bytes(15)), clock_.now_ms() + limits_.enrolment_hours * 3600 * 1000};
    HAVEN_CHECK(db_.write([&](Tx& tx) -> Status {
        store::add_code(tx, e.id, crypto::token_hash(e.code), op.account_id, clock_.now_ms(), e.expires_at, keys ? *keys : store::CodeKeys{});
        return audited(audit_, tx, "network.enrolment_code", op.account_id);
    }));
    return e;
}

Result<store::CodeKeys> Service::enrolment_keys(const std::string& code) {
    return db_.read<store::CodeKeys>([&](Tx& tx) -> Result<store::CodeKeys> {
        auto keys = store::open_code_keys(tx, crypto::token_hash(code), clock_.now_ms());
        if (!keys) return unknown_code();
        return *keys;
    });
}

Status Service::set_code_lists(const Principal& op, int64_t id, const Bytes& sealed_lists) {
    if (auto s = operator_only(op); !s) return s;
    return db_.write([&](Tx& tx) -> Status {
        if (!store::set_code_lists(tx, id, sealed_lists, clock_.now_ms()))
            return make_error(ErrorKind::not_found, "not_found", "There is no open enrolment code with this id (made with its keys).");
        return {};
    });
}

Result<std::vector<store::OpenCode>> Service::open_codes(const Principal& op) {
    if (auto s = operator_only(op); !s) return s.error();
    return db_.read<std::vector<store::OpenCode>>(
        [&](Tx& tx) -> Result<std::vector<store::OpenCode>> { return store::open_codes(tx, clock_.now_ms()); });
}

Status Service::revoke_code(const Principal& op, int64_t id) {
    if (auto s = operator_only(op); !s) return s;
    return db_.write([&](Tx& tx) -> Status {
        if (!store::delete_open_code(tx, id)) return make_error(ErrorKind::not_found, "not_found", "There is no unused enrolment code with this id.");
        return audited(audit_, tx, "network.enrolment_code_revoked", op.account_id);
    });
}

Status Service::revoke_member(const Principal& op, const std::string& member_id) {
    if (auto s = operator_only(op); !s) return s;
    if (!hex_id(member_id, 16)) return make_error(ErrorKind::not_found, "not_found", "There is no such member.");
    return db_.write([&](Tx& tx) -> Status {
        if (!store::delete_member(tx, member_id)) return make_error(ErrorKind::not_found, "not_found", "There is no such member (revoked already?).");
        return audited(audit_, tx, "network.member_revoked", op.account_id);
    });
}

Result<Registered> Service::register_member(const std::string& code, const std::string& member_id, const SignedPrekey& prekey, const Bytes& packet) {
    if (!hex_id(member_id, 16)) return invalid("member_id", "member_id is 16 random bytes, hex (the device chooses it).");
    if (auto s = check_prekey(prekey); !s) return s.error();
    if (packet.empty() || packet.size() > limits_.max_inbox_item)
        return invalid("packet", "packet is what the device seals for the operators (at most " + std::to_string(limits_.max_inbox_item) + " bytes).");
    Registered out{crypto::random_token()};
    const int64_t now = clock_.now_ms();
    HAVEN_CHECK(db_.write([&](Tx& tx) -> Status {
        const auto open = store::open_code(tx, crypto::token_hash(code), now);
        if (!open) return unknown_code();
        if (store::member_exists(tx, member_id))
            return make_error(ErrorKind::conflict, "conflict", "This member id is taken: the device must choose another.", "member_id");
        store::use_code(tx, *open, now);
        store::add_member(tx, member_id, prekey, crypto::token_hash(out.token), now);
        store::add_inbox(tx, new_id(), packet, now);
        return {};
    }));
    return out;
}

Status Service::rotate_prekey(const std::string& member_id, const std::string& token, const SignedPrekey& prekey) {
    if (auto s = check_prekey(prekey); !s) return s;
    return db_.write([&](Tx& tx) -> Status {
        if (!token_opens(store::member_token_hash(tx, member_id), token))
            return make_error(ErrorKind::not_found, "not_found", "There is no such member.");
        store::set_prekey(tx, member_id, prekey, clock_.now_ms());
        return {};
    });
}

bool Service::is_member(const std::string& member_id, const std::string& token) {
    if (!hex_id(member_id, 16) || token.empty()) return false;
    std::optional<std::string> hash;
    db_.read([&](Tx& tx) { hash = store::member_token_hash(tx, member_id); });
    return token_opens(hash, token);
}

Status Service::leave(const std::string& member_id, const std::string& token) {
    return db_.write([&](Tx& tx) -> Status {
        if (!token_opens(store::member_token_hash(tx, member_id), token))
            return make_error(ErrorKind::not_found, "not_found", "There is no such member.");
        store::delete_member(tx, member_id);
        return {};
    });
}

Result<std::vector<MemberKey>> Service::members(const Principal& op) {
    if (auto s = operator_only(op); !s) return s.error();
    return db_.read<std::vector<MemberKey>>([&](Tx& tx) -> Result<std::vector<MemberKey>> { return store::member_keys(tx); });
}

Result<std::vector<InboxItem>> Service::inbox(const Principal& op) {
    if (auto s = operator_only(op); !s) return s.error();
    return db_.read<std::vector<InboxItem>>([&](Tx& tx) -> Result<std::vector<InboxItem>> { return store::inbox(tx); });
}

Status Service::drop_inbox(const Principal& op, int64_t id) {
    if (auto s = operator_only(op); !s) return s;
    return db_.write([&](Tx& tx) -> Status {
        store::delete_inbox(tx, id);
        return {};
    });
}

Result<Roster> Service::roster(const Principal& op) {
    if (auto s = operator_only(op); !s) return s.error();
    return db_.read<Roster>([&](Tx& tx) -> Result<Roster> { return store::roster(tx).value_or(Roster{}); });
}

Result<int64_t> Service::put_roster(const Principal& op, const Bytes& blob, int64_t expected) {
    if (auto s = operator_only(op); !s) return s.error();
    if (blob.empty() || blob.size() > limits_.max_roster) return invalid("roster", "The roster is at most 8 MB sealed.");
    return db_.write<int64_t>([&](Tx& tx) -> Result<int64_t> {
        const auto kept = store::roster(tx);
        const int64_t current = kept ? kept->version : 0;
        if (current != expected)
            return make_error(ErrorKind::conflict, "conflict",
                              "Another operator changed the roster (version " + std::to_string(current) + "): merge and retry.", "version");
        store::put_roster(tx, blob, current + 1, clock_.now_ms());
        HAVEN_CHECK(audited(audit_, tx, "network.roster", op.account_id));
        return current + 1;
    });
}

Result<std::string> Service::create_activation(const Principal& op, const Bytes& body, int64_t expires_at) {
    if (auto s = operator_only(op); !s) return s.error();
    const size_t frame = body.size() >= header_size + 16 ? body.size() - header_size - 16 : 0;
    if (body.empty() || body[0] != '\x01' || std::find(buckets.begin(), buckets.end(), frame) == buckets.end())
        return invalid("body", "body is a version-1 activation: header then a frame of 1, 4, 16 or 64 KiB, encrypted.");
    const int64_t now = clock_.now_ms();
    if (expires_at <= now || expires_at > now + limits_.longest_activation_ms) return invalid("expires_at", "expires_at is within the next 30 days.");
    const std::string id = to_hex(body.substr(1, 16));
    HAVEN_CHECK(db_.write([&](Tx& tx) -> Status {
        if (store::published_at(tx, id)) return make_error(ErrorKind::conflict, "conflict", "This activation exists already.");
        store::add_activation(tx, id, body, now, expires_at);
        return audited(audit_, tx, "network.activation", op.account_id);
    }));
    return id;
}

Result<int64_t> Service::add_wraps(const Principal& op, const std::string& id, const Bytes& wraps) {
    if (auto s = operator_only(op); !s) return s.error();
    constexpr size_t entry = locator_size + wrap_size + ack_tag_size;
    if (wraps.empty() || wraps.size() % entry)
        return invalid("wraps", "wraps are locator (16 bytes), wrap (48 bytes) and answer tag (16 bytes), repeated.");
    return db_.write<int64_t>([&](Tx& tx) -> Result<int64_t> {
        const auto published = store::published_at(tx, id);
        if (!published) return no_activation();
        if (*published) return make_error(ErrorKind::conflict, "conflict", "The activation is published: its wraps are final.");
        for (size_t at = 0; at < wraps.size(); at += entry)
            store::put_wrap(tx, id, to_hex(wraps.substr(at, locator_size)), wraps.substr(at + locator_size, wrap_size),
                            to_hex(wraps.substr(at + locator_size + wrap_size, ack_tag_size)));
        return store::count_wraps(tx, id);
    });
}

Result<Published> Service::publish(const Principal& op, const std::string& id, bool urgent) {
    if (auto s = operator_only(op); !s) return s.error();
    const int64_t now = clock_.now_ms();
    HAVEN_TRY(out, db_.write<Published>([&](Tx& tx) -> Result<Published> {
        const auto published = store::published_at(tx, id);
        if (!published) return no_activation();
        if (*published) return Published{*published, false};
        store::set_published(tx, id, now);
        storage::announce(db_, tx, published_channel);  // the other processes' polls (this one's too: harmless)
        return Published{now, true};
    }));
    if (!out.now) return out;  // published before: polls saw it and doorbells rang then
    heard_published();
    if (ring_) ring_(id, urgent);
    return out;
}

void Service::heard_published() {
    {
        std::lock_guard lock(mutex_);
        recent_loaded_ = -1;
    }
    published_.notify();
}

Result<ActivationState> Service::status(const Principal& op, const std::string& id) {
    if (auto s = operator_only(op); !s) return s.error();
    flush_fetched();
    return db_.read<ActivationState>([&](Tx& tx) -> Result<ActivationState> {
        auto state = store::activation_state(tx, id);
        if (!state) return no_activation();
        return *state;
    });
}

// Fetch counts live in memory between flushes (a write per fetch would cost thousands of commits in the minute
// after a publication); a kill -9 loses at most a minute of them — a statistic, never an acknowledged write.
void Service::flush_fetched() {
    std::map<std::string, int64_t> counts;
    {
        std::lock_guard lock(mutex_);
        counts.swap(fetched_);
    }
    if (counts.empty()) return;
    Status s = db_.write([&](Tx& tx) -> Status {
        for (const auto& [id, n] : counts) store::add_fetched(tx, id, n);
        return {};
    });
    if (!s) {  // kept for the next flush
        std::lock_guard lock(mutex_);
        for (const auto& [id, n] : counts) fetched_[id] += n;
    }
}

Result<std::vector<Bytes>> Service::acks(const Principal& op, const std::string& id) {
    if (auto s = operator_only(op); !s) return s.error();
    return db_.read<std::vector<Bytes>>([&](Tx& tx) -> Result<std::vector<Bytes>> { return store::sealed_answers(tx, id); });
}

const std::vector<Listed>& Service::recent(std::unique_lock<std::mutex>&) {
    const int64_t now = clock_.now_ms();
    if (recent_loaded_ >= 0 && now >= recent_loaded_ && now - recent_loaded_ < 1000) return recent_;
    db_.read([&](Tx& tx) { recent_ = store::published(tx, now); });
    recent_loaded_ = now;
    return recent_;
}

std::vector<Listed> Service::activations(int64_t after) {
    // Expired activations go within a minute of their expiry, swept by the polls themselves.
    const int64_t now = clock_.now_ms();
    if (int64_t last = last_sweep_.load(); now - last >= 60'000 && last_sweep_.compare_exchange_strong(last, now)) sweep();
    flush_fetched_now_and_then(now);
    std::vector<Listed> out;
    std::unique_lock lock(mutex_);
    for (const auto& a : recent(lock))
        if (a.published_at > after && a.expires_at > now && out.size() < 100) out.push_back(a);
    return out;
}

std::optional<Bytes> Service::body(const std::string& id) {
    if (!hex_id(id, 16)) return std::nullopt;
    std::optional<Bytes> out;
    db_.read([&](Tx& tx) { out = store::published_body(tx, id, clock_.now_ms()); });
    return out;
}

std::optional<Bytes> Service::wrap(const std::string& id, const std::string& locator_hex) {
    if (!hex_id(id, 16) || !hex_id(locator_hex, locator_size)) return std::nullopt;
    std::optional<Bytes> out;
    db_.read([&](Tx& tx) { out = store::published_wrap(tx, id, locator_hex, clock_.now_ms()); });
    if (!out) return std::nullopt;
    {
        std::lock_guard lock(mutex_);
        ++fetched_[id];
    }
    flush_fetched_now_and_then(clock_.now_ms());
    return out;
}

// Each process flushes its counts at most once a second, from the fetches and the polls themselves: an operator's
// status, answered by any process of the store, is then at most a second or two behind every process's fetches.
void Service::flush_fetched_now_and_then(int64_t now) {
    if (int64_t last = last_flush_.load(); now - last >= 1000 && last_flush_.compare_exchange_strong(last, now)) flush_fetched();
}

Status Service::add_ack(const std::string& id, const std::string& capability_hex, const Bytes& sealed) {
    if (!hex_id(id, 16)) return no_activation();
    // 1. The capability: made from the member's mailbox secret and this activation's id, so only a member the
    //    activation was wrapped for has it. Checked on a read before anything is written: strangers cost no write
    //    and use up nobody's room.
    auto capability = from_hex(capability_hex);
    if (!capability || capability->size() != capability_size)
        return make_error(ErrorKind::forbidden, "capability_required",
                          "An answer carries its member's answer capability for this activation (X-Ack-Capability, 16 bytes hex).",
                          "X-Ack-Capability");
    if (sealed.size() < 48 + 64 || sealed.size() > limits_.max_ack) return invalid("ack", "An answer is a sealed box of at most 4096 bytes.");
    const std::string tag = to_hex(ack_tag(*capability));
    const int64_t now = clock_.now_ms();
    auto refused = [&](const std::optional<int64_t>& given) -> std::optional<Error> {
        if (!given)
            return make_error(ErrorKind::forbidden, "capability_refused", "This answer capability does not belong to this activation.",
                              "X-Ack-Capability");
        // 2. A member may change their answer, a few times: the operator's client keeps the latest.
        if (*given >= limits_.answers_per_member)
            return make_error(ErrorKind::too_many, "too_many",
                              "This member has answered " + std::to_string(*given) + " times; the last answer stands.", "X-Ack-Capability");
        return std::nullopt;
    };
    std::optional<int64_t> given;
    db_.read([&](Tx& tx) { given = store::answers_by_tag(tx, id, tag, now); });
    if (auto e = refused(given)) return *e;
    // 3. Again inside the write, so that concurrent answers with one capability cannot pass the bound together.
    return db_.write([&](Tx& tx) -> Status {
        if (auto e = refused(store::answers_by_tag(tx, id, tag, now))) return *e;
        store::add_answer(tx, new_id(), id, tag, sealed, now);
        return {};
    });
}

int64_t Service::sweep() {
    flush_fetched();
    const int64_t now = clock_.now_ms();
    int64_t gone = 0;
    (void)db_.write([&](Tx& tx) -> Status {
        gone = store::sweep(tx, now);
        return {};
    });
    return gone;
}

}  // namespace haven::network
