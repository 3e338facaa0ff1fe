// Every SQL statement of the emergency network's mailboxes (docs/EMERGENCY.md): codes, members, the inbox, the
// roster, activations, wraps and answers (the doorbells' own are in doorbells.cpp's store section below). Functions
// take a Tx so that a rule can make several of them one transaction; none checks who asks.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "modules/network/types.hpp"
#include "storage/db.hpp"

namespace haven::network::store {

using storage::Tx;

// One uploaded record: locator and ack tag as hex, the wrap as bytes. A record for a locator already there
// replaces it (an upload retried).
void put_wrap(Tx& tx, const std::string& activation_id, const std::string& locator_hex, const std::string& wrap, const std::string& ack_tag_hex);
int64_t count_wraps(Tx& tx, const std::string& activation_id);

// The answers given so far through the capability whose tag this is, on a published, unexpired activation;
// nullopt when no wrap of that activation carries the tag.
std::optional<int64_t> answers_by_tag(Tx& tx, const std::string& activation_id, const std::string& ack_tag_hex, int64_t now);
// Counts one more answer on the tag's wrap and stores the sealed answer (not linked to the wrap).
void add_answer(Tx& tx, int64_t ack_id, const std::string& activation_id, const std::string& ack_tag_hex, const std::string& sealed, int64_t now);

// Open enrolment codes (unused, unexpired): id, created_at, expires_at, oldest first.
struct OpenCode {
    int64_t id = 0, created_at = 0, expires_at = 0;
};
std::vector<OpenCode> open_codes(Tx& tx, int64_t now);
// Deletes an unused code; false when there is none.
bool delete_open_code(Tx& tx, int64_t id);
// The open (unused, unexpired) code with this hash: its id, or nullopt.
std::optional<int64_t> open_code(Tx& tx, const std::string& code_hash, int64_t now);
// Marks a code used and erases its keys: they are kept no longer than the code is open.
void use_code(Tx& tx, int64_t id, int64_t now);
// The keys uploaded with an open code (organisation key, operators' box key); nullopt when the code is not open
// or was made without them.
struct CodeKeys {
    std::string org_pk, box_pk;
    std::string lists;  // the operators' lists sealed under the code (network/lists.hpp); empty when none
};
// A new code (stored as its hash) with the keys its link fingerprints; both empty for a code made without them.
void add_code(Tx& tx, int64_t id, const std::string& code_hash, int64_t created_by, int64_t created_at, int64_t expires_at, const CodeKeys& keys);
std::optional<CodeKeys> open_code_keys(Tx& tx, const std::string& code_hash, int64_t now);
// Sets an open code's sealed lists (a code made with keys); false when there is no such code.
bool set_code_lists(Tx& tx, int64_t id, const std::string& sealed_lists, int64_t now);
// Deletes a member's row (its prekey and token): no wrap can be made for it again. False when there is none.
bool delete_member(Tx& tx, const std::string& member_id);

// Members' devices: a row per member with its current signed prekey and the hash of its token.
bool member_exists(Tx& tx, const std::string& member_id);
void add_member(Tx& tx, const std::string& member_id, const SignedPrekey& prekey, const std::string& token_hash, int64_t now);
std::optional<std::string> member_token_hash(Tx& tx, const std::string& member_id);
void set_prekey(Tx& tx, const std::string& member_id, const SignedPrekey& prekey, int64_t now);
std::vector<MemberKey> member_keys(Tx& tx);  // by id

// The operators' inbox of sealed packets from new members, oldest first.
void add_inbox(Tx& tx, int64_t id, const std::string& sealed, int64_t now);
std::vector<InboxItem> inbox(Tx& tx);
void delete_inbox(Tx& tx, int64_t id);

// The sealed roster: one row, written under its version.
std::optional<Roster> roster(Tx& tx);
void put_roster(Tx& tx, const std::string& blob, int64_t version, int64_t now);

// Activations. published_at: nullopt when there is no such activation, 0 while it is not published.
std::optional<int64_t> published_at(Tx& tx, const std::string& id);
void add_activation(Tx& tx, const std::string& id, const std::string& body, int64_t now, int64_t expires_at);
void set_published(Tx& tx, const std::string& id, int64_t now);
std::optional<ActivationState> activation_state(Tx& tx, const std::string& id);
void add_fetched(Tx& tx, const std::string& id, int64_t n);
std::vector<Bytes> sealed_answers(Tx& tx, const std::string& id);  // oldest first
// What members' devices may fetch: published, unexpired activations (by publication), a body, a wrap.
std::vector<Listed> published(Tx& tx, int64_t now);
std::optional<Bytes> published_body(Tx& tx, const std::string& id, int64_t now);
std::optional<Bytes> published_wrap(Tx& tx, const std::string& id, const std::string& locator_hex, int64_t now);
// Deletes expired activations with everything tied to them, and expired codes; how many activations went.
int64_t sweep(Tx& tx, int64_t now);

// A device's doorbell, by the keyed hash of its member id: its id, or nullopt.
std::optional<int64_t> doorbell_of(Tx& tx, const std::string& owner);
void delete_doorbell(Tx& tx, int64_t id);
// A doorbell: address and secret as the vault sealed them (no secret: empty), its token's hash, its owner's hash.
void add_doorbell(Tx& tx, int64_t id, const std::string& channel, const std::string& sealed_address, const std::string& sealed_secret,
                  const std::string& token_hash, int64_t now, const std::string& owner);
std::optional<std::string> doorbell_token_hash(Tx& tx, int64_t id);
struct DoorbellRow {
    int64_t id = 0;
    std::string channel;
};
std::vector<DoorbellRow> doorbells(Tx& tx);

// Rings: one per doorbell per publication, delivered by the channel's workers (doorbells.hpp).
void add_ring(Tx& tx, int64_t id, int64_t doorbell_id, const std::string& channel, int64_t priority, int64_t now, const std::string& idempotency_key,
              const std::string& activation_id);
struct QueueRow {
    int64_t depth = 0;
    std::optional<int64_t> oldest_created_at;
};
QueueRow queue(Tx& tx, const std::string& channel);
struct DeliveryRow {
    int64_t delivered = 0, failed = 0, last_at = 0;
};
std::optional<DeliveryRow> delivery(Tx& tx, const std::string& activation_id, const std::string& channel);
int64_t waiting_rings(Tx& tx, const std::string& activation_id, const std::string& channel);
// The channel's due rings, most urgent first, with their doorbell's sealed address and secret.
struct DueRing {
    int64_t ring = 0, attempts = 0, doorbell = 0;
    std::string idempotency_key, address, secret, activation_id;  // address and secret sealed
    bool has_secret = false, has_activation = false;
};
// `skip_locked` (PostgreSQL, in a write): locks the rows returned and skips those another transaction holds.
std::vector<DueRing> due_rings(Tx& tx, const std::string& channel, int64_t now, int64_t limit, bool skip_locked = false);
// A claimed ring is not due again before `until` (unless its delivery reschedules or removes it first).
void lease_ring(Tx& tx, int64_t ring, int64_t until);
void reschedule_ring(Tx& tx, int64_t ring, int64_t attempts, int64_t next_at);
// Removes a ring delivered or given up, and counts it for its activation's report (when it has one).
void finish_ring(Tx& tx, const DueRing& ring, const std::string& channel, bool delivered, int64_t now);

}  // namespace haven::network::store
