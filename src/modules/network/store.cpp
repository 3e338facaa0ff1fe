#include "modules/network/store.hpp"

namespace haven::network::store {

using storage::Blob;

void put_wrap(Tx& tx, const std::string& activation_id, const std::string& locator_hex, const std::string& wrap, const std::string& ack_tag_hex) {
    tx.exec("INSERT INTO network_wraps (activation_id, locator, wrap, ack_tag) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT (activation_id, locator) DO UPDATE SET wrap = excluded.wrap, ack_tag = excluded.ack_tag",
            {activation_id, locator_hex, Blob::of(wrap), ack_tag_hex});
}

int64_t count_wraps(Tx& tx, const std::string& activation_id) {
    return tx.query("SELECT COUNT(*) FROM network_wraps WHERE activation_id = $1", {activation_id})[0].integer(0);
}

std::optional<int64_t> answers_by_tag(Tx& tx, const std::string& activation_id, const std::string& ack_tag_hex, int64_t now) {
    auto rows = tx.query("SELECT w.acks FROM network_wraps w JOIN network_activations a ON a.id = w.activation_id "
                         "WHERE w.activation_id = $1 AND w.ack_tag = $2 AND a.published_at IS NOT NULL AND a.expires_at > $3",
                         {activation_id, ack_tag_hex, now});
    if (rows.empty()) return std::nullopt;
    return rows[0].integer(0);
}

void add_answer(Tx& tx, int64_t ack_id, const std::string& activation_id, const std::string& ack_tag_hex, const std::string& sealed, int64_t now) {
    tx.exec("UPDATE network_wraps SET acks = acks + 1 WHERE activation_id = $1 AND ack_tag = $2", {activation_id, ack_tag_hex});
    tx.exec("INSERT INTO network_acks (id, activation_id, sealed, created_at) VALUES ($1, $2, $3, $4)", {ack_id, activation_id, Blob::of(sealed), now});
}

std::vector<OpenCode> open_codes(Tx& tx, int64_t now) {
    std::vector<OpenCode> out;
    for (const auto& r : tx.query("SELECT id, created_at, expires_at FROM network_enrolments WHERE used_at IS NULL AND expires_at > $1 ORDER BY created_at, id",
                                  {now}))
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
    tx.exec("INSERT INTO network_enrolments (id, code_hash, created_by, created_at, expires_at, org_pk, box_pk, lists) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
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
    auto rows = tx.query("SELECT org_pk, box_pk, lists FROM network_enrolments WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 "
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
