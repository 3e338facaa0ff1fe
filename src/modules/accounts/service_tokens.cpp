// API tokens for scripts, made and revoked at the command line.
#include "core/ids.hpp"
#include "modules/accounts/service.hpp"

#include "crypto/random.hpp"
#include "modules/accounts/service_shared.hpp"
#include "modules/accounts/store.hpp"

namespace haven::accounts {

using namespace internal;

Result<std::string> Service::create_token(const std::string& username, const std::string& label, const std::string& scope, int days) {
    if (scope != "read" && scope != "write") return invalid("scope", "scope must be read or write.", "choose");
    if (days < 1 || days > 365) return invalid("days", "A token lives 1 to 365 days.", "range", 365);
    if (auto s = check_text(label, "label", 100); !s) return s.error();
    const std::string token = crypto::random_token();
    HAVEN_CHECK(db_.write([&](storage::Tx& tx) -> Status {
        auto row = store::account_by_username(tx, username);
        if (!row || row->account.status != AccountStatus::active)
            return make_error(ErrorKind::not_found, "not_found", "There is no active account with this username.", "user");
        const int64_t now = clock_.now_ms();
        store::insert_token(tx, new_id(), crypto::token_hash(token), row->account.id, label, scope, now, now + int64_t(days) * 24 * hour_ms);
        audit_.record(tx, {"token.create", 0, "account", row->account.id});
        return {};
    }));
    return token;
}

Result<int64_t> Service::revoke_tokens(const std::string& username) {
    return db_.write<int64_t>([&](storage::Tx& tx) -> Result<int64_t> {
        auto row = store::account_by_username(tx, username);
        if (!row) return make_error(ErrorKind::not_found, "not_found", "There is no account with this username.", "user");
        const int64_t revoked = store::revoke_tokens_of(tx, row->account.id, clock_.now_ms());
        audit_.record(tx, {"token.revoke", 0, "account", row->account.id});
        return revoked;
    });
}

}  // namespace haven::accounts
