// A whole Haven booted in-process on port 0, on the engine the test is parameterised with.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "app/app.hpp"
#include "crypto/vault.hpp"
#include "support/engines.hpp"

namespace haven::testing {

template <class ClockType>
class AppFixture : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        dir_ = temp_dir("haven-app");
        std::string url;
        fresh_database(GetParam(), dir_, url);
        if (url.empty()) return;
        db_url_ = url;
        Config c;
        c.data_dir = dir_;
        c.db = url;
        c.listen_port = 0;
        c.workers = 4;
        c.test_routes = true;
        c.log_level = "warn";
        configure(c);
        // A vault opened by one operator key file: no Argon2id in every test (the vault's own tests cover it).
        {
            crypto::Vault vault(dir_ + "/vault.json", clock_);
            auto created = vault.create(false, 1, 1);
            ASSERT_TRUE(created.ok());
            operator_file_ = created->operator_files.at(0);
        }
        std::ofstream(dir_ + "/seal-token") << seal_token_ << "\n";
        auto app = App::create(c, clock_);
        ASSERT_TRUE(app.ok()) << app.error().message;
        app_ = std::move(app).value();
        ASSERT_TRUE(app_->vault().unseal_with_operator_files({operator_file_}).ok());
        port_ = app_->listen();
        app_->start();
    }
    // A test's own settings, before the app starts.
    virtual void configure(Config&) {}
    void TearDown() override {
        app_.reset();
        std::filesystem::remove_all(dir_);
    }

    ClockType clock_;
    std::string dir_, db_url_;
    std::string operator_file_;
    const std::string seal_token_ = "test-seal-token-0123456789";
    std::unique_ptr<App> app_;
    uint16_t port_ = 0;
};

}  // namespace haven::testing
