// haven-operator: the emergency network's operator client. Keys (organisation signing key, roster key, the
// operators' box key, each activation's answer key) live only in this device's sealed state; the server gets
// ciphertext. See docs/EMERGENCY.md.
#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <qrencode.h>

#include <chrono>
#include <iostream>
#include <map>
#include <set>
#include <thread>

#include "crypto/random.hpp"
#include "network/alert.hpp"
#include "network/client/common.hpp"
#include "http/transport/client.hpp"
#include "network/client/state.hpp"
#include "network/wire.hpp"

namespace json = boost::json;
using namespace haven;
using namespace haven::network;
using namespace haven::network::client;
using haven::http::client::Endpoint;
using haven::http::client::Reply;
using haven::http::client::request;

namespace {


Reply call(const json::object& state, const std::string& method, const std::string& target, const std::string& body = {}, const std::string& type = {},
           const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    Endpoint to{hex_of(state, "server"), hex_of(state, "token"), hex_of(state, "ca_file")};
    auto r = must(request(to, method, target, body, type, headers));
    if (r.status >= 400) fail(method + " " + target + ": " + std::to_string(r.status) + " " + r.body.substr(0, 300));
    return r;
}

// The roster: read and opened (version from the ETag), or empty.
std::pair<json::array, int64_t> read_roster(const json::object& state) {
    auto r = call(state, "GET", "/api/v1/network/roster");
    std::string etag = r.header("ETag");
    const int64_t version = etag.size() > 2 ? std::stoll(etag.substr(1, etag.size() - 2)) : 0;
    if (r.body.empty()) return {json::array{}, version};
    auto opened = open_secret(hex(state, "roster_key"), r.body);
    if (!opened) fail("the roster does not open with this device's roster key");
    return {json::parse(*opened).at("members").as_array(), version};
}

void print_qr(const std::string& text) {
    QRcode* qr = QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr) return;
    const int w = qr->width;
    auto dark = [&](int x, int y) { return x >= 0 && y >= 0 && x < w && y < w && (qr->data[y * w + x] & 1); };
    for (int y = -2; y < w + 2; y += 2) {
        std::string line;
        for (int x = -2; x < w + 2; ++x) {
            const bool top = dark(x, y), bottom = dark(x, y + 1);
            line += top && bottom ? " " : top ? "\u2584" : bottom ? "\u2580" : "\u2588";
        }
        std::cout << line << "\n";
    }
    QRcode_free(qr);
}

// "regions=tver,pskov;skills=driver;after=15" → a tier released `after` minutes from now.
Tier parse_tier(const std::string& text, int64_t t0) {
    Tier t{{}, {}, t0};
    std::stringstream parts(text);
    std::string part;
    while (std::getline(parts, part, ';')) {
        const auto eq = part.find('=');
        if (eq == std::string::npos) fail("a tier is regions=…;skills=…;after=MINUTES");
        const std::string key = part.substr(0, eq), value = part.substr(eq + 1);
        std::vector<std::string> list;
        std::stringstream items(value);
        for (std::string item; std::getline(items, item, ',');)
            if (!item.empty()) list.push_back(item);
        if (key == "regions") t.regions = list;
        else if (key == "skills") t.skills = list;
        else if (key == "after") t.release_at = t0 + std::stoll(value) * 60'000;
        else fail("unknown tier part " + key);
    }
    return t;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"haven-operator: wakes the emergency network; keys stay on this device (docs/EMERGENCY.md)."};
    app.require_subcommand(1);
    std::string state_path = "operator.state", passphrase_file;
    app.add_option("--state", state_path, "This device's sealed state.");
    app.add_option("--passphrase-file", passphrase_file, "File whose first line opens the state.")->required();

    std::string server, token, ca_file;
    auto* init = app.add_subcommand("init", "Make the organisation's keys and this device's state.");
    init->add_option("--server", server, "https://your-hub.example.org")->required();
    init->add_option("--token", token, "An API token of an emergency_operator account (haven token create).")->required();
    init->add_option("--ca-file", ca_file, "CA of a hub with its own certificate.");

    auto* enrol = app.add_subcommand("enrol", "A one-time enrolment code for a member, as text and QR code.");
    auto* sync = app.add_subcommand("sync", "Merge new members' sealed packets into the roster.");
    auto* roster = app.add_subcommand("roster", "List the roster.");

    std::string status = "real", type = "alert", refers_to, text;
    std::vector<std::string> tiers;
    int expires_hours = 24;
    auto* activate = app.add_subcommand("activate", "Sign, encrypt once, wrap for every member, upload, publish.");
    activate->add_option("--status", status, "real | exercise | test (only inside the ciphertext)")->check(CLI::IsMember({"real", "exercise", "test"}));
    activate->add_option("--type", type, "alert | update | cancel")->check(CLI::IsMember({"alert", "update", "cancel"}));
    activate->add_option("--refers-to", refers_to, "The activation an update or cancel is about.");
    activate->add_option("--tier", tiers, "regions=a,b;skills=c;after=MINUTES (repeat; none: everyone now)");
    activate->add_option("--text", text, "What members read.")->required();
    activate->add_option("--expires-hours", expires_hours, "Deleted from the server after (hours).")->check(CLI::Range(1, 720));

    auto* queues = app.add_subcommand("queues", "The doorbell queues: depth and oldest ring per channel.");
    std::string activation;
    auto* answers = app.add_subcommand("answers", "Open the answers to an activation: by skill and region, how fast, coverage per tier, delivery per channel.");
    answers->add_option("id", activation)->required();

    program() = "haven-operator";
    CLI11_PARSE(app, argc, argv);
    crypto::init();
    const std::string passphrase = must(read_passphrase(passphrase_file));

    if (*init) {
        const SigningKeys org = new_signing_keys();
        const BoxKeys box = new_box_keys();
        json::object state{{"server", server}, {"token", token}, {"ca_file", ca_file}, {"org_pk", to_hex(org.public_key)}, {"org_sk", to_hex(org.secret_key)},
                           {"roster_key", to_hex(crypto::random_bytes(32))}, {"box_pk", to_hex(box.public_key)}, {"box_sk", to_hex(box.secret_key)},
                           {"activations", json::array{}}};
        if (auto s = save_state(state_path, passphrase, state); !s) fail(s.error().message);
        std::cout << "organisation key " << to_hex(org.public_key) << "\n";
        return 0;
    }
    json::object state = must(load_state(state_path, passphrase));

    if (*enrol) {
        auto r = call(state, "POST", "/api/v1/network/enrolments", "{}", "application/json");
        const std::string code(json::parse(r.body).at("code").as_string());
        const std::string link = "haven-enrol:1;" + hex_of(state, "server") + ";" + code + ";" + hex_of(state, "org_pk") + ";" + hex_of(state, "box_pk");
        std::cout << link << "\n";
        print_qr(link);
        return 0;
    }
    if (*sync) {
        auto [members, version] = read_roster(state);
        const BoxKeys box{hex(state, "box_pk"), hex(state, "box_sk")};
        auto inbox = json::parse(call(state, "GET", "/api/v1/network/inbox").body);
        std::vector<int64_t> merged;
        for (const auto& item : inbox.at("items").as_array()) {
            auto packet = open_sealed(box, *from_hex(std::string(item.at("sealed").as_string())));
            boost::system::error_code ec;
            auto v = packet ? json::parse(*packet, ec) : json::value();
            if (!packet || ec || !v.is_object()) continue;  // not for us: left for whoever holds the key
            members.push_back(v);
            merged.push_back(item.at("id").as_int64());
        }
        if (merged.empty()) {
            std::cout << "nothing new\n";
            return 0;
        }
        const Bytes sealed = seal_secret(hex(state, "roster_key"), json::serialize(json::object{{"members", members}}));
        call(state, "PUT", "/api/v1/network/roster", sealed, "application/octet-stream", {{"If-Match", "\"" + std::to_string(version) + "\""}});
        for (int64_t id : merged) call(state, "DELETE", "/api/v1/network/inbox/" + std::to_string(id));
        std::cout << merged.size() << " members added; " << members.size() << " in the roster\n";
        return 0;
    }
    if (*roster) {
        for (const auto& m : read_roster(state).first) {
            const auto& o = m.as_object();
            std::cout << hex_of(o, "pseudonym") << "\t" << json::serialize(o.at("regions")) << "\t" << json::serialize(o.at("skills")) << "\n";
        }
        return 0;
    }
    if (*activate) {
        const SigningKeys org{hex(state, "org_pk"), hex(state, "org_sk")};
        const auto members = read_roster(state).first;
        std::map<std::string, json::object> by_id;
        for (const auto& m : members) by_id[hex_of(m.as_object(), "member_id")] = m.as_object();
        // Every member with a prekey their identity signed and that has not expired: blind broadcast.
        std::vector<Recipient> to;
        size_t refused = 0;
        const auto keys = json::parse(call(state, "GET", "/api/v1/network/members").body);
        for (const auto& k : keys.at("items").as_array()) {
            const auto& o = k.as_object();
            auto it = by_id.find(hex_of(o, "member_id"));
            if (it == by_id.end()) continue;  // enrolled but not merged yet: run sync
            SignedPrekey p{*from_hex(hex_of(o, "prekey")), o.at("not_after").as_int64(), *from_hex(hex_of(o, "signature"))};
            if (!verify_prekey(*from_hex(hex_of(it->second, "identity_pk")), p) || p.not_after < now_ms()) {
                ++refused;
                continue;
            }
            to.push_back({*from_hex(hex_of(it->second, "mailbox")), p.prekey});
        }
        const BoxKeys ack = new_box_keys();
        const int64_t t0 = now_ms();
        Alert a{"", status, type, refers_to, text, to_hex(ack.public_key), {}, t0, t0 + int64_t(expires_hours) * 3600 * 1000};
        for (const auto& t : tiers) a.tiers.push_back(parse_tier(t, t0));
        if (a.tiers.empty()) a.tiers.push_back({{}, {}, t0});
        // The id is inside the signed message too: made here, then given to the sealer as the activation's id.
        auto sealed = must(seal_activation(org, alert_message(a), to, std::max(1u, std::thread::hardware_concurrency())));
        a.id = to_hex(sealed.activation_id);
        auto created = call(state, "POST", "/api/v1/network/activations?expires_at=" + std::to_string(a.expires_at), sealed.body, "application/octet-stream");
        const std::string id(json::parse(created.body).at("id").as_string());
        constexpr size_t per_upload = 200'000;
        for (size_t from = 0; from < sealed.wraps.size(); from += per_upload) {
            Bytes packed;
            for (size_t i = from; i < std::min(sealed.wraps.size(), from + per_upload); ++i) packed += sealed.wraps[i].locator + sealed.wraps[i].wrap + sealed.wraps[i].ack_tag;
            call(state, "POST", "/api/v1/network/activations/" + id + "/wraps", packed, "application/octet-stream");
        }
        // Updates and cancels ring the doorbells first: the server learns that flag, not the type.
        call(state, "POST", "/api/v1/network/activations/" + id + "/publish" + std::string(type == "alert" ? "" : "?urgent=true"), "{}", "application/json");
        state["activations"].as_array().push_back(json::object{{"id", id}, {"ack_pk", to_hex(ack.public_key)}, {"ack_sk", to_hex(ack.secret_key)},
                                                                {"issued_at", t0}, {"status", status}, {"type", type}, {"message", alert_message(a)}});
        if (auto s = save_state(state_path, passphrase, state); !s) fail(s.error().message);
        std::cout << id << "\t" << to.size() << " members" << (refused ? " (" + std::to_string(refused) + " without a valid prekey)" : "") << "\n";
        return 0;
    }
    if (*queues) {
        const auto listed = json::parse(call(state, "GET", "/api/v1/network/doorbells/queues").body);
        for (const auto& q : listed.at("items").as_array())
            std::cout << q.at("channel").as_string() << "\tdepth " << q.at("depth").as_int64() << "\toldest " << q.at("oldest_ms").as_int64() / 1000
                      << " s\tdelivered " << q.at("delivered").as_int64() << "\tgiven up " << q.at("failed").as_int64() << "\n";
        return 0;
    }
    if (*answers) {
        const json::object* mine = nullptr;
        for (const auto& a : state.at("activations").as_array())
            if (hex_of(a.as_object(), "id") == activation) mine = &a.as_object();
        if (!mine) fail("this device did not send " + activation);
        const BoxKeys ack{hex(*mine, "ack_pk"), hex(*mine, "ack_sk")};
        const Bytes id = *from_hex(activation);
        const int64_t issued = mine->at("issued_at").as_int64();
        std::map<std::string, json::object> by_id;
        for (const auto& m : read_roster(state).first) by_id[hex_of(m.as_object(), "member_id")] = m.as_object();
        std::map<std::string, std::pair<int, int>> by_skill, by_region;  // can, cannot
        std::set<std::string> answered;
        int64_t first = 0;
        int within[3] = {0, 0, 0};
        // A member may change their answer (the server keeps a few per member): the latest signed one stands.
        std::map<std::string, std::pair<int64_t, json::object>> latest;  // member → (at, answer)
        const auto sealed_answers = json::parse(call(state, "GET", "/api/v1/network/activations/" + activation + "/acks").body);
        for (const auto& item : sealed_answers.at("items").as_array()) {
            auto opened = open_ack(*from_hex(std::string(item.as_string())), ack);
            if (!opened) continue;
            boost::system::error_code ec;
            auto v = json::parse(opened->answer, ec);
            if (ec || !v.is_object()) continue;
            const std::string member = hex_of(v.as_object(), "member_id");
            auto it = by_id.find(member);
            if (it == by_id.end() || !verify_ack(*from_hex(hex_of(it->second, "identity_pk")), id, *opened)) continue;
            const int64_t at = v.as_object().contains("at") && v.at("at").is_int64() ? v.at("at").as_int64() : issued;
            if (auto seen = latest.find(member); seen == latest.end() || at >= seen->second.first) latest[member] = {at, v.as_object()};
        }
        for (const auto& [member, given] : latest) {
            const auto& [at, answer] = given;
            auto it = by_id.find(member);
            answered.insert(member);
            const bool can = hex_of(answer, "answer") == "can";
            if (!first || at < first) first = at;
            for (int i = 0; i < 3; ++i) within[i] += at - issued <= int64_t(std::array<int, 3>{5, 15, 30}[size_t(i)]) * 60'000;
            for (const auto& s : it->second.at("skills").as_array()) (can ? by_skill[std::string(s.as_string())].first : by_skill[std::string(s.as_string())].second)++;
            for (const auto& r : it->second.at("regions").as_array()) (can ? by_region[std::string(r.as_string())].first : by_region[std::string(r.as_string())].second)++;
        }
        const size_t everyone = by_id.size();
        std::cout << "answers: " << answered.size() << " of " << everyone << " members";
        if (first) std::cout << "; first after " << (first - issued) / 1000 << " s";
        std::cout << "\n";
        // Delivery per channel: the mailbox (wraps members' devices fetched) and each doorbell channel's rings.
        const auto state_now = json::parse(call(state, "GET", "/api/v1/network/activations/" + activation + "/state").body);
        const auto& delivery = state_now.as_object();
        const int64_t published = delivery.at("published_at").as_int64();
        std::cout << "mailbox: " << delivery.at("fetched").as_int64() << " fetches of " << delivery.at("wraps").as_int64() << " wraps\n";
        for (const auto& d : delivery.at("doorbells").as_array()) {
            const auto& c = d.as_object();
            std::cout << "doorbell " << c.at("channel").as_string() << ": " << c.at("delivered").as_int64() << " delivered, " << c.at("failed").as_int64()
                      << " given up, " << c.at("waiting").as_int64() << " waiting";
            if (c.at("last_at").as_int64()) std::cout << "; last delivered " << (c.at("last_at").as_int64() - published) / 1000 << " s after publication";
            std::cout << "\n";
        }
        for (int i = 0; i < 3; ++i)
            std::cout << "within " << std::array<int, 3>{5, 15, 30}[size_t(i)] << " min: " << (everyone ? within[i] * 100 / int(everyone) : 0) << " %\n";
        // Coverage per tier: the members each tier reaches first (as their devices decide) and how many of them answered.
        if (auto sent_alert = parse_alert(hex_of(*mine, "message"))) {
            std::vector<std::pair<int64_t, int64_t>> per_tier(sent_alert->tiers.size());  // reached, answered
            for (const auto& [member, entry] : by_id) {
                if (auto t = tier_for(*sent_alert, profile_of(entry))) {
                    ++per_tier[*t].first;
                    per_tier[*t].second += answered.count(member);
                }
            }
            for (size_t i = 0; i < per_tier.size(); ++i)
                std::cout << "tier " << i + 1 << " (+" << (sent_alert->tiers[i].release_at - issued) / 60'000 << " min): " << per_tier[i].first
                          << " members reached, " << per_tier[i].second << " answered\n";
        }
        for (const auto& [skill, n] : by_skill) std::cout << "skill " << skill << ": " << n.first << " can, " << n.second << " cannot\n";
        for (const auto& [region, n] : by_region) std::cout << "region " << region << ": " << n.first << " can, " << n.second << " cannot\n";
        return 0;
    }
    return 0;
}
