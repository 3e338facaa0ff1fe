#include "modules/accounts/service.hpp"

#include <sodium.h>
#include <unicode/timezone.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/log.hpp"
#include "core/utf8.hpp"
#include "crypto/password.hpp"
#include "crypto/random.hpp"
#include "crypto/totp.hpp"
#include "modules/accounts/store.hpp"

namespace haven::accounts {
namespace {

constexpr int64_t hour_ms = 3600 * 1000;
constexpr int64_t enrolment_lifetime_ms = 72 * hour_ms;
constexpr int64_t max_failures_per_hour = 100;
constexpr int free_failures_per_source = 4;        // then 1 s, 2 s, 4 s … 15 min
constexpr int64_t max_backoff_ms = 15 * 60 * 1000;
constexpr int64_t touch_every_ms = 60 * 1000;      // last_seen is written at most once a minute

Error denied() { return make_error(ErrorKind::forbidden, "forbidden", "You are not allowed to do this."); }
Error bad_credentials() {
    return make_error(ErrorKind::unauthorized, "invalid_credentials", "The username, password or code is not right.");
}
Error bad_link() {
    return make_error(ErrorKind::not_found, "invalid_link", "This link is not valid any more. Ask an administrator for a new one.");
}
Error signed_out() { return make_error(ErrorKind::unauthorized, "signed_out", "Please sign in."); }

Status check_text(const std::string& value, const char* field, size_t max) {
    if (value.empty()) return make_error(ErrorKind::invalid, "validation_failed", std::string(field) + " is required.", field);
    if (value.size() > max)
        return make_error(ErrorKind::invalid, "validation_failed", std::string(field) + " is too long.", field);
    if (!is_plain_line(value))
        return make_error(ErrorKind::invalid, "validation_failed",
                          std::string(field) + " must be one line of UTF-8 text without control, bidirectional or invisible characters.", field);
    return {};
}

bool valid_time_zone(const std::string& id) {
    std::unique_ptr<icu::TimeZone> tz(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(id)));
    icu::UnicodeString unknown;
    icu::TimeZone::getUnknown().getID(unknown);
    icu::UnicodeString got;
    tz->getID(got);
    return got != unknown && id != "Etc/Unknown";
}

}  // namespace

Result<std::string> check_username(std::string_view username) {
    std::string u;
    for (char c : username) u += char(std::tolower((unsigned char)c));
    bool ok = u.size() >= 3 && u.size() <= 32;
    for (char c : u) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-');
    if (!ok)
        return make_error(ErrorKind::invalid, "validation_failed",
                          "A username is 3 to 32 of: latin letters, digits, '.', '_' and '-'. Use a chosen name, not a legal name.",
                          "username");
    return u;
}

Service::Service(storage::Database& db, const crypto::Vault& vault, const Clock& clock, SessionPolicy policy)
    : db_(db), vault_(vault), clock_(clock), recorder_(vault, clock), policy_(policy), throttle_key_(crypto::random_bytes(32)) {}

void Service::audit(storage::Tx& tx, std::string_view action, int64_t actor_id, std::string_view object_type, int64_t object_id,
                    int64_t site_id, std::string_view outcome) {
    audit::Entry e;
    e.action = std::string(action);
    e.actor = actor_id > 0 ? recorder_.subject("account", actor_id) : actor_id == 0 ? "operator" : "unknown";
    e.object = object_type.empty() ? "" : recorder_.subject(object_type, object_id);
    e.site_id = site_id;
    e.outcome = std::string(outcome);
    recorder_.record(tx, e);
}

std::string Service::source_key(const std::string& source) const {
    unsigned char h[16];
    crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(source.data()), source.size(),
                       reinterpret_cast<const unsigned char*>(throttle_key_.data()), throttle_key_.size());
    return crypto::hex(std::string_view(reinterpret_cast<const char*>(h), sizeof h));
}

// The principal of an active account (one read of the account and its roles); none otherwise.
std::optional<Principal> Service::active_principal(storage::Tx& tx, int64_t account_id) {
    auto row = store::account(tx, account_id);
    if (!row || row->account.status != AccountStatus::active) return std::nullopt;
    Principal p;
    p.account_id = row->account.id;
    p.username = row->account.username;
    p.roles = row->account.roles;
    p.locale = row->locale.value_or("");
    return p;
}

// ---- Sites ----

Result<Site> Service::create_site(const Principal* actor, const SiteInput& in) {
    if (actor && !may(*actor, Action::sites_manage, std::nullopt)) return denied();
    for (auto [value, field, max] : {std::tuple{&in.name, "name", 100}, std::tuple{&in.city, "city", 100},
                                     std::tuple{&in.country, "country", 100}, std::tuple{&in.time_zone, "time_zone", 64}}) {
        if (auto s = check_text(*value, field, size_t(max)); !s) return s.error();
    }
    if (!valid_time_zone(in.time_zone))
        return make_error(ErrorKind::invalid, "validation_failed", "time_zone must be an IANA zone such as Europe/Paris.", "time_zone");
    Site site{store::new_id(), in.name, in.city, in.country, in.time_zone, in.require_second_factor};
    Status s = db_.write([&](storage::Tx& tx) -> Status {
        if (store::site_by_name(tx, in.name))
            return make_error(ErrorKind::conflict, "exists", "A site with this name exists.", "name");
        store::insert_site(tx, site, clock_.now_ms());
        audit(tx, "site.create", actor ? actor->account_id : 0, "site", site.id, site.id);
        // The creator administers the new site too.
        if (actor) store::set_roles_at_site(tx, actor->account_id, site.id, {Role::administrator});
        return {};
    });
    if (!s) return s.error();
    return site;
}

std::vector<Site> Service::sites_visible_to(const Principal& actor) {
    std::vector<Site> out;
    db_.read([&](storage::Tx& tx) {
        for (auto& s : store::sites(tx)) {
            bool member = std::any_of(actor.roles.begin(), actor.roles.end(), [&](const SiteRole& r) { return r.site_id == s.id; });
            if (member) out.push_back(std::move(s));
        }
    });
    return out;
}

Result<Site> Service::site_for(const Principal& actor, int64_t site_id, Action action) {
    if (!may(actor, action, site_id)) return denied();
    std::optional<Site> site;
    db_.read([&](storage::Tx& tx) { site = store::site(tx, site_id); });
    if (!site) return make_error(ErrorKind::not_found, "not_found", "There is no such site.");
    return *site;
}

std::optional<Site> Service::site_named(const std::string& name) {
    std::optional<Site> site;
    db_.read([&](storage::Tx& tx) { site = store::site_by_name(tx, name); });
    return site;
}

// ---- Accounts ----

Result<Invitation> Service::invite(const Principal* actor, int64_t site_id, const std::string& username_in, Role role) {
    if (actor && !may(*actor, Action::accounts_manage, site_id)) return denied();
    HAVEN_TRY(username, check_username(username_in));
    Invitation inv;
    inv.token = crypto::random_token();
    inv.expires_at = clock_.now_ms() + enrolment_lifetime_ms;
    Status s = db_.write([&](storage::Tx& tx) -> Status {
        if (!store::site(tx, site_id)) return make_error(ErrorKind::not_found, "not_found", "There is no such site.");
        if (store::account_by_username(tx, username))
            return make_error(ErrorKind::conflict, "exists", "This username is taken.", "username");
        int64_t id = store::new_id();
        store::insert_account(tx, id, username, AccountStatus::invited, clock_.now_ms());
        store::set_roles_at_site(tx, id, site_id, {role});
        store::insert_enrolment(tx, crypto::token_hash(inv.token), id, inv.expires_at);
        inv.account = Account{id, username, AccountStatus::invited, {{site_id, role}}, false};
        audit(tx, "account.invite", actor ? actor->account_id : 0, "account", id, site_id);
        return {};
    });
    if (!s) return s.error();
    return inv;
}

Result<std::vector<Account>> Service::accounts_at(const Principal& actor, int64_t site_id) {
    if (!may(actor, Action::accounts_view, site_id)) return denied();
    std::vector<Account> out;
    db_.read([&](storage::Tx& tx) {
        for (auto& a : store::accounts_at_site(tx, site_id)) {
            // Only the roles at this site: another site's staff list is not this site's business.
            std::erase_if(a.roles, [&](const SiteRole& r) { return r.site_id != site_id; });
            out.push_back(std::move(a));
        }
    });
    return out;
}

Status Service::set_roles(const Principal& actor, int64_t site_id, int64_t account_id, const std::vector<Role>& roles) {
    if (!may(actor, Action::accounts_manage, site_id)) return denied();
    return db_.write([&](storage::Tx& tx) -> Status {
        auto row = store::account(tx, account_id);
        bool here = row && std::any_of(row->account.roles.begin(), row->account.roles.end(),
                                       [&](const SiteRole& r) { return r.site_id == site_id; });
        if (!here) return make_error(ErrorKind::not_found, "not_found", "There is no such account at this site.");
        if (account_id == actor.account_id && std::find(roles.begin(), roles.end(), Role::administrator) == roles.end())
            return make_error(ErrorKind::invalid, "validation_failed", "You cannot remove your own administrator role.", "role");
        store::set_roles_at_site(tx, account_id, site_id, roles);
        store::delete_sessions_of(tx, account_id);
        keyring_.forget_account(account_id);
        audit(tx, "account.roles", actor.account_id, "account", account_id, site_id);
        return {};
    });
}

Status Service::set_status(const Principal* actor, int64_t site_id, int64_t account_id, AccountStatus status) {
    if (actor && !may(*actor, Action::accounts_manage, site_id)) return denied();
    if (actor && actor->account_id == account_id)
        return make_error(ErrorKind::invalid, "validation_failed", "You cannot suspend or offboard yourself.", "account");
    return db_.write([&](storage::Tx& tx) -> Status {
        auto row = store::account(tx, account_id);
        bool here = row && std::any_of(row->account.roles.begin(), row->account.roles.end(),
                                       [&](const SiteRole& r) { return r.site_id == site_id; });
        if (!here) return make_error(ErrorKind::not_found, "not_found", "There is no such account at this site.");
        const int64_t now = clock_.now_ms();
        // A site's administrator acts on that site alone. Status is global (a suspended account is suspended
        // everywhere), so changing it needs authority over every site the account holds a role at; offboarding
        // from one site of several only takes away the roles held there.
        const bool over_all = !actor || std::all_of(row->account.roles.begin(), row->account.roles.end(),
                                                    [&](const SiteRole& r) { return may(*actor, Action::accounts_manage, r.site_id); });
        if (!over_all) {
            if (status != AccountStatus::offboarded)
                return make_error(ErrorKind::forbidden, "other_sites",
                                  "This account also holds roles at sites you do not manage: only someone who manages all of them may change its "
                                  "status. Offboarding it here removes its roles at this site.");
            store::set_roles_at_site(tx, account_id, site_id, {});
            store::delete_sessions_of(tx, account_id);  // a change of roles ends the sessions
            keyring_.forget_account(account_id);
            store::end_assignments_at_site(tx, account_id, site_id);
            audit(tx, "account.offboarded", actor->account_id, "account", account_id, site_id, "site");
            return {};
        }
        store::set_status(tx, account_id, status, now);
        if (status != AccountStatus::active) {
            store::delete_sessions_of(tx, account_id);
            keyring_.forget_account(account_id);
            store::revoke_tokens_of(tx, account_id, now);
        }
        if (status == AccountStatus::offboarded) {
            tx.exec("DELETE FROM account_roles WHERE account_id = $1", {account_id});
            tx.exec("DELETE FROM assignments WHERE account_id = $1", {account_id});
        }
        audit(tx, "account." + std::string(status_name(status)), actor ? actor->account_id : 0, "account", account_id, site_id);
        return {};
    });
}

// ---- Enrolment ----

Result<Enrolment> Service::enrolment(const std::string& token) {
    if (token.size() > 64) return bad_link();
    std::optional<Enrolment> e;
    db_.read([&](storage::Tx& tx) {
        auto account_id = store::enrolment_account(tx, crypto::token_hash(token), clock_.now_ms());
        if (!account_id) return;
        auto row = store::account(tx, *account_id);
        if (!row || row->account.status == AccountStatus::suspended || row->account.status == AccountStatus::offboarded) return;
        Enrolment out;
        out.account = row->account;
        out.password_set = row->password_hash.has_value() || row->password_sealed.has_value();
        out.second_factor_needed = !row->totp_secret && second_factor_required(row->account.roles, store::sites(tx));
        if (row->totp_pending) {
            auto secret = vault_.open_field("accounts", "totp_pending", row->account.id, *row->totp_pending);
            if (secret) out.totp_secret = secret.value();
        }
        e = std::move(out);
    });
    if (!e) return bad_link();
    return *e;
}

Status Service::enrol_password(const std::string& token, const std::string& password) {
    HAVEN_TRY(e, enrolment(token));
    if (auto s = crypto::check_new_password(password, e.account.username); !s) return s;
    const std::string hash = crypto::hash_password(password);  // outside the write: Argon2 takes a while
    const std::string secret = crypto::new_totp_secret();
    return db_.write([&](storage::Tx& tx) -> Status {
        const int64_t now = clock_.now_ms();
        store::set_password(tx, e.account.id, vault_.seal_field("accounts", "password_sealed", e.account.id, hash), now);
        audit(tx, "enrol.password", e.account.id, "account", e.account.id);
        if (e.second_factor_needed) {
            store::set_totp_pending(tx, e.account.id, vault_.seal_field("accounts", "totp_pending", e.account.id, secret));
        } else {
            store::set_status(tx, e.account.id, AccountStatus::active, now);
            store::finish_enrolment(tx, crypto::token_hash(token), now);
        }
        return {};
    });
}

Result<std::vector<std::string>> Service::enrol_second_factor(const std::string& token, const std::string& code) {
    HAVEN_TRY(e, enrolment(token));
    if (!e.password_set || e.totp_secret.empty())
        return make_error(ErrorKind::invalid, "validation_failed", "Set a password first.", "password");
    auto step = crypto::totp_match(e.totp_secret, code, clock_.now_ms() / 1000);
    if (!step) return make_error(ErrorKind::invalid, "wrong_code", "This code is not right; check the time on your phone.", "code");
    std::vector<std::string> codes = crypto::new_recovery_codes();
    std::vector<std::string> hashes;
    for (const auto& c : codes) hashes.push_back(crypto::token_hash(crypto::normalise_recovery_code(c)));
    Status s = db_.write([&](storage::Tx& tx) -> Status {
        const int64_t now = clock_.now_ms();
        store::confirm_totp(tx, e.account.id, *step, vault_.seal_field("accounts", "totp_secret", e.account.id, e.totp_secret));
        audit(tx, "enrol.second_factor", e.account.id, "account", e.account.id);
        store::insert_recovery_codes(tx, e.account.id, hashes);
        store::set_status(tx, e.account.id, AccountStatus::active, now);
        store::finish_enrolment(tx, crypto::token_hash(token), now);
        return {};
    });
    if (!s) return s.error();
    return codes;
}

// ---- Login ----

// Login, in an order that gives nothing away:
// 1. Reserve the attempt before verifying anything: one write counts it against the source and the username
//    (known or not) and refuses it when either is in back-off or has had its hundred failures this hour — the
//    same answer whatever the password, so a refusal never confirms one. Counting first makes parallel guesses
//    count one by one (the database serialises the counter; a count read before and written after would not).
// 2. One Argon2id verification whatever happens (an unknown user against a reference hash made once per process),
//    then the second factor:
//    every failure costs the same work, so timing does not tell a right password from a wrong one.
// 3. A success gives back its own reservation and nothing more: other people's failures from the same address,
//    or against the same account, stay counted until an hour without one.
// 4. Only after everything passed: open a counsellor's personal key (a second Argon2id, on success only).
Result<Login> Service::login(const LoginInput& in) {
    if (!legacy_sealed_.exchange(true) && !vault_.sealed()) seal_legacy_credentials();  // once per process, before the first login
    const int64_t now = clock_.now_ms();
    auto checked = check_username(in.username);
    const std::string username = checked ? checked.value() : std::string();
    const std::string source = source_key(in.source), account_key = source_key(std::string("account\n") + username);
    std::optional<store::AccountRow> row;
    std::vector<Site> sites;
    Status reserved = db_.write([&](storage::Tx& tx) -> Status {
        // Source first, then the username: every login takes the two rows in that order.
        const store::Throttle by_source = store::count_attempt(tx, source, now, hour_ms);
        if (by_source.next_allowed_at > now) {  // an error rolls the count back: a refused attempt is not counted
            Error e = make_error(ErrorKind::too_many, "too_many_attempts", "Too many failed attempts from here. Wait a little and try again.");
            e.retry_after_seconds = int((by_source.next_allowed_at - now + 999) / 1000);
            return e;
        }
        if (by_source.failures > free_failures_per_source)
            store::set_next_allowed(tx, source, now + std::min<int64_t>(max_backoff_ms, int64_t(1000) << std::min<int64_t>(by_source.failures - free_failures_per_source - 1, 20)));
        if (!username.empty()) {
            if (auto counted = count_account_attempt(tx, account_key, now); !counted) return counted;
            row = store::account_by_username(tx, username);
        }
        sites = store::sites(tx);
        return {};
    });
    if (!reserved) return reserved.error();
    // Counts a day old hold nothing: at most once a minute, in their own write, they go.
    if (int64_t last = last_pruned_.load(); now - last > 60'000 && last_pruned_.compare_exchange_strong(last, now))
        (void)db_.write([&](storage::Tx& tx) -> Status {
            store::forget_old_attempts(tx, now - 24 * hour_ms);
            return {};
        });

    std::optional<std::string> hash;
    if (row) hash = password_hash_of(*row);
    bool ok = false;
    if (hash) ok = crypto::verify_password(*hash, in.password);
    else crypto::equalise_login_time(in.password);
    ok = ok && row->account.status == AccountStatus::active;

    Status s = db_.write([&](storage::Tx& tx) -> Status {
        if (ok && row->totp_secret) {
            ok = use_second_factor(tx, *row, in.code, now);
        } else if (ok && second_factor_required(row->account.roles, sites)) {
            ok = false;  // required but never set up: only a new enrolment link helps
        }
        if (!ok) {
            audit(tx, "login", row ? row->account.id : -1, {}, 0, 0, "refused");
            return {};
        }
        store::uncount_attempt(tx, source, free_failures_per_source);
        store::uncount_attempt(tx, account_key, max_failures_per_hour - 1);
        return {};
    });
    if (!s) return s.error();
    if (!ok) return bad_credentials();

    // Counsellors' personal keys open with the password: derived here, outside the write (Argon2id takes time).
    std::optional<BoxKeys> box;
    if (std::any_of(row->account.roles.begin(), row->account.roles.end(), [](const SiteRole& r) { return r.role == Role::counsellor; }))
        box = open_box(row->account.id, in.password);

    Login out;
    std::string public_id;
    s = db_.write([&](storage::Tx& tx) -> Status {
        // A new session id at every login: whatever cookie the browser had before is never promoted.
        out.session_token = crypto::random_token();
        public_id = crypto::base64url(crypto::random_bytes(9));
        store::insert_session(tx, crypto::token_hash(out.session_token), public_id, row->account.id, now, now + policy_.absolute_ms);
        if (box && box->created)
            store::set_personal_keys(tx, row->account.id, box->public_key,
                                     vault_.seal_field("accounts", "box_sealed", row->account.id, box->sealed_secret), box->salt);
        if (!row->password_sealed) store::set_password(tx, row->account.id, vault_.seal_field("accounts", "password_sealed", row->account.id, *hash), now);
        auto p = active_principal(tx, row->account.id);
        if (!p) return bad_credentials();  // suspended between the two steps
        out.principal = std::move(*p);
        out.principal.via = "session";
        audit(tx, "login", row->account.id);
        return {};
    });
    if (!s) {
        if (box) sodium_memzero(box->secret.data(), box->secret.size());
        return s.error();
    }
    if (box) {
        keyring_.put(public_id, row->account.id, now + policy_.absolute_ms, now + policy_.idle_ms, box->secret, now);
        sodium_memzero(box->secret.data(), box->secret.size());
    }
    return out;
}

// Counts an attempt against a username (a login or a second factor asked again): refused, and not counted (the
// caller's write rolls back on the error), once it has had its hundred failures this hour; the hundredth locks it.
Status Service::count_account_attempt(storage::Tx& tx, const std::string& account_key, int64_t now) {
    const store::Throttle by_account = store::count_attempt(tx, account_key, now, hour_ms);
    if (by_account.next_allowed_at > now) {
        Error e = make_error(ErrorKind::too_many, "too_many_attempts", "Too many failed attempts for this account. Try again in an hour.");
        e.retry_after_seconds = int((by_account.next_allowed_at - now + 999) / 1000);
        return e;
    }
    if (by_account.failures >= max_failures_per_hour) store::set_next_allowed(tx, account_key, now + hour_ms);
    return {};
}

// A TOTP code of a step not used before (a replay is refused), or an unused recovery code; either is spent.
bool Service::use_second_factor(storage::Tx& tx, const store::AccountRow& row, const std::string& code, int64_t now) {
    auto secret = vault_.open_field("accounts", "totp_secret", row.account.id, *row.totp_secret);
    auto step = secret ? crypto::totp_match(secret.value(), code, now / 1000) : std::nullopt;
    if (step) return store::use_totp_step(tx, row.account.id, *step);
    return !code.empty() && store::use_recovery_code(tx, row.account.id, crypto::token_hash(crypto::normalise_recovery_code(code)), now);
}

// The account's Argon2id string: sealed by the vault (bound to the row), or a legacy one in the clear.
std::optional<std::string> Service::password_hash_of(const store::AccountRow& row) const {
    if (row.password_sealed) {
        auto hash = vault_.open_field("accounts", "password_sealed", row.account.id, *row.password_sealed);
        if (hash) return std::move(hash).value();
        log::error("password_unopened", {{"account", row.account.id}});
        return std::nullopt;
    }
    return row.password_hash;
}

// Wraps what an earlier version kept only under the password (hashes in the clear, personal keys under Argon2id
// alone) under the vault too. Runs once the vault is open; a no-op when nothing is left.
void Service::seal_legacy_credentials() {
    std::vector<store::ClearCredentials> found;
    db_.read([&](storage::Tx& tx) { found = store::clear_credentials(tx); });
    if (found.empty()) return;
    (void)db_.write([&](storage::Tx& tx) -> Status {
        for (const auto& c : found) {
            if (c.password_hash) store::set_password(tx, c.id, vault_.seal_field("accounts", "password_sealed", c.id, *c.password_hash), clock_.now_ms());
            if (c.box_secret) store::seal_personal_key(tx, c.id, vault_.seal_field("accounts", "box_sealed", c.id, *c.box_secret));
        }
        return {};
    });
    db_.checkpoint();
}

std::optional<Service::BoxKeys> Service::open_box(int64_t account_id, const std::string& password) {
    std::optional<store::PersonalKeys> stored;
    db_.read([&](storage::Tx& tx) { stored = store::personal_keys(tx, account_id); });
    if (!stored) return std::nullopt;
    const std::string ad = "accounts\0box_secret\0" + std::to_string(account_id);
    BoxKeys k;
    if (!stored->public_key) {
        // First login as a counsellor: a new key pair, its secret sealed under the password's key (and by the vault).
        k.created = true;
        k.salt = crypto::random_bytes(crypto_pwhash_SALTBYTES);
        std::string pk(crypto_box_PUBLICKEYBYTES, '\0'), sk(crypto_box_SECRETKEYBYTES, '\0');
        crypto_box_keypair(reinterpret_cast<unsigned char*>(pk.data()), reinterpret_cast<unsigned char*>(sk.data()));
        auto key = crypto::personal_key(password, k.salt);
        k.public_key = pk;
        k.sealed_secret = crypto::aead_seal(sk, key->data(), ad);
        k.secret = std::move(sk);
        return k;
    }
    k.public_key = *stored->public_key;
    if (stored->sealed) {
        auto inner = vault_.open_field("accounts", "box_sealed", account_id, *stored->sealed);
        if (!inner) {
            log::error("personal_key_unopened", {{"account", account_id}});
            return std::nullopt;
        }
        k.sealed_secret = std::move(inner).value();
    } else {
        k.sealed_secret = stored->clear.value_or("");  // an earlier version's: under the password alone
    }
    k.salt = stored->salt.value_or("");
    auto key = crypto::personal_key(password, k.salt);
    auto secret = crypto::aead_open(k.sealed_secret, key->data(), ad);
    if (!secret) {
        log::error("personal_key_unopened", {{"account", account_id}});
        return std::nullopt;
    }
    k.secret = std::move(*secret);
    return k;
}

std::optional<std::string> Service::box_public(storage::Tx& tx, int64_t account_id) {
    auto rows = tx.query("SELECT box_public FROM accounts WHERE id = $1", {account_id});
    if (rows.empty() || rows[0].is_null(0)) return std::nullopt;
    return rows[0].blob(0).str();
}

std::optional<std::string> Service::box_secret(const Principal& actor) const {
    if (actor.via != "session") return std::nullopt;
    return keyring_.get(actor.session_public_id, actor.account_id, clock_.now_ms());
}

Result<Principal> Service::principal_for_session(const std::string& token) {
    if (token.empty() || token.size() > 64) return signed_out();
    const std::string id_hash = crypto::token_hash(token);
    const int64_t now = clock_.now_ms();
    std::optional<store::SessionRow> session;
    std::optional<Principal> p;
    db_.read([&](storage::Tx& tx) {
        session = store::session(tx, id_hash);
        if (session) p = active_principal(tx, session->account_id);
    });
    if (!session) return signed_out();
    const bool expired = now >= session->expires_at || now - session->last_seen_at >= policy_.idle_ms;
    keyring_.sweep(now);  // personal keys of sessions gone idle leave memory at the next request, whoever makes it
    if (expired || !p) {
        keyring_.forget_session(session->public_id);
        (void)db_.write([&](storage::Tx& tx) -> Status {
            store::delete_session(tx, id_hash);
            return {};
        });
        return signed_out();
    }
    keyring_.touch(session->public_id, now + policy_.idle_ms);
    if (now - session->last_seen_at >= touch_every_ms) {
        (void)db_.write([&](storage::Tx& tx) -> Status {
            store::touch_session(tx, id_hash, now);
            return {};
        });
    }
    p->via = "session";
    p->session_public_id = session->public_id;
    return *p;
}

Result<Principal> Service::principal_for_token(const std::string& bearer) {
    if (bearer.empty() || bearer.size() > 64) return signed_out();
    std::optional<store::TokenRow> token;
    std::optional<Principal> p;
    db_.read([&](storage::Tx& tx) {
        token = store::live_token(tx, crypto::token_hash(bearer), clock_.now_ms());
        if (token) p = active_principal(tx, token->account_id);
    });
    if (!p) return make_error(ErrorKind::unauthorized, "invalid_token", "This token is not valid.");
    p->via = "token";
    p->read_only = token->scope == "read";
    return *p;
}

void Service::logout(const std::string& token) {
    if (token.empty() || token.size() > 64) return;
    (void)db_.write([&](storage::Tx& tx) -> Status {
        auto session = store::session(tx, crypto::token_hash(token));
        store::delete_session(tx, crypto::token_hash(token));
        if (session) {
            keyring_.forget_session(session->public_id);
            audit(tx, "logout", session->account_id);
        }
        return {};
    });
}

std::vector<SessionInfo> Service::sessions(const Principal& actor) {
    std::vector<SessionInfo> out;
    db_.read([&](storage::Tx& tx) { out = store::sessions_of(tx, actor.account_id); });
    for (auto& s : out) s.current = s.public_id == actor.session_public_id;
    return out;
}

Status Service::revoke_session(const Principal& actor, const std::string& public_id) {
    bool found = false;
    Status s = db_.write([&](storage::Tx& tx) -> Status {
        found = store::delete_session_by_public_id(tx, actor.account_id, public_id);
        if (found) {
            keyring_.forget_session(public_id);
            audit(tx, "session.revoke", actor.account_id);
        }
        return {};
    });
    if (!s) return s;
    if (!found) return make_error(ErrorKind::not_found, "not_found", "There is no such session.");
    return {};
}

void Service::revoke_all_sessions(const Principal& actor) {
    (void)db_.write([&](storage::Tx& tx) -> Status {
        store::delete_sessions_of(tx, actor.account_id);
        keyring_.forget_account(actor.account_id);
        audit(tx, "session.revoke_all", actor.account_id);
        return {};
    });
}

Result<Service::Contact> Service::contact(const Principal& actor) {
    Contact c;
    Status s = Status{};
    // A read of personal data is audited in the same transaction, so it is a write.
    Status w = db_.write([&](storage::Tx& tx) -> Status {
        auto rows = tx.query("SELECT real_name, email, phone FROM accounts WHERE id = $1", {actor.account_id});
        audit(tx, "contact.read", actor.account_id, "account", actor.account_id);
        if (rows.empty()) return {};
        std::string* out[] = {&c.real_name, &c.email, &c.phone};
        const char* columns[] = {"real_name", "email", "phone"};
        for (size_t i = 0; i < 3; ++i) {
            if (rows[0].is_null(i)) continue;
            const auto& b = rows[0].blob(i).bytes;
            auto plain = vault_.open_field("accounts", columns[i], actor.account_id, std::string(b.begin(), b.end()));
            if (!plain) s = plain.error();
            else *out[i] = plain.value();
        }
        return {};
    });
    if (!w) return w.error();
    if (!s) return s.error();
    return c;
}

Status Service::set_contact(const Principal& actor, const Contact& c) {
    for (auto [value, field, max] : {std::tuple{&c.real_name, "real_name", 200}, std::tuple{&c.email, "email", 254}, std::tuple{&c.phone, "phone", 40}}) {
        if (value->size() > size_t(max))
            return make_error(ErrorKind::invalid, "validation_failed", std::string(field) + " is too long.", field);
        if (!is_plain_line(*value))
            return make_error(ErrorKind::invalid, "validation_failed",
                              std::string(field) + " must be one line of UTF-8 text without control or bidirectional characters.", field);
    }
    if (!c.email.empty() && (c.email.find('@') == std::string::npos || c.email.find_first_of(" \t\r\n") != std::string::npos))
        return make_error(ErrorKind::invalid, "validation_failed", "email must look like name@example.org.", "email");
    auto sealed = [&](const std::string& value, const char* column) -> storage::Value {
        if (value.empty()) return nullptr;
        std::string s = vault_.seal_field("accounts", column, actor.account_id, value);
        return storage::Blob{{s.begin(), s.end()}};
    };
    return db_.write([&](storage::Tx& tx) -> Status {
        tx.exec("UPDATE accounts SET real_name = $2, email = $3, phone = $4, updated_at = $5 WHERE id = $1",
                {actor.account_id, sealed(c.real_name, "real_name"), sealed(c.email, "email"), sealed(c.phone, "phone"), clock_.now_ms()});
        audit(tx, "contact.write", actor.account_id, "account", actor.account_id);
        return {};
    });
}

Result<std::vector<Service::AuditLine>> Service::audit_log(const Principal& actor, const std::string& username, const std::string& action,
                                                          int64_t from, int64_t to) {
    if (!may(actor, Action::audit_view, std::nullopt)) return denied();
    std::set<int64_t> sites;
    for (const auto& r : actor.roles)
        if (role_allows(r.role, Action::audit_view)) sites.insert(r.site_id);
    std::map<std::string, std::string> names;  // keyed hash → username, for the accounts of those sites
    db_.read([&](storage::Tx& tx) {
        for (int64_t site : sites)
            for (const auto& a : store::accounts_at_site(tx, site)) names[recorder_.subject("account", a.id)] = a.username;
    });
    std::string actor_filter;
    if (!username.empty()) {
        for (const auto& [hash, name] : names)
            if (name == username) actor_filter = hash;
        if (actor_filter.empty()) return std::vector<AuditLine>{};
    }
    std::vector<AuditLine> out;
    for (auto& e : audit::search(db_, {actor_filter, action, from, to, 500})) {
        if (e.site_id != 0 && !sites.count(e.site_id)) continue;
        auto it = names.find(e.actor);
        out.push_back({e, it != names.end() ? it->second : e.actor});
    }
    (void)db_.write([&](storage::Tx& tx) -> Status {
        audit(tx, "audit.read", actor.account_id);
        return {};
    });
    return out;
}

void Service::record_read(storage::Tx& tx, const Principal& reader, std::string_view record_type, int64_t record_id) {
    audit(tx, std::string(record_type) + ".read", reader.account_id, record_type, record_id);
    record_reads(tx, reader, record_type, {record_id});
}

void Service::record_reads(storage::Tx& tx, const Principal& reader, std::string_view record_type, const std::vector<int64_t>& record_ids) {
    const int64_t now = clock_.now_ms();
    std::vector<std::string> objects;
    objects.reserve(record_ids.size());
    for (int64_t id : record_ids) objects.push_back(recorder_.subject(record_type, id));
    const int64_t records = store::count_reads(tx, reader.account_id, objects, now, now - read_policy_.window_ms);
    if (records <= read_policy_.limit) return;
    // One alarm per window, not one per read.
    if (tx.query("SELECT COUNT(*) FROM read_alarms WHERE account_id = $1 AND raised_at >= $2", {reader.account_id, now - read_policy_.window_ms})
            .at(0)
            .integer(0) > 0)
        return;
    tx.exec("INSERT INTO read_alarms (id, account_id, raised_at, records, window_ms, suspended) VALUES ($1, $2, $3, $4, $5, $6)",
            {store::new_id(), reader.account_id, now, records, read_policy_.window_ms, int64_t(read_policy_.suspend)});
    audit(tx, "alarm.mass_read", reader.account_id, "account", reader.account_id, 0, read_policy_.suspend ? "suspended" : "flagged");
    if (read_policy_.suspend) {
        keyring_.forget_account(reader.account_id);
        store::set_status(tx, reader.account_id, AccountStatus::suspended, now);
        store::delete_sessions_of(tx, reader.account_id);
        store::revoke_tokens_of(tx, reader.account_id, now);
    }
}

Status Service::reconfirm(const Principal& actor, const std::string& code) {
    const int64_t now = clock_.now_ms();
    const std::string account_key = source_key(std::string("account\n") + actor.username);
    bool ok = false;
    Status s = db_.write([&](storage::Tx& tx) -> Status {
        auto row = store::account(tx, actor.account_id);
        if (!row || !row->totp_secret)
            return make_error(ErrorKind::invalid, "second_factor_needed", "Set up a second factor (enrol again) before you export.", "code");
        // Counted before it is checked, like a login, against the same hundred an hour.
        if (auto counted = count_account_attempt(tx, account_key, now); !counted) return counted;
        ok = use_second_factor(tx, *row, code, now);
        if (ok) store::uncount_attempt(tx, account_key, max_failures_per_hour - 1);
        audit(tx, "reconfirm", actor.account_id, {}, 0, 0, ok ? "ok" : "refused");
        return {};
    });
    if (!s) return s;
    if (!ok) return make_error(ErrorKind::invalid, "wrong_code", "This code is not right; check the time on your phone.", "code");
    return {};
}

Status Service::record_read(const Principal& reader, std::string_view record_type, int64_t record_id) {
    return db_.write([&](storage::Tx& tx) -> Status {
        record_read(tx, reader, record_type, record_id);
        return {};
    });
}

std::vector<ReadAlarm> Service::read_alarms(const Principal& actor) {
    std::vector<ReadAlarm> out;
    if (!may(actor, Action::audit_view, std::nullopt)) return out;
    db_.read([&](storage::Tx& tx) {
        for (const auto& r : tx.query("SELECT r.id, r.account_id, r.raised_at, r.records, r.window_ms, r.suspended, a.username "
                                      "FROM read_alarms r JOIN accounts a ON a.id = r.account_id ORDER BY r.raised_at DESC LIMIT 100"))
            out.push_back({r.integer(0), r.integer(1), r.integer(2), r.integer(3), r.integer(4), r.text(6), r.integer(5) != 0});
    });
    return out;
}

Result<std::string> Service::create_token(const std::string& username, const std::string& label, const std::string& scope, int days) {
    if (scope != "read" && scope != "write")
        return make_error(ErrorKind::invalid, "validation_failed", "scope must be read or write.", "scope");
    if (days < 1 || days > 365) return make_error(ErrorKind::invalid, "validation_failed", "A token lives 1 to 365 days.", "days");
    if (auto s = check_text(label, "label", 100); !s) return s.error();
    std::string token = crypto::random_token();
    Status s = db_.write([&](storage::Tx& tx) -> Status {
        auto row = store::account_by_username(tx, username);
        if (!row || row->account.status != AccountStatus::active)
            return make_error(ErrorKind::not_found, "not_found", "There is no active account with this username.", "user");
        const int64_t now = clock_.now_ms();
        store::insert_token(tx, store::new_id(), crypto::token_hash(token), row->account.id, label, scope, now,
                            now + int64_t(days) * 24 * hour_ms);
        audit(tx, "token.create", 0, "account", row->account.id);
        return {};
    });
    if (!s) return s.error();
    return token;
}

Result<int64_t> Service::revoke_tokens(const std::string& username) {
    int64_t revoked = 0;
    Status s = db_.write([&](storage::Tx& tx) -> Status {
        auto row = store::account_by_username(tx, username);
        if (!row) return make_error(ErrorKind::not_found, "not_found", "There is no account with this username.", "user");
        revoked = tx.exec("UPDATE api_tokens SET revoked_at = $2 WHERE account_id = $1 AND revoked_at IS NULL", {row->account.id, clock_.now_ms()});
        audit(tx, "token.revoke", 0, "account", row->account.id);
        return {};
    });
    if (!s) return s.error();
    return revoked;
}

Status Service::assign(const Principal* actor, int64_t account_id, const std::string& record_type, int64_t record_id, int64_t until_ms) {
    if (until_ms <= clock_.now_ms())
        return make_error(ErrorKind::invalid, "validation_failed", "An assignment must end in the future.", "until");
    return db_.write([&](storage::Tx& tx) -> Status {
        store::insert_assignment(tx, store::new_id(), account_id, record_type, record_id, until_ms, actor ? actor->account_id : 0,
                                 clock_.now_ms());
        audit(tx, "assignment.grant", actor ? actor->account_id : 0, "account", account_id);
        return {};
    });
}

bool Service::is_assigned(const Principal& actor, const std::string& record_type, int64_t record_id) {
    bool yes = false;
    db_.read([&](storage::Tx& tx) { yes = store::has_assignment(tx, actor.account_id, record_type, record_id, clock_.now_ms()); });
    return yes;
}

}  // namespace haven::accounts
