// The wire format read by an independent implementation (tests/interop/member.py, python3-nacl, written from
// docs/EMERGENCY.md): it opens an activation our operator code sealed for 3 members and answers; we open and
// verify the answer. A tampered body makes it fail.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdio>
#include <fstream>

#include "emergency/wire.hpp"
#include "support/engines.hpp"

namespace haven::emergency {
namespace {

namespace json = boost::json;

std::string run_python(const std::string& input_file, int* status) {
    std::string out;
    FILE* p = popen(("/usr/bin/python3 " HAVEN_SOURCE_DIR "/tests/interop/member.py " + input_file + " 2>&1").c_str(), "r");
    char buf[4096];
    while (p && fgets(buf, sizeof buf, p)) out += buf;
    *status = p ? pclose(p) : -1;
    return out;
}

TEST(NetworkInterop, Python3NaclOpensTheAlertAndItsAnswerOpensHere) {
    const std::string dir = testing::temp_dir("haven-interop");
    const SigningKeys org = new_signing_keys();
    const BoxKeys ack = new_box_keys();
    struct Member {
        SigningKeys identity = new_signing_keys();
        BoxKeys prekey = new_box_keys();
        Bytes mailbox;
    };
    std::vector<Member> members(3);
    std::vector<Recipient> to;
    for (size_t i = 0; i < members.size(); ++i) {
        members[i].mailbox = Bytes(32, char('p' + i));
        to.push_back({members[i].mailbox, members[i].prekey.public_key});
    }
    const std::string message =
        R"({"v":1,"status":"exercise","type":"alert","refers_to":null,"tiers":[{"regions":["tver"],"skills":["driver"],"release_at":0}],)"
        R"("text":"Нужен водитель: Тверь → Рига, сегодня 21:00","issued_at":1795700000000,"expires_at":1795786400000,"ack_pk":")" +
        to_hex(ack.public_key) + "\"}";
    auto sealed = seal_activation(org, message, to);
    ASSERT_TRUE(sealed.ok());

    auto input = [&](const Bytes& body) {
        const Member& m = members[1];
        json::object o{{"body", to_hex(body)},
                       {"wrap", to_hex(sealed->wraps[1].wrap)},
                       {"prekey_sk", to_hex(m.prekey.secret_key)},
                       {"prekey_pk", to_hex(m.prekey.public_key)},
                       {"org_pk", to_hex(org.public_key)},
                       {"identity_seed", to_hex(m.identity.secret_key.substr(0, 32))},
                       {"mailbox", to_hex(m.mailbox)},
                       {"member_id", "m-0001"}};
        const std::string file = dir + "/input.json";
        std::ofstream(file) << json::serialize(o);
        return file;
    };
    int status = 0;
    const std::string out = run_python(input(sealed->body), &status);
    ASSERT_EQ(status, 0) << "python3-nacl (apt install python3-nacl; scripts/install-deps does) failed:\n" << out;
    const auto reply = json::parse(out);
    EXPECT_EQ(reply.at("message").as_string(), message);
    auto answer = from_hex(std::string(reply.at("ack").as_string()));
    ASSERT_TRUE(answer);
    auto opened = open_ack(*answer, ack);
    ASSERT_TRUE(opened);
    EXPECT_TRUE(verify_ack(members[1].identity.public_key, sealed->activation_id, *opened));
    EXPECT_FALSE(verify_ack(members[0].identity.public_key, sealed->activation_id, *opened));
    EXPECT_EQ(json::parse(opened->answer).at("answer").as_string(), "can");
    // The answer capability, made independently from the mailbox secret, is the one whose tag our operator code
    // put beside this member's wrap (and no other's).
    EXPECT_EQ(reply.at("capability").as_string(), to_hex(ack_capability(members[1].mailbox, sealed->activation_id)));
    EXPECT_EQ(reply.at("ack_tag").as_string(), to_hex(sealed->wraps[1].ack_tag));
    EXPECT_NE(reply.at("ack_tag").as_string(), to_hex(sealed->wraps[0].ack_tag));

    Bytes tampered = sealed->body;
    tampered[100] ^= 1;
    run_python(input(tampered), &status);
    EXPECT_NE(status, 0) << "a tampered body must not open";
}

}  // namespace
}  // namespace haven::emergency
