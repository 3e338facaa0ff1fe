#include "emergency/alert.hpp"

#include <gtest/gtest.h>

#include "emergency/wire.hpp"

namespace haven::emergency {
namespace {

constexpr int64_t t0 = 1'795'700'000'000, minute = 60'000;

Alert convoy() {
    // Tver's drivers at T0, the neighbouring regions' drivers at +15 min, every driver at +30 min.
    return Alert{"a1",
                 "real",
                 "alert",
                 "",
                 "Driver needed: Tver → Riga, 21:00",
                 "",
                 {{{"tver"}, {"driver"}, t0}, {{"pskov", "novgorod"}, {"driver"}, t0 + 15 * minute}, {{}, {"driver"}, t0 + 30 * minute}},
                 t0,
                 t0 + 24 * 60 * minute};
}

TEST(Alerts, TiersReleaseByTimeForTheMembersTheyReach) {
    const std::vector<Alert> got = {convoy()};
    const Profile tver{{"tver"}, {"driver"}}, pskov{{"pskov"}, {"driver", "medic"}}, far{{"omsk"}, {"driver"}}, lawyer{{"tver"}, {"lawyer"}};
    EXPECT_EQ(visible(got, tver, t0).size(), 1u);
    EXPECT_TRUE(visible(got, pskov, t0).empty()) << "tier 2 is not released yet";
    EXPECT_TRUE(visible(got, pskov, t0 + 15 * minute - 1).empty());
    ASSERT_EQ(visible(got, pskov, t0 + 15 * minute).size(), 1u);
    EXPECT_EQ(visible(got, pskov, t0 + 15 * minute)[0].tier, 1u);
    EXPECT_TRUE(visible(got, far, t0 + 29 * minute).empty());
    EXPECT_EQ(visible(got, far, t0 + 30 * minute).size(), 1u) << "every driver at +30 min";
    EXPECT_TRUE(visible(got, lawyer, t0 + 60 * minute).empty()) << "outside the target: nothing, ever";
    EXPECT_TRUE(visible(got, tver, t0 + 24 * 60 * minute).empty()) << "expired";
}

TEST(Alerts, ASignedCancelStopsTheTiersAndUpdatesReplaceTheText) {
    Alert update{"u1", "real", "update", "a1", "Now 22:00, same place", "", {}, t0 + 5 * minute, t0 + 24 * 60 * minute};
    Alert cancel{"c1", "real", "cancel", "a1", "Stand down", "", {}, t0 + 10 * minute, t0 + 24 * 60 * minute};
    const Profile tver{{"tver"}, {"driver"}}, pskov{{"pskov"}, {"driver"}};
    auto shown = visible({convoy(), update}, tver, t0 + 6 * minute);
    ASSERT_EQ(shown.size(), 1u);
    EXPECT_EQ(shown[0].alert.text, "Now 22:00, same place");
    EXPECT_TRUE(visible({convoy(), update, cancel}, pskov, t0 + 20 * minute).empty()) << "tier 2 never reaches Pskov once cancelled";
    EXPECT_TRUE(visible({convoy(), cancel}, tver, t0 + 11 * minute).empty());
}

TEST(Alerts, RegionsAndSkillsMatchWhateverTheCaseOrAlphabet) {
    // The same table is checked in the member app (e2e/specs/network.mjs): both clients fold alike.
    const std::vector<std::pair<std::string, std::string>> same = {{"Pskov", "pskov"},
                                                                   {"Тверь", "tver"},
                                                                   {"ТВЕРЬ", "Tver"},
                                                                   {"Псков", "PSKOV"},
                                                                   {" safe flat ", "safe_flat"},
                                                                   {"Великий Новгород", "velikiy-novgorod"},
                                                                   {"Щёлково", "shchelkovo"},
                                                                   {"Юрьев-Польский", "yurev_polskiy"}};
    for (const auto& [a, b] : same) EXPECT_EQ(normalise(a), normalise(b)) << a << " / " << b;
    EXPECT_NE(normalise("tver"), normalise("pskov"));
    EXPECT_EQ(normalise("Тверь"), "tver");
    const Alert a{"a1", "real", "alert", "", "Driver needed", "", {{{"Тверь"}, {"Driver"}, t0}}, t0, t0 + 60 * minute};
    EXPECT_EQ(visible({a}, Profile{{"tver"}, {"driver"}}, t0).size(), 1u);
    EXPECT_EQ(visible({a}, Profile{{"TVER"}, {"DRIVER"}}, t0).size(), 1u);
    EXPECT_TRUE(visible({a}, Profile{{"pskov"}, {"driver"}}, t0).empty());
}

TEST(Alerts, MessagesRoundTripAndMalformedOnesAreRefused) {
    auto a = parse_alert(alert_message(convoy()));
    ASSERT_TRUE(a);
    EXPECT_EQ(a->tiers.size(), 3u);
    EXPECT_EQ(a->tiers[1].regions, (std::vector<std::string>{"pskov", "novgorod"}));
    EXPECT_EQ(a->text, convoy().text);
    for (const char* bad : {"", "[]", R"({"v":2,"status":"real","type":"alert"})", R"({"v":1,"status":"maybe","type":"alert"})",
                            R"({"v":1,"status":"real","type":"cancel"})", "{\"v\":1"})
        EXPECT_FALSE(parse_alert(bad)) << bad;
}

TEST(Alerts, ATamperedOrUnsignedAlertIsRejectedBeforeAnyDecision) {
    const SigningKeys org = new_signing_keys(), impostor = new_signing_keys();
    const BoxKeys prekey = new_box_keys();
    const Bytes mailbox(32, 'm');
    auto forged = seal_activation(impostor, alert_message(convoy()), {{mailbox, prekey.public_key}});
    EXPECT_FALSE(open_activation(forged->body, forged->wraps[0].wrap, {prekey}, org.public_key));
    auto real = seal_activation(org, alert_message(convoy()), {{mailbox, prekey.public_key}});
    Bytes body = real->body;
    body[body.size() / 2] ^= 0x20;
    EXPECT_FALSE(open_activation(body, real->wraps[0].wrap, {prekey}, org.public_key));
    auto opened = open_activation(real->body, real->wraps[0].wrap, {prekey}, org.public_key);
    ASSERT_TRUE(opened);
    EXPECT_TRUE(parse_alert(*opened));
}

}  // namespace
}  // namespace haven::emergency
