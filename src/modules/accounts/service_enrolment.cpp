// Enrolment through the one-time link: the password, then the second factor where a site requires one.
#include "modules/accounts/service.hpp"

#include "crypto/password.hpp"
#include "crypto/random.hpp"
#include "crypto/totp.hpp"
#include "modules/accounts/service_shared.hpp"
#include "modules/accounts/store.hpp"

namespace haven::accounts {

using namespace internal;

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
        audit_.record(tx, {"enrol.password", e.account.id, "account", e.account.id});
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
    if (!e.password_set || e.totp_secret.empty()) return invalid("password", "Set a password first.", "required");
    auto step = crypto::totp_match(e.totp_secret, code, clock_.now_ms() / 1000);
    if (!step) return make_error(ErrorKind::invalid, "wrong_code", "This code is not right; check the time on your phone.", "code");
    std::vector<std::string> codes = crypto::new_recovery_codes();
    std::vector<std::string> hashes;
    for (const auto& c : codes) hashes.push_back(crypto::token_hash(crypto::normalise_recovery_code(c)));
    HAVEN_CHECK(db_.write([&](storage::Tx& tx) -> Status {
        const int64_t now = clock_.now_ms();
        store::confirm_totp(tx, e.account.id, *step, vault_.seal_field("accounts", "totp_secret", e.account.id, e.totp_secret));
        audit_.record(tx, {"enrol.second_factor", e.account.id, "account", e.account.id});
        store::insert_recovery_codes(tx, e.account.id, hashes);
        store::set_status(tx, e.account.id, AccountStatus::active, now);
        store::finish_enrolment(tx, crypto::token_hash(token), now);
        return {};
    }));
    return codes;
}

}  // namespace haven::accounts
