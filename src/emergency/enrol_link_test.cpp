#include "emergency/enrol_link.hpp"

#include <gtest/gtest.h>

namespace haven::emergency {
namespace {

const Bytes fp(16, '\x5a');

TEST(EnrolLink, Version2IsUpperCaseForAnOriginAndReadsBackAsTheHubsUrl) {
    struct Case {
        const char* server;
        const char* link;     // what the operator prints
        const char* read_as;  // the server the member's device calls
    };
    const std::vector<Case> cases = {
        {"https://haven.example.org", "HAVEN:2/ABCDEFGHIJKLMNOPQRSTUVWX/LJNFUWS2LJNFUWS2LJNFUWS2LI/HAVEN.EXAMPLE.ORG", "https://haven.example.org"},
        {"https://Haven.Example.org:8443/", "HAVEN:2/ABCDEFGHIJKLMNOPQRSTUVWX/LJNFUWS2LJNFUWS2LJNFUWS2LI/HAVEN.EXAMPLE.ORG:8443",
         "https://haven.example.org:8443"},
        {"http://127.0.0.1:45678", "HAVEN:2/ABCDEFGHIJKLMNOPQRSTUVWX/LJNFUWS2LJNFUWS2LJNFUWS2LI/HTTP://127.0.0.1:45678", "http://127.0.0.1:45678"},
        // A path keeps its case, and with it the whole URL as it is: a larger QR code, still correct.
        {"https://example.org/Haven", "HAVEN:2/ABCDEFGHIJKLMNOPQRSTUVWX/LJNFUWS2LJNFUWS2LJNFUWS2LI/https://example.org/Haven",
         "https://example.org/Haven"},
        {"http://[::1]:8080", "HAVEN:2/ABCDEFGHIJKLMNOPQRSTUVWX/LJNFUWS2LJNFUWS2LJNFUWS2LI/http://[::1]:8080", "http://[::1]:8080"},
    };
    for (const auto& c : cases) {
        const std::string link = enrol_link_v2(c.server, "ABCDEFGHIJKLMNOPQRSTUVWX", fp);
        EXPECT_EQ(link, c.link) << c.server;
        auto read = parse_enrol_link("  " + link + "\n");
        ASSERT_TRUE(read) << link << ": " << read.error().message;
        EXPECT_EQ(read->version, 2);
        EXPECT_EQ(read->server, c.read_as) << link;
        EXPECT_EQ(read->code, "ABCDEFGHIJKLMNOPQRSTUVWX");
        EXPECT_EQ(read->fingerprint, fp);
    }
    // A scanner or a person may give it in lower case.
    auto lower = parse_enrol_link("haven:2/abcdefghijklmnopqrstuvwx/ljnfuws2ljnfuws2ljnfuws2li/haven.example.org");
    ASSERT_TRUE(lower) << lower.error().message;
    EXPECT_EQ(lower->code, "ABCDEFGHIJKLMNOPQRSTUVWX");
    EXPECT_EQ(lower->server, "https://haven.example.org");
}

TEST(EnrolLink, Version1IsStillRead) {
    const std::string org(64, 'a'), box(64, 'b');
    auto read = parse_enrol_link("haven-enrol:1;http://127.0.0.1:9;c0de-_x;" + org + ";" + box);
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_EQ(read->version, 1);
    EXPECT_EQ(read->server, "http://127.0.0.1:9");
    EXPECT_EQ(read->code, "c0de-_x");
    EXPECT_EQ(to_hex(read->org_pk), org);
    EXPECT_EQ(to_hex(read->box_pk), box);
}

TEST(EnrolLink, DamagedOrForeignLinksAreRefusedNamingThePart) {
    const std::string org(64, 'a'), box(64, 'b');
    struct Case {
        std::string text, field;
    };
    const std::vector<Case> cases = {
        {"", "link"},
        {"https://haven.example.org", "link"},
        {"HAVEN:3/ABC/DEF/HOST", "link"},
        {"HAVEN:2/ABCDEFGHIJKLMNOPQRSTUVWX", "link"},
        {"HAVEN:2/ABCDEFGHIJKLMNOPQRSTUVWX/LJNFUWS2LJNFUWS2LJNFUWS2LI", "link"},
        {"HAVEN:2//LJNFUWS2LJNFUWS2LJNFUWS2LI/HOST", "code"},
        {"HAVEN:2/ABC1/LJNFUWS2LJNFUWS2LJNFUWS2LI/HOST", "code"},
        {"HAVEN:2/ABCD/LJNFUWS2LJNFUWS2LJNFUWS2L/HOST", "fingerprint"},
        {"HAVEN:2/ABCD/LJNFUWS2LJNFUWS2LJNFUWS2LIAA/HOST", "fingerprint"},
        {"HAVEN:2/ABCD/LJNFUWS2LJNFUWS2LJNFUWS2L7/HOST", "fingerprint"},  // spare bits set: not what any encoder wrote
        {"HAVEN:2/ABCD/LJNFUWS2LJNFUWS2LJNFUWS2LI/", "server"},
        {"HAVEN:2/ABCD/LJNFUWS2LJNFUWS2LJNFUWS2LI/FTP://HOST", "server"},
        {"HAVEN:2/ABCD/LJNFUWS2LJNFUWS2LJNFUWS2LI/USER@HOST", "server"},
        {"HAVEN:2/ABCD/LJNFUWS2LJNFUWS2LJNFUWS2LI/HO ST", "server"},
        {"haven-enrol:1;http://h;code;" + org, "link"},
        {"haven-enrol:1;http://h;code;" + org + ";" + box + ";x", "link"},
        {"haven-enrol:1;http://h;code;" + org.substr(2) + ";" + box, "org_pk"},
        {"haven-enrol:1;http://h;code;" + org + ";zz" + box.substr(2), "box_pk"},
        {"haven-enrol:1;h;code;" + org + ";" + box, "server"},
        {"haven-enrol:1;http://h;;" + org + ";" + box, "code"},
    };
    for (const auto& c : cases) {
        auto read = parse_enrol_link(c.text);
        ASSERT_FALSE(read) << c.text;
        EXPECT_EQ(read.error().field, c.field) << c.text << ": " << read.error().message;
    }
}

TEST(EnrolLink, TheFingerprintBindsBothKeysInOrder) {
    const Bytes a(32, 'a'), b(32, 'b');
    EXPECT_EQ(enrolment_fingerprint(a, b).size(), 16u);
    EXPECT_NE(enrolment_fingerprint(a, b), enrolment_fingerprint(b, a));
    EXPECT_NE(enrolment_fingerprint(a, b), enrolment_fingerprint(a, Bytes(32, 'c')));
    EXPECT_EQ(enrolment_fingerprint(a, b), enrolment_fingerprint(a, b));
}

}  // namespace
}  // namespace haven::emergency
