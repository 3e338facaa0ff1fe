#include "emergency/wire.hpp"

#include <gtest/gtest.h>

namespace haven::emergency {
namespace {

struct Member {
    SigningKeys identity = new_signing_keys();
    BoxKeys prekey = new_box_keys();
    Bytes mailbox = std::string(32, 'm');
};

TEST(Wire, OneBodyForEveryoneEachOpensOnlyWithTheirOwnKeys) {
    const SigningKeys org = new_signing_keys();
    std::vector<Member> members(5);
    for (size_t i = 0; i < members.size(); ++i) members[i].mailbox = std::string(32, char('a' + i));
    std::vector<Recipient> to;
    for (const auto& m : members) to.push_back({m.mailbox, m.prekey.public_key});
    auto sealed = seal_activation(org, R"({"text":"Convoy at 21:00"})", to, 2);
    ASSERT_TRUE(sealed.ok());
    EXPECT_EQ(sealed->body.size(), header_size + 1024 + 16) << "padded to the first bucket";
    ASSERT_EQ(sealed->wraps.size(), 5u);
    for (size_t i = 0; i < members.size(); ++i) {
        EXPECT_EQ(sealed->wraps[i].wrap.size(), wrap_size);
        EXPECT_EQ(sealed->wraps[i].locator, locator(members[i].mailbox, sealed->activation_id));
        auto text = open_activation(sealed->body, sealed->wraps[i].wrap, {members[i].prekey}, org.public_key);
        ASSERT_TRUE(text);
        EXPECT_EQ(*text, R"({"text":"Convoy at 21:00"})");
        // Someone else's wrap does not open with this member's key.
        EXPECT_FALSE(open_activation(sealed->body, sealed->wraps[(i + 1) % 5].wrap, {members[i].prekey}, org.public_key));
    }
}

TEST(Wire, TamperedOrUnsignedActivationsAreRejected) {
    const SigningKeys org = new_signing_keys(), impostor = new_signing_keys();
    Member m;
    auto sealed = seal_activation(org, "alert", {{m.mailbox, m.prekey.public_key}});
    ASSERT_TRUE(sealed.ok());
    const Bytes wrap = sealed->wraps[0].wrap;
    EXPECT_TRUE(open_activation(sealed->body, wrap, {m.prekey}, org.public_key));
    EXPECT_FALSE(open_activation(sealed->body, wrap, {m.prekey}, impostor.public_key)) << "signed by someone else";
    for (size_t at : {size_t(0), size_t(5), size_t(30), header_size + 3, sealed->body.size() - 1}) {
        Bytes body = sealed->body;
        body[at] ^= 1;
        EXPECT_FALSE(open_activation(body, wrap, {m.prekey}, org.public_key)) << "byte " << at;
    }
    Bytes bad_wrap = wrap;
    bad_wrap[47] ^= 1;
    EXPECT_FALSE(open_activation(sealed->body, bad_wrap, {m.prekey}, org.public_key));
    auto forged = seal_activation(impostor, "alert", {{m.mailbox, m.prekey.public_key}});
    EXPECT_FALSE(open_activation(forged->body, forged->wraps[0].wrap, {m.prekey}, org.public_key));
}

TEST(Wire, EachWrapCarriesTheTagOfItsMembersAnswerCapabilityForThisActivationOnly) {
    const SigningKeys org = new_signing_keys();
    Member a, b;
    b.mailbox = std::string(32, 'n');
    auto first = seal_activation(org, "one", {{a.mailbox, a.prekey.public_key}, {b.mailbox, b.prekey.public_key}});
    auto second = seal_activation(org, "two", {{a.mailbox, a.prekey.public_key}});
    ASSERT_TRUE(first.ok() && second.ok());
    const Bytes cap = ack_capability(a.mailbox, first->activation_id);
    EXPECT_EQ(cap.size(), capability_size);
    EXPECT_EQ(first->wraps[0].ack_tag, ack_tag(cap));
    EXPECT_EQ(first->wraps[0].ack_tag.size(), ack_tag_size);
    EXPECT_NE(first->wraps[1].ack_tag, ack_tag(cap)) << "another member's capability";
    EXPECT_NE(second->wraps[0].ack_tag, ack_tag(cap)) << "another activation's capability";
    EXPECT_NE(cap, first->wraps[0].locator) << "the locator, which the server sees, does not give the capability";
    EXPECT_NE(ack_tag(cap), cap);
}

TEST(Wire, LastWeeksPrekeyStillOpensDuringTheGrace) {
    const SigningKeys org = new_signing_keys();
    Member m;
    const BoxKeys next = new_box_keys();
    auto sealed = seal_activation(org, "sent before the rotation reached the operator", {{m.mailbox, m.prekey.public_key}});
    EXPECT_TRUE(open_activation(sealed->body, sealed->wraps[0].wrap, {next, m.prekey}, org.public_key));
    EXPECT_FALSE(open_activation(sealed->body, sealed->wraps[0].wrap, {next}, org.public_key)) << "once the old secret is deleted";
}

TEST(Wire, SizesAreBucketedAndBounded) {
    const SigningKeys org = new_signing_keys();
    Member m;
    for (auto [length, bucket] : std::vector<std::pair<size_t, size_t>>{{1, 1024}, {956, 1024}, {957, 4096}, {5000, 16384}, {65000, 65536}}) {
        auto sealed = seal_activation(org, std::string(length, 'x'), {{m.mailbox, m.prekey.public_key}});
        ASSERT_TRUE(sealed.ok()) << length;
        EXPECT_EQ(sealed->body.size(), header_size + bucket + 16) << length;
    }
    EXPECT_FALSE(seal_activation(org, std::string(65536, 'x'), {}).ok());
}

TEST(Wire, PrekeysAcksAndTheRoster) {
    Member m;
    auto signed_prekey = sign_prekey(m.identity, m.prekey.public_key, 1'800'000'000'000);
    EXPECT_TRUE(verify_prekey(m.identity.public_key, signed_prekey));
    signed_prekey.not_after += 1;
    EXPECT_FALSE(verify_prekey(m.identity.public_key, signed_prekey)) << "the validity is signed";

    const BoxKeys ack = new_box_keys();
    const Bytes id(16, '\x07');
    auto sealed = seal_ack(m.identity, id, R"({"answer":"can","eta":20})", ack.public_key);
    auto opened = open_ack(sealed, ack);
    ASSERT_TRUE(opened);
    EXPECT_EQ(opened->answer, R"({"answer":"can","eta":20})");
    EXPECT_TRUE(verify_ack(m.identity.public_key, id, *opened));
    EXPECT_FALSE(verify_ack(m.identity.public_key, Bytes(16, '\x08'), *opened)) << "bound to its activation";
    EXPECT_FALSE(open_ack(sealed, new_box_keys()));

    const Bytes key(32, 'k');
    auto roster = seal_secret(key, "Lis;Tver;driver");
    EXPECT_EQ(open_secret(key, roster).value_or(""), "Lis;Tver;driver");
    EXPECT_FALSE(open_secret(Bytes(32, 'j'), roster));
    EXPECT_EQ(from_hex(to_hex(Bytes("\x00\xff\x10", 3))).value_or(""), Bytes("\x00\xff\x10", 3));
    EXPECT_FALSE(from_hex("0g"));
}

}  // namespace
}  // namespace haven::emergency
