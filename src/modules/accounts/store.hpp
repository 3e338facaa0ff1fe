// All SQL of the accounts module. Functions take a Tx so a service can make several of them one
// transaction; none of them checks permissions (the service does).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "modules/accounts/types.hpp"
#include "storage/db.hpp"

namespace haven::accounts::store {

using storage::Tx;

void insert_site(Tx& tx, const Site& site, int64_t now);
std::vector<Site> sites(Tx& tx);
std::optional<Site> site(Tx& tx, int64_t id);
std::optional<Site> site_by_name(Tx& tx, const std::string& name);

struct AccountRow {
    Account account;
    std::optional<std::string> password_hash;    // legacy: an Argon2id string in the clear (sealed at the next unseal)
    std::optional<std::string> password_sealed;  // the Argon2id string sealed by the vault, bound to the row
    std::optional<std::string> totp_secret, totp_pending;
    int64_t totp_last_step = 0;
    std::optional<std::string> locale;
};
void insert_account(Tx& tx, int64_t id, const std::string& username, AccountStatus status, int64_t now);
std::optional<AccountRow> account(Tx& tx, int64_t id);
std::optional<AccountRow> account_by_username(Tx& tx, const std::string& username);
std::vector<Account> accounts_at_site(Tx& tx, int64_t site_id);
void set_status(Tx& tx, int64_t account_id, AccountStatus status, int64_t now);
void set_locale(Tx& tx, int64_t account_id, const std::string& locale, int64_t now);
// `sealed_hash`: the Argon2id string sealed by the vault for accounts.password_sealed; the legacy column is emptied.
void set_password(Tx& tx, int64_t account_id, const std::string& sealed_hash, int64_t now);
void set_totp_pending(Tx& tx, int64_t account_id, const std::optional<std::string>& secret);
// Replaces the pending secret by `sealed_secret` (sealed for the totp_secret column) and records its first step.
void confirm_totp(Tx& tx, int64_t account_id, int64_t step, const std::string& sealed_secret);
// Records `step` as used unless it is not newer than the last one; false means a replay.
bool use_totp_step(Tx& tx, int64_t account_id, int64_t step);
void set_roles_at_site(Tx& tx, int64_t account_id, int64_t site_id, const std::vector<Role>& roles);
// Offboarding: the account's roles at every site and its assignments go.
void delete_roles_and_assignments(Tx& tx, int64_t account_id);

// One's own contact details, each sealed by the vault (nullopt: not given).
struct SealedContact {
    std::optional<std::string> real_name, email, phone;
};
std::optional<SealedContact> contact(Tx& tx, int64_t account_id);
void set_contact(Tx& tx, int64_t account_id, const SealedContact& contact, int64_t now);

void insert_enrolment(Tx& tx, const std::string& token_hash, int64_t account_id, int64_t expires_at);
// The account of an unused, unexpired enrolment link.
std::optional<int64_t> enrolment_account(Tx& tx, const std::string& token_hash, int64_t now);
void finish_enrolment(Tx& tx, const std::string& token_hash, int64_t now);

void insert_recovery_codes(Tx& tx, int64_t account_id, const std::vector<std::string>& code_hashes);
// Marks the code used; false when it does not exist or was used before.
bool use_recovery_code(Tx& tx, int64_t account_id, const std::string& code_hash, int64_t now);

void insert_session(Tx& tx, const std::string& id_hash, const std::string& public_id, int64_t account_id, int64_t now, int64_t expires_at);
struct SessionRow {
    int64_t account_id = 0;
    std::string public_id;
    int64_t created_at = 0, last_seen_at = 0, expires_at = 0;
};
std::optional<SessionRow> session(Tx& tx, const std::string& id_hash);
void touch_session(Tx& tx, const std::string& id_hash, int64_t now);
void delete_session(Tx& tx, const std::string& id_hash);
bool delete_session_by_public_id(Tx& tx, int64_t account_id, const std::string& public_id);
void delete_sessions_of(Tx& tx, int64_t account_id);
void delete_all_sessions(Tx& tx);
std::vector<SessionInfo> sessions_of(Tx& tx, int64_t account_id);

void insert_token(Tx& tx, int64_t id, const std::string& token_hash, int64_t account_id, const std::string& label, const std::string& scope,
                  int64_t now, int64_t expires_at);
struct TokenRow {
    int64_t account_id = 0;
    std::string scope;
};
std::optional<TokenRow> live_token(Tx& tx, const std::string& token_hash, int64_t now);
// Returns how many were live.
int64_t revoke_tokens_of(Tx& tx, int64_t account_id, int64_t now);

struct Throttle {
    int64_t failures = 0;
    int64_t next_allowed_at = 0;
    int64_t updated_at = 0;
};
// Counts one attempt under `key` in one statement (so attempts at once count one by one), starting again from one
// after `window_ms` without any; returns the count with this one and the back-off as it stood before it.
Throttle count_attempt(Tx& tx, const std::string& key, int64_t now, int64_t window_ms);
void set_next_allowed(Tx& tx, const std::string& key, int64_t at);
void forget_old_attempts(Tx& tx, int64_t before);

// Counsellors' personal keys: the public key, the secret sealed under the password (and by the vault), its salt,
// and what an earlier version kept under the password alone. Nothing when there is no such account.
struct PersonalKeys {
    std::optional<std::string> public_key, sealed, salt, clear;
};
std::optional<PersonalKeys> personal_keys(Tx& tx, int64_t account_id);
// Set once, at the first sign-in as a counsellor (a concurrent first sign-in keeps the first pair).
void set_personal_keys(Tx& tx, int64_t account_id, const std::string& public_key, const std::string& sealed, const std::string& salt);
void seal_personal_key(Tx& tx, int64_t account_id, const std::string& sealed);
// Accounts whose password hash or personal key an earlier version kept outside the vault.
struct ClearCredentials {
    int64_t id = 0;
    std::optional<std::string> password_hash, box_secret;
};
std::vector<ClearCredentials> clear_credentials(Tx& tx);
std::optional<std::string> box_public(Tx& tx, int64_t account_id);  // nullopt: no such account, or no key yet

// Offboarding from one site: the account's assignments on that site's people end.
void end_assignments_at_site(Tx& tx, int64_t account_id, int64_t site_id);

// Records `objects` (keyed hashes) as seen by the account at `now`, forgets what was seen before `since`, and
// returns how many distinct records it saw since then (0 without `count`).
int64_t count_reads(Tx& tx, int64_t account_id, const std::vector<std::string>& objects, int64_t now, int64_t since, bool count = true);
// Mass-read alarms: whether one was raised for the account since `since`; a new one; the latest hundred.
bool alarm_since(Tx& tx, int64_t account_id, int64_t since);
void insert_read_alarm(Tx& tx, const ReadAlarm& alarm);
std::vector<ReadAlarm> read_alarms(Tx& tx);
// Gives back one counted attempt (a success); the back-off goes when the count is down to `free`.
void uncount_attempt(Tx& tx, const std::string& key, int64_t free);

void insert_assignment(Tx& tx, int64_t id, int64_t account_id, const std::string& record_type, int64_t record_id, int64_t expires_at,
                       int64_t granted_by, int64_t now);
bool has_assignment(Tx& tx, int64_t account_id, const std::string& record_type, int64_t record_id, int64_t now);
// Ends the account's live assignments to the record at `now`.
void end_assignment(Tx& tx, int64_t account_id, const std::string& record_type, int64_t record_id, int64_t now);

}  // namespace haven::accounts::store
