// Legal-aid funds for political prisoners (issue 18): money raised per prisoner or case, with a goal; donations
// and disbursements to lawyers in an append-only, hash-chained ledger (a correction is a reversing entry); balances
// per fund and currency; a CSV for the accountant without identities.
//
// Nobody's identity is in the ledger. A donor is incognito unless the coordinator keeps a name, and then the name
// is sealed apart (fund_parties) under a random reference, as is a payee's; the ledger holds only the reference,
// and erasing the party leaves the chain whole. Entries are signed with the vault's audit key, so `haven ledger
// verify` checks them while the vault is sealed and names the first entry at fault.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/chain.hpp"
#include "core/money.hpp"
#include "core/principal.hpp"
#include "core/result.hpp"
#include "modules/accounts/service.hpp"
#include "modules/shared.hpp"

namespace haven::prisoners {

struct Balance {
    std::string currency;
    int64_t minor = 0, entries = 0;
};

struct Fund {
    int64_t id = 0, site_id = 0;
    std::string name, purpose;  // sealed at rest (a fund may name a prisoner who must not be named publicly)
    std::string currency;       // ISO 4217, of the goal
    int64_t goal_minor = 0, created_at = 0;
    std::vector<Balance> balances;
};

// One ledger entry as stored. amount_minor is signed: a donation adds, a disbursement takes, a reversal undoes.
// `seq` orders the one chain of all funds (never shown); `number` counts the fund's own entries, and `reverses`
// names the fund's entry a reversal undoes by its number.
struct Entry {
    int64_t seq = 0, fund_id = 0, number = 0, at = 0;
    std::string value_date, kind, currency, channel, risk;
    int64_t amount_minor = 0, party = 0, reverses = 0;
    std::string recorded_by, prev_hash, hash, signature;
};

struct Donation {
    int64_t amount_minor = 0;
    std::string currency, channel, value_date;
    std::string donor;  // empty: incognito (the default)
};

struct Disbursement {
    int64_t amount_minor = 0;
    std::string currency, risk, value_date;
    std::string payee;  // the lawyer or firm paid: sealed apart
};

// The bytes the chain hashes for an entry (length-prefixed fields).
std::string canonical(const Entry& e);

struct LedgerCheck {
    int64_t entries = 0;
    std::optional<int64_t> bad_seq;  // the first entry at fault (0: a balance that no entry explains)
    std::string problem;
};
// Walks the whole ledger: sequence without gaps, chain, hashes, signatures (`public_key`: the vault's audit key,
// readable while sealed), the head, and every stored balance against the sum of its entries.
// With `checkpoint` (exported earlier, `haven ledger checkpoint`), also requires the ledger to still hold that entry:
// a tail cut off with the head row set back shows.
LedgerCheck verify_ledger(storage::Database& db, const std::string& public_key, const std::optional<audit::Checkpoint>& checkpoint = std::nullopt);
std::optional<audit::Checkpoint> ledger_checkpoint(storage::Database& db);

class FundService {
public:
    FundService(const modules::Shared& shared, accounts::Service& accounts)
        : db_(shared.db), vault_(shared.vault), clock_(shared.clock), audit_(shared.audit), accounts_(accounts) {}

    int64_t now_ms() const { return clock_.now_ms(); }
    Result<int64_t> create(const Principal& actor, Fund fund);
    Result<std::vector<Fund>> funds(const Principal& actor, int64_t site_id);
    Result<Fund> fund(const Principal& actor, int64_t fund_id);
    Result<Entry> donate(const Principal& actor, int64_t fund_id, const Donation& d);
    // Refused (409) when it would take the fund's balance in that currency below zero.
    Result<Entry> disburse(const Principal& actor, int64_t fund_id, const Disbursement& d);
    // Undoes the fund's entry `number` by an opposite entry; an entry is reversed once, a reversal never, and a
    // donation not once it has been spent (the balance would go below zero).
    Result<Entry> reverse(const Principal& actor, int64_t fund_id, int64_t number);
    // number, recorded, value_date, kind, amount_minor, currency, channel, risk, reverses, hash: no identity.
    Result<std::string> ledger_csv(const Principal& actor, int64_t fund_id);
    // The fund's entries after its entry `after`, oldest first, at most `limit` (1 to 500).
    Result<std::vector<Entry>> entries(const Principal& actor, int64_t fund_id, int64_t after, int64_t limit);
    // The fund's newest `limit` entries, newest first.
    Result<std::vector<Entry>> newest(const Principal& actor, int64_t fund_id, int64_t limit);
    // The donor or payee kept for an entry (prisoner support only; audited); not found once erased or never kept.
    Result<std::string> party_of(const Principal& actor, int64_t fund_id, int64_t number);
    // Erases that name for good; the entry, its reference and the chain stay whole.
    Status erase_party(const Principal& actor, int64_t fund_id, int64_t number);

private:
    Result<int64_t> fund_site(storage::Tx& tx, const Principal& actor, int64_t fund_id, bool manage);
    // `e` as a new entry of the fund, with `party` sealed apart; or, with `reverses`, the opposite of that entry.
    Result<Entry> append(const Principal& actor, int64_t fund_id, Entry e, const std::string& party, int64_t reverses);

    storage::Database& db_;
    const crypto::Vault& vault_;
    const Clock& clock_;
    const audit::Recorder& audit_;
    accounts::Service& accounts_;
};

}  // namespace haven::prisoners
