// Every SQL statement of the audit chain (audit.hpp): the head row that serialises appenders, the entries, and
// what verification and the audit page read. Functions take a Tx; none checks who asks.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "storage/db.hpp"

namespace haven::audit::store {

using storage::Tx;

struct Head {
    int64_t seq = 0;
    std::string hash;
};
// Takes the next sequence number (a row lock on PostgreSQL, as the single writer on SQLite): the new seq and the
// hash of the entry before it; nullopt when the head row is missing.
std::optional<Head> advance_head(Tx& tx);
void append(Tx& tx, const Stored& entry);
void set_head_hash(Tx& tx, const std::string& hash);
std::optional<Head> head(Tx& tx);
// Entries after `seq`, in order, at most `limit`.
std::vector<Stored> entries_after(Tx& tx, int64_t seq, int64_t limit);
std::optional<Stored> last_entry(Tx& tx);
// Newest first.
std::vector<Stored> matching(Tx& tx, const Filter& filter);

}  // namespace haven::audit::store
