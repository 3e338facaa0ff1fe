// Login, its throttling, the second factor (also asked again before an export) and the stored password hash.
#include "modules/accounts/service.hpp"

#include <algorithm>

#include "core/log.hpp"
#include "crypto/password.hpp"
#include "crypto/random.hpp"
#include "crypto/totp.hpp"
#include "modules/accounts/service_shared.hpp"
#include "modules/accounts/store.hpp"

namespace haven::accounts {

using namespace internal;

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
    struct Reserved {
        std::optional<store::AccountRow> row;
        std::vector<Site> sites;
    };
    HAVEN_TRY(reserved, db_.write<Reserved>([&](storage::Tx& tx) -> Result<Reserved> {
        // Source first, then the username: every login takes the two rows in that order.
        const store::Throttle by_source = store::count_attempt(tx, source, now, hour_ms);
        if (by_source.next_allowed_at > now) {  // an error rolls the count back: a refused attempt is not counted
            Error e = make_error(ErrorKind::too_many, "too_many_attempts", "Too many failed attempts from here. Wait a little and try again.");
            e.retry_after_seconds = int((by_source.next_allowed_at - now + 999) / 1000);
            return e;
        }
        if (by_source.failures > free_failures_per_source)
            store::set_next_allowed(
                tx, source,
                now + std::min<int64_t>(max_backoff_ms, int64_t(1000) << std::min<int64_t>(by_source.failures - free_failures_per_source - 1, 20)));
        Reserved out;
        if (!username.empty()) {
            HAVEN_CHECK(count_account_attempt(tx, account_key, now));
            out.row = store::account_by_username(tx, username);
        }
        out.sites = store::sites(tx);
        return out;
    }));
    const auto& row = reserved.row;
    // Counts a day old hold nothing: at most once a minute, in their own write, they go.
    if (int64_t last = last_pruned_.load(); now - last > 60'000 && last_pruned_.compare_exchange_strong(last, now))
        (void)db_.write([&](storage::Tx& tx) -> Status {
            store::forget_old_attempts(tx, now - 24 * hour_ms);
            return {};
        });

    std::optional<std::string> hash;
    if (row) hash = password_hash_of(*row);
    bool ok = false;
    if (hash)
        ok = crypto::verify_password(*hash, in.password);
    else
        crypto::equalise_login_time(in.password);
    ok = ok && row->account.status == AccountStatus::active;

    HAVEN_TRY(passed, db_.write<bool>([&](storage::Tx& tx) -> Result<bool> {
        bool passed = ok;
        if (passed && row->totp_secret) {
            passed = use_second_factor(tx, *row, in.code, now);
        } else if (passed && second_factor_required(row->account.roles, reserved.sites)) {
            passed = false;  // required but never set up: only a new enrolment link helps
        }
        if (!passed) {
            audit_.record(tx, {"login", row ? row->account.id : -1, {}, 0, 0, "refused"});
            return false;
        }
        store::uncount_attempt(tx, source, free_failures_per_source);
        store::uncount_attempt(tx, account_key, max_failures_per_hour - 1);
        return true;
    }));
    if (!passed) return bad_credentials();

    // Counsellors' personal keys open with the password: derived here, outside the write (Argon2id takes time).
    std::optional<BoxKeys> box;
    if (std::any_of(row->account.roles.begin(), row->account.roles.end(), [](const SiteRole& r) { return r.role == Role::counsellor; }))
        box = open_box(row->account.id, in.password);

    std::string public_id;
    auto made = db_.write<Login>([&](storage::Tx& tx) -> Result<Login> {
        // A new session id at every login: whatever cookie the browser had before is never promoted.
        Login out;
        out.session_token = crypto::random_token();
        public_id = crypto::base64url(crypto::random_bytes(9));
        store::insert_session(tx, crypto::token_hash(out.session_token), public_id, row->account.id, now, now + policy_.absolute_ms);
        if (box && box->created)
            store::set_personal_keys(tx, row->account.id, box->public_key,
                                     vault_.seal_field("accounts", "box_sealed", row->account.id, box->sealed_secret), box->salt);
        if (!row->password_sealed)
            store::set_password(tx, row->account.id, vault_.seal_field("accounts", "password_sealed", row->account.id, *hash), now);
        auto p = active_principal(tx, row->account.id);
        if (!p) return bad_credentials();  // suspended between the two steps
        out.principal = std::move(*p);
        out.principal.via = "session";
        audit_.record(tx, {"login", row->account.id});
        return out;
    });
    if (!made) {
        if (box) wipe(box->secret);
        return made.error();
    }
    if (box) {
        keyring_.put(public_id, row->account.id, now + policy_.absolute_ms, now + policy_.idle_ms, box->secret, now);
        wipe(box->secret);
    }
    return made;
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

Status Service::reconfirm(const Principal& actor, const std::string& code) {
    const int64_t now = clock_.now_ms();
    const std::string account_key = source_key(std::string("account\n") + actor.username);
    HAVEN_TRY(ok, db_.write<bool>([&](storage::Tx& tx) -> Result<bool> {
        auto row = store::account(tx, actor.account_id);
        if (!row || !row->totp_secret)
            return make_error(ErrorKind::invalid, "second_factor_needed", "Set up a second factor (enrol again) before you export.", "code");
        // Counted before it is checked, like a login, against the same hundred an hour.
        HAVEN_CHECK(count_account_attempt(tx, account_key, now));
        const bool ok = use_second_factor(tx, *row, code, now);
        if (ok) store::uncount_attempt(tx, account_key, max_failures_per_hour - 1);
        audit_.record(tx, {"reconfirm", actor.account_id, {}, 0, 0, ok ? "ok" : "refused"});
        return ok;
    }));
    if (!ok) return make_error(ErrorKind::invalid, "wrong_code", "This code is not right; check the time on your phone.", "code");
    return {};
}

}  // namespace haven::accounts
