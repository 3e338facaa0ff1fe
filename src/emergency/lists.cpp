#include "emergency/lists.hpp"

#include <boost/json.hpp>

#include "core/utf8.hpp"
#include "crypto/mac.hpp"
#include "emergency/alert.hpp"

namespace haven::emergency {

namespace json = boost::json;

namespace {

Error bad(const std::string& field, const std::string& message) { return make_error(ErrorKind::invalid, "invalid", message, field); }

bool valid_id(std::string_view id) {
    if (id.empty() || id.size() > 40) return false;
    for (char c : id)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return true;
}

bool valid_language(std::string_view l) {
    if (l.size() < 2 || l.size() > 3) return false;
    for (char c : l)
        if (c < 'a' || c > 'z') return false;
    return true;
}

Status check_entry(const ListEntry& e) {
    if (!valid_id(e.id)) return bad("id", "An id is 1-40 characters of a-z, 0-9 and _ (\"pskov\", \"safe_flat\").");
    if (e.names.empty() || e.names.size() > 8) return bad("names", "An entry has 1 to 8 names, one a language (en=Pskov ru=Псков).");
    for (const auto& [language, name] : e.names) {
        if (!valid_language(language)) return bad("names", "A language is 2 or 3 letters a-z (en, ru, uk).");
        if (name.empty() || name.size() > 80 || !is_plain_line(name)) return bad("names", "A name is one line of 1 to 80 bytes.");
    }
    return {};
}

Result<std::vector<ListEntry>> parse_list(const json::object& o, const char* kind) {
    std::vector<ListEntry> out;
    const json::value* v = o.if_contains(kind);
    if (!v) return out;
    if (!v->is_array() || v->as_array().size() > max_list_entries) return bad(kind, std::string(kind) + " is an array of at most 200 entries.");
    for (const auto& item : v->as_array()) {
        const json::object* e = item.if_object();
        const json::value* id = e ? e->if_contains("id") : nullptr;
        const json::value* names = e ? e->if_contains("names") : nullptr;
        if (!id || !id->is_string() || !names || !names->is_object() || e->size() != 2) return bad(kind, "An entry is {\"id\": …, \"names\": {…}}.");
        ListEntry entry{std::string(id->as_string()), {}};
        for (const auto& [language, name] : names->as_object()) {
            if (!name.is_string()) return bad(kind, "A name is text.");
            entry.names[std::string(language)] = std::string(name.as_string());
        }
        if (auto s = check_entry(entry); !s) return s.error();
        for (const auto& earlier : out)
            if (earlier.id == entry.id) return bad(kind, "The id " + entry.id + " is listed twice.");
        out.push_back(std::move(entry));
    }
    return out;
}

json::array to_json(const std::vector<ListEntry>& list) {
    json::array out;
    for (const auto& e : list) {
        json::object names;
        for (const auto& [language, name] : e.names) names[language] = name;
        out.push_back(json::object{{"id", e.id}, {"names", names}});
    }
    return out;
}

// nullopt for a code too short or too long to key BLAKE2b (16 to 64 bytes; the hub's codes are 24).
std::optional<Bytes> lists_key(std::string_view code) { return crypto::keyed_hash(code, "haven-enrol-lists-v1", 32); }

}  // namespace

std::vector<ListEntry>* Lists::of(std::string_view kind) {
    if (kind == "region" || kind == "regions") return &regions;
    if (kind == "skill" || kind == "skills") return &skills;
    return nullptr;
}

const std::vector<ListEntry>* Lists::of(std::string_view kind) const { return const_cast<Lists*>(this)->of(kind); }

Result<Lists> parse_lists(std::string_view text) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) return bad("lists", "The lists are a JSON object {\"regions\": […], \"skills\": […]}.");
    for (const auto& [key, _] : v.as_object())
        if (key != "regions" && key != "skills") return bad("lists", "The lists hold regions and skills only.");
    HAVEN_TRY(regions, parse_list(v.as_object(), "regions"));
    HAVEN_TRY(skills, parse_list(v.as_object(), "skills"));
    return Lists{std::move(regions), std::move(skills)};
}

std::string lists_json(const Lists& lists) {
    return json::serialize(json::object{{"regions", to_json(lists.regions)}, {"skills", to_json(lists.skills)}});
}

Result<ListEntry> list_entry(std::string_view id, const std::vector<std::string>& names) {
    ListEntry e{std::string(id), {}};
    for (const auto& n : names) {
        const size_t eq = n.find('=');
        if (eq == std::string::npos) return bad("names", "A name is LANGUAGE=NAME, such as en=Pskov or ru=Псков.");
        e.names[n.substr(0, eq)] = n.substr(eq + 1);
    }
    if (auto s = check_entry(e); !s) return s.error();
    return e;
}

std::optional<std::string> resolve(const std::vector<ListEntry>& list, std::string_view word) {
    const std::string wanted = normalise(word);
    if (wanted.empty()) return std::nullopt;
    for (const auto& e : list) {
        if (normalise(e.id) == wanted) return e.id;
        for (const auto& [_, name] : e.names)
            if (normalise(name) == wanted) return e.id;
    }
    return std::nullopt;
}

std::string choices(const std::vector<ListEntry>& list) {
    std::string out;
    for (const auto& e : list) {
        if (!out.empty()) out += ", ";
        out += e.id + " (";
        bool first = true;
        for (const auto& [_, name] : e.names) {
            out += (first ? "" : ", ") + name;
            first = false;
        }
        out += ")";
    }
    return out;
}

Bytes seal_lists(const Lists& lists, std::string_view code) {
    const auto key = lists_key(code);
    return key ? seal_secret(*key, lists_json(lists)) : Bytes();  // nothing sealed: the hub refuses an empty upload
}

Result<Lists> open_lists(const Bytes& sealed, std::string_view code) {
    const auto key = lists_key(code);
    if (!key) return bad("code", "This code cannot open lists.");
    auto text = open_secret(*key, sealed);
    if (!text) return bad("lists", "The lists sent with this code do not open with it: ask the operator for a new code.");
    return parse_lists(*text);
}

}  // namespace haven::emergency
