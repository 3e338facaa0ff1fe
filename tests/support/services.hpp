// The set-up the table-driven rules tests share (tests/integration/*_rules_test.cpp): a fresh database of the
// engine under test, migrated, a vault, the accounts service, and accounts made by invitation. Each test builds
// its module's services on top, as app.cpp wires them, and resets them before TearDown.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "core/clock.hpp"
#include "crypto/vault.hpp"
#include "modules/accounts/service.hpp"
#include "storage/migrate.hpp"
#include "support/engines.hpp"

namespace haven::testing {

class ServicesTest : public ::testing::TestWithParam<std::string> {
protected:
    // False when the engine is not available (the test then returns at once).
    bool open(const std::string& name) {
        dir_ = temp_dir(name);
        std::string url;
        fresh_database(GetParam(), dir_, url);
        if (url.empty()) return false;
        db_ = storage::open_database(url);
        EXPECT_TRUE(storage::migrate(*db_).ok());
        vault_ = std::make_unique<crypto::Vault>(dir_ + "/vault.json", clock_);
        EXPECT_TRUE(vault_->create(false, 1, 1).ok());
        audit_ = std::make_unique<audit::Recorder>(*vault_, clock_);
        accounts_ = std::make_unique<accounts::Service>(shared());
        return true;
    }
    void TearDown() override {
        accounts_.reset();
        db_.reset();
        std::filesystem::remove_all(dir_);
    }
    modules::Shared shared() { return {*db_, *vault_, clock_, *audit_}; }
    int64_t site(const std::string& name, const std::string& city, const std::string& country, const std::string& zone) {
        auto made = accounts_->create_site(nullptr, {name, city, country, zone, false});
        EXPECT_TRUE(made.ok());
        return made ? made->id : 0;
    }
    // An account invited with `role` at `site`, as the principal of a signed-in session.
    Principal account(const std::string& username, Role role, int64_t site) {
        auto invited = accounts_->invite(nullptr, site, username, role);
        EXPECT_TRUE(invited.ok()) << invited.error().message;
        return Principal{invited ? invited->account.id : 0, username, {{site, role}}, "session", "", false, "en"};
    }

    ManualClock clock_{1'767'600'000'000};  // 2026-01-05 08:00 UTC, a Monday
    std::string dir_;
    std::unique_ptr<storage::Database> db_;
    std::unique_ptr<crypto::Vault> vault_;
    std::unique_ptr<audit::Recorder> audit_;
    std::unique_ptr<accounts::Service> accounts_;
};

}  // namespace haven::testing
