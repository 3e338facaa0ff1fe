#include "modules/reports/report.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <set>
#include <utility>

#include "core/dates.hpp"
#include "core/ids.hpp"
#include "http/json.hpp"
#include "modules/reports/disclosure.hpp"
#include "modules/reports/store.hpp"

namespace haven::reports {

namespace json = boost::json;
using accounts::Action;
using storage::Tx;

const std::vector<Indicator>& indicators() {
    static const std::vector<Indicator> list = {
        {"people_new"},       {"people_returning"},   {"desk_months"},   {"course_enrolments"},         {"course_attendance"}, {"cases_opened"},
        {"cases_closed"},     {"counselling_opened"}, {"studio_hours"},  {"event_attendance"},          {"requests_done"},     {"letters_sent"},
        {"letters_answered"}, {"donations"},          {"disbursements"}, {"network_activations", true},
    };
    return list;
}

const std::vector<std::string_view>& age_bands() {
    static const std::vector<std::string_view> list = {"0-17", "18-29", "30-44", "45-64", "65+", "unknown"};
    return list;
}

const std::vector<std::string_view>& nationality_groups() {
    static const std::vector<std::string_view> list = {"RU", "BY", "UA", "other", "unknown"};
    return list;
}

std::string_view age_band(std::string_view birth_date, int64_t at_ms) {
    if (!valid_date(birth_date)) return "unknown";
    const std::string on = date_of(at_ms);
    int age = std::stoi(on.substr(0, 4)) - std::stoi(std::string(birth_date.substr(0, 4)));
    if (on.substr(5) < birth_date.substr(5)) --age;  // "MM-DD" compare as text
    if (age < 0 || age > 130) return "unknown";
    return age < 18 ? "0-17" : age < 30 ? "18-29" : age < 45 ? "30-44" : age < 65 ? "45-64" : "65+";
}

std::string_view nationality_group(std::string_view nationality) {
    std::string v;
    for (char c : nationality)
        if (c != ' ' && c != '.') v += (c >= 'a' && c <= 'z') ? char(c - 32) : c;
    if (v.empty()) return "unknown";
    struct Names {
        std::string_view group;
        std::vector<std::string_view> names;
    };
    static const Names known[] = {{"RU", {"RU", "RUS", "RUSSIA", "RUSSIANFEDERATION", "Россия", "россия", "РФ", "Росія"}},
                                  {"BY", {"BY", "BLR", "BELARUS", "Беларусь", "беларусь", "Белоруссия", "Білорусь"}},
                                  {"UA", {"UA", "UKR", "UKRAINE", "Украина", "украина", "Україна"}}};
    for (const auto& k : known)
        if (std::find(k.names.begin(), k.names.end(), v) != k.names.end()) return k.group;
    return "other";
}

namespace {

Error not_found() { return make_error(ErrorKind::not_found, "not_found", "There is no such report, or you may not see it."); }

const Indicator* indicator(std::string_view name) {
    for (const auto& i : indicators())
        if (i.name == name) return &i;
    return nullptr;
}

// "2027-01" → its year and month; nullopt unless exactly that shape, 2000–2100.
std::optional<std::chrono::year_month> month_of(std::string_view text) {
    if (text.size() != 7 || text[4] != '-') return std::nullopt;
    for (size_t i : {0, 1, 2, 3, 5, 6})
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
    const int y = std::stoi(std::string(text.substr(0, 4))), m = std::stoi(std::string(text.substr(5, 2)));
    if (y < 2000 || y > 2100 || m < 1 || m > 12) return std::nullopt;
    return std::chrono::year{y} / std::chrono::month{unsigned(m)};
}

std::string two(unsigned n) { return (n < 10 ? "0" : "") + std::to_string(n); }

// The months from `from` to `to` as the store buckets them (UTC).
std::vector<store::Month> months_of(const Definition& d) {
    using namespace std::chrono;
    std::vector<store::Month> out;
    const auto final_month = *month_of(d.to);
    for (auto ym = *month_of(d.from); ym <= final_month; ym += months{1}) {
        const sys_days first = ym / 1, next = (ym + months{1}) / 1;
        const auto end = year_month_day{sys_days{ym / last}};
        const std::string key = std::to_string(int(ym.year())) + "-" + two(unsigned(ym.month()));
        out.push_back({key, duration_cast<milliseconds>(first.time_since_epoch()).count(),
                       duration_cast<milliseconds>(next.time_since_epoch()).count(), key + "-01", key + "-" + two(unsigned(end.day()))});
    }
    return out;
}

// The report's periods: each a list of month indexes; then the total when there is more than one period.
struct Layout {
    std::vector<std::string> columns;
    std::vector<std::vector<size_t>> months;  // per column
};
Layout layout_of(const Definition& d, const std::vector<store::Month>& months) {
    Layout l;
    for (size_t i = 0; i < months.size(); ++i) {
        const std::string& key = months[i].key;
        const std::string column = d.grain == "month" ? key : key.substr(0, 4) + "-Q" + std::to_string((std::stoi(key.substr(5)) - 1) / 3 + 1);
        if (l.columns.empty() || l.columns.back() != column) {
            l.columns.push_back(column);
            l.months.emplace_back();
        }
        l.months.back().push_back(i);
    }
    if (l.columns.size() > 1) {
        l.columns.push_back("total");
        l.months.emplace_back();
        for (size_t i = 0; i < months.size(); ++i) l.months.back().push_back(i);
    }
    return l;
}

std::string atom_key(std::string_view indicator, int64_t site, const std::string& month) {
    return std::string(indicator) + "/" + std::to_string(site) + "/" + month;
}

// A month's people at a site in one age band and one nationality group: "people_new/2/2027-01/18-29/BY".
std::string pair_key(const std::string& month_key, std::string_view age, std::string_view nationality) {
    return month_key + "/" + std::string(age) + "/" + std::string(nationality);
}

// The month's key a pair belongs to ("people_new/2/2027-01"), or "" for a key that is not a pair.
std::string month_of_pair(const std::string& key) {
    if (std::count(key.begin(), key.end(), '/') != 4) return "";
    return key.substr(0, key.rfind('/', key.rfind('/') - 1));
}

}  // namespace

// A report as sealed in the log: the definition, the atoms and their values, the figures and what was hidden.
struct Body {
    Definition definition;
    std::vector<std::string> columns;
    std::map<std::string, int64_t> atoms;
    struct Figure {
        std::string indicator;
        int64_t site_id = 0;
        size_t column = 0;
        std::vector<std::string> atoms;
        bool hidden = false, primary = false;
        std::string category;  // "" or "age:18-29" …
    };
    std::vector<Figure> figures;
    int64_t frozen = 0;

    int64_t value(const Figure& f) const {
        int64_t v = 0;
        for (const auto& a : f.atoms) v += atoms.at(a);
        return v;
    }
};

namespace {

json::array strings(const std::vector<std::string>& v) { return json::array(v.begin(), v.end()); }

std::string to_json(const Body& b) {
    const Definition& d = b.definition;
    json::object atoms;
    for (const auto& [k, v] : b.atoms) atoms[k] = v;
    json::array figures;
    for (const auto& f : b.figures)
        figures.push_back(json::object{{"indicator", f.indicator},
                                       {"site", f.site_id},
                                       {"column", f.column},
                                       {"atoms", strings(f.atoms)},
                                       {"hidden", f.hidden},
                                       {"primary", f.primary},
                                       {"category", f.category}});
    return json::serialize(json::object{
        {"definition", json::object{{"title", d.title},
                                    {"sites", json::array(d.sites.begin(), d.sites.end())},
                                    {"from", d.from},
                                    {"to", d.to},
                                    {"grain", d.grain},
                                    {"indicators", strings(d.indicators)},
                                    {"language", d.language},
                                    {"k", d.k},
                                    {"grant", d.grant_id},
                                    {"breakdown", d.breakdown},
                                    {"round_to", d.round_to}}},
        {"columns", strings(b.columns)},
        {"atoms", std::move(atoms)},
        {"figures", std::move(figures)},
        {"frozen", b.frozen},
    });
}

Result<Body> body_from(std::string_view text) {
    const Error damaged = make_error(ErrorKind::unavailable, "bad_ciphertext", "A stored report is damaged.");
    auto v = http::parse_json(text);
    if (!v || !v->is_object()) return damaged;
    try {
        const json::object& o = v->as_object();
        Body b;
        const json::object& d = o.at("definition").as_object();
        b.definition.title = std::string(d.at("title").as_string());
        for (const auto& s : d.at("sites").as_array()) b.definition.sites.push_back(s.as_int64());
        b.definition.from = std::string(d.at("from").as_string());
        b.definition.to = std::string(d.at("to").as_string());
        b.definition.grain = std::string(d.at("grain").as_string());
        for (const auto& s : d.at("indicators").as_array()) b.definition.indicators.emplace_back(s.as_string());
        b.definition.language = std::string(d.at("language").as_string());
        b.definition.k = d.at("k").as_int64();
        if (const auto* grant = d.if_contains("grant")) b.definition.grant_id = grant->as_int64();
        if (const auto* breakdown = d.if_contains("breakdown")) b.definition.breakdown = std::string(breakdown->as_string());
        if (const auto* round_to = d.if_contains("round_to")) b.definition.round_to = round_to->as_int64();
        for (const auto& s : o.at("columns").as_array()) b.columns.emplace_back(s.as_string());
        for (const auto& a : o.at("atoms").as_object()) b.atoms[std::string(a.key())] = a.value().as_int64();
        for (const auto& fv : o.at("figures").as_array()) {
            const json::object& f = fv.as_object();
            Body::Figure figure{std::string(f.at("indicator").as_string()),
                                f.at("site").as_int64(),
                                size_t(f.at("column").as_int64()),
                                {},
                                f.at("hidden").as_bool(),
                                f.at("primary").as_bool(),
                                {}};
            if (const auto* category = f.if_contains("category")) figure.category = std::string(category->as_string());
            for (const auto& a : f.at("atoms").as_array()) {
                figure.atoms.emplace_back(a.as_string());
                if (!b.atoms.count(figure.atoms.back())) return damaged;
            }
            b.figures.push_back(std::move(figure));
        }
        b.frozen = o.at("frozen").as_int64();
        return b;
    } catch (const std::exception&) {
        return damaged;
    }
}

// Lays the figures out: per indicator, a row per site and the total over the sites (one row for the network).
std::vector<Body::Figure> figures_of(const Definition& d, const std::vector<store::Month>& months, const Layout& l) {
    std::vector<Body::Figure> out;
    for (const auto& name : d.indicators) {
        std::vector<int64_t> rows = {0};
        if (!indicator(name)->network) {
            rows = d.sites;
            if (d.sites.size() > 1) rows.push_back(0);
        }
        // Broken down: the row's total, then a row per group, each the sum of its pairs' counts.
        std::vector<std::string> categories = {""};
        if (name == "people_new" && !d.breakdown.empty())
            for (auto g : d.breakdown == "age" ? age_bands() : nationality_groups()) categories.push_back(d.breakdown + ":" + std::string(g));
        const bool network = indicator(name)->network;
        for (int64_t row : rows)
            for (const auto& category : categories)
                for (size_t c = 0; c < l.columns.size(); ++c) {
                    Body::Figure f{name, row, c, {}, false, false, category};
                    for (size_t m : l.months[c])
                        for (int64_t site : network ? std::vector<int64_t>{0} : row != 0 ? std::vector<int64_t>{row} : d.sites) {
                            const std::string key = atom_key(name, site, months[m].key);
                            if (categories.size() == 1) {
                                f.atoms.push_back(key);
                                continue;
                            }
                            for (auto age : age_bands())
                                for (auto nationality : nationality_groups())
                                    if (category.empty() || category == "age:" + std::string(age) ||
                                        category == "nationality:" + std::string(nationality))
                                        f.atoms.push_back(pair_key(key, age, nationality));
                        }
                    out.push_back(std::move(f));
                }
    }
    return out;
}

// An atom as the attacker's program knows it: its key and the value a report used. Every report uses the value the
// first one gave (Reports::log), so this is one unknown per atom; the value stays in the name as a guard: were two
// reports ever to disagree, they would be two unknowns, not a program with no solution.
std::string variable(const std::string& key, int64_t value) { return key + "@" + std::to_string(value); }

// Decides what `b` hides, against every report prepared before it (released or not: an editor saw every draft).
// Figures of different indicators share no atom, so each indicator is a problem of its own; and of the earlier
// reports only the figures linked to this table through shared unknowns can matter, so only they are loaded.
// A month's people broken down in any report are, in every report, the sum of their pairs (age band ×
// nationality group): the month's key stands for those unknowns, so a total released in one report and its groups
// in another are seen together. `frozen` holds every count the log gave a value, pairs included.
Status protect_all(Body& b, const std::vector<std::shared_ptr<const Body>>& log, const std::map<std::string, int64_t>& frozen,
                   std::chrono::steady_clock::time_point deadline) {
    Policy policy{b.definition.k, std::max<int64_t>(3, b.definition.k / 2), true};
    std::map<std::string, std::map<std::string, int64_t>> pairs;  // a month's key → its pairs and their values
    for (const auto* atoms : {&frozen, &std::as_const(b.atoms)})
        for (const auto& [key, value] : *atoms)
            if (auto month = month_of_pair(key); !month.empty()) pairs[month].emplace(key, value);
    for (const auto& name : b.definition.indicators) {
        std::map<std::string, int64_t> ids;  // variable → column of the program
        auto id_of = [&](const std::string& v) { return ids.emplace(v, int64_t(ids.size())).first->second; };
        std::map<std::string, int64_t> value_of;               // variable → its value
        std::map<std::string, std::vector<int64_t>> expanded;  // a month's key → its pairs' columns
        // The program's unknowns that a stored count stands for.
        auto unknowns = [&](const std::string& key, int64_t value, std::vector<int64_t>& into) {
            const auto found = pairs.find(key);
            if (found == pairs.end()) {
                const std::string v = variable(key, value);
                value_of[v] = value;
                into.push_back(id_of(v));
                return;
            }
            auto& columns = expanded[key];
            columns.clear();
            for (const auto& [pair, count] : found->second) {
                const std::string v = variable(pair, count);
                value_of[v] = count;
                columns.push_back(id_of(v));
            }
            into.insert(into.end(), columns.begin(), columns.end());
        };
        std::vector<size_t> mine;
        std::vector<Figure> table;
        std::set<int64_t> linked;
        for (size_t i = 0; i < b.figures.size(); ++i) {
            if (b.figures[i].indicator != name) continue;
            Figure f{{}, b.value(b.figures[i])};
            for (const auto& a : b.figures[i].atoms) unknowns(a, b.atoms.at(a), f.atoms);
            linked.insert(f.atoms.begin(), f.atoms.end());
            table.push_back(std::move(f));
            mine.push_back(i);
        }
        // The earlier figures of this indicator, as unknowns; then only those linked to the table, transitively.
        struct Earlier {
            size_t report;
            const Body::Figure* figure;
            std::vector<int64_t> atoms;
            bool in = false;
        };
        std::vector<Earlier> all;
        for (size_t r = 0; r < log.size(); ++r)
            for (const auto& f : log[r]->figures) {
                if (f.indicator != name) continue;
                Earlier e{r, &f, {}};
                for (const auto& a : f.atoms) unknowns(a, log[r]->atoms.at(a), e.atoms);
                all.push_back(std::move(e));
            }
        for (bool grew = true; grew;) {
            grew = false;
            for (auto& e : all)
                if (!e.in && std::any_of(e.atoms.begin(), e.atoms.end(), [&](int64_t a) { return linked.count(a); })) {
                    e.in = grew = true;
                    linked.insert(e.atoms.begin(), e.atoms.end());
                }
        }
        // The same figure in many reports (the same unknowns, so the same value) is one constraint: known if any
        // report showed it, to protect if any hid it for being small. Reports repeat each other a lot.
        Released merged;
        std::map<std::vector<int64_t>, size_t> seen;
        for (auto& e : all) {
            if (!e.in) continue;
            std::sort(e.atoms.begin(), e.atoms.end());
            auto [at, fresh] = seen.emplace(e.atoms, merged.figures.size());
            if (fresh) {
                merged.figures.push_back({e.atoms, log[e.report]->value(*e.figure)});
                merged.hidden.push_back(e.figure->hidden);
                merged.primary.push_back(e.figure->primary);
            } else {
                merged.hidden[at->second] = merged.hidden[at->second] && e.figure->hidden;
                merged.primary[at->second] = merged.primary[at->second] || e.figure->primary;
            }
        }
        std::vector<Released> before;
        if (!merged.figures.empty()) before.push_back(std::move(merged));
        // Every linked atom under k must stay as uncertain as a hidden figure; so must a month's people under k
        // whose pairs stand for them.
        std::vector<std::vector<int64_t>> small;
        for (const auto& [v, id] : ids)
            if (linked.count(id) && value_of.at(v) < b.definition.k) small.push_back({id});
        for (const auto& [month, columns] : expanded) {
            int64_t total = 0;
            for (const auto& [pair, count] : pairs.at(month)) total += count;
            if (total < b.definition.k && linked.count(columns.front())) small.push_back(columns);
        }
        // One deadline for the whole report, whatever its indicators and retries.
        policy.most_seconds = std::chrono::duration_cast<std::chrono::seconds>(deadline - std::chrono::steady_clock::now()).count();
        if (policy.most_seconds <= 0)
            return make_error(ErrorKind::invalid, "too_large", "The report is too large to check: cover fewer sites, months or indicators.");
        HAVEN_TRY(released, protect(table, before, policy, small));
        for (size_t j = 0; j < mine.size(); ++j) {
            b.figures[mine[j]].hidden = released.hidden[j];
            b.figures[mine[j]].primary = released.primary[j];
        }
    }
    return {};
}

// Gives each count the value the first report gave it. A month's people once broken down are the sum of their
// pairs from then on. A month whose total a report gave without its pairs cannot be broken down afterwards: its
// pairs, counted now, might not add up to what was shown. That is decided from the log alone — comparing them with
// today's records would tell an editor, by a refusal, that someone of that month was erased or added since.
Status freeze(Body& b, const std::map<std::string, int64_t>& frozen) {
    std::map<std::string, int64_t> pair_sums;  // a month's key → the sum of its pairs a report gave
    for (const auto& [key, value] : frozen)
        if (auto month = month_of_pair(key); !month.empty()) pair_sums[month] += value;
    for (auto& [key, value] : b.atoms) {
        if (auto f = frozen.find(key); f != frozen.end())
            value = f->second, ++b.frozen;
        else if (auto sum = pair_sums.find(key); sum != pair_sums.end())
            value = sum->second, ++b.frozen;
        if (auto month = month_of_pair(key); !month.empty() && frozen.count(month) && !pair_sums.count(month))
            return invalid("breakdown",
                           "A report has already counted the people registered in one of these months without breaking them down: those months "
                           "cannot be broken down now. Choose other months, or no breakdown.",
                           "breakdown_changed");
    }
    return {};
}

Report report_of(const store::StoredRelease& s, const Body& b) {
    Report r{s.id, s.prepared_by, s.prepared_at, s.decided_by, s.decided_at, s.state, b.definition, b.columns, {}, 0, b.frozen};
    for (const auto& f : b.figures) {
        Cell c{f.indicator, f.site_id, f.category, f.column, std::nullopt};
        // Rounding only takes away: the check was made on the exact figures, so what it proved still holds.
        if (!f.hidden)
            c.value = b.definition.round_to ? (b.value(f) + b.definition.round_to / 2) / b.definition.round_to * b.definition.round_to : b.value(f);
        r.hidden += f.hidden;
        r.cells.push_back(std::move(c));
    }
    return r;
}

}  // namespace

bool allowed_everywhere(const Principal& actor, Action action, const std::vector<int64_t>& sites) {
    return !sites.empty() && std::all_of(sites.begin(), sites.end(), [&](int64_t s) { return may(actor, action, s); });
}

Status check(const Definition& d) {
    if (d.title.empty()) return invalid("title", "title is required.", "required");
    if (d.title.size() > 200) return invalid("title", "title is at most 200 bytes.", "too_long", 200);
    if (d.sites.empty()) return invalid("sites", "Choose at least one site.", "required");
    if (d.sites.size() > max_sites) return invalid("sites", "A report covers at most 50 sites.", "too_many", int64_t(max_sites));
    const auto from = month_of(d.from), to = month_of(d.to);
    if (!from) return invalid("from", "from is a month as YYYY-MM.", "month");
    if (!to) return invalid("to", "to is a month as YYYY-MM.", "month");
    if (*to < *from) return invalid("to", "to comes before from.", "after_start");
    if ((*to - *from).count() >= int(max_months)) return invalid("to", "A report covers at most 36 months.", "too_long_span", int64_t(max_months));
    if (d.grain != "month" && d.grain != "quarter") return invalid("grain", "grain is month or quarter.", "choose");
    if (d.grain == "quarter" && ((unsigned(from->month()) - 1) % 3 != 0 || unsigned(to->month()) % 3 != 0))
        return invalid("from", "A report by quarter starts in January, April, July or October and ends in March, June, September or December.",
                       "quarter");
    if (d.indicators.empty()) return invalid("indicators", "Choose at least one indicator.", "required");
    for (const auto& name : d.indicators) {
        const Indicator* i = indicator(name);
        if (!i) return invalid("indicators", "An indicator is not one the catalogue knows.", "choose");
        if (i->network && d.grain != "quarter")
            return invalid("indicators", "The emergency network is counted by quarter only.", "network_by_quarter");
    }
    if (d.language.size() != 2) return invalid("language", "language is a two-letter code.", "language");
    if (d.round_to != 0 && d.round_to != 5) return invalid("round_to", "round_to is 0 (exact figures) or 5.", "choose");
    if (!d.breakdown.empty()) {
        if (d.breakdown != "age" && d.breakdown != "nationality") return invalid("breakdown", "breakdown is age, nationality or none.", "choose");
        if (std::find(d.indicators.begin(), d.indicators.end(), "people_new") == d.indicators.end())
            return invalid("breakdown", "Only the people registered are broken down: choose that indicator too.", "breakdown_people");
    }
    return {};
}

Result<int64_t> Reports::prepare(const Principal& actor, Definition d) {
    std::sort(d.sites.begin(), d.sites.end());
    d.sites.erase(std::unique(d.sites.begin(), d.sites.end()), d.sites.end());
    // The catalogue's order, once each, whatever order they came in.
    std::vector<std::string> ordered;
    for (const auto& i : indicators())
        if (std::find(d.indicators.begin(), d.indicators.end(), i.name) != d.indicators.end()) ordered.emplace_back(i.name);
    for (const auto& name : d.indicators)
        if (!indicator(name)) ordered.push_back(name);  // check() names it
    d.indicators = ordered;
    d.k = policy_k;
    HAVEN_CHECK(check(d));
    if (!allowed_everywhere(actor, Action::reports_prepare, d.sites)) return accounts::role_forbids();

    // The checking holds no database connection, but it holds a worker: a few at a time.
    struct Turn {
        std::atomic<int>& n;
        ~Turn() { --n; }
    } turn{preparing_};
    if (++preparing_ > most_preparing) return make_error(ErrorKind::too_many, "busy", "Other reports are being checked: try again in a moment.");

    // Only months that have ended: a month still running changes from one draft to the next, and the difference
    // between two drafts is a count (the people who came in between), however small.
    const int64_t now_ms = clock_.now_ms();
    if (d.to >= date_of(now_ms).substr(0, 7))
        return invalid("to", "A report counts months that have ended: the last one can be the month before this one.", "month_ended");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(most_seconds);
    HAVEN_CHECK(db_.read<int>([&](Tx& tx) -> Result<int> {
        if (store::prepared_since(tx, actor.account_id, now_ms - day_ms) >= most_per_day)
            return make_error(ErrorKind::too_many, "too_many_reports",
                              "You have prepared as many reports as one may in a day (20): try again tomorrow.");
        return 0;
    }));

    const auto months = months_of(d);
    const Layout layout = layout_of(d, months);
    // Counted and checked against the log as it was read; stored only if no other report was prepared meanwhile
    // (else checked again against that one too).
    for (int attempt = 0; attempt < 3; ++attempt) {
        int64_t seen = 0;
        Log before;
        HAVEN_TRY(body, db_.read<Body>([&](Tx& tx) -> Result<Body> {
            if (d.grant_id != 0) {
                auto grant = store::grant(tx, d.grant_id);
                if (!grant || std::find(d.sites.begin(), d.sites.end(), grant->site_id) == d.sites.end() ||
                    !may(actor, Action::grants_view, grant->site_id))
                    return invalid("grant_id", "grant_id is not a grant of one of the report's sites.", "choose");
            }
            // The emergency network is the whole association's: only a report of every site may count it.
            if (std::any_of(d.indicators.begin(), d.indicators.end(), [](const std::string& n) { return indicator(n)->network; }) &&
                store::all_sites(tx) != d.sites)
                return invalid("indicators", "The emergency network is counted only in a report of every site.", "network_everywhere");
            seen = store::reports_prepared(tx);
            HAVEN_TRY(log_read, log(tx));
            before = std::move(log_read);
            Body b{d, layout.columns, {}, figures_of(d, months, layout), 0};
            for (const auto& f : b.figures)
                for (const auto& a : f.atoms) b.atoms.emplace(a, 0);
            for (const auto& name : d.indicators)
                for (const auto& c : store::counts(tx, name, d.sites, months)) {
                    auto at = b.atoms.find(atom_key(name, c.site_id, months[c.month].key));
                    if (at != b.atoms.end()) at->second = c.value;
                }
            if (!d.breakdown.empty()) {  // the people registered in each month, in their pairs
                if (!profiles_) return invalid("breakdown", "Breakdowns are not available here.", "unavailable");
                HAVEN_TRY(people, profiles_(tx, d.sites, months.front().start_ms, months.back().end_ms, most_broken_down));
                for (const auto& p : people) {
                    size_t m = 0;
                    while (m + 1 < months.size() && p.created_at >= months[m].end_ms) ++m;
                    const auto at = b.atoms.find(pair_key(atom_key("people_new", p.site_id, months[m].key), age_band(p.birth_date, p.created_at),
                                                          nationality_group(p.nationality)));
                    if (at != b.atoms.end()) ++at->second;
                }
            }
            return b;
        }));
        HAVEN_CHECK(freeze(body, before.frozen));
        HAVEN_CHECK(protect_all(body, before.bodies, before.frozen, deadline));

        const int64_t id = new_id(), now = clock_.now_ms();
        const std::string sealed = vault_.seal_field("report_releases", "body", id, to_json(body));
        bool stored = false;
        HAVEN_CHECK(db_.write([&](Tx& tx) -> Status {
            if (store::lock_releases(tx) != seen + 1) return {};  // another report came first: check again
            store::insert_release(tx, {id, d.sites.front(), actor.account_id, now, 0, 0, "prepared", sealed, d.grant_id}, d.sites);
            audit_.record(tx, {"report.prepare", actor.account_id, "report", id, d.sites.front()});
            stored = true;
            return {};
        }));
        if (stored) return id;
    }
    return make_error(ErrorKind::too_many, "busy", "Other reports are being prepared: try again in a moment.");
}

Result<std::shared_ptr<const Body>> Reports::body(Tx& tx, int64_t id, const std::string* sealed) {
    {
        std::lock_guard lock(cache_mutex_);
        if (auto found = cache_.find(id); found != cache_.end()) return found->second;
    }
    std::string bytes;
    if (!sealed) {
        auto s = store::release(tx, id);
        if (!s) return not_found();
        bytes = s->body;
        sealed = &bytes;
    }
    HAVEN_TRY(plain, vault_.open_field("report_releases", "body", id, *sealed));
    HAVEN_TRY(b, body_from(plain));
    auto shared = std::make_shared<const Body>(std::move(b));
    std::lock_guard lock(cache_mutex_);
    return cache_.emplace(id, shared).first->second;
}

Result<Reports::Log> Reports::log(Tx& tx, int64_t except) {
    Log out;
    for (const auto& [id, state] : store::report_states(tx)) {
        (void)state;
        if (id == except) continue;
        HAVEN_TRY(b, body(tx, id));
        // A count keeps the value the first report that used it gave, released or not: were a later value a new
        // unknown, a draft before a change and one after it would give the change away, and with it a hidden count.
        for (const auto& [k, v] : b->atoms) out.frozen.emplace(k, v);
        out.bodies.push_back(std::move(b));
    }
    return out;
}

Result<std::vector<int64_t>> Reports::covered(Tx& tx, const Principal& actor, int64_t id, Action action) const {
    auto sites = store::sites_of(tx, id);
    // Another site's report and no report at all answer alike.
    if (!allowed_everywhere(actor, Action::reports_view, sites)) return not_found();
    if (!allowed_everywhere(actor, action, sites)) return accounts::role_forbids();
    return sites;
}

Result<Report> Reports::read(const Principal& actor, int64_t id) {
    return db_.read<Report>([&](Tx& tx) -> Result<Report> {
        HAVEN_CHECK(covered(tx, actor, id, Action::reports_view));
        auto s = store::release(tx, id);
        if (!s) return not_found();
        HAVEN_TRY(b, body(tx, id, &s->body));
        return report_of(*s, *b);
    });
}

Result<std::vector<Summary>> Reports::list(const Principal& actor) {
    std::set<int64_t> sites;
    for (const auto& r : actor.roles)
        if (accounts::role_allows(r.role, Action::reports_view)) sites.insert(r.site_id);
    if (sites.empty()) return accounts::role_forbids();
    return db_.read<std::vector<Summary>>([&](Tx& tx) -> Result<std::vector<Summary>> {
        std::vector<Summary> out;
        std::set<int64_t> seen;
        std::vector<store::StoredRelease> found;
        for (int64_t site : sites)
            for (auto& s : store::releases_at(tx, site, 200))
                if (seen.insert(s.id).second) found.push_back(std::move(s));
        std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.prepared_at > b.prepared_at; });
        for (const auto& s : found) {
            // Only the reports whose every site the reader may see (a network-wide report needs every site).
            if (!allowed_everywhere(actor, Action::reports_view, store::sites_of(tx, s.id))) continue;
            HAVEN_TRY(b, body(tx, s.id, &s.body));
            out.push_back({s.id, s.prepared_at, s.state, b->definition.title, b->definition.from, b->definition.to});
        }
        return out;
    });
}

Status Reports::release(const Principal& actor, int64_t id) {
    // The log opened before the writer is taken (after a restart its bodies are not in memory yet).
    HAVEN_CHECK(db_.read<int>([&](Tx& tx) -> Result<int> {
        HAVEN_CHECK(log(tx, id));
        return 0;
    }));
    return db_.write([&](Tx& tx) -> Status {
        HAVEN_CHECK(covered(tx, actor, id, Action::reports_release));
        auto s = store::release(tx, id);
        if (!s) return not_found();
        if (s->state != "prepared") return make_error(ErrorKind::conflict, "not_prepared", "This report was already released or discarded.");
        if (s->prepared_by == actor.account_id)
            return make_error(ErrorKind::forbidden, "four_eyes", "A report is released by someone other than the one who prepared it.");
        HAVEN_TRY(b, body(tx, id, &s->body));
        // Released reports agree: none released since may have given one of its counts another value.
        HAVEN_TRY(before, log(tx, id));
        for (const auto& [k, v] : b->atoms)
            if (auto f = before.frozen.find(k); f != before.frozen.end() && f->second != v)
                return make_error(ErrorKind::conflict, "changed",
                                  "A report released since this one was prepared counts differently: prepare it again.");
        if (!store::decide(tx, id, "released", actor.account_id, clock_.now_ms()))
            return make_error(ErrorKind::conflict, "not_prepared", "This report was already released or discarded.");
        audit_.record(tx, {"report.release", actor.account_id, "report", id, s->site_id});
        return {};
    });
}

Status Reports::discard(const Principal& actor, int64_t id) {
    return db_.write([&](Tx& tx) -> Status {
        HAVEN_CHECK(covered(tx, actor, id, Action::reports_view));
        auto s = store::release(tx, id);
        if (!s) return not_found();
        if (s->prepared_by != actor.account_id) HAVEN_CHECK(covered(tx, actor, id, Action::reports_release));
        // Still in the log: what a discarded report showed was seen.
        if (s->state != "prepared" || !store::decide(tx, id, "discarded", actor.account_id, clock_.now_ms()))
            return make_error(ErrorKind::conflict, "not_prepared", "This report was already released or discarded.");
        audit_.record(tx, {"report.discard", actor.account_id, "report", id, s->site_id});
        return {};
    });
}

Result<int64_t> only_site(const Principal& actor, Action action) {
    std::set<int64_t> sites;
    for (const auto& r : actor.roles)
        if (accounts::role_allows(r.role, action)) sites.insert(r.site_id);
    if (sites.empty()) return accounts::role_forbids();
    if (sites.size() > 1) return invalid("site_id", "site_id is required: you work at several sites.", "choose");
    return *sites.begin();
}

Result<std::vector<Report>> Reports::for_grant(const Principal& actor, int64_t grant_id) {
    return db_.read<std::vector<Report>>([&](Tx& tx) -> Result<std::vector<Report>> {
        std::vector<Report> out;
        for (const auto& s : store::released_for(tx, grant_id)) {
            if (!allowed_everywhere(actor, Action::reports_view, store::sites_of(tx, s.id))) continue;
            HAVEN_TRY(b, body(tx, s.id, &s.body));
            out.push_back(report_of(s, *b));
        }
        return out;
    });
}

}  // namespace haven::reports
