#include "emergency/alert.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace haven::emergency {
namespace json = boost::json;

namespace {

std::vector<std::string> strings(const json::object& o, const char* key) {
    std::vector<std::string> out;
    if (const auto* v = o.if_contains(key); v && v->is_array())
        for (const auto& e : v->get_array())
            if (e.is_string()) out.emplace_back(e.get_string());
    return out;
}

std::string text(const json::object& o, const char* key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

int64_t number(const json::object& o, const char* key) {
    const auto* v = o.if_contains(key);
    return v && v->is_int64() ? v->get_int64() : 0;
}

bool meets(const std::vector<std::string>& wanted, const std::vector<std::string>& mine) {
    if (wanted.empty()) return true;
    for (const auto& w : wanted)
        for (const auto& m : mine)
            if (normalise(w) == normalise(m)) return true;
    return false;
}

// Russian letters а…я (U+0430…U+044F) in Latin, as street signs spell them; ь and ъ are dropped.
constexpr const char* latin[32] = {"a", "b", "v", "g", "d", "e",  "zh", "z",  "i",  "y",    "k", "l", "m", "n", "o",  "p",
                                   "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "",  "y", "",  "e", "yu", "ya"};

}  // namespace

std::string normalise(std::string_view word) {
    std::string out;
    for (size_t i = 0; i < word.size();) {
        const auto c = static_cast<unsigned char>(word[i]);
        // Two-byte UTF-8 sequences of Cyrillic: Ё/ё (U+0401/U+0451) and А…я (U+0410…U+044F).
        if ((c == 0xD0 || c == 0xD1) && i + 1 < word.size()) {
            const unsigned cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(word[i + 1]) & 0x3Fu);
            if (cp == 0x401 || cp == 0x451) {
                out += 'e';
                i += 2;
                continue;
            }
            if (cp >= 0x410 && cp <= 0x44F) {
                out += latin[(cp - 0x410) % 32];
                i += 2;
                continue;
            }
        }
        if (c == ' ' || c == '-' || c == '_' || c == '\t') {
            if (!out.empty() && out.back() != '_') out += '_';
        } else {
            out += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
        }
        ++i;
    }
    while (!out.empty() && out.back() == '_') out.pop_back();
    return out;
}

std::optional<Alert> parse_alert(const std::string& message) {
    boost::system::error_code ec;
    json::value v = json::parse(message, ec);
    if (ec || !v.is_object() || number(v.as_object(), "v") != 1) return std::nullopt;
    const auto& o = v.as_object();
    Alert a{text(o, "id"),          text(o, "status"),      text(o, "type"), text(o, "refers_to"), text(o, "text"), text(o, "ack_pk"), {},
            number(o, "issued_at"), number(o, "expires_at")};
    if (a.status != "real" && a.status != "exercise" && a.status != "test") return std::nullopt;
    if (a.type != "alert" && a.type != "update" && a.type != "cancel") return std::nullopt;
    if (a.type != "alert" && a.refers_to.empty()) return std::nullopt;
    if (const auto* tiers = o.if_contains("tiers"); tiers && tiers->is_array())
        for (const auto& t : tiers->get_array())
            if (t.is_object())
                a.tiers.push_back({strings(t.get_object(), "regions"), strings(t.get_object(), "skills"), number(t.get_object(), "release_at")});
    return a;
}

std::string alert_message(const Alert& a) {
    json::array tiers;
    for (const auto& t : a.tiers) {
        json::array regions(t.regions.begin(), t.regions.end()), skills(t.skills.begin(), t.skills.end());
        tiers.push_back(json::object{{"regions", regions}, {"skills", skills}, {"release_at", t.release_at}});
    }
    return json::serialize(json::object{{"v", 1},
                                        {"id", a.id},
                                        {"status", a.status},
                                        {"type", a.type},
                                        {"refers_to", a.refers_to.empty() ? json::value(nullptr) : json::value(a.refers_to)},
                                        {"tiers", tiers},
                                        {"text", a.text},
                                        {"issued_at", a.issued_at},
                                        {"expires_at", a.expires_at},
                                        {"ack_pk", a.ack_pk}});
}

std::optional<size_t> tier_for(const Alert& a, const Profile& me) {
    std::optional<size_t> tier;
    for (size_t i = 0; i < a.tiers.size(); ++i)
        if (meets(a.tiers[i].regions, me.regions) && meets(a.tiers[i].skills, me.skills) &&
            (!tier || a.tiers[i].release_at < a.tiers[*tier].release_at))
            tier = i;
    return tier;
}

std::vector<Shown> visible(const std::vector<Alert>& received, const Profile& me, int64_t now) {
    std::vector<Shown> out;
    for (const auto& a : received) {
        if (a.type != "alert" || now >= a.expires_at) continue;
        const bool cancelled =
            std::any_of(received.begin(), received.end(), [&](const Alert& c) { return c.type == "cancel" && c.refers_to == a.id; });
        if (cancelled) continue;
        const auto tier = tier_for(a, me);  // shown once it is released
        if (!tier || now < a.tiers[*tier].release_at) continue;
        Shown s{a, *tier};
        int64_t latest = a.issued_at;
        for (const auto& u : received)
            if (u.type == "update" && u.refers_to == a.id && u.issued_at >= latest) {
                s.alert.text = u.text;
                latest = u.issued_at;
            }
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace haven::emergency
