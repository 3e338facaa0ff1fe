// Making accounts in tests: through the real service (invite, enrol, second factor), then sessions.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "app/app.hpp"
#include "crypto/random.hpp"
#include "crypto/totp.hpp"
#include "modules/accounts/store.hpp"

namespace haven::testing {

inline const std::string test_password = "lantern orbit meadow 42";

struct TestAccount {
    int64_t id = 0;
    std::string username;
    std::string totp_secret;  // empty for a volunteer without a second factor
    std::vector<std::string> recovery_codes;
};

// An active account holding `role` at `site_id`. Advances `clock` past the TOTP step used to enrol,
// so that a login right after is not refused as a replay.
inline TestAccount make_account(accounts::Service& service, ManualClock& clock, const std::string& username, Role role, int64_t site_id) {
    TestAccount a;
    auto inv = service.invite(nullptr, site_id, username, role);
    EXPECT_TRUE(inv.ok()) << (inv.ok() ? "" : inv.error().message);
    if (!inv.ok()) return a;
    a.id = inv->account.id;
    a.username = inv->account.username;
    EXPECT_TRUE(service.enrol_password(inv->token, test_password).ok());
    auto e = service.enrolment(inv->token);
    if (e.ok() && e->second_factor_needed) {
        a.totp_secret = e->totp_secret;
        auto codes = service.enrol_second_factor(inv->token, crypto::totp_code(a.totp_secret, clock.now_ms() / 1000));
        EXPECT_TRUE(codes.ok());
        if (codes.ok()) a.recovery_codes = codes.value();
    }
    clock.advance_ms(30'000);
    return a;
}

// A fresh session for the account, made directly in the store (no password hashing: many are needed).
inline std::string session_for(storage::Database& db, const ManualClock& clock, int64_t account_id) {
    std::string token = crypto::random_token();
    (void)db.write([&](storage::Tx& tx) -> Status {
        accounts::store::insert_session(tx, crypto::token_hash(token), crypto::random_token().substr(0, 12), account_id, clock.now_ms(),
                                        clock.now_ms() + 3600 * 1000);
        return {};
    });
    return token;
}

inline std::string current_code(const TestAccount& a, const ManualClock& clock) {
    return a.totp_secret.empty() ? "" : crypto::totp_code(a.totp_secret, clock.now_ms() / 1000);
}

}  // namespace haven::testing
