// The transport's handler slots: at most `workers` handlers at once, then a bounded queue, then 503 —
// answered at once, because one thread is always kept for I/O.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "http/transport/server.hpp"
#include "support/http_client.hpp"

namespace haven::http {
namespace {

TEST(Transport, QueuesBeyondTheWorkersAndRefusesBeyondTheQueue) {
    ServerLimits limits;
    limits.workers = 1;
    limits.max_queue = 1;
    std::atomic<int> running{0}, most{0};
    Server server(limits, {[&](Request&) {
                               int now = ++running;
                               most = std::max(most.load(), now);
                               std::this_thread::sleep_for(std::chrono::milliseconds(400));
                               --running;
                               return Response::text(200, "done");
                           },
                           [](int status, const std::string& code, const std::string&) { return Response::text(status, code); }, {}});
    uint16_t port = server.listen("127.0.0.1", 0);
    server.start();

    auto first = std::async(std::launch::async, [&] { return testing::request(port, "GET", "/a"); });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto second = std::async(std::launch::async, [&] { return testing::request(port, "GET", "/b"); });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto started = std::chrono::steady_clock::now();
    auto third = testing::request(port, "GET", "/c");
    auto waited = std::chrono::steady_clock::now() - started;

    EXPECT_EQ(third.status, 503);
    EXPECT_EQ(third.header("Retry-After"), "1");
    EXPECT_LT(waited, std::chrono::milliseconds(200)) << "the 503 must not wait for a handler";
    EXPECT_EQ(first.get().status, 200);
    EXPECT_EQ(second.get().status, 200);
    EXPECT_EQ(most.load(), 1) << "more handlers ran at once than there are workers";
    EXPECT_EQ(server.stats().queued_requests, 0);
}

}  // namespace
}  // namespace haven::http
