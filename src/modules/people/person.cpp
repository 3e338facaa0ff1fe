#include "modules/people/person.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>

#include "core/utf8.hpp"

namespace haven::people {
namespace {

namespace json = boost::json;

// Trims; refuses invalid UTF-8, control characters (line breaks only where `multiline`) and overlong text.
Status text(std::string& value, const std::string& field, size_t max, bool multiline = false) {
    value = trim(value);
    if (!valid_utf8(value)) return invalid(field, field + " is not valid UTF-8.", "text");
    if (has_control_chars(value) || (!multiline && value.find_first_of("\r\n") != std::string::npos))
        return invalid(field, field + " holds control characters.", "text");
    if (!multiline && !is_plain_line(value)) return invalid(field, field + " holds tabs, bidirectional controls or invisible characters.", "text");
    if (value.size() > max) return invalid(field, field + " is longer than " + std::to_string(max) + " bytes.", "too_long");
    return {};
}

Status one_of(std::vector<std::string>& values, const std::vector<std::string_view>& allowed, const std::string& field) {
    std::vector<std::string> out;
    for (auto& v : values) {
        v = trim(v);
        if (std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
            std::string list;
            for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
            return invalid(field, field + " must be among: " + list + ".", "choose");
        }
        if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
    }
    values = std::move(out);
    return {};
}

Result<std::string> member_text(const json::object& o, const char* name) {
    const auto* v = o.if_contains(name);
    if (!v || v->is_null()) return std::string();
    if (!v->is_string()) return invalid(name, std::string(name) + " must be a string.");
    return std::string(v->get_string());
}

Result<std::vector<std::string>> member_list(const json::object& o, const char* name, size_t max) {
    std::vector<std::string> out;
    const auto* v = o.if_contains(name);
    if (!v || v->is_null()) return out;
    if (!v->is_array()) return invalid(name, std::string(name) + " must be a list of strings.");
    if (v->get_array().size() > max) return invalid(name, std::string(name) + " holds more than " + std::to_string(max) + " values.", "too_many");
    for (size_t i = 0; i < v->get_array().size(); ++i) {
        const auto& e = v->get_array()[i];
        if (!e.is_string()) return invalid(std::string(name) + "[" + std::to_string(i) + "]", std::string(name) + " must be a list of strings.");
        out.emplace_back(e.get_string());
    }
    return out;
}

json::array to_array(const std::vector<std::string>& values) {
    json::array a;
    for (const auto& v : values) a.emplace_back(v);
    return a;
}

}  // namespace

const std::vector<std::string_view>& statuses() {
    static const std::vector<std::string_view> v = {"applicant", "resident", "alumni"};
    return v;
}
const std::vector<std::string_view>& need_kinds() {
    static const std::vector<std::string_view> v = {"housing", "legal", "psychological", "desk", "courses", "studio"};
    return v;
}
const std::vector<std::string_view>& circumstance_kinds() {
    static const std::vector<std::string_view> v = {"deserter", "lgbt", "journalist_at_risk", "activist", "relative_imprisoned", "health"};
    return v;
}

std::vector<std::string> Person::names() const {
    std::vector<std::string> out{pseudonym};
    out.insert(out.end(), legal_names.begin(), legal_names.end());
    return out;
}

Status check(Person& p, int64_t today_ms) {
    if (auto s = text(p.pseudonym, "pseudonym", max_pseudonym); !s) return s;
    if (p.pseudonym.empty()) return invalid("pseudonym", "pseudonym is required: how the person is known in the centre.", "required");
    if (p.legal_names.size() > max_names)
        return invalid("legal_names", "legal_names holds more than " + std::to_string(max_names) + " names.", "too_many");
    std::vector<std::string> names;
    for (size_t i = 0; i < p.legal_names.size(); ++i) {
        const std::string field = "legal_names[" + std::to_string(i) + "]";
        if (auto s = text(p.legal_names[i], field, max_name); !s) return s;
        if (!p.legal_names[i].empty() && std::find(names.begin(), names.end(), p.legal_names[i]) == names.end()) names.push_back(p.legal_names[i]);
    }
    p.legal_names = std::move(names);
    const std::string now = date_of(today_ms);
    for (auto [value, field] : {std::pair{&p.birth_date, "birth_date"}, std::pair{&p.arrival_date, "arrival_date"}}) {
        *value = trim(*value);
        if (value->empty()) continue;
        if (!valid_date(*value)) return invalid(field, std::string(field) + " must be a date written YYYY-MM-DD that exists.", "date");
        // An arrival may be expected (the dashboard counts it once its month comes; pages flag it); a birth may not.
        if (value == &p.birth_date && *value > now) return invalid(field, "birth_date is in the future.", "future");
    }
    if (auto s = text(p.nationality, "nationality", 60); !s) return s;
    if (p.languages.size() > max_languages)
        return invalid("languages", "languages holds more than " + std::to_string(max_languages) + " values.", "too_many");
    for (size_t i = 0; i < p.languages.size(); ++i) {
        auto& l = p.languages[i];
        l = trim(l);
        std::transform(l.begin(), l.end(), l.begin(), [](unsigned char c) { return char(std::tolower(c)); });
        const bool ok = l.size() >= 2 && l.size() <= 3 && std::all_of(l.begin(), l.end(), [](char c) { return c >= 'a' && c <= 'z'; });
        if (!ok) return invalid("languages[" + std::to_string(i) + "]", "languages are two- or three-letter codes such as ru, fr, de.", "language");
    }
    if (auto s = text(p.phone, "phone", 40); !s) return s;
    if (auto s = text(p.email, "email", 254); !s) return s;
    if (!p.email.empty() && (p.email.find('@') == std::string::npos || p.email.find(' ') != std::string::npos))
        return invalid("email", "email must look like name@example.org.", "email");
    if (auto s = text(p.messenger, "messenger", 100); !s) return s;
    p.status = trim(p.status);
    if (p.status.empty()) p.status = "applicant";
    if (std::find(statuses().begin(), statuses().end(), p.status) == statuses().end())
        return invalid("status", "status must be applicant, resident or alumni.", "choose");
    if (auto s = one_of(p.needs, need_kinds(), "needs"); !s) return s;
    if (auto s = one_of(p.circumstances, circumstance_kinds(), "circumstances"); !s) return s;
    return text(p.notes, "notes", max_notes, true);
}

void merge_into(Person& known, const Person& incoming) {
    auto add_missing = [](std::vector<std::string>& to, const std::vector<std::string>& from) {
        for (const auto& v : from)
            if (std::find(to.begin(), to.end(), v) == to.end()) to.push_back(v);
    };
    add_missing(known.legal_names, incoming.legal_names);
    add_missing(known.languages, incoming.languages);
    add_missing(known.needs, incoming.needs);
    add_missing(known.circumstances, incoming.circumstances);
    for (auto [to, from] : {std::pair{&known.birth_date, &incoming.birth_date},
                            {&known.nationality, &incoming.nationality},
                            {&known.phone, &incoming.phone},
                            {&known.email, &incoming.email},
                            {&known.messenger, &incoming.messenger},
                            {&known.arrival_date, &incoming.arrival_date}})
        if (to->empty()) *to = *from;
    if (!incoming.notes.empty() && known.notes.find(incoming.notes) == std::string::npos)
        known.notes += (known.notes.empty() ? "" : "\n") + incoming.notes;
}

json::object to_json(const Person& p, bool with_circumstances) {
    json::object o{{"pseudonym", p.pseudonym},
                   {"legal_names", to_array(p.legal_names)},
                   {"birth_date", p.birth_date},
                   {"nationality", p.nationality},
                   {"languages", to_array(p.languages)},
                   {"phone", p.phone},
                   {"email", p.email},
                   {"messenger", p.messenger},
                   {"arrival_date", p.arrival_date},
                   {"status", p.status},
                   {"needs", to_array(p.needs)},
                   {"notes", p.notes}};
    if (with_circumstances) o["circumstances"] = to_array(p.circumstances);
    return o;
}

Result<Person> from_json(const json::object& o) {
    Person p;
    for (auto [target, name] : {std::pair{&p.pseudonym, "pseudonym"},
                                {&p.birth_date, "birth_date"},
                                {&p.nationality, "nationality"},
                                {&p.phone, "phone"},
                                {&p.email, "email"},
                                {&p.messenger, "messenger"},
                                {&p.arrival_date, "arrival_date"},
                                {&p.status, "status"},
                                {&p.notes, "notes"}}) {
        HAVEN_TRY(v, member_text(o, name));
        *target = std::move(v);
    }
    HAVEN_TRY(legal, member_list(o, "legal_names", max_names));
    HAVEN_TRY(languages, member_list(o, "languages", max_languages));
    HAVEN_TRY(needs, member_list(o, "needs", 16));
    HAVEN_TRY(circumstances, member_list(o, "circumstances", 16));
    p.legal_names = std::move(legal);
    p.languages = std::move(languages);
    p.needs = std::move(needs);
    p.circumstances = std::move(circumstances);
    return p;
}

}  // namespace haven::people
