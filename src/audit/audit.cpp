#include "audit/audit.hpp"

#include <algorithm>
#include <sstream>

#include "audit/chain.hpp"
#include "audit/store.hpp"
#include "crypto/mac.hpp"
#include "crypto/random.hpp"

namespace haven::audit {
namespace {

const std::string domain = "haven audit v1";

}  // namespace

std::string canonical(const Stored& e) {
    return length_prefixed({std::to_string(e.seq), std::to_string(e.at), e.actor, e.action, e.object, std::to_string(e.site_id), e.outcome});
}

std::string Recorder::subject(std::string_view type, int64_t id) const {
    std::string msg = std::string(type) + ":" + std::to_string(id);
    std::string h;
    vault_.with_key(crypto::KeyPurpose::audit_ids, "", [&](const crypto::SecretKey& key) { h = crypto::keyed_hash(key.data(), msg, 12); });
    return std::string(type) + ":" + crypto::hex(h);
}

void Recorder::record(storage::Tx& tx, const Event& event) const {
    // Taking the head row serialises appenders on PostgreSQL (row lock) as the single writer does on SQLite.
    auto head = store::advance_head(tx);
    if (!head) throw storage::DbError(storage::DbError::Kind::other, "audit_head is missing");
    Stored e;
    e.seq = head->seq;
    e.prev_hash = head->hash;
    e.at = clock_.now_ms();
    e.actor = event.actor > 0 ? subject("account", event.actor) : event.actor == 0 ? "operator" : "unknown";
    e.action = std::string(event.action);
    e.object = event.object_type.empty() ? "" : subject(event.object_type, event.object_id);
    e.site_id = event.site_id;
    e.outcome = std::string(event.outcome);
    e.hash = link_hash(e.prev_hash, canonical(e));
    e.signature = link_signature(vault_, domain, e.seq, e.hash);

    store::append(tx, e);
    store::set_head_hash(tx, e.hash);
}

Verification verify(storage::Database& db, const std::string& public_key, const std::optional<Checkpoint>& checkpoint) {
    ChainCheck chain(public_key, domain, checkpoint ? checkpoint->seq : 0);
    db.read([&](storage::Tx& tx) {
        // In pages of 5,000, so a long log never sits in memory whole.
        for (int64_t from = 0;;) {
            const auto page = store::entries_after(tx, from, 5000);
            if (page.empty()) break;
            for (const Stored& e : page) {
                from = e.seq;
                chain.link(e.seq, e.prev_hash, e.hash, e.signature, canonical(e));
            }
        }
        const auto head = store::head(tx);
        chain.end(head ? std::optional(std::pair{head->seq, head->hash}) : std::nullopt, "the log");
    });
    if (checkpoint) chain.require(*checkpoint);
    return {chain.entries, chain.bad_seq, chain.problem};
}

std::optional<Checkpoint> latest_checkpoint(storage::Database& db) {
    std::optional<Stored> last;
    db.read([&](storage::Tx& tx) { last = store::last_entry(tx); });
    if (!last) return std::nullopt;
    return Checkpoint{last->seq, last->hash, last->signature};
}

std::string format_checkpoint(const Checkpoint& c) { return audit::format_checkpoint("audit", c); }

std::optional<Checkpoint> parse_checkpoint(const std::string& text) { return audit::parse_checkpoint("audit", text); }

std::vector<Stored> search(storage::Database& db, const Filter& f) {
    std::vector<Stored> out;
    db.read([&](storage::Tx& tx) { out = store::matching(tx, f); });
    return out;
}

}  // namespace haven::audit
