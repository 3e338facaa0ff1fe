#include "modules/network/store.hpp"

namespace haven::network::store {

using storage::Blob;

void put_wrap(Tx& tx, const std::string& activation_id, const std::string& locator_hex, const std::string& wrap, const std::string& ack_tag_hex) {
    tx.exec(
        "INSERT INTO network_wraps (activation_id, locator, wrap, ack_tag) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (activation_id, locator) DO UPDATE SET wrap = excluded.wrap, ack_tag = excluded.ack_tag",
        {activation_id, locator_hex, Blob::of(wrap), ack_tag_hex});
}

int64_t count_wraps(Tx& tx, const std::string& activation_id) {
    return tx.query("SELECT COUNT(*) FROM network_wraps WHERE activation_id = $1", {activation_id})[0].integer(0);
}

std::optional<int64_t> answers_by_tag(Tx& tx, const std::string& activation_id, const std::string& ack_tag_hex, int64_t now) {
    auto rows = tx.query(
        "SELECT w.acks FROM network_wraps w JOIN network_activations a ON a.id = w.activation_id "
        "WHERE w.activation_id = $1 AND w.ack_tag = $2 AND a.published_at IS NOT NULL AND a.expires_at > $3",
        {activation_id, ack_tag_hex, now});
    if (rows.empty()) return std::nullopt;
    return rows[0].integer(0);
}

void add_answer(Tx& tx, int64_t ack_id, const std::string& activation_id, const std::string& ack_tag_hex, const std::string& sealed, int64_t now) {
    tx.exec("UPDATE network_wraps SET acks = acks + 1 WHERE activation_id = $1 AND ack_tag = $2", {activation_id, ack_tag_hex});
    tx.exec("INSERT INTO network_acks (id, activation_id, sealed, created_at) VALUES ($1, $2, $3, $4)",
            {ack_id, activation_id, Blob::of(sealed), now});
}

std::vector<OpenCode> open_codes(Tx& tx, int64_t now) {
    std::vector<OpenCode> out;
    for (const auto& r : tx.query(
             "SELECT id, created_at, expires_at FROM network_enrolments WHERE used_at IS NULL AND expires_at > $1 ORDER BY created_at, id", {now}))
        out.push_back({r.integer(0), r.integer(1), r.integer(2)});
    return out;
}

bool set_code_lists(Tx& tx, int64_t id, const std::string& sealed_lists, int64_t now) {
    if (tx.query("SELECT 1 FROM network_enrolments WHERE id = $1 AND used_at IS NULL AND expires_at > $2 AND org_pk IS NOT NULL", {id, now}).empty())
        return false;
    tx.exec("UPDATE network_enrolments SET lists = $1 WHERE id = $2", {Blob::of(sealed_lists), id});
    return true;
}

bool delete_open_code(Tx& tx, int64_t id) {
    if (tx.query("SELECT 1 FROM network_enrolments WHERE id = $1 AND used_at IS NULL", {id}).empty()) return false;
    tx.exec("DELETE FROM network_enrolments WHERE id = $1", {id});
    return true;
}

void add_code(Tx& tx, int64_t id, const std::string& code_hash, int64_t created_by, int64_t created_at, int64_t expires_at, const CodeKeys& keys) {
    auto blob_or_null = [](const std::string& b) { return b.empty() ? storage::Value(nullptr) : storage::Value(Blob::of(b)); };
    tx.exec(
        "INSERT INTO network_enrolments (id, code_hash, created_by, created_at, expires_at, org_pk, box_pk, lists) VALUES ($1, $2, $3, $4, $5, $6, "
        "$7, $8)",
        {id, code_hash, created_by, created_at, expires_at, blob_or_null(keys.org_pk), blob_or_null(keys.box_pk), blob_or_null(keys.lists)});
}

std::optional<int64_t> open_code(Tx& tx, const std::string& code_hash, int64_t now) {
    auto rows = tx.query("SELECT id FROM network_enrolments WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2", {code_hash, now});
    if (rows.empty()) return std::nullopt;
    return rows[0].integer(0);
}

void use_code(Tx& tx, int64_t id, int64_t now) {
    tx.exec("UPDATE network_enrolments SET used_at = $1, org_pk = NULL, box_pk = NULL, lists = NULL WHERE id = $2", {now, id});
}

std::optional<CodeKeys> open_code_keys(Tx& tx, const std::string& code_hash, int64_t now) {
    auto rows = tx.query(
        "SELECT org_pk, box_pk, lists FROM network_enrolments WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 "
        "AND org_pk IS NOT NULL AND box_pk IS NOT NULL",
        {code_hash, now});
    if (rows.empty()) return std::nullopt;
    return CodeKeys{rows[0].blob(0).str(), rows[0].blob(1).str(), rows[0].is_null(2) ? std::string() : rows[0].blob(2).str()};
}

bool delete_member(Tx& tx, const std::string& member_id) {
    if (tx.query("SELECT 1 FROM network_members WHERE id = $1", {member_id}).empty()) return false;
    tx.exec("DELETE FROM network_members WHERE id = $1", {member_id});
    return true;
}

std::optional<int64_t> doorbell_of(Tx& tx, const std::string& owner) {
    auto rows = tx.query("SELECT id FROM network_doorbells WHERE owner = $1", {owner});
    if (rows.empty()) return std::nullopt;
    return rows[0].integer(0);
}

void delete_doorbell(Tx& tx, int64_t id) { tx.exec("DELETE FROM network_doorbells WHERE id = $1", {id}); }

}  // namespace haven::network::store

namespace haven::network::store {

bool member_exists(Tx& tx, const std::string& member_id) { return !tx.query("SELECT 1 FROM network_members WHERE id = $1", {member_id}).empty(); }

void add_member(Tx& tx, const std::string& member_id, const SignedPrekey& prekey, const std::string& token_hash, int64_t now) {
    tx.exec("INSERT INTO network_members (id, prekey, not_after, signature, token_hash, updated_at) VALUES ($1, $2, $3, $4, $5, $6)",
            {member_id, Blob::of(prekey.prekey), prekey.not_after, Blob::of(prekey.signature), token_hash, now});
}

std::optional<std::string> member_token_hash(Tx& tx, const std::string& member_id) {
    auto rows = tx.query("SELECT token_hash FROM network_members WHERE id = $1", {member_id});
    if (rows.empty()) return std::nullopt;
    return rows[0].text(0);
}

void set_prekey(Tx& tx, const std::string& member_id, const SignedPrekey& prekey, int64_t now) {
    tx.exec("UPDATE network_members SET prekey = $1, not_after = $2, signature = $3, updated_at = $4 WHERE id = $5",
            {Blob::of(prekey.prekey), prekey.not_after, Blob::of(prekey.signature), now, member_id});
}

std::vector<MemberKey> member_keys(Tx& tx) {
    return storage::rows_as(tx.query("SELECT id, prekey, not_after, signature FROM network_members ORDER BY id", {}), [](const storage::Row& r) {
        return MemberKey{r.text(0), {r.blob(1).str(), r.integer(2), r.blob(3).str()}};
    });
}

void add_inbox(Tx& tx, int64_t id, const std::string& sealed, int64_t now) {
    tx.exec("INSERT INTO network_inbox (id, sealed, created_at) VALUES ($1, $2, $3)", {id, Blob::of(sealed), now});
}

std::vector<InboxItem> inbox(Tx& tx) {
    return storage::rows_as(tx.query("SELECT id, created_at, sealed FROM network_inbox ORDER BY created_at, id", {}), [](const storage::Row& r) {
        return InboxItem{r.integer(0), r.integer(1), r.blob(2).str()};
    });
}

void delete_inbox(Tx& tx, int64_t id) { tx.exec("DELETE FROM network_inbox WHERE id = $1", {id}); }

std::optional<Roster> roster(Tx& tx) {
    auto rows = tx.query("SELECT blob, version FROM network_roster WHERE id = 1", {});
    if (rows.empty()) return std::nullopt;
    return Roster{rows[0].blob(0).str(), rows[0].integer(1)};
}

void put_roster(Tx& tx, const std::string& blob, int64_t version, int64_t now) {
    if (version == 1)
        tx.exec("INSERT INTO network_roster (id, blob, version, updated_at) VALUES (1, $1, $2, $3)", {Blob::of(blob), version, now});
    else
        tx.exec("UPDATE network_roster SET blob = $1, version = $2, updated_at = $3 WHERE id = 1", {Blob::of(blob), version, now});
}

std::optional<int64_t> published_at(Tx& tx, const std::string& id) {
    auto rows = tx.query("SELECT published_at FROM network_activations WHERE id = $1", {id});
    if (rows.empty()) return std::nullopt;
    return rows[0].is_null(0) ? 0 : rows[0].integer(0);
}

void add_activation(Tx& tx, const std::string& id, const std::string& body, int64_t now, int64_t expires_at) {
    tx.exec("INSERT INTO network_activations (id, body, created_at, expires_at) VALUES ($1, $2, $3, $4)", {id, Blob::of(body), now, expires_at});
}

void set_published(Tx& tx, const std::string& id, int64_t now) {
    tx.exec("UPDATE network_activations SET published_at = $1 WHERE id = $2", {now, id});
}

std::optional<ActivationState> activation_state(Tx& tx, const std::string& id) {
    auto rows = tx.query(
        "SELECT published_at, expires_at, (SELECT COUNT(*) FROM network_wraps w WHERE w.activation_id = a.id), "
        "(SELECT COUNT(*) FROM network_acks k WHERE k.activation_id = a.id), fetched FROM network_activations a WHERE a.id = $1",
        {id});
    if (rows.empty()) return std::nullopt;
    const auto& r = rows[0];
    return ActivationState{r.integer(2), r.integer(3), r.is_null(0) ? 0 : r.integer(0), r.integer(1), r.integer(4)};
}

void add_fetched(Tx& tx, const std::string& id, int64_t n) {
    tx.exec("UPDATE network_activations SET fetched = fetched + $1 WHERE id = $2", {n, id});
}

std::vector<Bytes> sealed_answers(Tx& tx, const std::string& id) {
    return storage::rows_as(tx.query("SELECT sealed FROM network_acks WHERE activation_id = $1 ORDER BY created_at, id", {id}),
                            [](const storage::Row& r) { return r.blob(0).str(); });
}

std::vector<Listed> published(Tx& tx, int64_t now) {
    return storage::rows_as(tx.query("SELECT id, LENGTH(body), published_at, expires_at FROM network_activations WHERE published_at IS NOT NULL "
                                     "AND expires_at > $1 ORDER BY published_at, id",
                                     {now}),
                            [](const storage::Row& r) {
                                return Listed{r.text(0), r.integer(1), r.integer(2), r.integer(3)};
                            });
}

std::optional<Bytes> published_body(Tx& tx, const std::string& id, int64_t now) {
    auto rows = tx.query("SELECT body FROM network_activations WHERE id = $1 AND published_at IS NOT NULL AND expires_at > $2", {id, now});
    if (rows.empty()) return std::nullopt;
    return rows[0].blob(0).str();
}

std::optional<Bytes> published_wrap(Tx& tx, const std::string& id, const std::string& locator_hex, int64_t now) {
    auto rows = tx.query(
        "SELECT w.wrap FROM network_wraps w JOIN network_activations a ON a.id = w.activation_id WHERE w.activation_id = $1 "
        "AND w.locator = $2 AND a.published_at IS NOT NULL AND a.expires_at > $3",
        {id, locator_hex, now});
    if (rows.empty()) return std::nullopt;
    return rows[0].blob(0).str();
}

int64_t sweep(Tx& tx, int64_t now) {
    const int64_t gone = tx.query("SELECT COUNT(*) FROM network_activations WHERE expires_at <= $1", {now})[0].integer(0);
    if (gone) {
        for (const char* table : {"network_acks", "network_wraps", "network_rings", "network_deliveries"})
            tx.exec(std::string("DELETE FROM ") + table + " WHERE activation_id IN (SELECT id FROM network_activations WHERE expires_at <= $1)",
                    {now});
        tx.exec("DELETE FROM network_activations WHERE expires_at <= $1", {now});
    }
    tx.exec("DELETE FROM network_enrolments WHERE expires_at <= $1", {now});
    return gone;
}

}  // namespace haven::network::store

namespace haven::network::store {

void add_doorbell(Tx& tx, int64_t id, const std::string& channel, const std::string& sealed_address, const std::string& sealed_secret,
                  const std::string& token_hash, int64_t now, const std::string& owner) {
    tx.exec("INSERT INTO network_doorbells (id, channel, address, secret, token_hash, created_at, owner) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            {id, channel, Blob::of(sealed_address), sealed_secret.empty() ? storage::Value(nullptr) : storage::Value(Blob::of(sealed_secret)),
             token_hash, now, owner});
}

std::optional<std::string> doorbell_token_hash(Tx& tx, int64_t id) {
    auto rows = tx.query("SELECT token_hash FROM network_doorbells WHERE id = $1", {id});
    if (rows.empty()) return std::nullopt;
    return rows[0].text(0);
}

std::vector<DoorbellRow> doorbells(Tx& tx) {
    return storage::rows_as(tx.query("SELECT id, channel FROM network_doorbells", {}), [](const storage::Row& r) {
        return DoorbellRow{r.integer(0), r.text(1)};
    });
}

void add_ring(Tx& tx, int64_t id, int64_t doorbell_id, const std::string& channel, int64_t priority, int64_t now, const std::string& idempotency_key,
              const std::string& activation_id) {
    tx.exec(
        "INSERT INTO network_rings (id, doorbell_id, channel, priority, attempts, next_at, created_at, idempotency_key, activation_id) "
        "VALUES ($1, $2, $3, $4, 0, $5, $5, $6, $7)",
        {id, doorbell_id, channel, priority, now, idempotency_key, activation_id});
}

QueueRow queue(Tx& tx, const std::string& channel) {
    auto r = tx.query("SELECT COUNT(*), MIN(created_at) FROM network_rings WHERE channel = $1", {channel});
    return QueueRow{r[0].integer(0), r[0].is_null(1) ? std::nullopt : std::optional<int64_t>(r[0].integer(1))};
}

std::optional<DeliveryRow> delivery(Tx& tx, const std::string& activation_id, const std::string& channel) {
    auto r =
        tx.query("SELECT delivered, failed, last_at FROM network_deliveries WHERE activation_id = $1 AND channel = $2", {activation_id, channel});
    if (r.empty()) return std::nullopt;
    return DeliveryRow{r[0].integer(0), r[0].integer(1), r[0].integer(2)};
}

int64_t waiting_rings(Tx& tx, const std::string& activation_id, const std::string& channel) {
    return tx.query("SELECT COUNT(*) FROM network_rings WHERE activation_id = $1 AND channel = $2", {activation_id, channel})[0].integer(0);
}

std::vector<DueRing> due_rings(Tx& tx, const std::string& channel, int64_t now, int64_t limit, bool skip_locked) {
    return storage::rows_as(tx.query(std::string("SELECT r.id, r.attempts, r.idempotency_key, d.id, d.address, d.secret, r.activation_id "
                                                 "FROM network_rings r JOIN network_doorbells d ON d.id = r.doorbell_id "
                                                 "WHERE r.channel = $1 AND r.next_at <= $2 ORDER BY r.priority, r.next_at, r.id LIMIT $3") +
                                         (skip_locked ? " FOR UPDATE OF r SKIP LOCKED" : ""),
                                     {channel, now, limit}),
                            [](const storage::Row& r) {
                                return DueRing{r.integer(0),
                                               r.integer(1),
                                               r.integer(3),
                                               r.text(2),
                                               r.blob(4).str(),
                                               r.is_null(5) ? "" : r.blob(5).str(),
                                               r.is_null(6) ? "" : r.text(6),
                                               !r.is_null(5),
                                               !r.is_null(6)};
                            });
}

void lease_ring(Tx& tx, int64_t ring, int64_t until) { tx.exec("UPDATE network_rings SET next_at = $1 WHERE id = $2", {until, ring}); }

void reschedule_ring(Tx& tx, int64_t ring, int64_t attempts, int64_t next_at) {
    tx.exec("UPDATE network_rings SET attempts = $1, priority = 2, next_at = $2 WHERE id = $3", {attempts, next_at, ring});
}

void finish_ring(Tx& tx, const DueRing& ring, const std::string& channel, bool delivered, int64_t now) {
    tx.exec("DELETE FROM network_rings WHERE id = $1", {ring.ring});
    if (ring.has_activation)
        tx.exec(
            "INSERT INTO network_deliveries (activation_id, channel, delivered, failed, last_at) VALUES ($1, $2, $3, $4, $5) "
            "ON CONFLICT (activation_id, channel) DO UPDATE SET delivered = network_deliveries.delivered + excluded.delivered, "
            "failed = network_deliveries.failed + excluded.failed, "
            "last_at = CASE WHEN excluded.delivered > 0 THEN excluded.last_at ELSE network_deliveries.last_at END",
            {ring.activation_id, channel, int64_t(delivered ? 1 : 0), int64_t(delivered ? 0 : 1), delivered ? now : int64_t(0)});
}

}  // namespace haven::network::store
