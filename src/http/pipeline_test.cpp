#include "http/pipeline.hpp"

#include <gtest/gtest.h>

namespace haven::http {
namespace {

// Whose address counts for back-off: the peer's, unless the peer is the trusted proxy — then the last entry of
// X-Forwarded-For (the one that proxy appended), never what the client wrote before it.
TEST(ClientAddress, BelievesForwardedForFromTrustedProxiesOnly) {
    struct Case {
        std::string peer, forwarded, expected;
    };
    const std::vector<std::string> trusted = {"127.0.0.1", "::1"};
    const Case cases[] = {
        {"127.0.0.1", "", "127.0.0.1"},
        {"127.0.0.1", "203.0.113.5", "203.0.113.5"},
        {"::1", "203.0.113.5", "203.0.113.5"},
        {"127.0.0.1", "10.0.0.1, 203.0.113.5", "203.0.113.5"},
        {"127.0.0.1", "10.0.0.1,203.0.113.5 ", "203.0.113.5"},
        {"127.0.0.1", " , ", "127.0.0.1"},
        {"127.0.0.1", std::string(100, '1'), "127.0.0.1"},
        {"198.51.100.2", "203.0.113.5", "198.51.100.2"},  // not our proxy: the header is the client's own word
    };
    for (const auto& c : cases) {
        Request q;
        q.remote_address = c.peer;
        if (!c.forwarded.empty()) q.headers.emplace_back("X-Forwarded-For", c.forwarded);
        EXPECT_EQ(client_address(q, trusted), c.expected) << c.peer << " / " << c.forwarded;
    }
    Request q;
    q.remote_address = "127.0.0.1";
    q.headers.emplace_back("X-Forwarded-For", "203.0.113.5");
    EXPECT_EQ(client_address(q, {}), "127.0.0.1") << "no proxy configured";
    Request two;  // the client's own line first, the proxy's last
    two.remote_address = "127.0.0.1";
    two.headers.emplace_back("X-Forwarded-For", "10.9.9.9");
    two.headers.emplace_back("x-forwarded-for", "203.0.113.5");
    EXPECT_EQ(client_address(two, trusted), "203.0.113.5");
}

}  // namespace
}  // namespace haven::http
