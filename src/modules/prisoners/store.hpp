// The legal-aid funds' SQL (see fund.hpp and migration 0019).
#pragma once

#include <optional>

#include "modules/prisoners/fund.hpp"
#include "storage/db.hpp"

namespace haven::prisoners::store {

using storage::Tx;

struct StoredFund {
    int64_t id = 0, site_id = 0, goal_minor = 0, created_at = 0;
    std::string currency, record;
};
void insert_fund(Tx& tx, const StoredFund& f);
std::optional<StoredFund> fund(Tx& tx, int64_t id);
std::vector<StoredFund> funds_of(Tx& tx, int64_t site_id);
std::vector<Balance> balances(Tx& tx, int64_t fund_id);
std::optional<Balance> balance(Tx& tx, int64_t fund_id, const std::string& currency);

struct Head {
    int64_t seq = 0;
    std::string hash;
};
// Takes the next sequence number: on PostgreSQL the row lock serialises appenders until commit.
Head advance_head(Tx& tx);
std::optional<Head> head(Tx& tx);
void append(Tx& tx, const Entry& e);  // the entry, the head's hash and the balance, together
std::optional<Entry> entry(Tx& tx, int64_t fund_id, int64_t number);
// What an entry lands on, read in one statement once the head is taken: the fund's site, its balance in `currency`
// (0 when it holds none) and the number the entry takes. nullopt: no such fund.
struct Landing {
    int64_t site_id = 0, balance_minor = 0, number = 0;
};
std::optional<Landing> landing(Tx& tx, int64_t fund_id, const std::string& currency);
bool reversed(Tx& tx, int64_t fund_id, int64_t number);
std::vector<Entry> entries_after(Tx& tx, int64_t seq, int64_t limit);                  // every fund, by seq
std::vector<Entry> entries_of(Tx& tx, int64_t fund_id, int64_t after, int64_t limit);  // one fund, by number
std::vector<Entry> newest(Tx& tx, int64_t fund_id, int64_t limit);                     // newest first
std::optional<Entry> last_entry(Tx& tx);
std::vector<std::pair<std::pair<int64_t, std::string>, Balance>> all_balances(Tx& tx);

void insert_party(Tx& tx, int64_t id, int64_t fund_id, const std::string& sealed_identity, int64_t at);
std::optional<std::string> party(Tx& tx, int64_t id, int64_t fund_id);  // sealed; nullopt if none or erased
bool delete_party(Tx& tx, int64_t id, int64_t fund_id);

}  // namespace haven::prisoners::store
