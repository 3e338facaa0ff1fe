// haven-member: a member's device for the emergency network. It makes its own keys, enrols with the code an
// operator shows in person, rotates its alert prekey weekly (keeping the previous secret a week, then deleting
// it), polls the server's mailboxes, opens what is for it, decides locally whether and when an alert concerns
// this member, and answers "can help / cannot" sealed to the operator. See docs/EMERGENCY.md.
#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>

#include "crypto/random.hpp"
#include "emergency/alert.hpp"
#include "emergency/client/common.hpp"
#include "emergency/client/passphrase.hpp"
#include "emergency/client/state.hpp"
#include "emergency/enrol_link.hpp"
#include "emergency/lists.hpp"
#include "emergency/wire.hpp"
#include "http/transport/client.hpp"

namespace json = boost::json;
using namespace haven;
using namespace haven::emergency;
using namespace haven::emergency::client;
using haven::http::client::Endpoint;
using haven::http::client::Reply;
using haven::http::client::request;

namespace {

constexpr int64_t week_ms = 7LL * 24 * 3600 * 1000;

Endpoint server_of(const json::object& state) { return {hex_of(state, "server"), "", hex_of(state, "ca_file")}; }

json::object new_prekey(const SigningKeys& identity, int64_t now) {
    const BoxKeys p = new_box_keys();
    const SignedPrekey s = sign_prekey(identity, p.public_key, now + 2 * week_ms);
    return {
        {"pk", to_hex(p.public_key)}, {"sk", to_hex(p.secret_key)}, {"made_at", now}, {"not_after", s.not_after}, {"signature", to_hex(s.signature)}};
}

std::string prekey_body(const json::object& p) {
    return json::serialize(json::object{{"prekey", hex_of(p, "pk")}, {"not_after", p.at("not_after")}, {"signature", hex_of(p, "signature")}});
}

std::vector<Alert> received_of(const json::object& state) {
    std::vector<Alert> received;
    for (const auto& r : state.at("received").as_array()) {
        auto a = parse_alert(std::string(r.at("message").as_string()));
        if (!a) continue;
        a->id = std::string(r.at("id").as_string());  // the signed activation id, not whatever the message says
        received.push_back(*a);
    }
    return received;
}

std::string line_of(const Shown& s) { return s.alert.id + "\t" + s.alert.status + "\ttier " + std::to_string(s.tier + 1) + "\t" + s.alert.text; }

void show(const json::object& state, int64_t now) {
    for (const auto& s : visible(received_of(state), profile_of(state), now)) std::cout << line_of(s) << "\n";
}

// What `poll` prints: only what this device has not printed before — an alert (again when an update changed its
// text) and the stand-down text of a cancel of one it printed. It remembers the lines in the state.
void show_new(json::object& state, int64_t now) {
    if (!state.contains("printed")) state["printed"] = json::array{};
    auto& printed = state["printed"].as_array();
    const auto seen = [&](const std::string& line) { return std::find(printed.begin(), printed.end(), json::value(line)) != printed.end(); };
    const auto received = received_of(state);
    for (const auto& s : visible(received, profile_of(state), now))
        if (const std::string line = line_of(s); !seen(line)) {
            std::cout << line << "\n";
            printed.emplace_back(line);
        }
    for (const auto& c : received) {
        if (c.type != "cancel") continue;
        const bool ours =
            std::any_of(printed.begin(), printed.end(), [&](const json::value& p) { return p.as_string().starts_with(c.refers_to + "\t"); });
        const std::string line = c.refers_to + "\t" + c.status + "\tcancelled\t" + c.text;
        if (ours && !seen(line)) {
            std::cout << line << "\n";
            printed.emplace_back(line);
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"haven-member: a member's device for the emergency network (docs/EMERGENCY.md)."};
    app.require_subcommand(1);
    std::string state_path = "member.state", passphrase_file;
    app.add_option("--state", state_path, "This device's sealed state.");
    app.add_option("--passphrase-file", passphrase_file,
                   "File whose first line opens the state; - reads it from standard input; none: asked on the terminal.");

    std::string link, pseudonym, ca_file;
    std::vector<std::string> regions, skills, contacts;
    auto* enrol = app.add_subcommand("enrol", "Make this device's keys and enrol with the text of the operator's QR code.");
    enrol->add_option("link", link, "the operator's link, HAVEN:2/CODE/FINGERPRINT/HUB (or an older haven-enrol:1;…)")->required();
    enrol->add_option("--pseudonym", pseudonym, "How the operators know you.")->required();
    enrol->add_option("--region", regions, "A region you can act in (repeat).");
    enrol->add_option("--skill", skills, "driver, safe_flat, lawyer, medic … (repeat).");
    enrol->add_option("--contact", contacts, "A way to reach you, for the operators only (repeat).");
    enrol->add_option("--ca-file", ca_file, "CA of a hub with its own certificate.");
    bool replace_state = false;
    enrol->add_flag("--replace-state", replace_state, "Enrol anew over this device's state (its keys and alerts are lost).");

    auto* rotate = app.add_subcommand("rotate", "A new alert prekey (weekly); secrets older than the grace are deleted.");
    int wait = 0;
    auto* poll = app.add_subcommand("poll", "Fetch and open new activations, then show what concerns you.");
    poll->add_option("--wait", wait, "Seconds to wait for a new one (long poll, at most 25).")->check(CLI::Range(0, 25));
    auto* show_cmd = app.add_subcommand("show", "Show the alerts that concern you now.");
    std::string bell_channel, bell_address, bell_secret;
    auto* doorbell = app.add_subcommand("doorbell", "Be rung (\"check your mailbox\", nothing more) when an activation is published.");
    doorbell->add_option("channel", bell_channel, "email | webhook | matrix")->required()->check(CLI::IsMember({"email", "webhook", "matrix"}));
    doorbell->add_option("address", bell_address, "an alias address, a webhook URL or a Matrix room id — better one that does not name you")
        ->required();
    doorbell->add_option("--secret", bell_secret, "webhook: the key its receiver checks signatures with");
    std::string activation, answer;
    int eta = 0;
    auto* reply = app.add_subcommand("answer", "Answer an alert, sealed to the operator.");
    reply->add_option("id", activation)->required();
    reply->add_option("answer", answer, "can | cannot")->required()->check(CLI::IsMember({"can", "cannot"}));
    reply->add_option("--eta", eta, "Minutes until you can be there.")->check(CLI::Range(0, 10000));

    program() = "haven-member";
    CLI11_PARSE(app, argc, argv);
    crypto::init();
    // Enrolling over a state would silently replace this member's keys: refused before anything is asked.
    if (*enrol && std::filesystem::exists(state_path) && !replace_state)
        fail("this device is enrolled already (" + state_path + "): to enrol anew and lose its keys and alerts, add --replace-state");
    const std::string passphrase = must(passphrase_from(passphrase_file));
    const int64_t now = now_ms();

    if (*enrol) {
        auto read = parse_enrol_link(link);
        if (!read) fail(read.error().message);
        EnrolLink given = *read;
        const Endpoint hub{given.server, "", ca_file};
        const auto refused = [](int status, const std::string& what) {
            if (status == 404 || status == 410) fail("this enrolment code is unknown, used or expired: ask the operator for a new one");
            fail(what + " refused by the hub (" + std::to_string(status) + ")");
        };
        if (given.version == 2) {
            // The link carries a fingerprint of the operators' keys; the keys come from the hub with the code (in
            // the body, never the URL), and are used only if they are the ones the operator fingerprinted.
            auto r =
                must(request(hub, "POST", "/api/v1/network/enrolment-keys", json::serialize(json::object{{"code", given.code}}), "application/json"));
            if (r.status != 200) refused(r.status, "the code");
            boost::system::error_code bad;
            const json::value keys = json::parse(r.body, bad);
            const auto key = [&](const char* name) -> Bytes {
                const auto* v = keys.is_object() ? keys.as_object().if_contains(name) : nullptr;
                return v && v->is_string() ? from_hex(std::string(v->as_string())).value_or("") : "";
            };
            given.org_pk = key("org_pk");
            given.box_pk = key("box_pk");
            if (given.org_pk.size() != 32 || given.box_pk.size() != 32 || enrolment_fingerprint(given.org_pk, given.box_pk) != given.fingerprint)
                fail("the hub gave keys that are not the operator's (their fingerprint differs from the link's): do not enrol; tell the operator");
            // The operators' lists, sealed under the code: the regions and skills given must be on them (by id or
            // any name), and the device keeps their ids, as tiers name them.
            if (const auto* sealed = keys.as_object().if_contains("lists"); sealed && sealed->is_string()) {
                const Lists lists = must(open_lists(from_hex(std::string(sealed->as_string())).value_or(""), given.code));
                for (const char* kind : {"regions", "skills"}) {
                    const auto& list = *lists.of(kind);
                    if (list.empty()) continue;
                    for (auto& word : std::string(kind) == "regions" ? regions : skills) {
                        auto id = resolve(list, word);
                        if (!id) fail("\"" + word + "\" is not on the operators' " + kind + " list; choose from: " + choices(list));
                        word = *id;
                    }
                }
            }
        }
        const SigningKeys identity = new_signing_keys();
        const std::string member_id = to_hex(crypto::random_bytes(16));
        const Bytes mailbox = crypto::random_bytes(32);
        json::object prekey = new_prekey(identity, now);
        // Who this is, for the operators' roster only: sealed to their key before it leaves the device.
        const json::object packet{{"member_id", member_id},
                                  {"identity_pk", to_hex(identity.public_key)},
                                  {"mailbox", to_hex(mailbox)},
                                  {"pseudonym", pseudonym},
                                  {"regions", json::array(regions.begin(), regions.end())},
                                  {"skills", json::array(skills.begin(), skills.end())},
                                  {"contacts", json::array(contacts.begin(), contacts.end())},
                                  {"enrolled_at", now}};
        json::object body{{"code", given.code},
                          {"member_id", member_id},
                          {"prekey", hex_of(prekey, "pk")},
                          {"not_after", prekey.at("not_after")},
                          {"signature", hex_of(prekey, "signature")},
                          {"packet", to_hex(seal_to(given.box_pk, json::serialize(packet)))}};
        auto r = must(request(hub, "POST", "/api/v1/network/members", json::serialize(body), "application/json"));
        if (r.status != 201) refused(r.status, "enrolment");
        json::object state{{"server", given.server},
                           {"ca_file", ca_file},
                           {"org_pk", to_hex(given.org_pk)},
                           {"member_id", member_id},
                           {"token", std::string(json::parse(r.body).at("token").as_string())},
                           {"identity_pk", to_hex(identity.public_key)},
                           {"identity_sk", to_hex(identity.secret_key)},
                           {"mailbox", to_hex(mailbox)},
                           {"prekeys", json::array{prekey}},
                           {"regions", json::array(regions.begin(), regions.end())},
                           {"skills", json::array(skills.begin(), skills.end())},
                           {"seen_after", 0},
                           {"received", json::array{}}};
        if (auto s = save_state(state_path, passphrase, state); !s) fail(s.error().message);
        std::cout << "enrolled as " << member_id << "\n";
        return 0;
    }
    if (!std::filesystem::exists(state_path))
        fail("this device is not enrolled (no state at " + state_path +
             "): run `haven-member enrol LINK` with the operator's link, or give the state's path with --state");
    json::object state = must(load_state(state_path, passphrase));
    const SigningKeys identity{hex(state, "identity_pk"), hex(state, "identity_sk")};

    if (*rotate) {
        json::object fresh = new_prekey(identity, now);
        auto r = must(request(server_of(state), "PUT", "/api/v1/network/members/" + hex_of(state, "member_id") + "/prekey", prekey_body(fresh),
                              "application/json", {{"X-Member-Token", hex_of(state, "token")}}));
        if (r.status != 200) fail("rotation refused: " + std::to_string(r.status));
        // Keep the new one and those younger than the grace; the rest are deleted with this state's rewrite.
        json::array kept{fresh};
        for (const auto& p : state.at("prekeys").as_array())
            if (now - p.at("made_at").as_int64() < week_ms + week_ms) kept.push_back(p);
        if (kept.size() > 2) kept.resize(2);
        state["prekeys"] = kept;
        if (auto s = save_state(state_path, passphrase, state); !s) fail(s.error().message);
        std::cout << "prekey rotated\n";
        return 0;
    }
    if (*poll) {
        const Endpoint server = server_of(state);
        auto r =
            must(request(server, "GET",
                         "/api/v1/network/activations?after=" + std::to_string(state.at("seen_after").as_int64()) + "&wait=" + std::to_string(wait)));
        if (r.status != 200) fail("poll refused: " + std::to_string(r.status));
        std::vector<BoxKeys> prekeys;
        for (const auto& p : state.at("prekeys").as_array())
            prekeys.push_back({*from_hex(hex_of(p.as_object(), "pk")), *from_hex(hex_of(p.as_object(), "sk"))});
        const Bytes org = hex(state, "org_pk"), mailbox = hex(state, "mailbox");
        int64_t seen = state.at("seen_after").as_int64();
        int opened = 0, refused = 0;
        const auto listed = json::parse(r.body);
        for (const auto& a : listed.at("items").as_array()) {
            const std::string id(a.at("id").as_string());
            seen = std::max(seen, a.at("published_at").as_int64());
            auto body = must(request(server, "GET", "/api/v1/network/activations/" + id));
            auto wrap = must(request(server, "GET", "/api/v1/network/activations/" + id + "/wraps/" + to_hex(locator(mailbox, *from_hex(id)))));
            auto message = body.status == 200 && wrap.status == 200 ? open_activation(body.body, wrap.body, prekeys, org) : std::nullopt;
            if (!message || !parse_alert(*message)) {
                ++refused;  // not for us, tampered, or not signed by the organisation: never shown
                continue;
            }
            // The same signed message under a second activation id (a publication retried) is shown once.
            const auto& kept = state.at("received").as_array();
            if (std::any_of(kept.begin(), kept.end(), [&](const json::value& r) { return r.at("message").as_string() == *message; })) continue;
            state["received"].as_array().push_back(json::object{{"id", id}, {"message", *message}});
            ++opened;
        }
        state["seen_after"] = seen;
        if (refused) std::cerr << refused << " activation(s) did not open or verify\n";
        (void)opened;
        // Release times are judged now, after the wait: what woke the poll was released after it began.
        show_new(state, now_ms());
        if (auto s = save_state(state_path, passphrase, state); !s) fail(s.error().message);
        return 0;
    }
    if (*doorbell) {
        const std::string body = json::serialize(json::object{{"channel", bell_channel}, {"address", bell_address}, {"secret", bell_secret}});
        auto r = must(request(server_of(state), "POST", "/api/v1/network/doorbells", body, "application/json",
                              {{"X-Member-Id", hex_of(state, "member_id")}, {"X-Member-Token", hex_of(state, "token")}}));
        if (r.status != 201) fail("doorbell refused: " + r.body.substr(0, 300));
        auto made = json::parse(r.body);
        state["doorbells"] = json::array{json::object{{"id", made.at("id")}, {"token", made.at("token")}, {"channel", bell_channel}}};
        if (auto s = save_state(state_path, passphrase, state); !s) fail(s.error().message);
        std::cout << "doorbell set\n";
        return 0;
    }
    if (*show_cmd) {
        show(state, now);
        return 0;
    }
    if (*reply) {
        std::string message;
        for (const auto& r : state.at("received").as_array())
            if (r.at("id").as_string() == activation) message = std::string(r.at("message").as_string());
        auto a = parse_alert(message);
        if (!a) fail("no such alert on this device");
        const std::string text =
            json::serialize(json::object{{"member_id", hex_of(state, "member_id")}, {"answer", answer}, {"eta_minutes", eta}, {"at", now}});
        // The capability shows the server this answer comes from a member the activation was wrapped for.
        const Bytes id = *from_hex(activation);
        auto r = must(request(server_of(state), "POST", "/api/v1/network/activations/" + activation + "/acks",
                              seal_ack(identity, id, text, *from_hex(a->ack_pk)), "application/octet-stream",
                              {{"X-Ack-Capability", to_hex(ack_capability(hex(state, "mailbox"), id))}}));
        if (r.status != 201) fail("answer refused: " + std::to_string(r.status) + " " + r.body.substr(0, 300));
        std::cout << "answered\n";
        return 0;
    }
    return 0;
}
