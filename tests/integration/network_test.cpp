// The emergency network's mailboxes over HTTP on both engines: members enrol with single-use codes, an
// operator uploads an activation wrapped for every member and publishes it, each member finds theirs by
// locator, opens it and answers; the operator counts and opens the answers; the roster is an opaque blob kept
// by version; expired activations disappear with their wraps and answers; a poll waits for the next activation.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <thread>

#include "app/app.hpp"
#include "crypto/random.hpp"
#include "crypto/totp.hpp"
#include "emergency/lists.hpp"
#include "emergency/wire.hpp"
#include "support/accounts.hpp"
#include "support/app_fixture.hpp"
#include "support/engines.hpp"
#include "support/http_client.hpp"

namespace haven {
namespace {

namespace json = boost::json;
using namespace network;
using namespace emergency;
using testing::HttpReply;

class Network : public testing::AppFixture<ManualClock> {
protected:
    void SetUp() override {
        AppFixture::SetUp();
        if (!app_) return;
        clock_.set_ms(1'795'700'000'000);
        auto site = app_->accounts().create_site(nullptr, {"Hub", "Riga", "Latvia", "Europe/Riga", false});
        ASSERT_TRUE(site.ok());
        site_ = site->id;
        operator_ = testing::session_for(app_->db(), clock_,
                                         testing::make_account(app_->accounts(), clock_, "operator", Role::emergency_operator, site->id).id);
        coordinator_ =
            testing::session_for(app_->db(), clock_, testing::make_account(app_->accounts(), clock_, "coord", Role::coordinator, site->id).id);
    }
    HttpReply as_operator(const std::string& method, const std::string& target, const std::string& body = {},
                          const std::string& type = "application/json") {
        if (!operator_bearer_.empty())  // as haven-operator calls: an API token
            return testing::request(port_, method, target, body, "Authorization: Bearer " + operator_bearer_ + "\r\nContent-Type: " + type + "\r\n");
        return testing::signed_request(port_, method, target, operator_, csrf_, body, type);
    }
    // A device: no cookie, no account. JSON unless told it sends bytes.
    HttpReply device(const std::string& method, const std::string& target, const std::string& body = {}, const std::string& headers = {}) {
        return testing::request(port_, method, target, body, headers + (body.empty() ? "" : "Content-Type: application/json\r\n"));
    }
    HttpReply device_bytes(const std::string& target, const Bytes& bytes, const std::string& headers = {}) {
        return testing::request(port_, "POST", target, bytes, "Content-Type: application/octet-stream\r\n" + headers);
    }
    std::string code() {
        auto r = as_operator("POST", "/api/v1/network/enrolments", "{}");
        EXPECT_EQ(r.status, 201) << r.body;
        return std::string(json::parse(r.body).at("code").as_string());
    }

    struct Member {
        SigningKeys identity = new_signing_keys();
        BoxKeys prekey = new_box_keys();
        Bytes mailbox;
        std::string id, token;
    };
    Member enrol(const BoxKeys& operators) {
        Member m;
        m.mailbox = Bytes(32, '\0');
        for (auto& ch : m.mailbox) ch = char(std::rand());
        auto p = sign_prekey(m.identity, m.prekey.public_key, clock_.now_ms() + 8LL * 24 * 3600 * 1000);
        // The packet for the operators: in the real client the identity key, mailbox secret and who they are.
        m.id = to_hex(crypto::random_bytes(16));
        const Bytes packet = seal_to(operators.public_key, m.id + ":" + to_hex(m.identity.public_key) + ":" + to_hex(m.mailbox));
        auto r = device("POST", "/api/v1/network/members",
                        R"({"code":")" + code() + R"(","member_id":")" + m.id + R"(","prekey":")" + to_hex(p.prekey) + R"(","not_after":)" +
                            std::to_string(p.not_after) + R"(,"signature":")" + to_hex(p.signature) + R"(","packet":")" + to_hex(packet) + "\"}");
        EXPECT_EQ(r.status, 201) << r.body;
        if (r.status == 201) {
            auto v = json::parse(r.body);
            EXPECT_EQ(v.at("member_id").as_string(), m.id);
            m.token = std::string(v.at("token").as_string());
        }
        return m;
    }

    // A member's answer with the capability their device derives from its mailbox secret.
    HttpReply answer(const Member& m, const Bytes& activation_id, const BoxKeys& ack_keys, const std::string& text = "can") {
        return device_bytes("/api/v1/network/activations/" + to_hex(activation_id) + "/acks",
                            seal_ack(m.identity, activation_id, R"({"member_id":")" + m.id + R"(","answer":")" + text + "\"}", ack_keys.public_key),
                            "X-Ack-Capability: " + to_hex(ack_capability(m.mailbox, activation_id)) + "\r\n");
    }
    // Created, wrapped for `members`, published; returns the id (bytes).
    Bytes activate(const std::vector<Member>& members, const BoxKeys& ack_keys) {
        std::vector<Recipient> to;
        for (const auto& m : members) to.push_back({m.mailbox, m.prekey.public_key});
        auto sealed = seal_activation(new_signing_keys(), R"({"v":1,"ack_pk":")" + to_hex(ack_keys.public_key) + "\"}", to);
        EXPECT_TRUE(sealed.ok());
        auto created = as_operator("POST", "/api/v1/network/activations?expires_at=" + std::to_string(clock_.now_ms() + 3600'000), sealed->body,
                                   "application/octet-stream");
        EXPECT_EQ(created.status, 201) << created.body;
        Bytes packed;
        for (const auto& w : sealed->wraps) packed += w.locator + w.wrap + w.ack_tag;
        EXPECT_EQ(
            as_operator("POST", "/api/v1/network/activations/" + to_hex(sealed->activation_id) + "/wraps", packed, "application/octet-stream").status,
            200);
        EXPECT_EQ(as_operator("POST", "/api/v1/network/activations/" + to_hex(sealed->activation_id) + "/publish", "{}").status, 200);
        return sealed->activation_id;
    }
    std::vector<Bytes> answers(const Bytes& activation_id) {
        std::vector<Bytes> out;
        auto r = as_operator("GET", "/api/v1/network/activations/" + to_hex(activation_id) + "/acks");
        EXPECT_EQ(r.status, 200) << r.body;
        const auto listed = json::parse(r.body);
        for (const auto& a : listed.at("items").as_array()) out.push_back(*from_hex(std::string(a.as_string())));
        return out;
    }
    std::string operator_, coordinator_;
    std::string operator_bearer_;  // set: the operator calls with this API token instead of the session
    int64_t site_ = 0;
    const std::string csrf_ = crypto::random_token();
};

TEST_P(Network, AnActivationReachesEveryMemberAndTheAnswersComeBackSealed) {
    if (!app_) return;
    const SigningKeys org = new_signing_keys();
    const BoxKeys operators = new_box_keys(), ack_keys = new_box_keys();
    std::vector<Member> members;
    for (int i = 0; i < 6; ++i) members.push_back(enrol(operators));
    ASSERT_EQ(members.back().id.size(), 32u);

    // The operator's client reads the inbox (sealed packets) and the prekeys, and wraps for everyone.
    auto inbox = json::parse(as_operator("GET", "/api/v1/network/inbox").body);
    ASSERT_EQ(inbox.at("items").as_array().size(), 6u);
    auto opened = open_sealed(operators, *from_hex(std::string(inbox.at("items").at(0).at("sealed").as_string())));
    ASSERT_TRUE(opened) << "only the operators' key opens what a device sent";
    auto keys = json::parse(as_operator("GET", "/api/v1/network/members").body);
    std::vector<Recipient> to;
    for (const auto& m : members)
        for (const auto& k : keys.at("items").as_array())
            if (k.at("member_id").as_string() == m.id) {
                SignedPrekey p{*from_hex(std::string(k.at("prekey").as_string())), k.at("not_after").as_int64(),
                               *from_hex(std::string(k.at("signature").as_string()))};
                ASSERT_TRUE(verify_prekey(m.identity.public_key, p));
                to.push_back({m.mailbox, p.prekey});
            }
    ASSERT_EQ(to.size(), 6u);
    const std::string message =
        R"({"v":1,"status":"real","type":"alert","text":"Safe flat needed tonight","ack_pk":")" + to_hex(ack_keys.public_key) + "\"}";
    auto sealed = seal_activation(org, message, to);
    ASSERT_TRUE(sealed.ok());
    const int64_t expires = clock_.now_ms() + 3600 * 1000;
    auto created = as_operator("POST", "/api/v1/network/activations?expires_at=" + std::to_string(expires), sealed->body, "application/octet-stream");
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string id(json::parse(created.body).at("id").as_string());
    EXPECT_EQ(id, to_hex(sealed->activation_id));
    Bytes packed;
    for (const auto& w : sealed->wraps) packed += w.locator + w.wrap + w.ack_tag;
    constexpr size_t record = locator_size + wrap_size + ack_tag_size;
    EXPECT_EQ(as_operator("POST", "/api/v1/network/activations/" + id + "/wraps", packed.substr(0, 3 * record), "application/octet-stream").status,
              200);
    EXPECT_EQ(as_operator("POST", "/api/v1/network/activations/" + id + "/wraps", packed.substr(0, 64), "application/octet-stream").status, 422)
        << "the records of before, without the answer tag, are refused";
    // Not published yet: members see nothing.
    EXPECT_TRUE(json::parse(device("GET", "/api/v1/network/activations").body).at("items").as_array().empty());
    EXPECT_EQ(device("GET", "/api/v1/network/activations/" + id).status, 404);
    auto filled = as_operator("POST", "/api/v1/network/activations/" + id + "/wraps", packed.substr(3 * record), "application/octet-stream");
    EXPECT_EQ(json::parse(filled.body).at("wraps").as_int64(), 6);
    ASSERT_EQ(as_operator("POST", "/api/v1/network/activations/" + id + "/publish", "{}").status, 200);
    EXPECT_EQ(as_operator("POST", "/api/v1/network/activations/" + id + "/wraps", packed.substr(0, record), "application/octet-stream").status, 409);

    // Each member: list, body, own wrap by locator, open, answer.
    for (const auto& m : members) {
        auto list = json::parse(device("GET", "/api/v1/network/activations?after=0").body);
        ASSERT_EQ(list.at("items").as_array().size(), 1u);
        EXPECT_EQ(list.at("items").at(0).at("size").as_int64(), int64_t(header_size + 1024 + 16));
        auto body = device("GET", "/api/v1/network/activations/" + id);
        auto wrap = device("GET", "/api/v1/network/activations/" + id + "/wraps/" + to_hex(locator(m.mailbox, sealed->activation_id)));
        ASSERT_EQ(wrap.status, 200);
        auto text = open_activation(body.body, wrap.body, {m.prekey}, org.public_key);
        ASSERT_TRUE(text);
        EXPECT_EQ(*text, message);
        EXPECT_EQ(answer(m, sealed->activation_id, ack_keys).status, 201);
    }
    EXPECT_EQ(device("GET", "/api/v1/network/activations/" + id + "/wraps/" + std::string(32, '0')).status, 404);
    EXPECT_EQ(device_bytes("/api/v1/network/activations/" + id + "/acks", std::string(10, 'x'),
                           "X-Ack-Capability: " + to_hex(ack_capability(members[0].mailbox, sealed->activation_id)) + "\r\n")
                  .status,
              422);
    auto state = json::parse(as_operator("GET", "/api/v1/network/activations/" + id + "/state").body);
    EXPECT_EQ(state.at("acks").as_int64(), 6);
    EXPECT_EQ(state.at("fetched").as_int64(), 6) << "six wraps fetched (the unknown locator is not one)";
    EXPECT_TRUE(state.at("doorbells").as_array().size() <= 3);
    int verified = 0;
    const auto answers = json::parse(as_operator("GET", "/api/v1/network/activations/" + id + "/acks").body);
    for (const auto& a : answers.at("items").as_array()) {
        auto ack = open_ack(*from_hex(std::string(a.as_string())), ack_keys);
        ASSERT_TRUE(ack);
        for (const auto& m : members) verified += verify_ack(m.identity.public_key, sealed->activation_id, *ack);
    }
    EXPECT_EQ(verified, 6);
    // Others may not operate.
    EXPECT_EQ(testing::signed_request(port_, "GET", "/api/v1/network/members", coordinator_, csrf_).status, 403);

    // Expired: gone with its wraps and answers at the next sweep.
    clock_.advance_ms(3600 * 1000 + 61'000);
    operator_ =
        testing::session_for(app_->db(), clock_, testing::make_account(app_->accounts(), clock_, "operator-2", Role::emergency_operator, site_).id);
    EXPECT_TRUE(json::parse(device("GET", "/api/v1/network/activations").body).at("items").as_array().empty());
    for (const char* table : {"network_activations", "network_wraps", "network_acks"})
        EXPECT_EQ(app_->db().query(std::string("SELECT COUNT(*) FROM ") + table).at(0).integer(0), 0) << table;
}

TEST_P(Network, CodesAreSingleUsePrekeysRotateAndTheRosterKeepsItsVersion) {
    if (!app_) return;
    const BoxKeys operators = new_box_keys();
    const std::string c = code();
    Member m;
    auto p = sign_prekey(m.identity, m.prekey.public_key, clock_.now_ms() + 1000);
    const std::string body = R"({"code":")" + c + R"(","member_id":")" + to_hex(crypto::random_bytes(16)) + R"(","prekey":")" + to_hex(p.prekey) +
                             R"(","not_after":)" + std::to_string(p.not_after) + R"(,"signature":")" + to_hex(p.signature) + R"(","packet":"00ff"})";
    EXPECT_EQ(device("POST", "/api/v1/network/members", body).status, 201);
    EXPECT_EQ(device("POST", "/api/v1/network/members", body).status, 404) << "a code works once";
    auto bad =
        device("POST", "/api/v1/network/members", R"({"code":"x","member_id":"00","prekey":"00","not_after":1,"signature":"00","packet":"00"})");
    EXPECT_EQ(bad.status, 422);
    Member a = enrol(operators);
    const BoxKeys next = new_box_keys();
    auto q = sign_prekey(a.identity, next.public_key, clock_.now_ms() + 7LL * 24 * 3600 * 1000);
    const std::string rotate =
        R"({"prekey":")" + to_hex(q.prekey) + R"(","not_after":)" + std::to_string(q.not_after) + R"(,"signature":")" + to_hex(q.signature) + "\"}";
    EXPECT_EQ(device("PUT", "/api/v1/network/members/" + a.id + "/prekey", rotate, "X-Member-Token: wrong\r\n").status, 404);
    EXPECT_EQ(device("PUT", "/api/v1/network/members/" + a.id + "/prekey", rotate, "X-Member-Token: " + a.token + "\r\n").status, 200);
    bool found = false;
    const auto listed = json::parse(as_operator("GET", "/api/v1/network/members").body);
    for (const auto& k : listed.at("items").as_array())
        if (k.at("member_id").as_string() == a.id) found = k.at("prekey").as_string() == to_hex(next.public_key);
    EXPECT_TRUE(found);

    // The roster: opaque bytes, replaced only from the version read.
    const Bytes key(32, 'r');
    const Bytes v1 = seal_secret(key, "Lis;tver;driver;lis@example.org");
    EXPECT_EQ(as_operator("PUT", "/api/v1/network/roster", v1, "application/octet-stream").status, 400) << "If-Match is required";
    auto put = testing::request(port_, "PUT", "/api/v1/network/roster", v1,
                                "Cookie: __Host-haven_session=" + operator_ + "; __Host-haven_csrf=" + csrf_ + "\r\nX-CSRF-Token: " + csrf_ +
                                    "\r\nContent-Type: application/octet-stream\r\nIf-Match: \"0\"\r\n");
    EXPECT_EQ(put.status, 200) << put.body;
    auto stale = testing::request(port_, "PUT", "/api/v1/network/roster", v1,
                                  "Cookie: __Host-haven_session=" + operator_ + "; __Host-haven_csrf=" + csrf_ + "\r\nX-CSRF-Token: " + csrf_ +
                                      "\r\nContent-Type: application/octet-stream\r\nIf-Match: \"0\"\r\n");
    EXPECT_EQ(stale.status, 409);
    auto got = as_operator("GET", "/api/v1/network/roster");
    EXPECT_NE(got.headers.find("\"1\""), std::string::npos);
    EXPECT_EQ(open_secret(key, got.body).value_or(""), "Lis;tver;driver;lis@example.org");
}

TEST_P(Network, APollWaitsForTheNextActivation) {
    if (!app_) return;
    const SigningKeys org = new_signing_keys();
    auto sealed = seal_activation(org, "{}", {});
    ASSERT_TRUE(sealed.ok());
    auto created = as_operator("POST", "/api/v1/network/activations?expires_at=" + std::to_string(clock_.now_ms() + 60'000), sealed->body,
                               "application/octet-stream");
    ASSERT_EQ(created.status, 201);
    const std::string id(json::parse(created.body).at("id").as_string());
    HttpReply polled;
    std::thread poller([&] { polled = device("GET", "/api/v1/network/activations?after=0&wait=20"); });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const auto started = std::chrono::steady_clock::now();
    ASSERT_EQ(as_operator("POST", "/api/v1/network/activations/" + id + "/publish", "{}").status, 200);
    poller.join();
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5)) << "answered at publication, not at the timeout";
    EXPECT_EQ(json::parse(polled.body).at("items").at(0).at("id").as_string(), id);

    // With nothing new, the poll is answered empty when its wait ends.
    const std::string after = std::to_string(json::parse(polled.body).at("items").at(0).at("published_at").as_int64());
    const auto asked = std::chrono::steady_clock::now();
    auto empty = device("GET", "/api/v1/network/activations?after=" + after + "&wait=1");
    EXPECT_EQ(empty.status, 200);
    EXPECT_TRUE(json::parse(empty.body).at("items").as_array().empty());
    EXPECT_GE(std::chrono::steady_clock::now() - asked, std::chrono::milliseconds(900));
}

// Finding 2 of issue 13: activation ids are listed and answers were accepted from anyone up to twice the members
// and 100, so ~104 anonymous posts made every member's real answer 429. Now an answer needs its member's
// capability: strangers are refused before anything is written, and use up nobody's room.
TEST_P(Network, AThousandAnonymousAnswersDoNotSilenceAMember) {
    if (!app_) return;
    const BoxKeys operators = new_box_keys(), ack_keys = new_box_keys();
    std::vector<Member> members;
    for (int i = 0; i < 3; ++i) members.push_back(enrol(operators));
    const Bytes id = activate(members, ack_keys);
    const std::string target = "/api/v1/network/activations/" + to_hex(id) + "/acks";
    for (int i = 0; i < 1000; ++i) {
        // Garbage answers: without a capability, with a random one, with a malformed one.
        const std::string header = i % 3 == 0   ? ""
                                   : i % 3 == 1 ? "X-Ack-Capability: " + to_hex(crypto::random_bytes(16)) + "\r\n"
                                                : "X-Ack-Capability: zz\r\n";
        auto r = device_bytes(target, crypto::random_bytes(200), header);
        ASSERT_EQ(r.status, 403) << i << " " << r.body;
        if (i == 0) {
            EXPECT_NE(r.body.find("X-Ack-Capability"), std::string::npos) << "the refusal names what is missing: " << r.body;
        }
    }
    EXPECT_TRUE(answers(id).empty()) << "nothing of the flood is stored";
    auto real = answer(members[1], id, ack_keys);
    ASSERT_EQ(real.status, 201) << real.body;
    const auto got = answers(id);
    ASSERT_EQ(got.size(), 1u);
    auto opened = open_ack(got[0], ack_keys);
    ASSERT_TRUE(opened);
    EXPECT_TRUE(verify_ack(members[1].identity.public_key, id, *opened)) << "the operator reads the member's real answer";
}

TEST_P(Network, AnAnswerCapabilityOpensOnlyItsOwnActivation) {
    if (!app_) return;
    const BoxKeys operators = new_box_keys(), ack_keys = new_box_keys();
    std::vector<Member> members = {enrol(operators), enrol(operators)};
    const Bytes first = activate(members, ack_keys), second = activate({members[0]}, ack_keys);
    // Member 0's capability for the first activation, on the second.
    auto crossed = device_bytes("/api/v1/network/activations/" + to_hex(second) + "/acks",
                                seal_ack(members[0].identity, second, R"({"answer":"can"})", ack_keys.public_key),
                                "X-Ack-Capability: " + to_hex(ack_capability(members[0].mailbox, first)) + "\r\n");
    EXPECT_EQ(crossed.status, 403) << crossed.body;
    EXPECT_EQ(answer(members[1], second, ack_keys).status, 403) << "a member the activation was not wrapped for";
    EXPECT_EQ(device_bytes("/api/v1/network/activations/" + std::string(32, 'a') + "/acks", crypto::random_bytes(200),
                           "X-Ack-Capability: " + to_hex(ack_capability(members[0].mailbox, first)) + "\r\n")
                  .status,
              403)
        << "an activation that does not exist has no wrap with this tag either";
    EXPECT_TRUE(answers(second).empty());
    EXPECT_EQ(answer(members[0], second, ack_keys).status, 201);
    EXPECT_EQ(answer(members[1], first, ack_keys).status, 201);
}

TEST_P(Network, AMemberMayChangeTheirAnswerAFewTimesAndNoMore) {
    if (!app_) return;
    const BoxKeys operators = new_box_keys(), ack_keys = new_box_keys();
    std::vector<Member> members = {enrol(operators), enrol(operators)};
    const Bytes id = activate(members, ack_keys);
    for (int i = 0; i < 5; ++i) {
        ASSERT_EQ(answer(members[0], id, ack_keys, i % 2 ? "can" : "cannot").status, 201) << i;
    }
    auto more = answer(members[0], id, ack_keys);
    EXPECT_EQ(more.status, 429) << more.body;
    EXPECT_EQ(answer(members[1], id, ack_keys).status, 201) << "one member's bound is not another's";
    EXPECT_EQ(answers(id).size(), 6u);
    EXPECT_EQ(json::parse(as_operator("GET", "/api/v1/network/activations/" + to_hex(id) + "/state").body).at("acks").as_int64(), 6);
}

// Finding 16 of issue 13: a panic seal took the network down (503) exactly when it is needed. Its endpoints need
// no vault key: members poll, fetch and answer, and operators read the answers, while the vault is sealed; what
// needs the vault (an audited operator change, a doorbell's sealed address) answers 503 "sealed".
TEST_P(Network, ThroughAPanicSealMembersPollFetchAndAnswerAndOperatorsReadTheAnswers) {
    if (!app_) return;
    const BoxKeys operators = new_box_keys(), ack_keys = new_box_keys();
    std::vector<Member> members = {enrol(operators), enrol(operators)};
    const SigningKeys org = new_signing_keys();
    auto sealed = seal_activation(org, R"({"v":1,"text":"Raid at the hub: stay away"})",
                                  {{members[0].mailbox, members[0].prekey.public_key}, {members[1].mailbox, members[1].prekey.public_key}});
    ASSERT_TRUE(sealed.ok());
    const std::string id = to_hex(sealed->activation_id);
    ASSERT_EQ(as_operator("POST", "/api/v1/network/activations?expires_at=" + std::to_string(clock_.now_ms() + 3600'000), sealed->body,
                          "application/octet-stream")
                  .status,
              201);
    Bytes packed;
    for (const auto& w : sealed->wraps) packed += w.locator + w.wrap + w.ack_tag;
    EXPECT_EQ(as_operator("POST", "/api/v1/network/activations/" + id + "/wraps", packed, "application/octet-stream").status, 200);
    auto token = app_->accounts().create_token("operator", "haven-operator", "write", 30);
    ASSERT_TRUE(token.ok());

    auto seal =
        testing::request(port_, "POST", "/api/v1/vault/seal", "{}", "Content-Type: application/json\r\nX-Seal-Token: " + seal_token_ + "\r\n");
    ASSERT_EQ(seal.status, 200) << seal.body;
    ASSERT_TRUE(app_->vault().sealed());
    EXPECT_EQ(as_operator("GET", "/account").status, 503) << "the rest of Haven is sealed";
    // The panic seal ended every session (docs/SECURITY.md); haven-operator's API token carries on.
    EXPECT_EQ(as_operator("GET", "/api/v1/network/members").status, 401);
    operator_bearer_ = token.value();

    // The operator publishes what was ready; a member's poll, body, wrap and answer all work.
    ASSERT_EQ(as_operator("POST", "/api/v1/network/activations/" + id + "/publish", "{}").status, 200);
    auto polled = device("GET", "/api/v1/network/activations?after=0");
    ASSERT_EQ(polled.status, 200) << polled.body;
    ASSERT_EQ(json::parse(polled.body).at("items").as_array().size(), 1u);
    auto body = device("GET", "/api/v1/network/activations/" + id);
    auto wrap = device("GET", "/api/v1/network/activations/" + id + "/wraps/" + to_hex(locator(members[0].mailbox, sealed->activation_id)));
    ASSERT_EQ(body.status, 200);
    ASSERT_EQ(wrap.status, 200);
    EXPECT_TRUE(open_activation(body.body, wrap.body, {members[0].prekey}, org.public_key));
    EXPECT_EQ(answer(members[0], sealed->activation_id, ack_keys).status, 201);
    // A member rotates their prekey.
    auto p = sign_prekey(members[1].identity, new_box_keys().public_key, clock_.now_ms() + 86'400'000);
    EXPECT_EQ(device("PUT", "/api/v1/network/members/" + members[1].id + "/prekey",
                     R"({"prekey":")" + to_hex(p.prekey) + R"(","not_after":)" + std::to_string(p.not_after) + R"(,"signature":")" +
                         to_hex(p.signature) + "\"}",
                     "X-Member-Token: " + members[1].token + "\r\n")
                  .status,
              200);

    // The operator reads the answer and the activation's state.
    const auto got = answers(sealed->activation_id);
    ASSERT_EQ(got.size(), 1u);
    auto opened = open_ack(got[0], ack_keys);
    ASSERT_TRUE(opened);
    EXPECT_TRUE(verify_ack(members[0].identity.public_key, sealed->activation_id, *opened));
    EXPECT_EQ(as_operator("GET", "/api/v1/network/activations/" + id + "/state").status, 200);
    EXPECT_EQ(as_operator("GET", "/api/v1/network/members").status, 200);

    // What needs the vault waits: an operator's audited change, a doorbell's sealed address.
    auto audited = as_operator("POST", "/api/v1/network/enrolments", "{}");
    EXPECT_EQ(audited.status, 503) << audited.body;
    EXPECT_NE(audited.body.find("sealed"), std::string::npos);
    auto made = as_operator("POST", "/api/v1/network/activations?expires_at=" + std::to_string(clock_.now_ms() + 3600'000),
                            seal_activation(org, "{}", {})->body, "application/octet-stream");
    EXPECT_EQ(made.status, 503) << made.body;
    auto bell =
        device("POST", "/api/v1/network/doorbells", R"({"channel":"webhook","address":"https://hooks.example.org/x","secret":"0123456789abcdef"})",
               "X-Member-Id: " + members[0].id + "\r\nX-Member-Token: " + members[0].token + "\r\n");
    EXPECT_EQ(bell.status, 503) << bell.body;
    EXPECT_EQ(app_->db().query("SELECT COUNT(*) FROM network_activations").at(0).integer(0), 1) << "nothing half-made";
}

// Issue 14, item 16: the QR link carries a fingerprint of the operators' keys; the keys come from the hub with the
// code. What an anonymous script can do with that route: nothing a code does not already allow. Every code that
// does not open answers exactly as enrolling with it does (one 404, whatever the reason: no oracle of which codes
// existed), fetching never uses a code up, guessing changes nothing, and the keys go when the code does.
// Issue 14, item 5: the operators' lists go with a code, sealed under it (network/lists.hpp): the hub hands them
// out with the keys and erases them with the code; only an open code made with keys takes them; nothing readable
// is stored.
TEST_P(Network, ACodesListsAreSealedUnderItAndGoWithIt) {
    if (!app_) return;
    const std::string keys_body =
        R"({"org_pk":")" + to_hex(new_signing_keys().public_key) + R"(","box_pk":")" + to_hex(new_box_keys().public_key) + "\"}";
    auto made = [&](const std::string& body) { return json::parse(as_operator("POST", "/api/v1/network/enrolments", body).body).as_object(); };
    auto put = [&](int64_t id, const std::string& body) {
        return as_operator("PUT", "/api/v1/network/enrolments/" + std::to_string(id) + "/lists", body);
    };
    Lists lists;
    lists.regions.push_back(*list_entry("pskov", {"en=Pskov", "ru=Псков"}));
    const auto code = made(keys_body);
    const std::string c(code.at("code").as_string());
    const int64_t id = code.at("id").as_int64();
    const std::string sealed = to_hex(seal_lists(lists, c));
    ASSERT_EQ(put(id, json::serialize(json::object{{"lists", sealed}})).status, 200);
    auto got = device("POST", "/api/v1/network/enrolment-keys", json::serialize(json::object{{"code", c}}));
    ASSERT_EQ(got.status, 200) << got.body;
    const std::string back(json::parse(got.body).at("lists").as_string());
    auto opened = open_lists(*from_hex(back), c);
    ASSERT_TRUE(opened);
    EXPECT_EQ(opened->regions.at(0).names.at("ru"), "Псков");
    for (const auto& row : app_->db().query("SELECT lists FROM network_enrolments WHERE lists IS NOT NULL"))
        EXPECT_EQ(row.blob(0).str().find("Pskov"), std::string::npos) << "stored sealed";

    // Hostile or misplaced: over 64 KB, not hex, a code made without keys, an unknown id — refused, nothing kept.
    EXPECT_EQ(put(id, json::serialize(json::object{{"lists", std::string(2 * (64 * 1024 + 1), 'a')}})).status, 422);
    auto not_hex = put(id, R"({"lists":"zz"})");
    EXPECT_EQ(not_hex.status, 422);
    EXPECT_NE(not_hex.body.find("\"fields\":{\"lists\""), std::string::npos) << not_hex.body;
    EXPECT_EQ(put(made("{}").at("id").as_int64(), json::serialize(json::object{{"lists", sealed}})).status, 404);
    EXPECT_EQ(put(id + 1000000, json::serialize(json::object{{"lists", sealed}})).status, 404);
    EXPECT_EQ(device("PUT", "/api/v1/network/enrolments/" + std::to_string(id) + "/lists", json::serialize(json::object{{"lists", "00"}})).status,
              401)
        << "a device with no account";

    // Used: the lists go with the keys, and a used code takes no more.
    Member m;
    auto p = sign_prekey(m.identity, m.prekey.public_key, clock_.now_ms() + 1000);
    ASSERT_EQ(device("POST", "/api/v1/network/members",
                     R"({"code":")" + c + R"(","member_id":")" + to_hex(crypto::random_bytes(16)) + R"(","prekey":")" + to_hex(p.prekey) +
                         R"(","not_after":)" + std::to_string(p.not_after) + R"(,"signature":")" + to_hex(p.signature) + R"(","packet":"00ff"})")
                  .status,
              201);
    EXPECT_EQ(app_->db().query("SELECT COUNT(*) FROM network_enrolments WHERE lists IS NOT NULL")[0].integer(0), 0);
    EXPECT_EQ(put(id, json::serialize(json::object{{"lists", sealed}})).status, 404);
}

TEST_P(Network, ACodesKeysComeOnlyWithTheCodeAndGoWithIt) {
    if (!app_) return;
    const BoxKeys operators = new_box_keys();
    const SigningKeys org = new_signing_keys();
    const std::string keys_body = R"({"org_pk":")" + to_hex(org.public_key) + R"(","box_pk":")" + to_hex(operators.public_key) + "\"}";
    auto made_code = [&](const std::string& body) {
        auto r = as_operator("POST", "/api/v1/network/enrolments", body);
        EXPECT_EQ(r.status, 201) << r.body;
        return r.status == 201 ? std::string(json::parse(r.body).at("code").as_string()) : std::string();
    };
    auto keys_of = [&](const std::string& code) {
        return device("POST", "/api/v1/network/enrolment-keys", json::serialize(json::object{{"code", code}}));
    };
    auto error_of = [](const HttpReply& r) { return r.status == 0 ? std::string() : json::serialize(json::parse(r.body).at("error")); };

    const std::string c = made_code(keys_body);
    EXPECT_EQ(c.size(), 24u) << "15 bytes in base32: " << c;
    EXPECT_EQ(c.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), std::string::npos) << c;
    for (int i = 0; i < 3; ++i) {  // fetching does not use the code up
        auto got = keys_of(c);
        ASSERT_EQ(got.status, 200) << got.body;
        EXPECT_EQ(json::parse(got.body).at("org_pk").as_string(), to_hex(org.public_key));
        EXPECT_EQ(json::parse(got.body).at("box_pk").as_string(), to_hex(operators.public_key));
    }
    EXPECT_EQ(enrolment_fingerprint(org.public_key, operators.public_key).size(), 16u);

    // One answer for every code that does not open: unknown, made without keys (an older client), revoked, used,
    // expired — the same status and error as enrolling with an unknown code, as before this route.
    const std::string unknown_register =
        error_of(device("POST", "/api/v1/network/members",
                        R"({"code":"AAAAAAAAAAAAAAAAAAAAAAAA","member_id":")" + to_hex(crypto::random_bytes(16)) + R"(","prekey":")" +
                            std::string(64, 'a') + R"(","not_after":1,"signature":")" + std::string(128, 'b') + R"(","packet":"00"})"));
    EXPECT_NE(unknown_register.find("This enrolment code is unknown, used or expired."), std::string::npos) << unknown_register;
    const std::string keyless = made_code("{}");
    const std::string used = made_code(keys_body);
    const std::string expiring = made_code(keys_body);
    clock_.advance_ms(1000);
    const std::string revoked = made_code(keys_body);
    const auto listed = json::parse(as_operator("GET", "/api/v1/network/enrolments").body).at("items").as_array();
    const int64_t revoked_id = listed.back().at("id").as_int64();  // oldest first: the last made
    ASSERT_EQ(as_operator("DELETE", "/api/v1/network/enrolments/" + std::to_string(revoked_id)).status, 200);
    Member m;
    auto p = sign_prekey(m.identity, m.prekey.public_key, clock_.now_ms() + 1000);
    ASSERT_EQ(device("POST", "/api/v1/network/members",
                     R"({"code":")" + used + R"(","member_id":")" + to_hex(crypto::random_bytes(16)) + R"(","prekey":")" + to_hex(p.prekey) +
                         R"(","not_after":)" + std::to_string(p.not_after) + R"(,"signature":")" + to_hex(p.signature) + R"(","packet":"00ff"})")
                  .status,
              201);
    EXPECT_EQ(keys_of(expiring).status, 200);
    for (const std::string& wrong : {std::string("AAAAAAAAAAAAAAAAAAAAAAAA"), keyless, revoked, used, std::string("x"), std::string()}) {
        auto r = keys_of(wrong);
        EXPECT_EQ(r.status, 404) << wrong << ": " << r.body;
        EXPECT_EQ(error_of(r), unknown_register) << wrong;
    }
    // Kept no longer than the code is open: erased when used, gone with the row when revoked or swept.
    const auto with_keys = [&] {
        return app_->db().query("SELECT COUNT(*) FROM network_enrolments WHERE org_pk IS NOT NULL OR box_pk IS NOT NULL")[0].integer(0);
    };
    EXPECT_EQ(with_keys(), 2) << "the two codes still open (c, expiring) keep their keys; the used and the revoked do not";

    // A script guessing codes: answers 404, writes nothing, and the real code still works after it.
    const std::string fresh = made_code(keys_body);
    const int64_t rows = app_->db().query("SELECT COUNT(*) FROM network_enrolments")[0].integer(0);
    for (int i = 0; i < 300; ++i) EXPECT_EQ(keys_of(crypto::base32_encode(crypto::random_bytes(15))).status, 404);
    EXPECT_EQ(app_->db().query("SELECT COUNT(*) FROM network_enrolments")[0].integer(0), rows);
    EXPECT_EQ(keys_of(fresh).status, 200);

    // Hostile input: a clear 4xx naming the field; the code never in the URL.
    struct Case {
        std::string body;
        int status;
        std::string field;
    };
    for (const auto& k : std::vector<Case>{{R"({"code":5})", 422, "code"},
                                           {R"({"code":")" + std::string(101, 'A') + "\"}", 422, "code"},
                                           {R"(["code"])", 400, ""},
                                           {R"({"code":)", 400, ""}}) {
        auto r = device("POST", "/api/v1/network/enrolment-keys", k.body);
        EXPECT_EQ(r.status, k.status) << k.body << ": " << r.body;
        if (!k.field.empty()) EXPECT_NE(r.body.find("\"fields\":{\"" + k.field + "\""), std::string::npos) << r.body;
    }
    EXPECT_EQ(
        testing::request(port_, "POST", "/api/v1/network/enrolment-keys", "code=" + fresh, "Content-Type: application/x-www-form-urlencoded\r\n")
            .status,
        415);
    EXPECT_NE(device("GET", "/api/v1/network/enrolment-keys?code=" + fresh).status, 200);
    // The operator's upload: both keys or neither, each 32 bytes of hex.
    for (const auto& k :
         std::vector<Case>{{R"({"org_pk":"zz"})", 422, "org_pk"},
                           {R"({"org_pk":")" + to_hex(org.public_key) + "\"}", 422, "box_pk"},
                           {R"({"org_pk":")" + std::string(62, 'a') + R"(","box_pk":")" + std::string(64, 'a') + "\"}", 422, "org_pk"},
                           {R"({"org_pk":")" + std::string(64, 'a') + R"(","box_pk":")" + std::string(66, 'a') + "\"}", 422, "box_pk"},
                           {R"({"org_pk":7,"box_pk":")" + std::string(64, 'a') + "\"}", 422, "org_pk"}}) {
        auto r = as_operator("POST", "/api/v1/network/enrolments", k.body);
        EXPECT_EQ(r.status, k.status) << k.body << ": " << r.body;
        EXPECT_NE(r.body.find("\"fields\":{\"" + k.field + "\""), std::string::npos) << r.body;
    }
    // Only the member app may ask for the camera (it scans the QR code); every other page refuses it.
    EXPECT_NE(device("GET", "/network/app").header("Permissions-Policy").find("camera=(self)"), std::string::npos);
    EXPECT_NE(device("GET", "/login").header("Permissions-Policy").find("camera=()"), std::string::npos);

    // Expired: the same answer, and the sweep takes the codes with their keys.
    clock_.advance_ms(48LL * 3600 * 1000 + 1000);
    EXPECT_EQ(keys_of(expiring).status, 404);
    EXPECT_EQ(error_of(keys_of(expiring)), unknown_register);
    app_->network().sweep();
    EXPECT_EQ(with_keys(), 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, Network, ::testing::Values("sqlite", "postgres"), testing::engine_name);

}  // namespace
}  // namespace haven
