// Wake-ups across processes (storage::announce / storage::listen): what several `haven serve` on one PostgreSQL rely on
// to wake each other's long polls, seal together and take up a new key version.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "storage/db.hpp"
#include "support/engines.hpp"
#include "support/wait.hpp"

namespace haven::storage {
namespace {

class Listen : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        dir_ = testing::temp_dir("haven-listen");
        testing::fresh_database(GetParam(), dir_, url_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::string dir_, url_;
};

using testing::within;

TEST_P(Listen, AnAnnouncementReachesEveryListenerOnceItCommitsAndNotBefore) {
    if (url_.empty()) return;
    auto db = open_database(url_);
    if (db->engine() == "sqlite") {
        EXPECT_EQ(listen(url_, {"network_published"}, [](const std::string&) {}), nullptr) << "one process: nothing to listen to";
        EXPECT_TRUE(db->write([&](Tx& tx) -> Status {
                          announce(*db, tx, "network_published");
                          return {};
                      }).ok());
        return;
    }
    // Two listeners stand for two other processes (each its own connection); a third channel nobody announces.
    std::atomic<int> first{0}, second{0}, other{0};
    auto a = listen(url_, {"network_published", "vault_sealed"}, [&](const std::string& c) { (c == "network_published" ? first : other)++; });
    auto b = listen(url_, {"network_published"}, [&](const std::string&) { second++; });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // both LISTENing
    std::thread writer([&] {
        (void)db->write([&](Tx& tx) -> Status {
            announce(*db, tx, "network_published");
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            EXPECT_EQ(first.load(), 0) << "not before the commit";
            return {};
        });
    });
    writer.join();
    EXPECT_TRUE(within(std::chrono::milliseconds(1000), [&] { return first == 1 && second == 1; })) << first << " " << second;
    // A rolled-back transaction announces nothing.
    (void)db->write([&](Tx& tx) -> Status {
        announce(*db, tx, "network_published");
        return make_error(ErrorKind::invalid, "no", "rolled back");
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(first.load(), 1);
    EXPECT_EQ(other.load(), 0);
    EXPECT_THROW(listen(url_, {"Robert'); DROP TABLE x;--"}, [](const std::string&) {}), std::logic_error) << "channels are fixed names";
}

INSTANTIATE_TEST_SUITE_P(Engines, Listen, ::testing::Values("sqlite", "postgres"), testing::engine_name);

}  // namespace
}  // namespace haven::storage
