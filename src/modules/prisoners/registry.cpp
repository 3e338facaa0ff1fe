#include "modules/prisoners/registry.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <set>

#include "core/dates.hpp"
#include "core/ids.hpp"
#include "core/utf8.hpp"
#include "crypto/blind_index.hpp"
#include "http/json.hpp"
#include "modules/accounts/types.hpp"
#include "modules/prisoners/store_letters.hpp"
#include "text/csv.hpp"
#include "text/names.hpp"
#include "text/ranking.hpp"

namespace haven::prisoners {

using accounts::Action;
using accounts::may;
using storage::Tx;
namespace json = boost::json;

namespace {

constexpr const char* index_name = "prisoners.name";
constexpr int index_bits = 12;  // a few thousand prisoners at most: several share each truncated value
constexpr size_t max_names = 10, max_name = 200, max_short = 100, max_long = 4000, max_dates = 50, max_languages = 10;
constexpr size_t max_import_rows = 5000;

Error not_found() { return make_error(ErrorKind::not_found, "not_found", "There is no such prisoner, or you may not see them."); }

Status one_of(const std::string& value, const std::vector<std::string>& allowed, const char* field) {
    if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return {};
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    return invalid(field, std::string(field) + " must be one of " + list + ".", "choose");
}

json::array strings(const std::vector<std::string>& v) { return json::array(v.begin(), v.end()); }

std::string get(const json::object& o, const char* name) {
    const auto* v = o.if_contains(name);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::vector<std::string> get_list(const json::object& o, const char* name) {
    std::vector<std::string> out;
    if (const auto* v = o.if_contains(name); v && v->is_array())
        for (const auto& x : v->get_array())
            if (x.is_string()) out.emplace_back(x.get_string());
    return out;
}

std::string seal_prisoner(const crypto::Vault& vault, const Prisoner& p) {
    json::array dates;
    for (const auto& d : p.dates) dates.push_back(json::object{{"date", d.date}, {"note", d.note}});
    return vault.seal_field("prisoners", "record", p.id,
                            json::serialize(json::object{{"names", strings(p.names)},
                                                         {"address_as", p.address_as},
                                                         {"birth_date", p.birth_date},
                                                         {"release_date", p.release_date},
                                                         {"case", p.case_summary},
                                                         {"articles", p.articles},
                                                         {"interests", p.interests},
                                                         {"notes", p.notes},
                                                         {"languages", strings(p.languages)},
                                                         {"dates", dates},
                                                         {"public", p.public_name}}));
}

Result<Prisoner> open_prisoner(const crypto::Vault& vault, const store::StoredPrisoner& s) {
    HAVEN_TRY(plain, vault.open_field("prisoners", "record", s.id, s.record));
    HAVEN_TRY(v, http::parse_json(plain));
    Prisoner p;
    p.id = s.id;
    p.site_id = s.site_id;
    p.created_at = s.created_at;
    p.status = s.status;
    p.approved_only = s.approved_only;
    p.weight = int(s.weight);
    if (const auto* o = v.if_object()) {
        p.names = get_list(*o, "names");
        p.address_as = get(*o, "address_as");
        p.birth_date = get(*o, "birth_date");
        p.release_date = get(*o, "release_date");
        p.case_summary = get(*o, "case");
        p.articles = get(*o, "articles");
        p.interests = get(*o, "interests");
        p.notes = get(*o, "notes");
        p.languages = get_list(*o, "languages");
        if (const auto* pub = o->if_contains("public"); pub && pub->is_bool()) p.public_name = pub->get_bool();
        if (const auto* d = o->if_contains("dates"); d && d->is_array())
            for (const auto& x : d->get_array())
                if (const auto* xo = x.if_object()) p.dates.push_back({get(*xo, "date"), get(*xo, "note")});
    }
    return p;
}

std::string seal_institution(const crypto::Vault& vault, const Institution& i) {
    return vault.seal_field("institutions", "record", i.id, json::serialize(json::object{{"name", i.name}, {"address", i.address}}));
}

Result<Institution> open_institution(const crypto::Vault& vault, const store::StoredInstitution& s) {
    HAVEN_TRY(plain, vault.open_field("institutions", "record", s.id, s.record));
    HAVEN_TRY(v, http::parse_json(plain));
    Institution i{s.id, s.site_id, s.kind, "", ""};
    if (const auto* o = v.if_object()) {
        i.name = get(*o, "name");
        i.address = get(*o, "address");
    }
    return i;
}

Result<Stay> open_stay(const crypto::Vault& vault, const store::StoredStay& s) {
    HAVEN_TRY(plain, vault.open_field("prisoner_addresses", "record", s.id, s.record));
    HAVEN_TRY(v, http::parse_json(plain));
    Stay st{s.id, s.number, s.institution_id, "", "", std::nullopt};
    if (const auto* o = v.if_object()) {
        st.since = get(*o, "since");
        st.note = get(*o, "note");
    }
    return st;
}

// "02.06.1968" or "02/06/1968" (as spreadsheets in Russia and most of Europe write it) → "1968-06-02"; anything
// else as given, for check() to name.
std::string iso_date(const std::string& d) {
    if (d.size() == 10 && (d[2] == '.' || d[2] == '/') && d[5] == d[2]) return d.substr(6, 4) + "-" + d.substr(3, 2) + "-" + d.substr(0, 2);
    return d;
}

// "MM-DD" of a date's next return on or after `today` ("YYYY-MM-DD"), as a date; 29 February on the 28th in other years.
std::string next_anniversary(const std::string& date, const std::string& today) {
    std::string md = date.substr(5);
    for (int year : {std::stoi(today.substr(0, 4)), std::stoi(today.substr(0, 4)) + 1}) {
        std::string d = std::to_string(year) + "-" + md;
        if (!valid_date(d)) d = std::to_string(year) + "-02-28";
        if (d >= today) return d;
    }
    return {};
}

}  // namespace

const std::vector<std::string>& prisoner_statuses() {
    static const std::vector<std::string> s = {"pre_trial", "convicted", "in_transit", "released"};
    return s;
}

const std::vector<std::string>& institution_kinds() {
    static const std::vector<std::string> k = {"sizo", "colony", "prison", "hospital", "other"};
    return k;
}

Status check(const Prisoner& given, int64_t now_ms) {
    Prisoner p = given;
    if (p.names.empty()) return invalid("names", "names needs at least one name.", "required");
    if (p.names.size() > max_names) return invalid("names", "names holds more than " + std::to_string(max_names) + " names.", "too_many");
    for (size_t i = 0; i < p.names.size(); ++i) {
        const std::string field = i == 0 ? "names" : "names[" + std::to_string(i) + "]";
        HAVEN_CHECK(text_field(p.names[i], field, max_name));
        if (p.names[i].empty()) return invalid(field, field + " is empty.", "required");
    }
    HAVEN_CHECK(text_field(p.address_as, "address_as", max_short));
    const std::string today = date_of(now_ms);
    for (auto [value, field] : {std::pair{&p.birth_date, "birth_date"}, std::pair{&p.release_date, "release_date"}}) {
        if (value->empty()) continue;
        if (!valid_date(*value)) return invalid(field, std::string(field) + " must be a date written YYYY-MM-DD that exists.", "date");
    }
    if (!p.birth_date.empty() && p.birth_date > today) return invalid("birth_date", "birth_date is in the future.", "future");
    HAVEN_CHECK(text_field(p.case_summary, "case", max_long, true));
    HAVEN_CHECK(text_field(p.articles, "articles", 500));
    HAVEN_CHECK(text_field(p.interests, "interests", 1000, true));
    HAVEN_CHECK(text_field(p.notes, "notes", max_long, true));
    if (p.languages.size() > max_languages) return invalid("languages", "languages holds more than 10 values.", "too_many");
    for (const auto& l : p.languages)
        if (l.size() < 2 || l.size() > 3 || !std::all_of(l.begin(), l.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
            return invalid("languages", "languages are two- or three-letter codes such as ru, be, uk.", "language");
    if (p.dates.size() > max_dates) return invalid("dates", "dates holds more than 50 dates.", "too_many");
    for (auto& d : p.dates) {
        if (!valid_date(d.date)) return invalid("dates", "each of dates needs a date written YYYY-MM-DD that exists.", "date");
        HAVEN_CHECK(text_field(d.note, "dates", 200));
    }
    HAVEN_CHECK(one_of(p.status, prisoner_statuses(), "status"));
    if (p.weight < 1 || p.weight > 5) return invalid("weight", "weight must be a whole number from 1 to 5.", "range", 5);
    return {};
}

Result<int64_t> Registry::default_site(const Principal& actor, Action action) const {
    std::set<int64_t> sites;
    for (const auto& r : actor.roles)
        if (accounts::role_allows(r.role, action)) sites.insert(r.site_id);
    if (sites.empty()) return accounts::role_forbids();
    if (sites.size() > 1) return invalid("site_id", "site_id is required: you work at several sites.", "choose");
    return *sites.begin();
}

Result<int64_t> Registry::prisoner_site(Tx& tx, const Principal& actor, int64_t id, Action action) const {
    auto s = store::prisoner(tx, id);
    // Another site's prisoner and no prisoner at all answer alike.
    if (!s || !may(actor, Action::prisoners_view, s->site_id)) return not_found();
    if (!may(actor, action, s->site_id)) return accounts::role_forbids();
    return s->site_id;
}

void Registry::write(Tx& tx, const Prisoner& p, bool fresh) {
    const store::StoredPrisoner s{p.id, p.site_id, p.created_at, seal_prisoner(vault_, p), p.status, p.approved_only, p.weight};
    if (fresh)
        store::insert_prisoner(tx, s);
    else
        store::update_prisoner(tx, s);
    std::set<int64_t> values;
    for (const auto& n : p.names) values.merge(crypto::name_index_values(vault_, index_name, n, index_bits));
    store::index_names(tx, p.id, values);
}

Result<int64_t> Registry::create(const Principal& actor, Prisoner p) {
    if (!may(actor, Action::prisoners_manage, p.site_id)) return accounts::role_forbids();
    HAVEN_CHECK(check(p, clock_.now_ms()));
    if (p.status == "in_transit") return invalid("status", "status in_transit is set by a transfer, once an institution is known.", "choose");
    for (auto& n : p.names) n = trim(n);
    p.id = new_id();
    p.created_at = clock_.now_ms();
    HAVEN_CHECK(db_.write([&](Tx& tx) -> Status {
        write(tx, p, true);
        audit_.record(tx, {"prisoner.create", actor.account_id, "prisoner", p.id, p.site_id});
        return {};
    }));
    return p.id;
}

Status Registry::update(const Principal& actor, Prisoner p) {
    return db_.write([&](Tx& tx) -> Status {
        HAVEN_TRY(site, prisoner_site(tx, actor, p.id, Action::prisoners_manage));
        auto stored = store::prisoner(tx, p.id);
        p.site_id = site;
        p.created_at = stored->created_at;
        if (p.status.empty()) p.status = stored->status;  // not given: as it was
        HAVEN_CHECK(check(p, clock_.now_ms()));
        // In transit ends with an arrival (a transfer) or a release; a transfer alone puts one in transit.
        if (p.status == "in_transit" && stored->status != "in_transit") return invalid("status", "status in_transit is set by a transfer.", "choose");
        if (stored->status == "in_transit" && p.status != "released") p.status = "in_transit";
        for (auto& n : p.names) n = trim(n);
        write(tx, p, false);
        audit_.record(tx, {"prisoner.update", actor.account_id, "prisoner", p.id, site});
        return {};
    });
}

Result<Prisoner> Registry::open(Tx& tx, int64_t id) const {
    auto s = store::prisoner(tx, id);
    if (!s) return not_found();
    return open_prisoner(vault_, *s);
}

Result<Prisoner> Registry::read(const Principal& actor, int64_t id) {
    return db_.write<Prisoner>([&](Tx& tx) -> Result<Prisoner> {
        HAVEN_TRY(site, prisoner_site(tx, actor, id, Action::prisoners_view));
        HAVEN_TRY(p, open(tx, id));
        (void)site;
        accounts_.record_read(tx, actor, "prisoner", id);  // audited, and counted by the mass-read alarm
        return p;
    });
}

Result<std::vector<Prisoner>> Registry::all_of(Tx& tx, int64_t site_id) const {
    std::vector<Prisoner> out;
    for (const auto& s : store::prisoners_of(tx, site_id)) {
        HAVEN_TRY(p, open_prisoner(vault_, s));
        out.push_back(std::move(p));
    }
    return out;
}

Result<std::vector<Prisoner>> Registry::list(const Principal& actor, int64_t site_id, std::string_view query) {
    if (!may(actor, Action::prisoners_view, site_id)) return accounts::role_forbids();
    if (query.size() > 200) return invalid("q", "q is longer than 200 bytes.", "too_long");
    const auto words = text::words(query);
    auto out = db_.read<std::vector<Prisoner>>([&](Tx& tx) -> Result<std::vector<Prisoner>> {
        if (words.empty()) {
            HAVEN_TRY(all, all_of(tx, site_id));
            std::stable_sort(all.begin(), all.end(),
                             [](const Prisoner& a, const Prisoner& b) { return text::fold(a.names[0]) < text::fold(b.names[0]); });
            return all;
        }
        // Candidates from the index (every word held), confirmed and ranked on the names opened, as people's are.
        std::vector<std::set<int64_t>> values;
        for (const auto& w : words) values.push_back(crypto::name_index_values(vault_, index_name, w, index_bits));
        const auto wanted = text::keyed_words(query);
        text::Keyer keyer(&wanted);
        std::vector<Prisoner> found;
        std::vector<text::Met> met;
        std::vector<int64_t> order;
        for (const auto& s : store::prisoners_in(tx, store::holding_every(tx, values, 2000))) {
            if (s.site_id != site_id) continue;
            HAVEN_TRY(p, open_prisoner(vault_, s));
            std::vector<std::vector<text::KeyedWord>> names;
            for (const auto& n : p.names) names.push_back(keyer.words(n));
            text::Met m = text::meet(wanted, names);
            if (m.words < int(wanted.size())) continue;
            met.push_back(std::move(m));
            order.push_back(p.created_at);
            found.push_back(std::move(p));
        }
        std::vector<Prisoner> out;
        for (size_t i : text::best_first(met, order)) out.push_back(std::move(found[i]));
        return out;
    });
    if (!out) return out;
    // The list is audited once (who listed or searched which site); each record opened is counted by read().
    HAVEN_CHECK(db_.write([&](Tx& tx) -> Status {
        audit_.record(tx, {words.empty() ? "prisoner.list" : "prisoner.search", actor.account_id, "site", site_id, site_id});
        return {};
    }));
    return out;
}

Status Registry::transfer(const Principal& actor, int64_t prisoner_id, const Transfer& given) {
    Transfer t = given;
    if (t.since.empty()) t.since = date_of(clock_.now_ms());
    if (!valid_date(t.since)) return invalid("since", "since must be a date written YYYY-MM-DD that exists.", "date");
    if (t.since > date_of(clock_.now_ms() + day_ms)) return invalid("since", "since is in the future.", "future");
    HAVEN_CHECK(text_field(t.note, "note", 500));
    if (!t.status.empty()) {
        HAVEN_CHECK(one_of(t.status, {"pre_trial", "convicted"}, "status"));
    }
    return db_.write([&](Tx& tx) -> Status {
        HAVEN_TRY(site, prisoner_site(tx, actor, prisoner_id, Action::prisoners_manage));
        store::lock_letters(tx, site);  // no letter is changed or given while its prisoner moves
        auto p = store::prisoner(tx, prisoner_id);
        std::string status = "in_transit";
        if (t.institution_id) {
            auto i = store::institution(tx, t.institution_id);
            if (!i || i->site_id != site) return invalid("institution_id", "institution_id names no institution of this site.", "choose");
            status = !t.status.empty()                                    ? t.status
                     : i->kind == "sizo"                                  ? "pre_trial"
                     : i->kind == "hospital" && p->status != "in_transit" ? p->status
                                                                          : "convicted";
            if (status == "released" || status == "in_transit") status = "convicted";
        }
        const auto stays = store::stays_of(tx, prisoner_id);
        const store::StoredStay s{new_id(), prisoner_id, stays.empty() ? 1 : stays.front().number + 1, t.institution_id, ""};
        store::StoredStay sealed = s;
        sealed.record = vault_.seal_field("prisoner_addresses", "record", s.id, json::serialize(json::object{{"since", t.since}, {"note", t.note}}));
        store::insert_stay(tx, sealed);
        store::set_status(tx, prisoner_id, status);
        // Letters not yet sent follow the prisoner: held while they are moved, addressed anew on arrival.
        if (t.institution_id)
            store::readdress_unsent(tx, prisoner_id, s.id);
        else
            store::hold_unsent(tx, prisoner_id);
        audit_.record(tx, {t.institution_id ? "prisoner.arrival" : "prisoner.transit", actor.account_id, "prisoner", prisoner_id, site});
        return {};
    });
}

std::optional<Institution> Registry::institution(Tx& tx, int64_t id) const {
    auto s = store::institution(tx, id);
    if (!s) return std::nullopt;
    auto i = open_institution(vault_, *s);
    if (!i) return std::nullopt;
    return *i;
}

std::optional<Stay> Registry::current_stay(Tx& tx, int64_t prisoner_id) const {
    auto stays = store::stays_of(tx, prisoner_id);
    if (stays.empty()) return std::nullopt;
    auto s = open_stay(vault_, stays.front());
    if (!s) return std::nullopt;
    if (s->institution_id) s->institution = institution(tx, s->institution_id);
    return *s;
}

Result<std::vector<Stay>> Registry::stays(const Principal& actor, int64_t prisoner_id) {
    return db_.read<std::vector<Stay>>([&](Tx& tx) -> Result<std::vector<Stay>> {
        HAVEN_CHECK(prisoner_site(tx, actor, prisoner_id, Action::prisoners_view));
        std::vector<Stay> out;
        for (const auto& s : store::stays_of(tx, prisoner_id)) {
            HAVEN_TRY(st, open_stay(vault_, s));
            if (st.institution_id) st.institution = institution(tx, st.institution_id);
            out.push_back(std::move(st));
        }
        return out;
    });
}

Status Registry::set_approved(const Principal& actor, int64_t prisoner_id, const std::vector<int64_t>& writer_ids) {
    if (writer_ids.size() > 200) return invalid("writer_ids", "writer_ids holds more than 200 writers.", "too_many");
    return db_.write([&](Tx& tx) -> Status {
        HAVEN_TRY(site, prisoner_site(tx, actor, prisoner_id, Action::prisoners_manage));
        for (int64_t w : writer_ids) {
            auto writer = store::writer(tx, w);
            if (!writer || writer->site_id != site)
                return invalid("writer_ids", "writer_ids names a writer who does not write at this site.", "choose");
        }
        store::set_approvals(tx, prisoner_id, writer_ids);
        audit_.record(tx, {"prisoner.approvals", actor.account_id, "prisoner", prisoner_id, site});
        return {};
    });
}

Result<std::vector<int64_t>> Registry::approved(const Principal& actor, int64_t prisoner_id) {
    return db_.read<std::vector<int64_t>>([&](Tx& tx) -> Result<std::vector<int64_t>> {
        HAVEN_CHECK(prisoner_site(tx, actor, prisoner_id, Action::prisoners_view));
        return store::approvals_of(tx, prisoner_id);
    });
}

Result<int64_t> Registry::add_institution(const Principal& actor, Institution i) {
    if (!may(actor, Action::prisoners_manage, i.site_id)) return accounts::role_forbids();
    HAVEN_CHECK(one_of(i.kind, institution_kinds(), "kind"));
    HAVEN_CHECK(text_field(i.name, "name", max_name));
    if (i.name.empty()) return invalid("name", "name is required.", "required");
    HAVEN_CHECK(text_field(i.address, "address", 1000, true));
    if (i.address.empty()) return invalid("address", "address is required.", "required");
    i.id = new_id();
    HAVEN_CHECK(db_.write([&](Tx& tx) -> Status {
        store::insert_institution(tx, {i.id, i.site_id, clock_.now_ms(), i.kind, seal_institution(vault_, i)});
        audit_.record(tx, {"institution.create", actor.account_id, "institution", i.id, i.site_id});
        return {};
    }));
    return i.id;
}

Result<std::vector<Institution>> Registry::institutions(const Principal& actor, int64_t site_id) {
    if (!may(actor, Action::prisoners_view, site_id)) return accounts::role_forbids();
    return db_.read<std::vector<Institution>>([&](Tx& tx) -> Result<std::vector<Institution>> {
        std::vector<Institution> out;
        for (const auto& s : store::institutions_of(tx, site_id)) {
            HAVEN_TRY(i, open_institution(vault_, s));
            out.push_back(std::move(i));
        }
        return out;
    });
}

Result<Registry::Imported> Registry::import_csv(const Principal& actor, int64_t site_id, std::string_view csv) {
    if (!may(actor, Action::prisoners_manage, site_id)) return accounts::role_forbids();
    HAVEN_TRY(table, text::parse_csv(csv, {max_import_rows + 1, 40, 10000}));
    if (table.records.empty()) return invalid("file", "file holds no header row.", "required");
    const std::vector<std::string> known = {"name",      "other_names", "address_as", "birth_date",   "status", "articles",     "case",
                                            "interests", "languages",   "public",     "release_date", "weight", "approved_only"};
    // The headers as a Russian-speaking coordinator's spreadsheet may name them too (folded: ё as е, lower case).
    const std::vector<std::pair<std::string, std::string>> aliases = {{"имя", "name"},
                                                                      {"фио", "name"},
                                                                      {"другие_написания", "other_names"},
                                                                      {"обращение", "address_as"},
                                                                      {"дата_рождения", "birth_date"},
                                                                      {"статус", "status"},
                                                                      {"статьи", "articles"},
                                                                      {"дело", "case"},
                                                                      {"интересы", "interests"},
                                                                      {"языки", "languages"},
                                                                      {"публично", "public"},
                                                                      {"дата_освобождения", "release_date"},
                                                                      {"приоритет", "weight"}};
    std::vector<int> column;  // index into `known`, -1 unknown (ignored)
    for (auto h : table.records[0].fields) {
        h = text::fold(trim(h));
        std::replace(h.begin(), h.end(), ' ', '_');
        for (const auto& [alias, name] : aliases)
            if (h == text::fold(alias)) h = name;
        auto it = std::find(known.begin(), known.end(), h);
        column.push_back(it == known.end() ? -1 : int(it - known.begin()));
    }
    if (std::find(column.begin(), column.end(), 0) == column.end()) return invalid("file", "file needs a column headed name.", "required");
    Imported result;
    std::vector<Prisoner> planned;
    const int64_t now = clock_.now_ms();
    for (size_t r = 1; r < table.records.size(); ++r) {
        const auto& fields = table.records[r].fields;
        Prisoner p;
        p.site_id = site_id;
        p.public_name = false;  // a list that does not say so names nobody to writers
        std::string other, error_column;
        auto fail = [&](const std::string& col, const Error& e) {
            if (result.errors.size() < 100) result.errors.push_back({r + 1, col, e.problem.empty() ? "text" : e.problem, e.message});
        };
        bool bad = false;
        for (size_t c = 0; c < fields.size() && c < column.size(); ++c) {
            const std::string v = trim(fields[c]);
            switch (column[c]) {
                case 0: p.names.insert(p.names.begin(), v); break;
                case 1:
                    for (size_t at = 0; at <= v.size();) {
                        size_t end = v.find(';', at);
                        if (end == std::string::npos) end = v.size();
                        if (auto n = trim(v.substr(at, end - at)); !n.empty()) p.names.push_back(n);
                        at = end + 1;
                    }
                    break;
                case 2: p.address_as = v; break;
                case 3: p.birth_date = iso_date(v); break;
                case 4: {
                    // As a spreadsheet may say it: the API's words in any case, or Russian ones.
                    std::string s = text::fold(v);
                    for (const auto& [said, status] : std::vector<std::pair<std::string, std::string>>{{"осужден", "convicted"},
                                                                                                       {"осуждена", "convicted"},
                                                                                                       {"сизо", "pre_trial"},
                                                                                                       {"под стражей", "pre_trial"},
                                                                                                       {"до приговора", "pre_trial"},
                                                                                                       {"освобожден", "released"},
                                                                                                       {"освобождена", "released"}})
                        if (s == text::fold(said)) s = status;
                    p.status = s.empty() ? "pre_trial" : s;
                    break;
                }
                case 5: p.articles = v; break;
                case 6: p.case_summary = v; break;
                case 7: p.interests = v; break;
                case 8:
                    for (size_t at = 0; at <= v.size();) {
                        size_t end = v.find_first_of(";, ", at);
                        if (end == std::string::npos) end = v.size();
                        if (auto l = trim(v.substr(at, end - at)); !l.empty()) p.languages.push_back(text::fold(l));
                        at = end + 1;
                    }
                    break;
                case 9: p.public_name = !(v == "no" || v == "0" || v == "false" || text::fold(v) == "нет"); break;
                case 10: p.release_date = iso_date(v); break;
                case 11:
                    if (!v.empty()) p.weight = v.size() == 1 && v[0] >= '1' && v[0] <= '5' ? v[0] - '0' : 0;
                    break;
                case 12: p.approved_only = v == "yes" || v == "1" || v == "true" || text::fold(v) == "да"; break;
                default: break;
            }
        }
        if (p.names.empty() || p.names[0].empty()) {
            fail("name", invalid("name", "name is required.", "required"));
            bad = true;
        } else if (auto s = check(p, now); !s) {
            fail(s.error().field, s.error());
            bad = true;
        } else if (p.status == "in_transit") {
            fail("status", invalid("status", "status in_transit is set by a transfer.", "choose"));
            bad = true;
        }
        if (!bad) planned.push_back(std::move(p));
    }
    if (table.records.size() - 1 > max_import_rows)
        return invalid("file", "file holds more than " + std::to_string(max_import_rows) + " prisoners.", "too_many", int64_t(max_import_rows));
    if (!result.errors.empty()) return result;
    HAVEN_CHECK(db_.write([&](Tx& tx) -> Status {
        for (auto& p : planned) {
            p.id = new_id();
            p.created_at = now;
            write(tx, p, true);
            result.ids.push_back(p.id);
        }
        audit_.record(tx, {"prisoner.import", actor.account_id, "site", site_id, site_id});
        return {};
    }));
    return result;
}

Result<std::vector<CalendarItem>> Registry::calendar(const Principal& actor, int64_t site_id, int weeks) {
    if (!may(actor, Action::prisoners_view, site_id)) return accounts::role_forbids();
    if (weeks < 1 || weeks > 26) return invalid("weeks", "weeks must be a whole number from 1 to 26.", "range", 26);
    const int64_t now = clock_.now_ms();
    const std::string today = date_of(now), until = date_of(now + int64_t(weeks) * 7 * day_ms);
    std::vector<CalendarItem> out;
    HAVEN_CHECK(db_.read<bool>([&](Tx& tx) -> Result<bool> {
        HAVEN_TRY(all, all_of(tx, site_id));
        const auto letters = store::letters_per_prisoner(tx, site_id, now - 30 * day_ms);
        for (const auto& p : all) {
            if (p.status == "released") continue;
            auto it = letters.find(p.id);
            const int64_t written = it == letters.end() ? 0 : it->second;
            auto add = [&](const std::string& date, const char* kind, const std::string& note) {
                if (date >= today && date < until) out.push_back({date, kind, p.id, p.names[0], note, written});
            };
            if (valid_date(p.birth_date)) add(next_anniversary(p.birth_date, today), "birthday", "");
            if (valid_date(p.release_date)) add(p.release_date, "release", "");
            for (const auto& d : p.dates) add(d.date, "trial", d.note);
        }
        return true;
    }));
    // Days when letters are customary everywhere.
    for (const auto& [md, name] : std::vector<std::pair<std::string, std::string>>{
             {"01-01", "new_year"}, {"01-07", "christmas_orthodox"}, {"03-08", "womens_day"}, {"12-25", "christmas"}}) {
        const std::string d = next_anniversary("2000-" + md, today);
        if (d < until) out.push_back({d, "holiday", 0, "", name, 0});
    }
    std::stable_sort(out.begin(), out.end(), [](const CalendarItem& a, const CalendarItem& b) { return a.date < b.date; });
    return out;
}

Result<Figures> Registry::figures(const Principal& actor, int64_t site_id, int days) {
    if (!may(actor, Action::prisoners_figures, site_id)) return accounts::role_forbids();
    if (days < 1 || days > 3660) return invalid("days", "days must be a whole number from 1 to 3660.", "range", 3660);
    const int64_t since = clock_.now_ms() - int64_t(days) * day_ms;
    const bool named = may(actor, Action::prisoners_view, site_id);
    Figures f;
    HAVEN_CHECK(db_.read<bool>([&](Tx& tx) -> Result<bool> {
        f.by_status = store::prisoners_by_status(tx, site_id);
        for (const auto& [s, n] : f.by_status) f.prisoners += n;
        f.letters_by_state = store::letters_by_status(tx, site_id, since);
        for (const auto& [s, n] : f.letters_by_state) f.letters += n;
        f.writers = int64_t(store::writers_of(tx, site_id).size());
        f.writers_active = store::writers_active(tx, site_id, since);
        const auto per = store::letters_per_prisoner(tx, site_id, since);
        std::vector<int64_t> buckets(6, 0);
        for (const auto& [s, n] : f.by_status)
            if (s != "released") buckets[0] += n;
        for (const auto& s : store::prisoners_of(tx, site_id)) {
            auto it = per.find(s.id);
            if (it == per.end() || s.status == "released") continue;
            --buckets[0];
            ++buckets[std::min<int64_t>(it->second, 5)];
        }
        for (int64_t i = 0; i < 6; ++i) f.prisoners_by_letters.push_back({i, buckets[size_t(i)]});
        std::map<int64_t, Figures::PerInstitution> by;
        for (const auto& c : store::letters_by_institution(tx, site_id, since)) {
            auto& row = by[c.institution_id];
            // A report editor sees the kind only: a colony's name beside a count of one can place a prisoner.
            if (row.kind.empty())
                if (auto i = institution(tx, c.institution_id)) row.name = named ? i->name : "", row.kind = i->kind;
            row.sent += c.letters;  // every letter that left, whatever became of it
            if (c.status == "delivered") row.delivered += c.letters;
            if (c.status == "returned") row.returned += c.letters;
            if (c.status == "withheld") row.withheld += c.letters;
            if (c.status == "answered") row.answered += c.letters;
        }
        for (auto& [id, row] : by) f.institutions.push_back(std::move(row));
        return true;
    }));
    return f;
}

}  // namespace haven::prisoners
