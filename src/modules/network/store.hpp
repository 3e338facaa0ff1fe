// SQL of the emergency network's answers and doorbell owners (the rest of the module's SQL still sits in
// service.cpp and doorbells.cpp). Functions take a Tx so that a rule can make several of them one transaction;
// none checks who asks.
#pragma once

#include <optional>
#include <string>
#include <vector>

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

// A device's doorbell, by the keyed hash of its member id: its id, or nullopt.
std::optional<int64_t> doorbell_of(Tx& tx, const std::string& owner);
void delete_doorbell(Tx& tx, int64_t id);

}  // namespace haven::network::store
