// answers ID: who comes and when, opened on this device only. Each member's latest signed answer stands (a changed
// answer replaces the earlier one, all kept below in the history); then how fast, coverage per tier and delivery.
#include <algorithm>
#include <array>
#include <iostream>
#include <map>
#include <optional>
#include <tuple>

#include "emergency/client/common.hpp"
#include "emergency/client/operator.hpp"

namespace haven::emergency::client {

namespace json = boost::json;

namespace {

struct Answer {
    std::string member;
    bool can = false;
    int64_t eta_minutes = -1, at = 0;
    size_t arrival = 0;  // order in which the hub received it
};

std::string joined(const json::object& o, const char* key) {
    std::string out;
    if (const auto* v = o.if_contains(key); v && v->is_array())
        for (const auto& e : v->as_array())
            if (e.is_string()) out += (out.empty() ? "" : ", ") + std::string(e.as_string());
    return out;
}

// What the operator must read twice: an answer from a member no tier reached, or given after the stand-down.
std::string flags(const Answer& a, const json::object& who, const std::optional<Alert>& sent, int64_t cancelled_at) {
    std::string out;
    if (sent && !tier_for(*sent, profile_of(who))) out += " [no tier reached this member]";
    if (cancelled_at && a.at > cancelled_at) out += " [after the cancel]";
    return out;
}

std::string describe(const Answer& a, const json::object& who) {
    std::string line = hex_of(who, "pseudonym") + " (" + a.member + "): " + (a.can ? "CAN" : "cannot");
    if (a.can && a.eta_minutes >= 0) line += ", ETA " + std::to_string(a.eta_minutes) + " min, due " + clock_time(a.at + a.eta_minutes * 60'000);
    line += "; answered " + clock_time(a.at);
    const std::string contacts = joined(who, "contacts");
    line += "; contacts: " + (contacts.empty() ? std::string("none given") : contacts);
    return line;
}

}  // namespace

int answers(const Operator& op, const std::string& activation) {
    const json::object* mine = nullptr;
    for (const auto& a : op.state.at("activations").as_array())
        if (hex_of(a.as_object(), "id") == activation) mine = &a.as_object();
    if (!mine) fail("this operator state did not send " + activation + " (its answers open only with the key kept where it was sent)");
    const BoxKeys ack{hex(*mine, "ack_pk"), hex(*mine, "ack_sk")};
    const Bytes id = *from_hex(activation);
    const int64_t issued = mine->at("issued_at").as_int64();
    const auto sent_alert = parse_alert(hex_of(*mine, "message"));
    int64_t cancelled_at = 0;  // a cancel this operator state sent about it
    for (const auto& c : op.state.at("activations").as_array())
        if (hex_of(c.as_object(), "type") == "cancel" && hex_of(c.as_object(), "refers_to") == activation)
            cancelled_at = c.at("issued_at").as_int64();
    std::map<std::string, json::object> by_id;
    for (const auto& m : read_roster(op.state).members) by_id[hex_of(m.as_object(), "member_id")] = m.as_object();

    // 1. Open and verify every answer, in the order the hub received them.
    std::vector<Answer> history;
    const auto sealed_answers = json::parse(call(op.state, "GET", "/api/v1/network/activations/" + activation + "/acks").body);
    for (const auto& item : sealed_answers.at("items").as_array()) {
        auto opened = open_ack(*from_hex(std::string(item.as_string())), ack);
        if (!opened) continue;
        boost::system::error_code ec;
        auto v = json::parse(opened->answer, ec);
        if (ec || !v.is_object()) continue;
        const auto& o = v.as_object();
        Answer a{hex_of(o, "member_id")};
        auto it = by_id.find(a.member);
        if (it == by_id.end() || !verify_ack(*from_hex(hex_of(it->second, "identity_pk")), id, *opened)) continue;
        a.can = hex_of(o, "answer") == "can";
        if (const auto* e = o.if_contains("eta_minutes"); e && e->is_int64()) a.eta_minutes = e->as_int64();
        a.at = o.contains("at") && o.at("at").is_int64() ? o.at("at").as_int64() : issued;
        a.arrival = history.size();
        history.push_back(a);
    }
    // 2. Each member's latest answer stands (by its signed time; arrival breaks ties).
    std::map<std::string, Answer> latest;
    for (const auto& a : history)
        if (auto seen = latest.find(a.member); seen == latest.end() || a.at >= seen->second.at) latest[a.member] = a;
    std::vector<Answer> standing;
    for (const auto& [member, a] : latest) standing.push_back(a);
    std::sort(standing.begin(), standing.end(),
              [](const Answer& x, const Answer& y) { return std::tie(x.at, x.arrival) < std::tie(y.at, y.arrival); });

    const std::string status = hex_of(*mine, "status");
    const int64_t sent_to = mine->contains("recipients") ? mine->at("recipients").as_int64() : int64_t(by_id.size());
    std::cout << (status == "real"       ? "REAL alert"
                  : status == "exercise" ? "DRILL (exercise)"
                                         : "TEST")
              << " " << activation << ", sent " << date_of(issued) << " " << clock_time(issued) << (sent_alert ? ": " + sent_alert->text : "")
              << "\n";
    if (cancelled_at) std::cout << "CANCELLED at " << clock_time(cancelled_at) << "\n";
    size_t coming = 0;
    for (const auto& a : standing) coming += a.can;
    std::cout << "answers: " << standing.size() << " of " << members(size_t(sent_to)) << " (" << coming << " can come)\n";
    for (const auto& a : standing)
        std::cout << "  " << describe(a, by_id.at(a.member)) << flags(a, by_id.at(a.member), sent_alert, cancelled_at) << "\n";
    if (history.size() > standing.size()) {
        std::cout << "history (every answer, as received):\n";
        for (const auto& a : history) std::cout << "  " << clock_time(a.at) << " " << describe(a, by_id.at(a.member)) << "\n";
    }

    // 3. How fast, out of the members it was wrapped for (the activation's roster, not today's).
    std::array<size_t, 3> within{};
    constexpr std::array<int64_t, 3> minutes{5, 15, 30};
    for (const auto& a : standing)
        for (size_t i = 0; i < minutes.size(); ++i) within[i] += a.at - issued <= minutes[i] * 60'000;
    for (size_t i = 0; i < minutes.size(); ++i)
        std::cout << "within " << minutes[i] << " min: " << (sent_to ? int64_t(within[i]) * 100 / sent_to : 0) << " %\n";

    // 4. Delivery per channel: the mailbox (wraps members' devices fetched) and each doorbell channel's rings.
    const auto delivery = json::parse(call(op.state, "GET", "/api/v1/network/activations/" + activation + "/state").body).as_object();
    const int64_t published = delivery.at("published_at").as_int64();
    std::cout << "mailbox: " << delivery.at("fetched").as_int64() << " fetches of " << delivery.at("wraps").as_int64() << " wraps\n";
    for (const auto& d : delivery.at("doorbells").as_array()) {
        const auto& c = d.as_object();
        std::cout << "doorbell " << c.at("channel").as_string() << ": " << c.at("delivered").as_int64() << " delivered, " << c.at("failed").as_int64()
                  << " given up, " << c.at("waiting").as_int64() << " waiting";
        if (c.at("last_at").as_int64()) std::cout << "; last delivered " << (c.at("last_at").as_int64() - published) / 1000 << " s after publication";
        std::cout << "\n";
    }
    // 5. Coverage per tier: the members each tier reaches first (as their devices decide) and how many answered.
    if (sent_alert) {
        std::vector<std::pair<size_t, size_t>> per_tier(sent_alert->tiers.size());  // reached, answered
        for (const auto& [member, entry] : by_id)
            if (auto t = tier_for(*sent_alert, profile_of(entry))) {
                ++per_tier[*t].first;
                per_tier[*t].second += latest.count(member);
            }
        for (size_t i = 0; i < per_tier.size(); ++i)
            std::cout << "tier " << i + 1 << " (+" << (sent_alert->tiers[i].release_at - issued) / 60'000 << " min): " << members(per_tier[i].first)
                      << " reached, " << per_tier[i].second << " answered\n";
    }
    std::map<std::string, std::pair<int, int>> by_skill, by_region;  // can, cannot
    for (const auto& a : standing) {
        const auto& who = by_id.at(a.member);
        for (const auto& s : who.at("skills").as_array())
            (a.can ? by_skill[std::string(s.as_string())].first : by_skill[std::string(s.as_string())].second)++;
        for (const auto& r : who.at("regions").as_array())
            (a.can ? by_region[std::string(r.as_string())].first : by_region[std::string(r.as_string())].second)++;
    }
    for (const auto& [skill, n] : by_skill) std::cout << "skill " << skill << ": " << n.first << " can, " << n.second << " cannot\n";
    for (const auto& [region, n] : by_region) std::cout << "region " << region << ": " << n.first << " can, " << n.second << " cannot\n";
    return 0;
}

}  // namespace haven::emergency::client
