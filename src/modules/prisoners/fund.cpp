#include "modules/prisoners/fund.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "audit/chain.hpp"
#include "core/dates.hpp"
#include "core/ids.hpp"
#include "core/utf8.hpp"
#include "http/json.hpp"
#include "modules/accounts/types.hpp"
#include "modules/prisoners/store.hpp"

namespace haven::prisoners {

using accounts::Action;
using accounts::may;
using storage::Tx;
namespace json = boost::json;

namespace {

constexpr int64_t max_amount = 100'000'000'000;         // minor units in one entry: a billion in major units
constexpr int64_t max_balance = 1'000'000'000'000'000;  // minor units a fund may hold: far from int64's end
constexpr size_t max_name = 200, max_purpose = 2000, max_party = 300;
const std::vector<std::string> channels = {"cash", "bank_transfer", "card", "online", "crypto", "other"};
const std::vector<std::string> risks = {"low", "medium", "high"};

const std::string domain = "haven ledger v1";  // signed beside the audit log's links with the same key: never one for the other

Error not_found() { return make_error(ErrorKind::not_found, "not_found", "There is no such fund, or you may not see it."); }

Status check_text(const std::string& value, const char* field, size_t max, bool required, bool multiline = false) {
    if (required && value.empty()) return invalid(field, std::string(field) + " is required.", "required");
    if (has_control_chars(value) || has_bidi_controls(value) || (!multiline && value.find_first_of("\r\n") != std::string::npos))
        return invalid(field, std::string(field) + " holds control or invisible characters, or more than one line.", "text");
    if (value.size() > max)
        return invalid(field, std::string(field) + " is longer than " + std::to_string(max) + " bytes.", "too_long", int64_t(max));
    return {};
}

Status check_amount(int64_t amount) {
    if (amount <= 0 || amount > max_amount)
        return invalid("amount_minor", "amount_minor must be a whole number of cents from 1 to " + std::to_string(max_amount) + ".", "range",
                       max_amount);
    return {};
}

Status check_value_date(const std::string& date, int64_t now) {
    if (!valid_date(date)) return invalid("value_date", "value_date must be a date such as 2026-11-30.", "date");
    if (date > date_of(now + day_ms)) return invalid("value_date", "value_date is in the future.", "future");
    return {};
}

Status check_choice(const std::string& value, const std::vector<std::string>& allowed, const char* field) {
    if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return {};
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    return invalid(field, std::string(field) + " must be one of " + list + ".", "choose");
}

std::string seal_fund(const crypto::Vault& vault, int64_t id, const Fund& f) {
    return vault.seal_field("funds", "record", id, json::serialize(json::object{{"name", f.name}, {"purpose", f.purpose}}));
}

Result<Fund> open_fund(const crypto::Vault& vault, const store::StoredFund& s) {
    HAVEN_TRY(plain, vault.open_field("funds", "record", s.id, s.record));
    HAVEN_TRY(v, http::parse_json(plain));
    Fund f{s.id, s.site_id, "", "", s.currency, s.goal_minor, s.created_at, {}};
    if (const auto* o = v.if_object()) {
        if (const auto* n = o->if_contains("name"); n && n->is_string()) f.name = n->get_string();
        if (const auto* p = o->if_contains("purpose"); p && p->is_string()) f.purpose = p->get_string();
    }
    return f;
}

// Whether `actor` may see (or `manage`) a fund of `site`; another site's fund and no fund at all answer alike.
Status may_use(const Principal& actor, std::optional<int64_t> site, bool manage) {
    if (!site || !may(actor, Action::funds_view, *site)) return not_found();
    if (manage && !may(actor, Action::funds_manage, *site)) return accounts::role_forbids();
    return {};
}

Result<store::StoredFund> stored_fund(Tx& tx, const Principal& actor, int64_t fund_id, bool manage) {
    auto s = store::fund(tx, fund_id);
    HAVEN_CHECK(may_use(actor, s ? std::optional(s->site_id) : std::nullopt, manage));
    return *s;
}

}  // namespace

std::string canonical(const Entry& e) {
    return audit::length_prefixed({std::to_string(e.seq), std::to_string(e.fund_id), std::to_string(e.number), std::to_string(e.at), e.value_date,
                                   e.kind, std::to_string(e.amount_minor), e.currency, e.channel, e.risk, std::to_string(e.party),
                                   std::to_string(e.reverses), e.recorded_by});
}

Result<int64_t> FundService::create(const Principal& actor, Fund f) {
    if (!may(actor, Action::funds_manage, f.site_id)) return accounts::role_forbids();
    HAVEN_CHECK(check_text(f.name, "name", max_name, true));
    HAVEN_CHECK(check_text(f.purpose, "purpose", max_purpose, false, true));
    HAVEN_CHECK(check_currency(f.currency));
    if (f.goal_minor < 0 || f.goal_minor > max_amount)
        return invalid("goal_minor", "goal_minor must be a whole number of cents from 0 to " + std::to_string(max_amount) + ".", "range", max_amount);
    f.id = new_id();
    f.created_at = clock_.now_ms();
    HAVEN_CHECK(db_.write([&](Tx& tx) -> Status {
        store::insert_fund(tx, {f.id, f.site_id, f.goal_minor, f.created_at, f.currency, seal_fund(vault_, f.id, f)});
        audit_.record(tx, {"fund.create", actor.account_id, "fund", f.id, f.site_id});
        return {};
    }));
    return f.id;
}

Result<std::vector<Fund>> FundService::funds(const Principal& actor, int64_t site_id) {
    if (!may(actor, Action::funds_view, site_id)) return accounts::role_forbids();
    std::vector<Fund> out;
    Status failed;
    db_.read([&](Tx& tx) {
        for (const auto& s : store::funds_of(tx, site_id)) {
            auto f = open_fund(vault_, s);
            if (!f) {
                failed = f.error();
                return;
            }
            f->balances = store::balances(tx, s.id);
            out.push_back(std::move(*f));
        }
    });
    HAVEN_CHECK(failed);
    return out;
}

Result<int64_t> FundService::fund_site(Tx& tx, const Principal& actor, int64_t fund_id, bool manage) {
    HAVEN_TRY(s, stored_fund(tx, actor, fund_id, manage));
    return s.site_id;
}

Result<Fund> FundService::fund(const Principal& actor, int64_t fund_id) {
    return db_.read<Fund>([&](Tx& tx) -> Result<Fund> {
        HAVEN_TRY(s, stored_fund(tx, actor, fund_id, false));
        HAVEN_TRY(f, open_fund(vault_, s));
        f.balances = store::balances(tx, fund_id);
        return f;
    });
}

Result<Entry> FundService::append(const Principal& actor, int64_t fund_id, Entry e, const std::string& party, int64_t reverses) {
    return db_.write<Entry>([&](Tx& tx) -> Result<Entry> {
        // The head first: from here appenders wait for this transaction, so what is read below (the fund, its
        // balance, the entry reversed) is what this entry lands on.
        const store::Head head = store::advance_head(tx);
        auto landing = store::landing(tx, fund_id, e.currency);
        HAVEN_CHECK(may_use(actor, landing ? std::optional(landing->site_id) : std::nullopt, true));
        const int64_t site = landing->site_id;
        int64_t balance = landing->balance_minor;
        if (reverses) {
            const auto original = store::entry(tx, fund_id, reverses);
            if (!original) return make_error(ErrorKind::not_found, "not_found", "This fund has no such entry.");
            if (original->kind == "reversal")
                return make_error(ErrorKind::conflict, "not_reversible", "A reversal is not reversed: record the entry again.");
            if (store::reversed(tx, fund_id, reverses))
                return make_error(ErrorKind::conflict, "already_reversed", "This entry has been reversed already.");
            e.amount_minor = -original->amount_minor;
            e.currency = original->currency;
            e.channel = original->channel;
            e.risk = original->risk;
            e.party = original->party;
            e.reverses = reverses;
            const auto in_its_currency = store::balance(tx, fund_id, e.currency);
            balance = in_its_currency ? in_its_currency->minor : 0;
        }
        // A payment, or the correction of a donation, never takes the fund below zero in that currency.
        const int64_t after = balance + e.amount_minor;
        if (after < 0)
            return make_error(ErrorKind::conflict, "insufficient_funds",
                              "The fund holds " + std::to_string(balance) + " " + e.currency + " (minor units): not enough for this.",
                              "amount_minor");
        if (after > max_balance) return invalid("amount_minor", "The fund would hold more than any fund may.", "range", max_amount);
        const int64_t now = clock_.now_ms();
        if (!party.empty()) {
            e.party = new_id();
            store::insert_party(tx, e.party, fund_id, vault_.seal_field("fund_parties", "identity", e.party, party), now);
        }
        e.seq = head.seq;
        e.number = landing->number;
        e.prev_hash = head.hash;
        e.fund_id = fund_id;
        e.at = now;
        e.recorded_by = audit_.subject("account", actor.account_id);
        e.hash = audit::link_hash(e.prev_hash, canonical(e));
        e.signature = audit::link_signature(vault_, domain, e.seq, e.hash);
        store::append(tx, e);
        audit_.record(tx, {"fund." + e.kind, actor.account_id, "fund", fund_id, site});
        return e;
    });
}

Result<Entry> FundService::donate(const Principal& actor, int64_t fund_id, const Donation& d) {
    HAVEN_CHECK(check_amount(d.amount_minor));
    HAVEN_CHECK(check_currency(d.currency));
    HAVEN_CHECK(check_choice(d.channel, channels, "channel"));
    HAVEN_CHECK(check_value_date(d.value_date, clock_.now_ms()));
    HAVEN_CHECK(check_text(d.donor, "donor", max_party, false));
    Entry e;
    e.kind = "donation";
    e.amount_minor = d.amount_minor;
    e.currency = d.currency;
    e.channel = d.channel;
    e.value_date = d.value_date;
    return append(actor, fund_id, e, d.donor, 0);
}

Result<Entry> FundService::disburse(const Principal& actor, int64_t fund_id, const Disbursement& d) {
    HAVEN_CHECK(check_amount(d.amount_minor));
    HAVEN_CHECK(check_currency(d.currency));
    HAVEN_CHECK(check_choice(d.risk, risks, "risk"));
    HAVEN_CHECK(check_value_date(d.value_date, clock_.now_ms()));
    HAVEN_CHECK(check_text(d.payee, "payee", max_party, true));
    Entry e;
    e.kind = "disbursement";
    e.amount_minor = -d.amount_minor;
    e.currency = d.currency;
    e.channel = "bank_transfer";
    e.risk = d.risk;
    e.value_date = d.value_date;
    return append(actor, fund_id, e, d.payee, 0);
}

Result<Entry> FundService::reverse(const Principal& actor, int64_t fund_id, int64_t number) {
    Entry e;
    e.kind = "reversal";
    e.value_date = date_of(clock_.now_ms());
    return append(actor, fund_id, e, "", number);
}

Result<std::string> FundService::ledger_csv(const Principal& actor, int64_t fund_id) {
    // An export: audited like every other. Every field is the server's own (numbers, dates, fixed words), so
    // none is quoted — a spreadsheet reads the amounts as numbers.
    return db_.write<std::string>([&](Tx& tx) -> Result<std::string> {
        HAVEN_TRY(site, fund_site(tx, actor, fund_id, false));
        audit_.record(tx, {"fund.export", actor.account_id, "fund", fund_id, site});
        std::string out = "number,recorded,value_date,kind,amount_minor,currency,channel,risk,reverses,hash\r\n";
        for (int64_t from = 0;;) {
            const auto page = store::entries_of(tx, fund_id, from, 5000);
            if (page.empty()) break;
            for (const auto& e : page) {
                from = e.number;
                for (const std::string& field : {std::to_string(e.number), date_of(e.at), e.value_date, e.kind, std::to_string(e.amount_minor),
                                                 e.currency, e.channel, e.risk, e.reverses ? std::to_string(e.reverses) : std::string()})
                    out += field + ",";
                out += e.hash + "\r\n";
            }
        }
        return out;
    });
}

Result<std::vector<Entry>> FundService::entries(const Principal& actor, int64_t fund_id, int64_t after, int64_t limit) {
    if (limit < 1 || limit > 500) return invalid("limit", "limit must be from 1 to 500.", "range", 500);
    return db_.read<std::vector<Entry>>([&](Tx& tx) -> Result<std::vector<Entry>> {
        HAVEN_TRY(site, fund_site(tx, actor, fund_id, false));
        (void)site;
        return store::entries_of(tx, fund_id, after, limit);
    });
}

Result<std::vector<Entry>> FundService::newest(const Principal& actor, int64_t fund_id, int64_t limit) {
    return db_.read<std::vector<Entry>>([&](Tx& tx) -> Result<std::vector<Entry>> {
        HAVEN_TRY(site, fund_site(tx, actor, fund_id, false));
        (void)site;
        return store::newest(tx, fund_id, limit);
    });
}

Result<std::string> FundService::party_of(const Principal& actor, int64_t fund_id, int64_t number) {
    int64_t party_id = 0;
    HAVEN_TRY(sealed, db_.write<std::string>([&](Tx& tx) -> Result<std::string> {
        HAVEN_TRY(site, fund_site(tx, actor, fund_id, true));
        const auto e = store::entry(tx, fund_id, number);
        const auto party = e && e->party ? store::party(tx, e->party, fund_id) : std::nullopt;
        if (!party) return make_error(ErrorKind::not_found, "not_found", "No name is kept for this entry.");
        party_id = e->party;
        // Read only once recorded: which name, by whom; and counted towards the mass-read alarm like a person.
        audit_.record(tx, {"fund.party_read", actor.account_id, "fund_party", party_id, site});
        accounts_.record_read(tx, actor, "fund_party", party_id);
        return *party;
    }));
    return vault_.open_field("fund_parties", "identity", party_id, sealed);
}

Status FundService::erase_party(const Principal& actor, int64_t fund_id, int64_t number) {
    return db_.write([&](Tx& tx) -> Status {
        HAVEN_TRY(site, fund_site(tx, actor, fund_id, true));
        const auto e = store::entry(tx, fund_id, number);
        if (!e || !e->party || !store::delete_party(tx, e->party, fund_id))
            return make_error(ErrorKind::not_found, "not_found", "No name is kept for this entry.");
        audit_.record(tx, {"fund.party_erase", actor.account_id, "fund_party", e->party, site});
        return {};
    });
}

std::optional<audit::Checkpoint> ledger_checkpoint(storage::Database& db) {
    std::optional<Entry> last;
    db.read([&](Tx& tx) { last = store::last_entry(tx); });
    if (!last) return std::nullopt;
    return audit::Checkpoint{last->seq, last->hash, last->signature};
}

LedgerCheck verify_ledger(storage::Database& db, const std::string& public_key, const std::optional<audit::Checkpoint>& checkpoint) {
    audit::ChainCheck chain(public_key, domain, checkpoint ? checkpoint->seq : 0);
    std::map<std::pair<int64_t, std::string>, Balance> sums;
    db.read([&](Tx& tx) {
        for (int64_t from = 0;;) {
            const auto page = store::entries_after(tx, from, 5000);
            if (page.empty()) break;
            for (const Entry& e : page) {
                from = e.seq;
                chain.link(e.seq, e.prev_hash, e.hash, e.signature, canonical(e));
                auto& sum = sums[{e.fund_id, e.currency}];
                sum.minor += e.amount_minor;
                sum.entries += 1;
            }
        }
        const auto head = store::head(tx);
        chain.end(head ? std::optional(std::pair{head->seq, head->hash}) : std::nullopt, "the ledger");
        // The balances the pages show, against the entries.
        const auto stored = store::all_balances(tx);
        for (const auto& [key, b] : stored) {
            auto it = sums.find(key);
            if (it == sums.end() || it->second.minor != b.minor || it->second.entries != b.entries)
                chain.fail(0, "the balance of fund " + std::to_string(key.first) + " in " + key.second + " (" + std::to_string(b.minor) +
                                  ") is not the sum of its entries (" + std::to_string(it == sums.end() ? 0 : it->second.minor) + ")");
        }
        if (stored.size() != sums.size()) chain.fail(0, "a fund's balance is missing for entries it holds");
    });
    if (checkpoint) chain.require(*checkpoint);
    return {chain.entries, chain.bad_seq, chain.problem};
}

}  // namespace haven::prisoners
