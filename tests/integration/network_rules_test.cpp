// The rules of the emergency network's mailboxes, tested through the service and its store without HTTP: each
// test is a table of steps and what each must answer, run on both engines (docs/EMERGENCY.md).
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "crypto/random.hpp"
#include "crypto/vault.hpp"
#include "emergency/wire.hpp"
#include "modules/accounts/service.hpp"
#include "modules/network/service.hpp"
#include "storage/migrate.hpp"
#include "support/engines.hpp"
#include "support/services.hpp"

namespace haven {
namespace {

using emergency::Bytes;
using emergency::to_hex;

constexpr int64_t hour = 3600 * 1000;

// One step: what it does, and what it must answer — ok, or an error of this kind naming this field.
struct Step {
    std::string what;
    std::function<Status()> run;
    std::optional<ErrorKind> refused = std::nullopt;
    std::string field = {};
};

class NetworkRules : public testing::ServicesTest {
protected:
    void SetUp() override {
        if (!open("haven-network-rules")) return;
        network_ = std::make_unique<network::Service>(shared(), *accounts_);
        const int64_t hub = site("Hub", "Riga", "Latvia", "Europe/Riga");
        operator_ = account("netop", Role::emergency_operator, hub);
        coordinator_ = account("coord", Role::coordinator, hub);
    }
    void TearDown() override {
        network_.reset();
        ServicesTest::TearDown();
    }
    static void run(const std::vector<Step>& steps) {
        for (const auto& s : steps) {
            const Status got = s.run();
            if (!s.refused) {
                EXPECT_TRUE(got.ok()) << s.what << ": " << (got.ok() ? "" : got.error().message);
                continue;
            }
            ASSERT_FALSE(got.ok()) << s.what << ": accepted";
            EXPECT_EQ(int(got.error().kind), int(*s.refused)) << s.what << ": " << got.error().message;
            EXPECT_EQ(got.error().field, s.field) << s.what;
        }
    }
    template <class T>
    static Status status_of(const Result<T>& r) {
        if (r) return {};
        return r.error();
    }
    std::string code(bool with_keys = true) {
        std::optional<network::store::CodeKeys> keys;
        if (with_keys) keys = network::store::CodeKeys{std::string(32, 'o'), std::string(32, 'b'), {}};
        auto made = network_->new_enrolment(operator_, keys);
        EXPECT_TRUE(made.ok());
        return made ? made->code : std::string();
    }
    emergency::SignedPrekey prekey() {
        return emergency::sign_prekey(identity_, emergency::new_box_keys().public_key, clock_.now_ms() + 14 * 24 * hour);
    }

    std::unique_ptr<network::Service> network_;
    Principal operator_, coordinator_;
    emergency::SigningKeys identity_ = emergency::new_signing_keys();
};

TEST_P(NetworkRules, ACodeEnrolsOneDeviceOnceWithinItsTime) {
    if (!db_) return;
    const std::string once = code(), later = code(), keyless = code(false);
    const std::string id = to_hex(crypto::random_bytes(16));
    std::string token;
    run({
        {"a coordinator makes a code", [&]() -> Status { return status_of(network_->new_enrolment(coordinator_)); }, ErrorKind::forbidden},
        {"keys of the wrong size",
         [&]() -> Status {
             return status_of(network_->new_enrolment(operator_, network::store::CodeKeys{"short", std::string(32, 'b'), {}}));
         },
         ErrorKind::invalid, "org_pk"},
        {"the keys come with an open code", [&]() -> Status { return status_of(network_->enrolment_keys(once)); }},
        {"a code made without keys gives none", [&]() -> Status { return status_of(network_->enrolment_keys(keyless)); }, ErrorKind::not_found,
         "code"},
        {"a device id that is not 16 bytes of hex", [&]() -> Status { return status_of(network_->register_member(once, "abc", prekey(), "packet")); },
         ErrorKind::invalid, "member_id"},
        {"an empty packet", [&]() -> Status { return status_of(network_->register_member(once, id, prekey(), "")); }, ErrorKind::invalid, "packet"},
        {"a packet over 8 KiB", [&]() -> Status { return status_of(network_->register_member(once, id, prekey(), std::string(8193, 'x'))); },
         ErrorKind::invalid, "packet"},
        {"an unknown code", [&]() -> Status { return status_of(network_->register_member("AAAAAAAAAAAAAAAAAAAAAAAA", id, prekey(), "packet")); },
         ErrorKind::not_found, "code"},
        {"the code enrols",
         [&]() -> Status {
             auto r = network_->register_member(once, id, prekey(), "packet");
             if (r) token = r->token;
             return status_of(r);
         }},
        {"the code again",
         [&]() -> Status { return status_of(network_->register_member(once, to_hex(crypto::random_bytes(16)), prekey(), "packet")); },
         ErrorKind::not_found, "code"},
        {"its keys are gone with its use", [&]() -> Status { return status_of(network_->enrolment_keys(once)); }, ErrorKind::not_found, "code"},
        {"another code, the same device id", [&]() -> Status { return status_of(network_->register_member(later, id, prekey(), "packet")); },
         ErrorKind::conflict, "member_id"},
        {"49 hours on, an unused code",
         [&]() -> Status {
             clock_.advance_ms(49 * hour);
             return status_of(network_->register_member(later, to_hex(crypto::random_bytes(16)), prekey(), "packet"));
         },
         ErrorKind::not_found, "code"},
        {"the device rotates its prekey with its token", [&]() -> Status { return network_->rotate_prekey(id, token, prekey()); }},
        {"or with another token", [&]() -> Status { return network_->rotate_prekey(id, crypto::random_token(), prekey()); }, ErrorKind::not_found},
        {"a prekey of the wrong size",
         [&]() -> Status {
             return network_->rotate_prekey(id, token, emergency::SignedPrekey{"short", 1, std::string(64, 's')});
         },
         ErrorKind::invalid, "prekey"},
        {"the operator revokes it", [&]() -> Status { return network_->revoke_member(operator_, id); }},
        {"twice", [&]() -> Status { return network_->revoke_member(operator_, id); }, ErrorKind::not_found},
        {"the revoked device rotates", [&]() -> Status { return network_->rotate_prekey(id, token, prekey()); }, ErrorKind::not_found},
    });
    EXPECT_FALSE(network_->is_member(id, token));
    auto inbox = network_->inbox(operator_);
    ASSERT_TRUE(inbox.ok());
    EXPECT_EQ(inbox->size(), 1u) << "one packet for the one enrolment";
}

TEST_P(NetworkRules, TheRosterIsWrittenOnlyOverTheVersionReadAndOnlyByOperators) {
    if (!db_) return;
    run({
        {"a coordinator reads it", [&]() -> Status { return status_of(network_->roster(coordinator_)); }, ErrorKind::forbidden},
        {"a first roster over version 0", [&]() -> Status { return status_of(network_->put_roster(operator_, "sealed-1", 0)); }},
        {"another over version 0 again", [&]() -> Status { return status_of(network_->put_roster(operator_, "sealed-x", 0)); }, ErrorKind::conflict,
         "version"},
        {"the next over version 1", [&]() -> Status { return status_of(network_->put_roster(operator_, "sealed-2", 1)); }},
        {"an empty roster", [&]() -> Status { return status_of(network_->put_roster(operator_, "", 2)); }, ErrorKind::invalid, "roster"},
        {"over 8 MB", [&]() -> Status { return status_of(network_->put_roster(operator_, std::string(8 * 1024 * 1024 + 1, 'r'), 2)); },
         ErrorKind::invalid, "roster"},
        {"a coordinator writes it", [&]() -> Status { return status_of(network_->put_roster(coordinator_, "sealed-3", 2)); }, ErrorKind::forbidden},
    });
    auto kept = network_->roster(operator_);
    ASSERT_TRUE(kept.ok());
    EXPECT_EQ(kept->blob, "sealed-2");
    EXPECT_EQ(kept->version, 2);
}

TEST_P(NetworkRules, AnActivationIsSeenWholeOnlyOncePublishedAndAnsweredAFewTimesByItsMembersOnly) {
    if (!db_) return;
    const auto org = emergency::new_signing_keys();
    const Bytes mailbox = crypto::random_bytes(32);
    auto sealed = emergency::seal_activation(org, R"({"v":1})", {{mailbox, emergency::new_box_keys().public_key}});
    ASSERT_TRUE(sealed.ok());
    const std::string id = to_hex(sealed->activation_id);
    const auto& w = sealed->wraps.at(0);
    const Bytes wraps = w.locator + w.wrap + w.ack_tag;
    const std::string capability = to_hex(emergency::ack_capability(mailbox, sealed->activation_id));
    const std::string answer(120, 'a');
    int rung = 0;
    network_->on_publish([&](const std::string&, bool) { ++rung; });
    run({
        {"a body that is no activation",
         [&]() -> Status { return status_of(network_->create_activation(operator_, "\x01short", clock_.now_ms() + hour)); }, ErrorKind::invalid,
         "body"},
        {"an expiry past 30 days",
         [&]() -> Status { return status_of(network_->create_activation(operator_, sealed->body, clock_.now_ms() + 31 * 24 * hour)); },
         ErrorKind::invalid, "expires_at"},
        {"a coordinator creates one",
         [&]() -> Status { return status_of(network_->create_activation(coordinator_, sealed->body, clock_.now_ms() + hour)); },
         ErrorKind::forbidden},
        {"created", [&]() -> Status { return status_of(network_->create_activation(operator_, sealed->body, clock_.now_ms() + hour)); }},
        {"created twice", [&]() -> Status { return status_of(network_->create_activation(operator_, sealed->body, clock_.now_ms() + hour)); },
         ErrorKind::conflict},
        {"wraps of a broken length", [&]() -> Status { return status_of(network_->add_wraps(operator_, id, wraps.substr(1))); }, ErrorKind::invalid,
         "wraps"},
        {"wraps for no activation", [&]() -> Status { return status_of(network_->add_wraps(operator_, to_hex(crypto::random_bytes(16)), wraps)); },
         ErrorKind::not_found},
        {"wraps uploaded, twice (a retry replaces)",
         [&]() -> Status {
             HAVEN_CHECK(network_->add_wraps(operator_, id, wraps));
             auto n = network_->add_wraps(operator_, id, wraps);
             if (n && *n != 1) return Status(make_error(ErrorKind::conflict, "count", "two wraps for one locator"));
             return status_of(n);
         }},
        {"not seen before it is published",
         [&]() -> Status {
             return network_->body(id) || !network_->activations(0).empty() ? Status(make_error(ErrorKind::conflict, "seen", "seen unpublished"))
                                                                            : Status{};
         }},
        {"an answer before it is published", [&]() -> Status { return network_->add_ack(id, capability, answer); }, ErrorKind::forbidden,
         "X-Ack-Capability"},
        {"published", [&]() -> Status { return status_of(network_->publish(operator_, id)); }},
        {"published again: the same time, nobody rung again",
         [&]() -> Status {
             auto again = network_->publish(operator_, id);
             if (again && (again->now || rung != 1)) return Status(make_error(ErrorKind::conflict, "twice", "published twice"));
             return status_of(again);
         }},
        {"wraps after publication", [&]() -> Status { return status_of(network_->add_wraps(operator_, id, wraps)); }, ErrorKind::conflict},
        {"seen whole, its wrap by locator",
         [&]() -> Status {
             return network_->body(id) == sealed->body && network_->wrap(id, to_hex(w.locator)) == w.wrap && network_->activations(0).size() == 1
                        ? Status{}
                        : Status(make_error(ErrorKind::not_found, "unseen", "not served"));
         }},
        {"an answer without a capability", [&]() -> Status { return network_->add_ack(id, "", answer); }, ErrorKind::forbidden, "X-Ack-Capability"},
        {"a capability of no member", [&]() -> Status { return network_->add_ack(id, to_hex(crypto::random_bytes(16)), answer); },
         ErrorKind::forbidden, "X-Ack-Capability"},
        {"an answer too short to be sealed", [&]() -> Status { return network_->add_ack(id, capability, "short"); }, ErrorKind::invalid, "ack"},
        {"five answers from the member",
         [&]() -> Status {
             for (int i = 0; i < 5; ++i) HAVEN_CHECK(network_->add_ack(id, capability, answer));
             return Status{};
         }},
        {"a sixth", [&]() -> Status { return network_->add_ack(id, capability, answer); }, ErrorKind::too_many, "X-Ack-Capability"},
        {"expired, swept: nothing served",
         [&]() -> Status {
             clock_.advance_ms(2 * hour);
             network_->sweep();
             return network_->body(id) || network_->wrap(id, to_hex(w.locator)) ? Status(make_error(ErrorKind::conflict, "kept", "kept after expiry"))
                                                                                : Status{};
         }},
        {"its state after the sweep", [&]() -> Status { return status_of(network_->status(operator_, id)); }, ErrorKind::not_found},
    });
}

INSTANTIATE_TEST_SUITE_P(Engines, NetworkRules, ::testing::Values("sqlite", "postgres"), testing::engine_name);

}  // namespace
}  // namespace haven
