#include "outbound/doorbell_channels.hpp"

#include <gtest/gtest.h>

#include "http/transport/client.hpp"

namespace haven::outbound {
namespace {

// Finding 6 of issue 13: a room id was pasted into the bot's authenticated PUT as it came, so
// "!victim:example.org/state/m.room.power_levels/?x=" reached another endpoint of the homeserver.
TEST(DoorbellRoomIds, OnlyBangOpaqueColonServerIsARoom) {
    for (const char* good :
         {"!abc123:example.org", "!OGEhHVWSdvArJzumhm:matrix.org", "!a-b_c.d=e+f:example.org:8448", "!x:[2001:db8::1]:8448", "!x:192.0.2.1"})
        EXPECT_TRUE(valid_room_id(good)) << good;
    for (const char* bad : {"!victim:example.org/state/m.room.power_levels/?x=", "!a:b/../../admin", "!a:b?x=1", "!a:b#x", "!a%2F:b",
                            "abc:example.org", "!:example.org", "!abc", "!abc:", "!a b:example.org", "!a:exa mple.org",
                            "!a:example.org:", "!a:example.org:port", "!a:-example.org", "!a:[zz]", "!a/b:example.org", "!a:b\r\nHost: x"})
        EXPECT_FALSE(valid_room_id(bad)) << bad;
    EXPECT_FALSE(valid_room_id("!" + std::string(300, 'a') + ":example.org")) << "255 bytes at most";
}

TEST(DoorbellRoomIds, TheSendPathKeepsEachValueInOneSegment) {
    EXPECT_EQ(matrix_send_path("!abc:example.org", "k-1"), "/_matrix/client/v3/rooms/%21abc%3Aexample.org/send/m.room.message/k-1");
    EXPECT_EQ(matrix_send_path("!a/b?c#d:e", "t/x"), "/_matrix/client/v3/rooms/%21a%2Fb%3Fc%23d%3Ae/send/m.room.message/t%2Fx");
}

TEST(DoorbellTargets, PrivateLoopbackAndLinkLocalAddressesAreNotPublic) {
    for (const char* inside : {"127.0.0.1",
                               "127.1.2.3",
                               "10.0.0.1",
                               "172.16.0.1",
                               "172.31.255.255",
                               "192.168.1.1",
                               "169.254.169.254",
                               "100.64.0.1",
                               "0.0.0.0",
                               "224.0.0.1",
                               "255.255.255.255",
                               "192.0.2.1",
                               "::1",
                               "[::1]",
                               "::",
                               "fe80::1",
                               "fc00::1",
                               "fd12:3456::1",
                               "ff02::1",
                               "::ffff:127.0.0.1",
                               "[::ffff:10.0.0.1]",
                               "::ffff:169.254.169.254",
                               "64:ff9b::7f00:1",
                               "2002:7f00:1::1",
                               "2001:db8::1",
                               "2001::1",
                               "::127.0.0.1"})
        EXPECT_EQ(http::client::public_address(inside), false) << inside;
    for (const char* outside : {"93.184.215.14", "1.1.1.1", "172.32.0.1", "2606:4700::1111", "::ffff:93.184.215.14", "2002:5db8:d70e::1"})
        EXPECT_EQ(http::client::public_address(outside), true) << outside;
    EXPECT_EQ(http::client::public_address("hooks.example.org"), std::nullopt) << "a name is judged after resolving, at each delivery";
}

}  // namespace
}  // namespace haven::outbound
