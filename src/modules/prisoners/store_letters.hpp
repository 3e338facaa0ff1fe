// The registry's and the letters' SQL (see registry.hpp, letters.hpp and migration 0020). Values come and go as
// the sealed bytes stored; nothing here checks a permission.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "storage/db.hpp"

namespace haven::prisoners::store {

using storage::Tx;

// ---- Prisoners, their names and approvals ----
struct StoredPrisoner {
    int64_t id = 0, site_id = 0, created_at = 0;
    std::string record, status;
    bool approved_only = false;
    int64_t weight = 1;
};
void insert_prisoner(Tx& tx, const StoredPrisoner& p);
void update_prisoner(Tx& tx, const StoredPrisoner& p);
void set_status(Tx& tx, int64_t id, const std::string& status);
std::optional<StoredPrisoner> prisoner(Tx& tx, int64_t id);
std::vector<StoredPrisoner> prisoners_of(Tx& tx, int64_t site_id);
std::vector<StoredPrisoner> prisoners_in(Tx& tx, const std::vector<int64_t>& ids);
void index_names(Tx& tx, int64_t prisoner_id, const std::set<int64_t>& values);
std::vector<int64_t> holding_every(Tx& tx, const std::vector<std::set<int64_t>>& words, size_t limit);
void set_approvals(Tx& tx, int64_t prisoner_id, const std::vector<int64_t>& writer_ids);
std::vector<int64_t> approvals_of(Tx& tx, int64_t prisoner_id);

// ---- Institutions and stays ----
struct StoredInstitution {
    int64_t id = 0, site_id = 0, created_at = 0;
    std::string kind, record;
};
void insert_institution(Tx& tx, const StoredInstitution& i);
std::optional<StoredInstitution> institution(Tx& tx, int64_t id);
std::vector<StoredInstitution> institutions_of(Tx& tx, int64_t site_id);

struct StoredStay {
    int64_t id = 0, prisoner_id = 0, number = 0, institution_id = 0;  // 0: in transit
    std::string record;
};
void insert_stay(Tx& tx, const StoredStay& s);
std::vector<StoredStay> stays_of(Tx& tx, int64_t prisoner_id);  // newest first
std::optional<StoredStay> stay(Tx& tx, int64_t id);

// ---- Writers ----
struct StoredWriter {
    int64_t id = 0, account_id = 0, site_id = 0, created_at = 0;
    std::string record;
};
void upsert_writer(Tx& tx, const StoredWriter& w);
std::optional<StoredWriter> writer_by_account(Tx& tx, int64_t account_id, int64_t site_id);
std::optional<StoredWriter> writer(Tx& tx, int64_t id);
std::vector<StoredWriter> writers_of(Tx& tx, int64_t site_id);

// ---- Matching ----
// Takes the site's letters lock (on PostgreSQL a row lock held until commit; SQLite has one writer): matching, every
// change of a letter, a writer's profile and a transfer take turns, so that none writes back what another changed.
void lock_letters(Tx& tx, int64_t site_id);
struct Eligible {
    int64_t prisoner_id = 0, weight = 1, letters = 0;
};
// The site's prisoners a writer may be given — not in transit nor released, approved-only ones only if they
// approved the writer, none the writer holds an unsent letter to — with their letters since `since`.
std::vector<Eligible> eligible(Tx& tx, int64_t site_id, int64_t writer_id, int64_t since);
int64_t letters_in_hand(Tx& tx, int64_t writer_id);  // not yet sent: drafted or handed in

// ---- Letters ----
struct StoredLetter {
    int64_t id = 0, site_id = 0, prisoner_id = 0, writer_id = 0, address_id = 0;
    std::string status, channel, currency, body;
    bool held = false, handwritten = false;
    int64_t warnings = 0, cost_minor = 0, created_at = 0, updated_at = 0, sent_at = 0, replies = 0;
};
void insert_letter(Tx& tx, const StoredLetter& l);
std::optional<StoredLetter> letter(Tx& tx, int64_t id);
// The same, under its site's letters lock, read again once the lock is held: for a change of the letter.
std::optional<StoredLetter> locked_letter(Tx& tx, int64_t id);
void update_letter(Tx& tx, const StoredLetter& l);  // status, body, warnings, channel, cost, held, address, times
std::vector<StoredLetter> letters_of_writer(Tx& tx, int64_t writer_id, int64_t limit);
std::vector<StoredLetter> letters_of_site(Tx& tx, int64_t site_id, const std::string& status, int64_t limit);
std::vector<StoredLetter> letters_of_prisoner(Tx& tx, int64_t prisoner_id, int64_t limit);
std::vector<StoredLetter> ready_to_send(Tx& tx, int64_t site_id, int64_t limit);
// Not yet sent letters of a prisoner: held (in transit), or re-addressed to `address_id` and released.
void hold_unsent(Tx& tx, int64_t prisoner_id);
void readdress_unsent(Tx& tx, int64_t prisoner_id, int64_t address_id);
// Letters to each prisoner of the site since `since` (created).
std::map<int64_t, int64_t> letters_per_prisoner(Tx& tx, int64_t site_id, int64_t since);

struct StoredReply {
    int64_t id = 0, letter_id = 0, received_at = 0, number = 0;  // number: the letter's first reply is 1
    std::string body, scan;                                      // sealed; scan empty when none
};
void insert_reply(Tx& tx, const StoredReply& r);  // numbered after the letter's last
std::vector<StoredReply> replies_of(Tx& tx, int64_t letter_id);

std::optional<std::string> censor_rules(Tx& tx, int64_t site_id);
void save_censor_rules(Tx& tx, int64_t site_id, const std::string& sealed, int64_t at);

// ---- Counts ----
std::vector<std::pair<std::string, int64_t>> prisoners_by_status(Tx& tx, int64_t site_id);
std::vector<std::pair<std::string, int64_t>> letters_by_status(Tx& tx, int64_t site_id, int64_t since);
int64_t writers_active(Tx& tx, int64_t site_id, int64_t since);
struct InstitutionCount {
    int64_t institution_id = 0;
    std::string status;
    int64_t letters = 0;
};
std::vector<InstitutionCount> letters_by_institution(Tx& tx, int64_t site_id, int64_t since);

}  // namespace haven::prisoners::store
