#include "modules/prisoners/store_letters.hpp"

#include "storage/name_index.hpp"

namespace haven::prisoners::store {

using storage::Blob;
using storage::in_list;
using storage::Row;
using storage::rows_as;

namespace {

const storage::NameIndex names_index{"prisoner_names", "prisoner_id"};

constexpr const char* prisoner_columns = "SELECT id, site_id, created_at, record, status, approved_only, weight FROM prisoners ";
StoredPrisoner prisoner_from(const Row& r) {
    return {r.integer(0), r.integer(1), r.integer(2), r.blob(3).str(), r.text(4), r.integer(5) != 0, r.integer(6)};
}

constexpr const char* institution_columns = "SELECT id, site_id, created_at, kind, record FROM institutions ";
StoredInstitution institution_from(const Row& r) { return {r.integer(0), r.integer(1), r.integer(2), r.text(3), r.blob(4).str()}; }

constexpr const char* stay_columns = "SELECT id, prisoner_id, number, institution_id, record FROM prisoner_addresses ";
StoredStay stay_from(const Row& r) { return {r.integer(0), r.integer(1), r.integer(2), r.is_null(3) ? 0 : r.integer(3), r.blob(4).str()}; }

constexpr const char* writer_columns = "SELECT id, account_id, site_id, created_at, record FROM writers ";
StoredWriter writer_from(const Row& r) { return {r.integer(0), r.integer(1), r.integer(2), r.integer(3), r.blob(4).str()}; }

constexpr const char* letter_columns =
    "SELECT l.id, l.site_id, l.prisoner_id, l.writer_id, l.address_id, l.status, l.channel, l.currency, l.body, l.held, l.handwritten, l.warnings, "
    "l.cost_minor, l.created_at, l.updated_at, l.sent_at, (SELECT COUNT(*) FROM letter_replies r WHERE r.letter_id = l.id) "
    "FROM letters l ";
StoredLetter letter_from(const Row& r) {
    StoredLetter l;
    l.id = r.integer(0);
    l.site_id = r.integer(1);
    l.prisoner_id = r.integer(2);
    l.writer_id = r.integer(3);
    l.address_id = r.is_null(4) ? 0 : r.integer(4);
    l.status = r.text(5);
    l.channel = r.text(6);
    l.currency = r.text(7);
    l.body = r.blob(8).str();
    l.held = r.integer(9) != 0;
    l.handwritten = r.integer(10) != 0;
    l.warnings = r.integer(11);
    l.cost_minor = r.integer(12);
    l.created_at = r.integer(13);
    l.updated_at = r.integer(14);
    l.sent_at = r.integer(15);
    l.replies = r.integer(16);
    return l;
}

storage::Value or_null(int64_t id) { return id ? storage::Value(id) : storage::Value(nullptr); }

std::vector<std::pair<std::string, int64_t>> counted(const storage::Rows& rows) {
    return rows_as(rows, [](const Row& r) { return std::pair<std::string, int64_t>{r.text(0), r.integer(1)}; });
}

}  // namespace

// ---- Prisoners ----

void insert_prisoner(Tx& tx, const StoredPrisoner& p) {
    tx.exec("INSERT INTO prisoners (id, site_id, record, status, approved_only, weight, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            {p.id, p.site_id, Blob::of(p.record), p.status, int64_t(p.approved_only), p.weight, p.created_at});
}

void update_prisoner(Tx& tx, const StoredPrisoner& p) {
    tx.exec("UPDATE prisoners SET record = $2, status = $3, approved_only = $4, weight = $5 WHERE id = $1",
            {p.id, Blob::of(p.record), p.status, int64_t(p.approved_only), p.weight});
}

void set_status(Tx& tx, int64_t id, const std::string& status) { tx.exec("UPDATE prisoners SET status = $2 WHERE id = $1", {id, status}); }

std::optional<StoredPrisoner> prisoner(Tx& tx, int64_t id) {
    auto rows = rows_as(tx.query(std::string(prisoner_columns) + "WHERE id = $1", {id}), prisoner_from);
    if (rows.empty()) return std::nullopt;
    return rows[0];
}

std::vector<StoredPrisoner> prisoners_of(Tx& tx, int64_t site_id) {
    return rows_as(tx.query(std::string(prisoner_columns) + "WHERE site_id = $1 ORDER BY created_at, id", {site_id}), prisoner_from);
}

std::vector<StoredPrisoner> prisoners_in(Tx& tx, const std::vector<int64_t>& ids) {
    std::vector<StoredPrisoner> out;
    constexpr size_t chunk = 500;
    for (size_t at = 0; at < ids.size(); at += chunk) {
        storage::Params p(ids.begin() + at, ids.begin() + std::min(ids.size(), at + chunk));
        for (auto& s : rows_as(tx.query(std::string(prisoner_columns) + "WHERE id IN (" + in_list(1, p.size()) + ")", p), prisoner_from))
            out.push_back(std::move(s));
    }
    return out;
}

void index_names(Tx& tx, int64_t prisoner_id, const std::set<int64_t>& values) { storage::replace_values(tx, names_index, prisoner_id, values); }

std::vector<int64_t> holding_every(Tx& tx, const std::vector<std::set<int64_t>>& words, size_t limit) {
    return storage::holding_every(tx, names_index, words, limit);
}

void set_approvals(Tx& tx, int64_t prisoner_id, const std::vector<int64_t>& writer_ids) {
    tx.exec("DELETE FROM prisoner_approvals WHERE prisoner_id = $1", {prisoner_id});
    for (int64_t w : writer_ids)
        tx.exec("INSERT INTO prisoner_approvals (prisoner_id, writer_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", {prisoner_id, w});
}

std::vector<int64_t> approvals_of(Tx& tx, int64_t prisoner_id) {
    return rows_as(tx.query("SELECT writer_id FROM prisoner_approvals WHERE prisoner_id = $1 ORDER BY writer_id", {prisoner_id}),
                   [](const Row& r) { return r.integer(0); });
}

// ---- Institutions and stays ----

void insert_institution(Tx& tx, const StoredInstitution& i) {
    tx.exec("INSERT INTO institutions (id, site_id, kind, record, created_at) VALUES ($1, $2, $3, $4, $5)",
            {i.id, i.site_id, i.kind, Blob::of(i.record), i.created_at});
}

std::optional<StoredInstitution> institution(Tx& tx, int64_t id) {
    auto rows = rows_as(tx.query(std::string(institution_columns) + "WHERE id = $1", {id}), institution_from);
    if (rows.empty()) return std::nullopt;
    return rows[0];
}

std::vector<StoredInstitution> institutions_of(Tx& tx, int64_t site_id) {
    return rows_as(tx.query(std::string(institution_columns) + "WHERE site_id = $1 ORDER BY created_at, id", {site_id}), institution_from);
}

void insert_stay(Tx& tx, const StoredStay& s) {
    tx.exec("INSERT INTO prisoner_addresses (id, prisoner_id, number, institution_id, record) VALUES ($1, $2, $3, $4, $5)",
            {s.id, s.prisoner_id, s.number, or_null(s.institution_id), Blob::of(s.record)});
}

std::vector<StoredStay> stays_of(Tx& tx, int64_t prisoner_id) {
    return rows_as(tx.query(std::string(stay_columns) + "WHERE prisoner_id = $1 ORDER BY number DESC", {prisoner_id}), stay_from);
}

std::optional<StoredStay> stay(Tx& tx, int64_t id) {
    auto rows = rows_as(tx.query(std::string(stay_columns) + "WHERE id = $1", {id}), stay_from);
    if (rows.empty()) return std::nullopt;
    return rows[0];
}

// ---- Writers ----

void upsert_writer(Tx& tx, const StoredWriter& w) {
    tx.exec(
        "INSERT INTO writers (id, account_id, site_id, record, created_at) VALUES ($1, $2, $3, $4, $5) "
        "ON CONFLICT (id) DO UPDATE SET record = excluded.record",
        {w.id, w.account_id, w.site_id, Blob::of(w.record), w.created_at});
}

std::optional<StoredWriter> writer_by_account(Tx& tx, int64_t account_id, int64_t site_id) {
    auto rows = rows_as(tx.query(std::string(writer_columns) + "WHERE account_id = $1 AND site_id = $2", {account_id, site_id}), writer_from);
    if (rows.empty()) return std::nullopt;
    return rows[0];
}

std::optional<StoredWriter> writer(Tx& tx, int64_t id) {
    auto rows = rows_as(tx.query(std::string(writer_columns) + "WHERE id = $1", {id}), writer_from);
    if (rows.empty()) return std::nullopt;
    return rows[0];
}

std::vector<StoredWriter> writers_of(Tx& tx, int64_t site_id) {
    return rows_as(tx.query(std::string(writer_columns) + "WHERE site_id = $1 ORDER BY created_at, id", {site_id}), writer_from);
}

// ---- Matching ----

void lock_letters(Tx& tx, int64_t site_id) {
    tx.exec(
        "INSERT INTO prisoner_matching (site_id, requests) VALUES ($1, 1) ON CONFLICT (site_id) DO UPDATE SET requests = prisoner_matching.requests "
        "+ 1",
        {site_id});
}

std::vector<Eligible> eligible(Tx& tx, int64_t site_id, int64_t writer_id, int64_t since) {
    // One pass over the site's prisoners and one over its recent letters: with 1,500 prisoners a grouped count is
    // cheaper than a count per prisoner.
    auto recent = letters_per_prisoner(tx, site_id, since);
    std::set<int64_t> approved, in_hand;
    for (const auto& r : tx.query("SELECT prisoner_id FROM prisoner_approvals WHERE writer_id = $1", {writer_id})) approved.insert(r.integer(0));
    for (const auto& r : tx.query("SELECT prisoner_id FROM letters WHERE writer_id = $1 AND status IN ('drafted', 'checked')", {writer_id}))
        in_hand.insert(r.integer(0));
    std::vector<Eligible> out;
    for (const auto& r :
         tx.query("SELECT id, weight, approved_only FROM prisoners WHERE site_id = $1 AND status IN ('pre_trial', 'convicted')", {site_id})) {
        const int64_t id = r.integer(0);
        if ((r.integer(2) != 0 && !approved.count(id)) || in_hand.count(id)) continue;
        auto n = recent.find(id);
        out.push_back({id, r.integer(1), n == recent.end() ? 0 : n->second});
    }
    return out;
}

int64_t letters_in_hand(Tx& tx, int64_t writer_id) {
    return tx.query("SELECT COUNT(*) FROM letters WHERE writer_id = $1 AND status IN ('drafted', 'checked')", {writer_id}).at(0).integer(0);
}

// ---- Letters ----

void insert_letter(Tx& tx, const StoredLetter& l) {
    tx.exec(
        "INSERT INTO letters (id, site_id, prisoner_id, writer_id, status, held, address_id, body, handwritten, warnings, channel, cost_minor, "
        "currency, created_at, updated_at, sent_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        {l.id, l.site_id, l.prisoner_id, l.writer_id, l.status, int64_t(l.held), or_null(l.address_id), Blob::of(l.body), int64_t(l.handwritten),
         l.warnings, l.channel, l.cost_minor, l.currency, l.created_at, l.updated_at, l.sent_at});
}

std::optional<StoredLetter> letter(Tx& tx, int64_t id) {
    auto rows = rows_as(tx.query(std::string(letter_columns) + "WHERE l.id = $1", {id}), letter_from);
    if (rows.empty()) return std::nullopt;
    return rows[0];
}

std::optional<StoredLetter> locked_letter(Tx& tx, int64_t id) {
    auto first = letter(tx, id);
    if (!first) return first;
    lock_letters(tx, first->site_id);
    return letter(tx, id);
}

void update_letter(Tx& tx, const StoredLetter& l) {
    tx.exec(
        "UPDATE letters SET status = $2, held = $3, address_id = $4, body = $5, warnings = $6, channel = $7, cost_minor = $8, currency = $9, "
        "updated_at = $10, sent_at = $11 WHERE id = $1",
        {l.id, l.status, int64_t(l.held), or_null(l.address_id), Blob::of(l.body), l.warnings, l.channel, l.cost_minor, l.currency, l.updated_at,
         l.sent_at});
}

std::vector<StoredLetter> letters_of_writer(Tx& tx, int64_t writer_id, int64_t limit) {
    return rows_as(tx.query(std::string(letter_columns) + "WHERE l.writer_id = $1 ORDER BY l.created_at DESC, l.id LIMIT $2", {writer_id, limit}),
                   letter_from);
}

std::vector<StoredLetter> letters_of_site(Tx& tx, int64_t site_id, const std::string& status, int64_t limit) {
    if (status.empty())
        return rows_as(tx.query(std::string(letter_columns) + "WHERE l.site_id = $1 ORDER BY l.updated_at DESC, l.id LIMIT $2", {site_id, limit}),
                       letter_from);
    return rows_as(tx.query(std::string(letter_columns) + "WHERE l.site_id = $1 AND l.status = $2 ORDER BY l.updated_at DESC, l.id LIMIT $3",
                            {site_id, status, limit}),
                   letter_from);
}

std::vector<StoredLetter> letters_of_prisoner(Tx& tx, int64_t prisoner_id, int64_t limit) {
    return rows_as(tx.query(std::string(letter_columns) + "WHERE l.prisoner_id = $1 ORDER BY l.created_at DESC, l.id LIMIT $2", {prisoner_id, limit}),
                   letter_from);
}

std::vector<StoredLetter> ready_to_send(Tx& tx, int64_t site_id, int64_t limit) {
    return rows_as(tx.query(std::string(letter_columns) + "WHERE l.site_id = $1 AND l.status = 'checked' AND l.held = 0 AND l.address_id IS NOT NULL "
                                                          "ORDER BY l.prisoner_id, l.created_at LIMIT $2",
                            {site_id, limit}),
                   letter_from);
}

void hold_unsent(Tx& tx, int64_t prisoner_id) {
    tx.exec("UPDATE letters SET held = 1 WHERE prisoner_id = $1 AND status IN ('drafted', 'checked')", {prisoner_id});
}

void readdress_unsent(Tx& tx, int64_t prisoner_id, int64_t address_id) {
    tx.exec("UPDATE letters SET held = 0, address_id = $2 WHERE prisoner_id = $1 AND status IN ('drafted', 'checked')", {prisoner_id, address_id});
}

std::map<int64_t, int64_t> letters_per_prisoner(Tx& tx, int64_t site_id, int64_t since) {
    std::map<int64_t, int64_t> out;
    for (const auto& r :
         tx.query("SELECT prisoner_id, COUNT(*) FROM letters WHERE site_id = $1 AND created_at >= $2 GROUP BY prisoner_id", {site_id, since}))
        out[r.integer(0)] = r.integer(1);
    return out;
}

void insert_reply(Tx& tx, const StoredReply& r) {
    tx.exec(
        "INSERT INTO letter_replies (id, letter_id, number, body, scan, received_at) VALUES ($1, $2, "
        "(SELECT COALESCE(MAX(number), 0) + 1 FROM letter_replies WHERE letter_id = $2), $3, $4, $5)",
        {r.id, r.letter_id, Blob::of(r.body), r.scan.empty() ? storage::Value(nullptr) : storage::Value(Blob::of(r.scan)), r.received_at});
}

std::vector<StoredReply> replies_of(Tx& tx, int64_t letter_id) {
    return rows_as(
        tx.query("SELECT id, letter_id, received_at, number, body, scan FROM letter_replies WHERE letter_id = $1 ORDER BY number", {letter_id}),
        [](const Row& r) {
            return StoredReply{r.integer(0), r.integer(1), r.integer(2), r.integer(3), r.blob(4).str(), r.is_null(5) ? "" : r.blob(5).str()};
        });
}

std::optional<std::string> censor_rules(Tx& tx, int64_t site_id) {
    auto rows = tx.query("SELECT record FROM censor_rules WHERE id = $1", {site_id});
    if (rows.empty()) return std::nullopt;
    return rows[0].blob(0).str();
}

void save_censor_rules(Tx& tx, int64_t site_id, const std::string& sealed, int64_t at) {
    tx.exec(
        "INSERT INTO censor_rules (id, record, updated_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET record = excluded.record, "
        "updated_at = excluded.updated_at",
        {site_id, Blob::of(sealed), at});
}

// ---- Counts ----

std::vector<std::pair<std::string, int64_t>> prisoners_by_status(Tx& tx, int64_t site_id) {
    return counted(tx.query("SELECT status, COUNT(*) FROM prisoners WHERE site_id = $1 GROUP BY status ORDER BY status", {site_id}));
}

std::vector<std::pair<std::string, int64_t>> letters_by_status(Tx& tx, int64_t site_id, int64_t since) {
    return counted(
        tx.query("SELECT status, COUNT(*) FROM letters WHERE site_id = $1 AND created_at >= $2 GROUP BY status ORDER BY status", {site_id, since}));
}

int64_t writers_active(Tx& tx, int64_t site_id, int64_t since) {
    return tx
        .query("SELECT COUNT(DISTINCT writer_id) FROM letters WHERE site_id = $1 AND created_at >= $2 AND writer_id <> 0 AND status <> 'drafted'",
               {site_id, since})
        .at(0)
        .integer(0);
}

std::vector<InstitutionCount> letters_by_institution(Tx& tx, int64_t site_id, int64_t since) {
    return rows_as(tx.query("SELECT a.institution_id, l.status, COUNT(*) FROM letters l JOIN prisoner_addresses a ON a.id = l.address_id "
                            "WHERE l.site_id = $1 AND l.created_at >= $2 AND a.institution_id IS NOT NULL AND l.sent_at > 0 "
                            "GROUP BY a.institution_id, l.status",
                            {site_id, since}),
                   [](const Row& r) {
                       return InstitutionCount{r.integer(0), r.text(1), r.integer(2)};
                   });
}

}  // namespace haven::prisoners::store
