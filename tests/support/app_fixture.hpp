// A whole Haven booted in-process on port 0, on the engine the test is parameterised with.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "app/app.hpp"
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
        Config c;
        c.data_dir = dir_;
        c.db = url;
        c.listen_port = 0;
        c.workers = 4;
        c.test_routes = true;
        c.log_level = "warn";
        auto app = App::create(c, clock_);
        ASSERT_TRUE(app.ok()) << app.error().message;
        app_ = std::move(app).value();
        port_ = app_->listen();
        app_->start();
    }
    void TearDown() override {
        app_.reset();
        std::filesystem::remove_all(dir_);
    }

    ClockType clock_;
    std::string dir_;
    std::unique_ptr<App> app_;
    uint16_t port_ = 0;
};

}  // namespace haven::testing
