#include "audit/audit.hpp"

#include <algorithm>
#include <sstream>

#include "audit/store.hpp"
#include "crypto/mac.hpp"
#include "crypto/random.hpp"

namespace haven::audit {
namespace {

std::string blake(std::string_view data) { return crypto::hex(crypto::hash(data, 32)); }

std::string signed_message(int64_t seq, const std::string& hash) { return "haven audit v1|" + std::to_string(seq) + "|" + hash; }

std::optional<std::string> unhex(const std::string& hex) { return crypto::from_hex(hex); }

bool signature_ok(const std::string& public_key, int64_t seq, const std::string& hash, const std::string& signature_hex) {
    auto sig = unhex(signature_hex);
    return sig && crypto::verify(public_key, signed_message(seq, hash), *sig);
}

}  // namespace

std::string canonical(const Stored& e) {
    std::string out;
    for (const std::string& part : {std::to_string(e.seq), std::to_string(e.at), e.actor, e.action, e.object, std::to_string(e.site_id), e.outcome}) {
        out += std::to_string(part.size());  // length-prefixed: no two entries share bytes
        out += ':';
        out += part;
    }
    return out;
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
    auto prev = unhex(e.prev_hash).value_or(std::string(32, '\0'));
    e.hash = blake(prev + canonical(e));

    vault_.with_key(crypto::KeyPurpose::audit_signing, "",
                    [&](const crypto::SecretKey& seed) { e.signature = crypto::hex(crypto::sign(seed, signed_message(e.seq, e.hash))); });

    store::append(tx, e);
    store::set_head_hash(tx, e.hash);
}

Verification verify(storage::Database& db, const std::string& public_key, const std::optional<Checkpoint>& checkpoint) {
    Verification v;
    auto fail = [&](int64_t seq, std::string problem) {
        if (!v.bad_seq) {
            v.bad_seq = seq;
            v.problem = std::move(problem);
        }
    };
    std::string prev(64, '0');
    int64_t expected = 1;
    bool checkpoint_seen = false;
    db.read([&](storage::Tx& tx) {
        // In pages of 5,000, so a long log never sits in memory whole.
        for (int64_t from = 0;;) {
            const auto page = store::entries_after(tx, from, 5000);
            if (page.empty()) break;
            for (const Stored& e : page) {
                from = e.seq;
                ++v.entries;
                if (e.seq != expected)
                    fail(expected, e.seq > expected ? "missing (the next entry is " + std::to_string(e.seq) + ")" : "out of order");
                expected = e.seq + 1;
                if (e.prev_hash != prev) fail(e.seq, "does not follow the entry before it (deleted, swapped or rewritten)");
                auto prev_bytes = unhex(e.prev_hash).value_or(std::string(32, '\0'));
                if (blake(prev_bytes + canonical(e)) != e.hash) fail(e.seq, "its content does not match its hash (altered)");
                if (!signature_ok(public_key, e.seq, e.hash, e.signature)) fail(e.seq, "its signature is not valid (rewritten without the key)");
                if (checkpoint && e.seq == checkpoint->seq) {
                    checkpoint_seen = true;
                    if (e.hash != checkpoint->hash) fail(e.seq, "differs from the exported checkpoint");
                }
                prev = e.hash;
            }
        }
        const auto head = store::head(tx);
        if (!head)
            fail(0, "the head record is missing");
        else if (head->seq != expected - 1 || head->hash != prev)
            fail(expected, "the log ends before its head (entries " + std::to_string(expected) + " to " + std::to_string(head->seq) + " truncated)");
    });
    if (checkpoint && !checkpoint_seen) fail(checkpoint->seq, "the exported checkpoint's entry is gone (truncated)");
    if (checkpoint && !signature_ok(public_key, checkpoint->seq, checkpoint->hash, checkpoint->signature))
        fail(checkpoint->seq, "the checkpoint file's signature is not valid");
    return v;
}

std::optional<Checkpoint> latest_checkpoint(storage::Database& db) {
    std::optional<Stored> last;
    db.read([&](storage::Tx& tx) { last = store::last_entry(tx); });
    if (!last) return std::nullopt;
    return Checkpoint{last->seq, last->hash, last->signature};
}

std::string format_checkpoint(const Checkpoint& c) {
    return "haven audit checkpoint v1\nseq " + std::to_string(c.seq) + "\nhash " + c.hash + "\nsignature " + c.signature + "\n";
}

std::optional<Checkpoint> parse_checkpoint(const std::string& text) {
    std::istringstream in(text);
    std::string magic, w;
    Checkpoint c;
    std::getline(in, magic);
    in >> w >> c.seq >> w >> c.hash >> w >> c.signature;
    if (magic != "haven audit checkpoint v1" || c.seq <= 0 || c.hash.size() != 64) return std::nullopt;
    return c;
}

std::vector<Stored> search(storage::Database& db, const Filter& f) {
    std::vector<Stored> out;
    db.read([&](storage::Tx& tx) { out = store::matching(tx, f); });
    return out;
}

}  // namespace haven::audit
