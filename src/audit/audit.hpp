// The audit log: one entry per read or write of personal data, login, export and key operation, written
// in the same transaction as the action (if the entry cannot be written, the action fails).
//
// No personal value ever enters an entry: who acted and on what are keyed BLAKE2b hashes (key from the
// vault), so a dump shows patterns but not people. The chain h_i = BLAKE2b(h_{i-1} ‖ canonical(entry_i))
// with gap-free sequence numbers shows deletions and swaps; each entry's Ed25519 signature (key from the
// vault) shows any rewrite by someone without the key; audit_head shows a truncated tail; a checkpoint
// exported off the server (`haven audit checkpoint`) shows a truncation that also rewrote the head.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/chain.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "crypto/vault.hpp"
#include "storage/db.hpp"

namespace haven::audit {

// One act to record. It holds ids, never values: the log stores who and what as keyed hashes.
struct Event {
    std::string_view action;         // "login", "login_failed", "account.invite", "vault.unseal", "contact.read" …
    int64_t actor = 0;               // an account id; 0 the operator at the command line, -1 an unknown user
    std::string_view object_type{};  // "person", "case" …; empty when the act has no object
    int64_t object_id = 0;
    int64_t site_id = 0;
    std::string_view outcome = "ok";
};

struct Stored {
    int64_t seq = 0, at = 0, site_id = 0;
    std::string actor, action, object, outcome, prev_hash, hash, signature;
};

// The one audit interface: every service, the vault's handlers and the command line record through it.
class Recorder {
public:
    Recorder(const crypto::Vault& vault, const Clock& clock) : vault_(vault), clock_(clock) {}

    // "account:1a2b…": the keyed hash naming a record in entries. Needs the vault unsealed.
    std::string subject(std::string_view type, int64_t id) const;
    // Appends an entry in `tx` (the act's own transaction). Throws if it cannot (the act then fails).
    void record(storage::Tx& tx, const Event& event) const;

private:
    const crypto::Vault& vault_;
    const Clock& clock_;
};

// The bytes the chain hashes for an entry.
std::string canonical(const Stored& e);

struct Verification {
    int64_t entries = 0;
    std::optional<int64_t> bad_seq;  // the first entry at fault
    std::string problem;             // what is wrong with it
};

// Walks the whole log. `public_key`: the vault's audit key (readable while sealed). With `checkpoint`,
// also requires the log to still hold that exported entry.
Verification verify(storage::Database& db, const std::string& public_key, const std::optional<Checkpoint>& checkpoint = std::nullopt);

std::optional<Checkpoint> latest_checkpoint(storage::Database& db);
std::string format_checkpoint(const Checkpoint& c);
std::optional<Checkpoint> parse_checkpoint(const std::string& text);

struct Filter {
    std::string actor, action;
    int64_t from = 0, to = 0;  // epoch ms, 0: open
    int limit = 200;
};
std::vector<Stored> search(storage::Database& db, const Filter& filter);

}  // namespace haven::audit
