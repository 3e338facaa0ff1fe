// activate and activate --resume. The activation's id, answer key and signed message are saved in the state
// before anything is uploaded, and the upload itself (body and wraps: ciphertext the hub holds anyway) beside the
// state, so that a lost reply or a crash mid-upload is finished by --resume under the same id — never sent twice.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "emergency/client/common.hpp"
#include "emergency/client/operator.hpp"
#include "emergency/client/passphrase.hpp"
#include "emergency/tier_spec.hpp"

namespace haven::emergency::client {

namespace json = boost::json;

namespace {

constexpr size_t per_upload = 200'000;

std::string upload_path(const Operator& op, const std::string& id) { return op.path + ".upload-" + id; }

// body length[u32] || body || wraps (locator || wrap || ack tag, repeated).
void keep_upload(const std::string& path, const Bytes& body, const Bytes& wraps) {
    std::ofstream out(path + ".new", std::ios::binary | std::ios::trunc);
    const uint32_t n = uint32_t(body.size());
    const char length[4] = {char(n & 0xFF), char((n >> 8) & 0xFF), char((n >> 16) & 0xFF), char(n >> 24)};
    out.write(length, 4);
    out.write(body.data(), std::streamsize(body.size()));
    out.write(wraps.data(), std::streamsize(wraps.size()));
    if (!out.flush()) fail("cannot write " + path);
    out.close();
    if (std::rename((path + ".new").c_str(), path.c_str()) != 0) fail("cannot write " + path);
}

std::pair<Bytes, Bytes> kept_upload(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream all;
    all << in.rdbuf();
    const std::string bytes = all.str();
    if (!in || bytes.size() < 4) fail("the saved upload " + path + " is missing or damaged");
    const uint32_t n =
        uint32_t(uint8_t(bytes[0])) | uint32_t(uint8_t(bytes[1])) << 8 | uint32_t(uint8_t(bytes[2])) << 16 | uint32_t(uint8_t(bytes[3])) << 24;
    if (bytes.size() < 4 + size_t(n)) fail("the saved upload " + path + " is damaged");
    return {bytes.substr(4, n), bytes.substr(4 + n)};
}

json::object* saved(Operator& op, const std::string& id) {
    for (auto& a : op.state.at("activations").as_array())
        if (hex_of(a.as_object(), "id") == id) return &a.as_object();
    return nullptr;
}

// Creates (unless the hub has it), uploads the wraps (again: a record retried replaces itself), publishes (again
// changes nothing on the hub), then marks it published here.
void upload(Operator& op, json::object& entry, const Bytes& body, const Bytes& wraps) {
    const std::string id = hex_of(entry, "id");
    auto known = call(op.state, "GET", "/api/v1/network/activations/" + id + "/state", {}, {}, {}, {404});
    const bool published = known.status == 200 && json::parse(known.body).at("published_at").as_int64() != 0;
    if (known.status == 404)
        call(op.state, "POST", "/api/v1/network/activations?expires_at=" + std::to_string(entry.at("expires_at").as_int64()), body,
             "application/octet-stream");
    if (!published) {
        constexpr size_t record = locator_size + wrap_size + ack_tag_size;
        for (size_t from = 0; from < wraps.size(); from += per_upload * record)
            call(op.state, "POST", "/api/v1/network/activations/" + id + "/wraps", wraps.substr(from, per_upload * record),
                 "application/octet-stream");
    }
    // Updates and cancels ring the doorbells first: the server learns that flag, not the type.
    const bool urgent = hex_of(entry, "type") != "alert";
    call(op.state, "POST", "/api/v1/network/activations/" + id + "/publish" + std::string(urgent ? "?urgent=true" : ""), "{}", "application/json");
    if (const char* lose = std::getenv("HAVEN_TEST_LOSE_PUBLISH_REPLY"); lose && std::string(lose) == "1")
        fail("publish: the connection dropped before the hub's answer (HAVEN_TEST_LOSE_PUBLISH_REPLY)");
    entry["published"] = true;
    op.save();
    std::remove(upload_path(op, id).c_str());
}

std::string tier_line(const Tier& t, int64_t t0) {
    auto names = [](const std::vector<std::string>& list) {
        std::string out;
        for (const auto& n : list) out += (out.empty() ? "" : ",") + n;
        return out.empty() ? std::string("all") : out;
    };
    return "regions " + names(t.regions) + ", skills " + names(t.skills) + ", at +" + std::to_string((t.release_at - t0) / 60'000) + " min";
}

}  // namespace

int activate(Operator& op, const ActivateOptions& o) {
    // 1. An update or a cancel must name an alert this operator sent: a mistyped id would be dropped by every device.
    if (o.type != "alert") {
        if (o.refers_to.empty()) fail("an " + o.type + " needs --refers-to ID, the alert it is about (see the ids `activate` printed)");
        const json::object* about = saved(op, o.refers_to);
        if (!about || hex_of(*about, "type") != "alert")
            fail("--refers-to " + o.refers_to + " names no alert sent from this operator state: nothing was sent");
    } else if (!o.refers_to.empty()) {
        fail("--refers-to belongs to an update or a cancel (--type update|cancel)");
    }
    const int64_t t0 = now_ms();
    std::vector<Tier> tiers;
    for (const auto& spec : o.tiers) {
        auto t = parse_tier_spec(spec, t0);
        if (!t) fail("--tier '" + spec + "': " + t.error().message);
        tiers.push_back(*t);
    }
    if (tiers.empty()) tiers.push_back({{}, {}, t0});
    // Where the operators keep lists, a tier names their entries (by id or any name): what is not on them is a
    // typo, and nothing leaves. The alert carries the ids, which members' devices hold.
    const Lists lists = lists_of(op.state);
    for (size_t i = 0; i < tiers.size(); ++i)
        for (const char* kind : {"regions", "skills"}) {
            const auto& list = *lists.of(kind);
            if (list.empty()) continue;
            for (auto& word : std::string(kind) == "regions" ? tiers[i].regions : tiers[i].skills) {
                auto id = resolve(list, word);
                if (!id)
                    fail("--tier " + std::to_string(i + 1) + ": \"" + word + "\" is not on the " + kind + " list (" + choices(list) +
                         "): nothing was sent");
                word = *id;
            }
        }

    // 2. The recipients: every member in the roster (not revoked) with a prekey their identity signed and that has
    //    not expired — blind broadcast; targeting travels inside the ciphertext.
    const SigningKeys org{hex(op.state, "org_pk"), hex(op.state, "org_sk")};
    std::map<std::string, json::object> by_id;
    for (const auto& m : read_roster(op.state).members)
        if (!m.as_object().contains("revoked_at")) by_id[hex_of(m.as_object(), "member_id")] = m.as_object();
    std::vector<Recipient> to;
    std::vector<const json::object*> reached;
    size_t refused = 0;
    const auto keys = json::parse(call(op.state, "GET", "/api/v1/network/members").body);
    for (const auto& k : keys.at("items").as_array()) {
        const auto& o2 = k.as_object();
        auto it = by_id.find(hex_of(o2, "member_id"));
        if (it == by_id.end()) continue;  // waiting for approval, or revoked
        SignedPrekey p{*from_hex(hex_of(o2, "prekey")), o2.at("not_after").as_int64(), *from_hex(hex_of(o2, "signature"))};
        if (!verify_prekey(*from_hex(hex_of(it->second, "identity_pk")), p) || p.not_after < now_ms()) {
            ++refused;
            continue;
        }
        to.push_back({*from_hex(hex_of(it->second, "mailbox")), p.prekey});
        reached.push_back(&it->second);
    }

    const BoxKeys ack = new_box_keys();
    Alert a{"", o.status, o.type, o.refers_to, o.text, to_hex(ack.public_key), tiers, t0, t0 + int64_t(o.expires_hours) * 3600 * 1000};

    // 3. What will happen, counted as the members' devices will decide (the same tier_for), before anything leaves.
    std::cout << (o.status == "real"       ? "REAL "
                  : o.status == "exercise" ? "DRILL (exercise) "
                                           : "TEST ")
              << o.type << (o.refers_to.empty() ? "" : " of " + o.refers_to) << ", expires " << date_of(a.expires_at) << " "
              << clock_time(a.expires_at) << "\n";
    std::cout << "text: " << o.text << "\n";
    if (o.type == "alert") {
        std::vector<size_t> per_tier(tiers.size());
        size_t nobody = 0;
        for (const auto* m : reached)
            if (auto t = tier_for(a, profile_of(*m)))
                ++per_tier[*t];
            else
                ++nobody;
        for (size_t i = 0; i < tiers.size(); ++i)
            std::cout << "tier " << i + 1 << ": " << tier_line(tiers[i], t0) << " — reaches " << members(per_tier[i]) << "\n";
        std::cout << "not reached by any tier: " << members(nobody) << "\n";
        // A name no member has is most often a typo ("pskow"): said before sending, as devices compare (normalised).
        std::set<std::string> regions, skills;
        for (const auto* m : reached)
            for (const auto* key : {"regions", "skills"})
                for (const auto& v : m->at(key).as_array())
                    if (v.is_string()) (std::string(key) == "regions" ? regions : skills).insert(normalise(v.as_string()));
        for (size_t i = 0; i < tiers.size(); ++i) {
            for (const auto& name : tiers[i].regions)
                if (!regions.count(normalise(name))) std::cout << "warning: tier " << i + 1 << ": no member has the region \"" << name << "\"\n";
            for (const auto& name : tiers[i].skills)
                if (!skills.count(normalise(name))) std::cout << "warning: tier " << i + 1 << ": no member has the skill \"" << name << "\"\n";
        }
    }
    std::cout << "wrapped for " << members(to.size()) << (refused ? " (" + std::to_string(refused) + " without a valid prekey)" : "") << "\n";
    if (!o.yes && !confirmed("Send it?", "yes")) fail("not sent (add --yes to send without this question)");

    // 4. Saved before the first byte is uploaded: the id, the answer key, the signed message and the upload.
    auto sealed = must(seal_activation(org, alert_message(a), to, std::max(1u, std::thread::hardware_concurrency())));
    a.id = to_hex(sealed.activation_id);
    Bytes wraps;
    wraps.reserve(sealed.wraps.size() * (locator_size + wrap_size + ack_tag_size));
    for (const auto& w : sealed.wraps) wraps += w.locator + w.wrap + w.ack_tag;
    keep_upload(upload_path(op, a.id), sealed.body, wraps);
    op.state["activations"].as_array().push_back(json::object{{"id", a.id},
                                                              {"ack_pk", to_hex(ack.public_key)},
                                                              {"ack_sk", to_hex(ack.secret_key)},
                                                              {"issued_at", t0},
                                                              {"expires_at", a.expires_at},
                                                              {"status", o.status},
                                                              {"type", o.type},
                                                              {"refers_to", o.refers_to},
                                                              {"message", alert_message(a)},
                                                              {"recipients", int64_t(to.size())},
                                                              {"published", false}});
    op.save();
    upload(op, *saved(op, a.id), sealed.body, wraps);
    // Tests only: what a client without --resume did when it retried — the same signed message sealed again under
    // a second activation id and published — to show that every device keeps it once.
    if (const char* twice = std::getenv("HAVEN_TEST_PUBLISH_TWICE"); twice && std::string(twice) == "1") {
        Alert same = a;
        same.id.clear();
        auto again = must(seal_activation(org, alert_message(same), to, 1));
        Bytes more;
        for (const auto& w : again.wraps) more += w.locator + w.wrap + w.ack_tag;
        json::object copy = *saved(op, a.id);
        copy["id"] = to_hex(again.activation_id);
        upload(op, copy, again.body, more);
    }
    std::cout << a.id << "\t" << members(to.size()) << "\n";
    return 0;
}

int resume(Operator& op) {
    int finished = 0;
    for (auto& v : op.state.at("activations").as_array()) {
        auto& entry = v.as_object();
        if (!entry.contains("published") || entry.at("published").as_bool()) continue;
        const std::string id = hex_of(entry, "id");
        if (entry.at("expires_at").as_int64() <= now_ms()) {
            std::cout << id << "\texpired before it was published: not sent\n";
            entry["published"] = true;
            op.save();
            continue;
        }
        auto [body, wraps] = kept_upload(upload_path(op, id));
        upload(op, entry, body, wraps);
        std::cout << id << "\tpublished (resumed)\n";
        ++finished;
    }
    if (!finished) std::cout << "nothing to resume: every activation of this device is published\n";
    return 0;
}

}  // namespace haven::emergency::client
