#include "modules/accounts/store.hpp"

#include <algorithm>

namespace haven::accounts::store {
namespace {

using storage::Blob;
using storage::Row;
using storage::Value;

Value blob_or_null(const std::optional<std::string>& s) {
    if (!s) return nullptr;
    return Blob{{s->begin(), s->end()}};
}
std::optional<std::string> opt_text(const Row& r, size_t i) {
    if (r.is_null(i)) return std::nullopt;
    return r.text(i);
}
std::optional<std::string> opt_blob(const Row& r, size_t i) {
    if (r.is_null(i)) return std::nullopt;
    const auto& b = r.blob(i).bytes;
    return std::string(b.begin(), b.end());
}

Site site_from(const Row& r) { return Site{r.integer(0), r.text(1), r.text(2), r.text(3), r.text(4), r.integer(5) != 0}; }
constexpr const char* site_columns = "SELECT id, name, city, country, time_zone, require_second_factor FROM sites";

std::vector<SiteRole> roles_of(Tx& tx, int64_t account_id) {
    std::vector<SiteRole> out;
    for (const auto& r : tx.query("SELECT site_id, role FROM account_roles WHERE account_id = $1 ORDER BY site_id, role", {account_id}))
        if (auto role = parse_role(r.text(1))) out.push_back({r.integer(0), *role});
    return out;
}

std::optional<AccountRow> account_where(Tx& tx, const char* where, const Value& key) {
    auto rows = tx.query(std::string("SELECT id, username, status, password_hash, totp_secret, totp_pending, totp_last_step, locale, password_sealed "
                                     "FROM accounts WHERE ") +
                             where,
                         {key});
    if (rows.empty()) return std::nullopt;
    const Row& r = rows[0];
    AccountRow a;
    a.account.id = r.integer(0);
    a.account.username = r.text(1);
    a.account.status = parse_status(r.text(2)).value_or(AccountStatus::suspended);
    a.password_hash = opt_text(r, 3);
    a.totp_secret = opt_blob(r, 4);
    a.totp_pending = opt_blob(r, 5);
    a.totp_last_step = r.integer(6);
    a.locale = opt_text(r, 7);
    a.password_sealed = opt_blob(r, 8);
    a.account.has_second_factor = a.totp_secret.has_value();
    a.account.roles = roles_of(tx, a.account.id);
    return a;
}

}  // namespace

void insert_site(Tx& tx, const Site& s, int64_t now) {
    tx.exec("INSERT INTO sites (id, name, city, country, time_zone, require_second_factor, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            {s.id, s.name, s.city, s.country, s.time_zone, int64_t(s.require_second_factor), now});
}

std::vector<Site> sites(Tx& tx) {
    std::vector<Site> out;
    for (const auto& r : tx.query(std::string(site_columns) + " ORDER BY name")) out.push_back(site_from(r));
    return out;
}

std::optional<Site> site(Tx& tx, int64_t id) {
    auto rows = tx.query(std::string(site_columns) + " WHERE id = $1", {id});
    if (rows.empty()) return std::nullopt;
    return site_from(rows[0]);
}

std::optional<Site> site_by_name(Tx& tx, const std::string& name) {
    auto rows = tx.query(std::string(site_columns) + " WHERE name = $1", {name});
    if (rows.empty()) return std::nullopt;
    return site_from(rows[0]);
}

void insert_account(Tx& tx, int64_t id, const std::string& username, AccountStatus status, int64_t now) {
    tx.exec("INSERT INTO accounts (id, username, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)",
            {id, username, std::string(status_name(status)), now});
}

std::optional<AccountRow> account(Tx& tx, int64_t id) { return account_where(tx, "id = $1", id); }

std::optional<AccountRow> account_by_username(Tx& tx, const std::string& username) { return account_where(tx, "username = $1", username); }

std::vector<Account> accounts_at_site(Tx& tx, int64_t site_id) {
    std::vector<Account> out;
    auto rows = tx.query(
        "SELECT DISTINCT a.id, a.username, a.status, a.totp_secret IS NOT NULL FROM accounts a "
        "JOIN account_roles r ON r.account_id = a.id WHERE r.site_id = $1 ORDER BY a.username",
        {site_id});
    for (const auto& r : rows) {
        Account a;
        a.id = r.integer(0);
        a.username = r.text(1);
        a.status = parse_status(r.text(2)).value_or(AccountStatus::suspended);
        a.has_second_factor = r.integer(3) != 0;
        a.roles = roles_of(tx, a.id);
        out.push_back(std::move(a));
    }
    return out;
}

void set_locale(Tx& tx, int64_t account_id, const std::string& locale, int64_t now) {
    tx.exec("UPDATE accounts SET locale = $2, updated_at = $3 WHERE id = $1", {account_id, locale, now});
}

void set_status(Tx& tx, int64_t account_id, AccountStatus status, int64_t now) {
    tx.exec("UPDATE accounts SET status = $2, updated_at = $3 WHERE id = $1", {account_id, std::string(status_name(status)), now});
}

void set_password(Tx& tx, int64_t account_id, const std::string& sealed_hash, int64_t now) {
    tx.exec("UPDATE accounts SET password_sealed = $2, password_hash = NULL, updated_at = $3 WHERE id = $1",
            {account_id, Blob::of(sealed_hash), now});
}

void set_totp_pending(Tx& tx, int64_t account_id, const std::optional<std::string>& secret) {
    tx.exec("UPDATE accounts SET totp_pending = $2 WHERE id = $1", {account_id, blob_or_null(secret)});
}

void confirm_totp(Tx& tx, int64_t account_id, int64_t step, const std::string& sealed_secret) {
    tx.exec("UPDATE accounts SET totp_secret = $3, totp_pending = NULL, totp_last_step = $2 WHERE id = $1",
            {account_id, step, Blob{{sealed_secret.begin(), sealed_secret.end()}}});
}

bool use_totp_step(Tx& tx, int64_t account_id, int64_t step) {
    return tx.exec("UPDATE accounts SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2", {account_id, step}) == 1;
}

// Rewrites below take the account's row first, so two at once take turns on PostgreSQL (otherwise both delete,
// both insert, and the second collides on the key: a 500 the hostile-input generator found).
static void lock_account(Tx& tx, int64_t account_id) { tx.exec("UPDATE accounts SET updated_at = updated_at WHERE id = $1", {account_id}); }

void set_roles_at_site(Tx& tx, int64_t account_id, int64_t site_id, const std::vector<Role>& roles) {
    lock_account(tx, account_id);
    tx.exec("DELETE FROM account_roles WHERE account_id = $1 AND site_id = $2", {account_id, site_id});
    for (Role role : roles)
        tx.exec("INSERT INTO account_roles (account_id, site_id, role) VALUES ($1, $2, $3)", {account_id, site_id, std::string(role_name(role))});
}

void insert_enrolment(Tx& tx, const std::string& token_hash, int64_t account_id, int64_t expires_at) {
    tx.exec("INSERT INTO enrolments (token_hash, account_id, expires_at) VALUES ($1, $2, $3)", {token_hash, account_id, expires_at});
}

std::optional<int64_t> enrolment_account(Tx& tx, const std::string& token_hash, int64_t now) {
    auto rows = tx.query("SELECT account_id FROM enrolments WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2", {token_hash, now});
    if (rows.empty()) return std::nullopt;
    return rows[0].integer(0);
}

void finish_enrolment(Tx& tx, const std::string& token_hash, int64_t now) {
    tx.exec("UPDATE enrolments SET used_at = $2 WHERE token_hash = $1", {token_hash, now});
}

void insert_recovery_codes(Tx& tx, int64_t account_id, const std::vector<std::string>& hashes) {
    lock_account(tx, account_id);
    tx.exec("DELETE FROM recovery_codes WHERE account_id = $1", {account_id});
    for (const auto& h : hashes) tx.exec("INSERT INTO recovery_codes (account_id, code_hash) VALUES ($1, $2)", {account_id, h});
}

bool use_recovery_code(Tx& tx, int64_t account_id, const std::string& code_hash, int64_t now) {
    return tx.exec("UPDATE recovery_codes SET used_at = $3 WHERE account_id = $1 AND code_hash = $2 AND used_at IS NULL",
                   {account_id, code_hash, now}) == 1;
}

void insert_session(Tx& tx, const std::string& id_hash, const std::string& public_id, int64_t account_id, int64_t now, int64_t expires_at) {
    tx.exec("INSERT INTO sessions (id_hash, public_id, account_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $4, $5)",
            {id_hash, public_id, account_id, now, expires_at});
}

std::optional<SessionRow> session(Tx& tx, const std::string& id_hash) {
    auto rows = tx.query("SELECT account_id, public_id, created_at, last_seen_at, expires_at FROM sessions WHERE id_hash = $1", {id_hash});
    if (rows.empty()) return std::nullopt;
    const Row& r = rows[0];
    return SessionRow{r.integer(0), r.text(1), r.integer(2), r.integer(3), r.integer(4)};
}

void touch_session(Tx& tx, const std::string& id_hash, int64_t now) {
    tx.exec("UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1", {id_hash, now});
}

void delete_session(Tx& tx, const std::string& id_hash) { tx.exec("DELETE FROM sessions WHERE id_hash = $1", {id_hash}); }

bool delete_session_by_public_id(Tx& tx, int64_t account_id, const std::string& public_id) {
    return tx.exec("DELETE FROM sessions WHERE account_id = $1 AND public_id = $2", {account_id, public_id}) == 1;
}

void delete_sessions_of(Tx& tx, int64_t account_id) { tx.exec("DELETE FROM sessions WHERE account_id = $1", {account_id}); }
void delete_all_sessions(Tx& tx) { tx.exec("DELETE FROM sessions", {}); }

std::vector<SessionInfo> sessions_of(Tx& tx, int64_t account_id) {
    std::vector<SessionInfo> out;
    for (const auto& r : tx.query("SELECT public_id, created_at, last_seen_at, expires_at FROM sessions WHERE account_id = $1 "
                                  "ORDER BY last_seen_at DESC",
                                  {account_id}))
        out.push_back({r.text(0), r.integer(1), r.integer(2), r.integer(3), false});
    return out;
}

void insert_token(Tx& tx, int64_t id, const std::string& token_hash, int64_t account_id, const std::string& label, const std::string& scope,
                  int64_t now, int64_t expires_at) {
    tx.exec("INSERT INTO api_tokens (id, token_hash, account_id, label, scope, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            {id, token_hash, account_id, label, scope, now, expires_at});
}

std::optional<TokenRow> live_token(Tx& tx, const std::string& token_hash, int64_t now) {
    auto rows =
        tx.query("SELECT account_id, scope FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2", {token_hash, now});
    if (rows.empty()) return std::nullopt;
    return TokenRow{rows[0].integer(0), rows[0].text(1)};
}

int64_t revoke_tokens_of(Tx& tx, int64_t account_id, int64_t now) {
    return tx.exec("UPDATE api_tokens SET revoked_at = $2 WHERE account_id = $1 AND revoked_at IS NULL", {account_id, now});
}

Throttle count_attempt(Tx& tx, const std::string& key, int64_t now, int64_t window_ms) {
    auto rows = tx.query(
        "INSERT INTO login_throttle (source_hash, failures, next_allowed_at, updated_at) VALUES ($1, 1, 0, $2) "
        "ON CONFLICT (source_hash) DO UPDATE SET failures = CASE WHEN login_throttle.updated_at < $3 THEN 1 "
        "ELSE login_throttle.failures + 1 END, updated_at = $2 RETURNING failures, next_allowed_at",
        {key, now, now - window_ms});
    return Throttle{rows.at(0).integer(0), rows.at(0).integer(1), now};
}

void forget_old_attempts(Tx& tx, int64_t before) { tx.exec("DELETE FROM login_throttle WHERE updated_at < $1", {before}); }

std::optional<PersonalKeys> personal_keys(Tx& tx, int64_t account_id) {
    auto rows = tx.query("SELECT box_public, box_sealed, box_salt, box_secret FROM accounts WHERE id = $1", {account_id});
    if (rows.empty()) return std::nullopt;
    return PersonalKeys{opt_blob(rows[0], 0), opt_blob(rows[0], 1), opt_blob(rows[0], 2), opt_blob(rows[0], 3)};
}

void set_personal_keys(Tx& tx, int64_t account_id, const std::string& public_key, const std::string& sealed, const std::string& salt) {
    tx.exec("UPDATE accounts SET box_public = $1, box_sealed = $2, box_salt = $3 WHERE id = $4 AND box_public IS NULL",
            {Blob::of(public_key), Blob::of(sealed), Blob::of(salt), account_id});
}

void seal_personal_key(Tx& tx, int64_t account_id, const std::string& sealed) {
    tx.exec("UPDATE accounts SET box_sealed = $1, box_secret = NULL WHERE id = $2", {Blob::of(sealed), account_id});
}

std::vector<ClearCredentials> clear_credentials(Tx& tx) {
    std::vector<ClearCredentials> out;
    for (const auto& r : tx.query("SELECT id, password_hash, box_secret FROM accounts WHERE password_hash IS NOT NULL OR box_secret IS NOT NULL"))
        out.push_back({r.integer(0), opt_text(r, 1), opt_blob(r, 2)});
    return out;
}

void end_assignments_at_site(Tx& tx, int64_t account_id, int64_t site_id) {
    tx.exec("DELETE FROM assignments WHERE account_id = $1 AND record_type = 'person' AND record_id IN (SELECT id FROM people WHERE site_id = $2)",
            {account_id, site_id});
}

int64_t count_reads(Tx& tx, int64_t account_id, const std::vector<std::string>& objects, int64_t now, int64_t since, bool count) {
    constexpr size_t chunk = 200;  // one INSERT of many rows: an export of thousands is a few statements
    for (size_t at = 0; at < objects.size(); at += chunk) {
        std::string sql = "INSERT INTO record_reads (account_id, object, at) VALUES ";
        storage::Params params{account_id, now};
        for (size_t i = at; i < std::min(objects.size(), at + chunk); ++i) {
            sql += (i == at ? "" : ", ") + std::string("($1, $") + std::to_string(params.size() + 1) + ", $2)";
            params.emplace_back(objects[i]);
        }
        tx.exec(sql, params);
    }
    tx.exec("DELETE FROM record_reads WHERE account_id = $1 AND at < $2", {account_id, since});
    if (!count) return 0;
    return tx.query("SELECT COUNT(DISTINCT object) FROM record_reads WHERE account_id = $1 AND at >= $2", {account_id, since}).at(0).integer(0);
}

void set_next_allowed(Tx& tx, const std::string& key, int64_t at) {
    tx.exec("UPDATE login_throttle SET next_allowed_at = $2 WHERE source_hash = $1", {key, at});
}

void uncount_attempt(Tx& tx, const std::string& key, int64_t free) {
    tx.exec(
        "UPDATE login_throttle SET failures = failures - 1, next_allowed_at = CASE WHEN failures - 1 <= $2 THEN 0 ELSE next_allowed_at END "
        "WHERE source_hash = $1 AND failures > 0",
        {key, free});
}

void insert_assignment(Tx& tx, int64_t id, int64_t account_id, const std::string& record_type, int64_t record_id, int64_t expires_at,
                       int64_t granted_by, int64_t now) {
    tx.exec(
        "INSERT INTO assignments (id, account_id, record_type, record_id, expires_at, granted_by, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
        {id, account_id, record_type, record_id, expires_at, granted_by, now});
}

bool has_assignment(Tx& tx, int64_t account_id, const std::string& record_type, int64_t record_id, int64_t now) {
    return tx.query("SELECT COUNT(*) FROM assignments WHERE account_id = $1 AND record_type = $2 AND record_id = $3 AND expires_at > $4",
                    {account_id, record_type, record_id, now})
               .at(0)
               .integer(0) > 0;
}

void end_assignment(Tx& tx, int64_t account_id, const std::string& record_type, int64_t record_id, int64_t now) {
    tx.exec("UPDATE assignments SET expires_at = $4 WHERE account_id = $1 AND record_type = $2 AND record_id = $3 AND expires_at > $4",
            {account_id, record_type, record_id, now});
}

void delete_roles_and_assignments(Tx& tx, int64_t account_id) {
    tx.exec("DELETE FROM account_roles WHERE account_id = $1", {account_id});
    tx.exec("DELETE FROM assignments WHERE account_id = $1", {account_id});
}

std::optional<SealedContact> contact(Tx& tx, int64_t account_id) {
    auto rows = tx.query("SELECT real_name, email, phone FROM accounts WHERE id = $1", {account_id});
    if (rows.empty()) return std::nullopt;
    const auto& r = rows[0];
    auto column = [&](size_t i) { return r.is_null(i) ? std::nullopt : std::optional<std::string>(r.blob(i).str()); };
    return SealedContact{column(0), column(1), column(2)};
}

void set_contact(Tx& tx, int64_t account_id, const SealedContact& c, int64_t now) {
    auto value = [](const std::optional<std::string>& v) { return v ? Value(Blob::of(*v)) : Value(nullptr); };
    tx.exec("UPDATE accounts SET real_name = $2, email = $3, phone = $4, updated_at = $5 WHERE id = $1",
            {account_id, value(c.real_name), value(c.email), value(c.phone), now});
}

std::optional<std::string> box_public(Tx& tx, int64_t account_id) {
    auto rows = tx.query("SELECT box_public FROM accounts WHERE id = $1", {account_id});
    if (rows.empty() || rows[0].is_null(0)) return std::nullopt;
    return rows[0].blob(0).str();
}

bool alarm_since(Tx& tx, int64_t account_id, int64_t since) {
    return tx.query("SELECT COUNT(*) FROM read_alarms WHERE account_id = $1 AND raised_at >= $2", {account_id, since}).at(0).integer(0) > 0;
}

void insert_read_alarm(Tx& tx, const ReadAlarm& a) {
    tx.exec("INSERT INTO read_alarms (id, account_id, raised_at, records, window_ms, suspended) VALUES ($1, $2, $3, $4, $5, $6)",
            {a.id, a.account_id, a.raised_at, a.records, a.window_ms, int64_t(a.suspended)});
}

std::vector<ReadAlarm> read_alarms(Tx& tx) {
    std::vector<ReadAlarm> out;
    for (const auto& r : tx.query("SELECT r.id, r.account_id, r.raised_at, r.records, r.window_ms, r.suspended, a.username "
                                  "FROM read_alarms r JOIN accounts a ON a.id = r.account_id ORDER BY r.raised_at DESC LIMIT 100"))
        out.push_back({r.integer(0), r.integer(1), r.integer(2), r.integer(3), r.integer(4), r.text(6), r.integer(5) != 0});
    return out;
}

}  // namespace haven::accounts::store
