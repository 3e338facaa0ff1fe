// Durability under SIGKILL: clients write through the real binary while it is killed at random
// moments and restarted; every acknowledged write must survive, nothing may appear that was never
// sent, and the SQLite file must pass integrity_check.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "storage/db.hpp"
#include "support/engines.hpp"
#include "support/haven_process.hpp"
#include "support/http_client.hpp"

namespace haven {
namespace {

constexpr int target_acknowledged = 5000;
constexpr int minimum_kills = 20;
constexpr int clients = 8;

testing::HavenProcess start_server(const std::string& dir, const std::string& url) {
    return testing::start_haven(
        {"--data", dir, "--db", url, "--test-routes", "true", "--log-level", "warn", "--passphrase-file", dir + "/unseal-passphrase"},
        dir + "/server.log");
}

class Crash : public ::testing::TestWithParam<std::string> {};

TEST_P(Crash, AcknowledgedWritesSurviveSigkill) {
    std::string dir = testing::temp_dir("haven-crash");
    std::string url;
    testing::fresh_database(GetParam(), dir, url);
    if (url.empty()) return;
    ASSERT_EQ(std::system((std::string(HAVEN_BINARY) + " init --data " + dir + " --db '" + url + "' > /dev/null").c_str()), 0);

    std::atomic<uint16_t> port{0};
    std::atomic<bool> done{false};
    std::atomic<int> next_id{0};
    std::mutex mutex;
    std::set<std::string> acknowledged, unknown;
    std::atomic<int> acked_count{0}, refused{0};

    auto client = [&] {
        std::unique_ptr<testing::Connection> conn;
        while (!done) {
            uint16_t p = port.load();
            if (p == 0) {
                conn.reset();
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
                continue;
            }
            if (!conn || !conn->ok()) {
                conn = std::make_unique<testing::Connection>(p);
                if (!conn->ok()) {
                    conn.reset();
                    std::this_thread::sleep_for(std::chrono::milliseconds(5));
                    continue;
                }
            }
            std::string id = "w" + std::to_string(next_id++);
            std::string body = "{\"id\":\"" + id + "\",\"payload\":\"Запись " + id + "\"}";
            std::string req = "POST /api/v1/test/writes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " +
                              std::to_string(body.size()) + "\r\n\r\n" + body;
            bool sent = conn->send(req);
            auto reply = sent ? conn->read_reply(10000) : testing::HttpReply{};
            std::lock_guard lock(mutex);
            if (reply.status == 201) {
                acknowledged.insert(id);
                ++acked_count;
            } else if (reply.status == 0) {
                unknown.insert(id);  // sent, maybe committed, never acknowledged
                conn.reset();
            } else {
                ++refused;
                conn.reset();
            }
        }
    };

    auto server = start_server(dir, url);
    ASSERT_GT(server.port, 0);
    port = server.port;
    std::vector<std::thread> pool;
    for (int i = 0; i < clients; ++i) pool.emplace_back(client);

    std::mt19937 rng(std::random_device{}());
    int kills = 0;
    auto started = std::chrono::steady_clock::now();
    while ((kills < minimum_kills || acked_count < target_acknowledged) && std::chrono::steady_clock::now() - started < std::chrono::minutes(6)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(50, 400)(rng)));
        port = 0;
        kill(server.pid, SIGKILL);
        waitpid(server.pid, nullptr, 0);
        ++kills;
        server = start_server(dir, url);
        ASSERT_GT(server.port, 0) << "restart " << kills << " failed; see " << dir << "/server.log";
        port = server.port;
    }
    done = true;
    for (auto& t : pool) t.join();
    kill(server.pid, SIGTERM);
    waitpid(server.pid, nullptr, 0);

    EXPECT_GE(kills, minimum_kills);
    EXPECT_GE(acked_count.load(), target_acknowledged);
    EXPECT_EQ(refused.load(), 0);

    auto db = storage::open_database(url, {1});
    std::set<std::string> present;
    int64_t rows = 0;
    for (const auto& row : db->query("SELECT id FROM write_probe")) {
        present.insert(row.text(0));
        ++rows;
    }
    EXPECT_EQ(rows, int64_t(present.size()));
    int lost = 0, phantom = 0;
    for (const auto& id : acknowledged) lost += !present.count(id);
    for (const auto& id : present) phantom += !acknowledged.count(id) && !unknown.count(id);
    EXPECT_EQ(lost, 0) << "acknowledged writes lost";
    EXPECT_EQ(phantom, 0) << "writes present that were never sent";
    if (GetParam() == "sqlite") {
        EXPECT_EQ(db->query("PRAGMA integrity_check").at(0).text(0), "ok");
    }
    std::printf("crash test (%s): %d kills, %d acknowledged, %zu unacknowledged (of which %d committed)\n", GetParam().c_str(), kills,
                acked_count.load(), unknown.size(), int(present.size() - acknowledged.size()));
    db.reset();
    if (!HasFailure()) std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Engines, Crash, ::testing::Values("sqlite", "postgres"), testing::engine_name);

}  // namespace
}  // namespace haven
