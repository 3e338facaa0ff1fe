// The rules of accounts, sites, enrolment, login, sessions, tokens and assignments. Every function that
// acts for somebody takes the acting Principal and checks the permission table itself (never trusting
// that a page was shown only to the right people). `actor == nullptr` means the operator at the
// command line, who holds the server's files anyway.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "crypto/vault.hpp"
#include "modules/accounts/keyring.hpp"
#include "modules/accounts/store.hpp"
#include "modules/accounts/types.hpp"
#include "modules/shared.hpp"
#include "storage/db.hpp"

namespace haven::accounts {

struct SiteInput {
    std::string name, city, country, time_zone;
    bool require_second_factor = false;
};

struct Invitation {
    Account account;
    std::string token;  // shown once: /enrol/<token>
    int64_t expires_at = 0;
};

struct Enrolment {
    Account account;
    bool password_set = false;
    bool second_factor_needed = false;  // the account must set up TOTP before it can log in
    std::string totp_secret;            // the pending secret, once the password is set
};

struct LoginInput {
    std::string username, password, code;  // code: TOTP or a recovery code
    std::string source;                    // the client address (hashed before storage)
};

struct Login {
    std::string session_token;  // the cookie value; stored only hashed
    Principal principal;
};

class Service {
public:
    explicit Service(const modules::Shared& shared, SessionPolicy policy = {});

    // Sites
    Result<Site> create_site(const Principal* actor, const SiteInput& input);
    std::vector<Site> sites_visible_to(const Principal& actor);
    Result<Site> site_for(const Principal& actor, int64_t site_id, Action action);
    std::optional<Site> site_named(const std::string& name);
    // The time zone pages show a site's times in ("UTC" for none); a reader's: that of the first site they work at.
    std::string site_zone(int64_t site_id);
    std::string home_zone(const Principal& reader);

    // Accounts
    Result<Invitation> invite(const Principal* actor, int64_t site_id, const std::string& username, Role role);
    // Gives an existing account one more role at a site (the command line's `haven user grant`, so that one person
    // can work at several sites: a report editor for the whole network). Its sessions end (privilege change).
    Status add_role(const Principal* actor, int64_t site_id, const std::string& username, Role role);
    Result<std::vector<Account>> accounts_at(const Principal& actor, int64_t site_id);
    // Replaces the account's roles at the site. The account's sessions end (privilege change).
    Status set_roles(const Principal& actor, int64_t site_id, int64_t account_id, const std::vector<Role>& roles);
    // Suspend or offboard: sessions and tokens are revoked in the same transaction.
    Status set_status(const Principal* actor, int64_t site_id, int64_t account_id, AccountStatus status);

    // Enrolment through the one-time link
    Result<Enrolment> enrolment(const std::string& token);
    Status enrol_password(const std::string& token, const std::string& password);
    // Returns the ten recovery codes (shown once).
    Result<std::vector<std::string>> enrol_second_factor(const std::string& token, const std::string& code);

    // Login and sessions
    Result<Login> login(const LoginInput& input);
    Result<Principal> principal_for_session(const std::string& session_token);
    Result<Principal> principal_for_token(const std::string& bearer);
    void logout(const std::string& session_token);
    std::vector<SessionInfo> sessions(const Principal& actor);
    Status revoke_session(const Principal& actor, const std::string& public_id);
    void revoke_all_sessions(const Principal& actor);

    // Contact details of one's own account, encrypted in the vault (accounts.real_name/email/phone).
    struct Contact {
        std::string real_name, email, phone;
    };
    Result<Contact> contact(const Principal& actor);
    Status set_contact(const Principal& actor, const Contact& contact);
    // The language the account's pages are in, on every device from the next request (a shipped locale: checked by
    // the caller).
    Status set_locale(const Principal& actor, const std::string& locale);

    // API tokens for scripts: printed once, stored hashed.
    Result<std::string> create_token(const std::string& username, const std::string& label, const std::string& scope, int days);
    // Revokes every live token of the account; returns how many.
    Result<int64_t> revoke_tokens(const std::string& username);

    // Personal keys (counsellors): a key pair whose secret half is sealed under the account's password, opened
    // at login and kept in memory for the session only. The public key seals compartment keys to them.
    std::optional<std::string> box_public(storage::Tx& tx, int64_t account_id);
    // The secret key of the caller's session, if they signed in with their password (wipe the copy after use).
    std::optional<std::string> box_secret(const Principal& actor) const;
    // Wraps credentials an earlier version kept outside the vault; call once the vault is open.
    void seal_legacy_credentials();
    // Panic seal: every personal key leaves memory, and every session ends (docs/SECURITY.md): after the unseal,
    // everyone signs in again — a stolen session cookie does not outlive the seal.
    void forget_personal_keys() { keyring_.clear(); }
    void end_all_sessions();
    size_t personal_keys_held() const { return keyring_.size(); }

    // Assignments: record-level access used by casework, counselling and the emergency network.
    Status assign(const Principal* actor, int64_t account_id, const std::string& record_type, int64_t record_id, int64_t until_ms);
    bool is_assigned(const Principal& actor, const std::string& record_type, int64_t record_id);

    // The audit log as an administrator sees it: entries of their sites (and site-less ones), with the
    // accounts they can see named. Reading it is itself audited.
    struct AuditLine {
        audit::Stored entry;
        std::string who;  // a username, or the keyed hash when it names nobody the reader can see
    };
    Result<std::vector<AuditLine>> audit_log(const Principal& actor, const std::string& username, const std::string& action, int64_t from,
                                             int64_t to);

    // Every module that shows a person's record calls this in the same transaction: it audits the read
    // ("<type>.read") and raises a mass-read alarm when the reader passes the policy's limit.
    void record_read(storage::Tx& tx, const Principal& reader, std::string_view record_type, int64_t record_id);
    Status record_read(const Principal& reader, std::string_view record_type, int64_t record_id);
    // Records shown in a list, a search or an export: counted towards the alarm like opened ones (the caller
    // audits the list once).
    void record_reads(storage::Tx& tx, const Principal& reader, std::string_view record_type, const std::vector<int64_t>& record_ids);
    // Asks for the second factor again before an act that hands over many records (an export): a TOTP code not
    // used before, or a recovery code. Failures count against the account like failed logins.
    Status reconfirm(const Principal& actor, const std::string& code);
    std::vector<ReadAlarm> read_alarms(const Principal& actor);
    void set_read_policy(const ReadPolicy& policy) { read_policy_ = policy; }

    const SessionPolicy& policy() const { return policy_; }

private:
    std::optional<Principal> active_principal(storage::Tx& tx, int64_t account_id);
    std::string source_key(const std::string& source) const;

    storage::Database& db_;
    const crypto::Vault& vault_;
    const Clock& clock_;
    const audit::Recorder& audit_;
    SessionPolicy policy_;
    ReadPolicy read_policy_;
    std::atomic<bool> legacy_sealed_{false};
    std::atomic<int64_t> last_pruned_{0};  // when login_throttle last lost its day-old rows (clock ms)
    Keyring keyring_;
    // At login, for an account that keeps personal notes: opens (or first makes) its key pair with the password.
    struct BoxKeys {
        std::string salt, public_key, sealed_secret, secret;
        bool created = false;
    };
    std::optional<BoxKeys> open_box(int64_t account_id, const std::string& password);
    std::optional<std::string> password_hash_of(const store::AccountRow& row) const;
    bool use_second_factor(storage::Tx& tx, const store::AccountRow& row, const std::string& code, int64_t now);
    Status count_account_attempt(storage::Tx& tx, const std::string& account_key, int64_t now);
};

// Usernames: 3 to 32 of a-z, 0-9, '.', '_', '-' (chosen names, not legal names; folded to lower case).
Result<std::string> check_username(std::string_view username);

}  // namespace haven::accounts
