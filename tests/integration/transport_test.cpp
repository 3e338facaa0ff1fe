// The transport's handler slots: at most `workers` handlers at once, then a bounded queue, then 503 —
// answered at once, because one thread is always kept for I/O. Parked requests (long polls) hold no slot.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <future>
#include <memory>
#include <thread>

#include "http/signal.hpp"
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

// A long poll as the network's handler makes one: "over" when its wait ended, "woken" once something happened,
// else parked on the signal for `wait`.
struct Poll {
    Signal signal;
    std::atomic<bool> happened{false};
    std::atomic<int> runs{0};
    std::chrono::milliseconds wait{20'000};

    Server serve(ServerLimits limits) {
        return Server(limits, {[this](Request& q) {
                                   ++runs;
                                   if (q.target != "/poll") return Response::text(200, "now");
                                   const uint64_t seen = signal.generation();
                                   if (happened) return Response::text(200, "woken");
                                   if (q.park_over) return Response::text(200, "over");
                                   return Response::park(signal, seen, wait);
                               },
                               [](int status, const std::string& code, const std::string&) { return Response::text(status, code); }, {}});
    }
};

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds within = std::chrono::seconds(5)) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    while (!done() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return done();
}

TEST(Transport, ParkedPollsHoldNoWorkerAndAllWakeOnTheSignal) {
    ServerLimits limits;
    limits.workers = 1;
    limits.max_queue = 1;
    Poll poll;
    Server server = poll.serve(limits);
    const uint16_t port = server.listen("127.0.0.1", 0);
    server.start();
    std::vector<std::unique_ptr<testing::Connection>> waiting;
    for (int i = 0; i < 200; ++i) {
        waiting.push_back(std::make_unique<testing::Connection>(port));
        ASSERT_TRUE(waiting.back()->send("GET /poll HTTP/1.1\r\nHost: x\r\n\r\n"));
    }
    ASSERT_TRUE(eventually([&] { return server.stats().parked_requests == 200; })) << server.stats().parked_requests;

    // 200 waiting on one worker, and a plain request is still answered at once.
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(testing::request(port, "GET", "/now").body, "now");
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1));

    poll.happened = true;
    poll.signal.notify();
    for (auto& c : waiting) {
        auto reply = c->read_reply(5000);
        EXPECT_EQ(reply.status, 200);
        EXPECT_EQ(reply.body, "woken");
    }
    EXPECT_EQ(server.stats().parked_requests, 0);
    EXPECT_EQ(poll.signal.listeners(), 0u) << "every listener called or forgotten";
    // The kept-alive connection serves the next request as usual.
    ASSERT_TRUE(waiting[0]->send("GET /now HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_EQ(waiting[0]->read_reply().body, "now");
}

TEST(Transport, AParkedPollIsAnsweredAtItsFirstDeadline) {
    Poll poll;
    poll.wait = std::chrono::milliseconds(300);
    Server server = poll.serve({});
    const uint16_t port = server.listen("127.0.0.1", 0);
    server.start();
    const auto started = std::chrono::steady_clock::now();
    auto reply = testing::request(port, "GET", "/poll");
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(reply.body, "over");
    EXPECT_GE(took, std::chrono::milliseconds(290));
    EXPECT_LT(took, std::chrono::seconds(3));

    // A notify that finds nothing new (the handler parks again) keeps the first deadline.
    poll.wait = std::chrono::milliseconds(1000);
    auto later = std::async(std::launch::async, [&] { return testing::request(port, "GET", "/poll"); });
    ASSERT_TRUE(eventually([&] { return server.stats().parked_requests == 1; }));
    const auto parked_at = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    poll.signal.notify();
    EXPECT_EQ(later.get().body, "over");
    EXPECT_LT(std::chrono::steady_clock::now() - parked_at, std::chrono::milliseconds(1500)) << "a second park must not wait a new 1000 ms";
}

TEST(Transport, AHandlerThatParksPastItsDeadlineIsAnsweredNotSpunOn) {
    Signal signal;
    Server server({}, {[&](Request&) { return Response::park(signal, signal.generation(), std::chrono::milliseconds(200)); },
                       [](int status, const std::string& code, const std::string&) { return Response::text(status, code); }, {}});
    const uint16_t port = server.listen("127.0.0.1", 0);
    server.start();
    EXPECT_EQ(testing::request(port, "GET", "/poll").status, 500);
    EXPECT_EQ(server.stats().parked_requests, 0);
}

TEST(Transport, StoppingWithParkedPollsLeavesNoListener) {
    Poll poll;
    {
        Server server = poll.serve({});
        const uint16_t port = server.listen("127.0.0.1", 0);
        server.start();
        testing::Connection c(port);
        ASSERT_TRUE(c.send("GET /poll HTTP/1.1\r\nHost: x\r\n\r\n"));
        ASSERT_TRUE(eventually([&] { return server.stats().parked_requests == 1; }));
        EXPECT_EQ(poll.signal.listeners(), 1u);
    }
    EXPECT_EQ(poll.signal.listeners(), 0u) << "a stopped server's parked polls must not stay listening";
    poll.signal.notify();  // and a later publication touches nothing of it
}

TEST(Transport, ANotifyBetweenLookingAndParkingIsNotLost) {
    // The handler read the generation, found nothing, and the signal moved before the transport listened: the
    // listener is called at once.
    Signal signal;
    const uint64_t seen = signal.generation();
    signal.notify();
    std::atomic<bool> called{false};
    EXPECT_EQ(signal.listen(seen, [&] { called = true; }), 0u);
    EXPECT_TRUE(called);
    EXPECT_EQ(signal.listeners(), 0u);
    const uint64_t ticket = signal.listen(signal.generation(), [] {});
    EXPECT_EQ(signal.listeners(), 1u);
    signal.forget(ticket);
    EXPECT_EQ(signal.listeners(), 0u);
}

}  // namespace
}  // namespace haven::http
