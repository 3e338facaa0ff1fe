#include "modules/people/service.hpp"
#include "core/dates.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cstdint>
#include <map>
#include <set>

#include "core/ids.hpp"
#include "core/utf8.hpp"
#include "crypto/blind_index.hpp"
#include "crypto/random.hpp"
#include "http/json.hpp"
#include "modules/accounts/store.hpp"
#include "modules/people/store.hpp"
#include "text/names.hpp"

namespace haven::people {

using accounts::Action;
using accounts::may;
using storage::Tx;
namespace json = boost::json;

namespace {

constexpr const char* index_name = "people.name";
constexpr const char* pseudonym_index = "people.pseudonym";
constexpr size_t max_query = 200;
// Candidates opened and ranked per query, those holding the most of its index values first: beyond this many
// namesakes, a longer query is needed. Every one is opened: people the index cannot tell apart (a word whose
// only value collides with another's) tie, and cutting ties would lose the person sought.
constexpr size_t max_candidates = 20000;

// A person's data key, wiped when it goes out of scope.
struct PersonKey {
    std::string bytes;
    ~PersonKey() { crypto::wipe(bytes); }
    const unsigned char* data() const { return reinterpret_cast<const unsigned char*>(bytes.data()); }
};

Error not_found() { return make_error(ErrorKind::not_found, "not_found", "There is no such person, or you may not see them."); }

std::string month_of(const std::string& date, int64_t now_ms) { return (date.size() >= 7 ? date : date_of(now_ms)).substr(0, 7); }

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += n + " ";
    return out;
}

}  // namespace

using store::StoredPerson;

const std::vector<std::string_view>& consent_purposes() {
    static const std::vector<std::string_view> v = {"data_processing", "contact", "share_with_partners", "photo_video", "funder_reports"};
    return v;
}

Service::Service(const modules::Shared& shared, accounts::Service& accounts, Settings settings)
    : db_(shared.db), vault_(shared.vault), clock_(shared.clock), audit_(shared.audit), accounts_(accounts), settings_(settings) {}

Result<int64_t> Service::default_site(const Principal& actor, Action action) const {
    std::set<int64_t> sites;
    for (const auto& r : actor.roles)
        if (accounts::role_allows(r.role, action)) sites.insert(r.site_id);
    if (sites.empty()) return accounts::role_forbids();
    if (sites.size() > 1) return invalid("site_id", "site_id is required: you work at several sites.", "choose");
    return *sites.begin();
}

bool Service::may_read(Tx& tx, const Principal& actor, int64_t site_id, int64_t person_id) const {
    if (may(actor, Action::people_view, site_id)) return true;
    return may(actor, Action::people_open, site_id) && accounts::store::has_assignment(tx, actor.account_id, "person", person_id, clock_.now_ms());
}

Result<Person> Service::open(const StoredPerson& row) const {
    HAVEN_TRY(sealer, sealer_for(row));
    return sealer.person();
}

Result<std::vector<Service::Profile>> Service::profiles(Tx& tx, const std::vector<int64_t>& sites, int64_t from_ms, int64_t to_ms,
                                                        size_t most) const {
    const auto rows = store::registered_between(tx, sites, from_ms, to_ms, most + 1);
    if (rows.size() > most) return make_error(ErrorKind::invalid, "too_large", "Too many people to break down: cover fewer sites or months.");
    std::vector<Profile> out;
    out.reserve(rows.size());
    for (const auto& row : rows) {
        HAVEN_TRY(p, open(row));
        out.push_back({row.site_id, row.created_at, std::move(p.birth_date), std::move(p.nationality)});
    }
    return out;
}

std::set<int64_t> Service::index_values(const std::vector<std::string>& names) const {
    std::set<int64_t> values;
    for (const auto& n : names) values.merge(crypto::name_index_values(vault_, index_name, n, settings_.name_index_bits));
    if (!names.empty()) values.insert(crypto::exact_index_value(vault_, pseudonym_index, names.front(), settings_.name_index_bits));
    return values;
}

void Service::write_index(Tx& tx, int64_t id, const std::vector<std::string>& names) { store::replace_names(tx, id, index_values(names)); }

void Service::insert(Tx& tx, std::span<Person> people, int64_t now) {
    std::vector<StoredPerson> rows;
    std::vector<std::pair<int64_t, int64_t>> names;               // (value, person)
    std::map<std::pair<int64_t, std::string>, int64_t> arrivals;  // (site, month) → people
    for (Person& p : people) {
        p.id = new_id();
        p.created_at = p.active_at = now;
        PersonKey key{crypto::random_bytes(crypto::SecretKey::size)};
        const std::string sealed_key = vault_.seal_field("people", "person_key", p.id, key.bytes);
        const std::string record = crypto::aead_seal(json::serialize(to_json(p)), key.data(), record_ad("people", p.id));
        rows.push_back({p.id, p.site_id, now, now, sealed_key, record});
        for (int64_t v : index_values(p.names())) names.emplace_back(v, p.id);
        ++arrivals[{p.site_id, month_of(p.arrival_date, now)}];
    }
    store::insert_people(tx, rows);
    store::add_names(tx, names);
    for (const auto& [at, n] : arrivals) store::count_arrivals(tx, at.first, at.second, n);
}

Result<Service::Created> Service::create(const Principal& actor, Person person, bool look_for_duplicates) {
    if (person.site_id == 0) {
        HAVEN_TRY(site, default_site(actor, Action::people_manage));
        person.site_id = site;
    }
    if (!may(actor, Action::people_manage, person.site_id)) return accounts::role_forbids();
    if (auto s = check(person, clock_.now_ms()); !s) return s.error();
    Created created;
    if (look_for_duplicates) {
        HAVEN_TRY(dups, possible_duplicates(actor, person.site_id, person.names()));
        created.possible_duplicates = std::move(dups);
    }
    HAVEN_CHECK(db_.write([&](Tx& tx) -> Status {
        insert(tx, std::span(&person, 1), clock_.now_ms());
        audit_.record(tx, {"person.create", actor.account_id, "person", person.id, person.site_id});
        return {};
    }));
    created.id = person.id;
    return created;
}

std::vector<int64_t> Service::candidates(Tx& tx, std::string_view query, const std::vector<std::string>* words, bool as_pseudonym) {
    // Whoever bears the query as their pseudonym first, then the people holding a value of every word.
    std::vector<std::set<int64_t>> values;
    for (const auto& word : words ? *words : std::vector<std::string>{})
        values.push_back(crypto::name_index_values(vault_, index_name, word, settings_.name_index_bits));
    std::vector<int64_t> out;
    if (as_pseudonym) out = store::bearers_of(tx, crypto::exact_index_value(vault_, pseudonym_index, query, settings_.name_index_bits), 64);
    const std::set<int64_t> first(out.begin(), out.end());
    for (int64_t id : store::holding_every(tx, values, max_candidates))
        if (!first.count(id)) out.push_back(id);
    return out;
}

std::vector<Match> Service::matches(Tx& tx, const Principal& actor, std::optional<int64_t> site_id, std::vector<int64_t> ids,
                                    const std::function<bool(const Person&)>& keep, size_t limit) {
    // Decrypts candidates in the order given until `limit` are kept: a broad query costs `limit` matches, not
    // every namesake.
    std::vector<Match> out;
    constexpr size_t chunk = 200;
    for (size_t at = 0; at < ids.size() && out.size() < limit; at += chunk) {
        std::vector<int64_t> slice(ids.begin() + at, ids.begin() + std::min(ids.size(), at + chunk));
        std::map<int64_t, StoredPerson> rows;
        for (auto& row : store::people_in(tx, slice)) rows[row.id] = std::move(row);
        for (int64_t id : slice) {
            auto it = rows.find(id);
            if (it == rows.end() || out.size() >= limit) continue;
            const StoredPerson& row = it->second;
            if ((site_id && row.site_id != *site_id) || !may_read(tx, actor, row.site_id, row.id)) continue;
            auto p = open(row);
            if (!p || (keep && !keep(*p))) continue;
            out.push_back({p->id, p->site_id, p->pseudonym, p->legal_names, p->active_at});
        }
    }
    return out;
}

std::vector<Match> Service::ranked(Tx& tx, const Principal& actor, std::optional<int64_t> site_id, const std::vector<int64_t>& ids,
                                   const std::vector<text::KeyedWord>& query, const std::string& pseudonym, size_t limit, const Keep& keep,
                                   bool every_kept) {
    // Every candidate is opened and met before any is shown: the best may be the last the index gave. Only their
    // names are read, and each word is keyed once per query (namesakes share them).
    std::vector<Match> found;
    std::vector<text::Met> met;
    std::vector<int64_t> active;
    text::Keyer keyer(every_kept ? nullptr : &query);
    constexpr size_t chunk = 200;
    const size_t bound = std::min(ids.size(), max_candidates);
    for (size_t at = 0; at < bound; at += chunk) {
        std::vector<int64_t> slice(ids.begin() + at, ids.begin() + std::min(bound, at + chunk));
        for (auto& row : store::people_in(tx, slice)) {
            if ((site_id && row.site_id != *site_id) || !may_read(tx, actor, row.site_id, row.id)) continue;
            auto sealer = sealer_for(row);
            auto m = sealer ? sealer->listed() : Result<Match>(sealer.error());
            if (!m) continue;
            // A search keys finely only the words that can meet it, the duplicate check every word (it compares
            // all of a person's names, not only the query's).
            std::vector<std::vector<text::KeyedWord>> names{keyer.words(m->pseudonym)};
            for (const auto& n : m->legal_names) names.push_back(keyer.words(n));
            if (keep && !keep(*m, names)) continue;
            text::Met how = text::meet(query, names);
            if (!pseudonym.empty() && text::fold(m->pseudonym) == pseudonym) {  // the query is their pseudonym, whole
                how.words = int(query.size());
                how.weakest = text::Level::exact;
                how.score += 1000;
                how.name = 0;
                how.at.assign(query.size(), -1);  // the pseudonym met whole, not word by word
            }
            m->matched_name = how.name;
            m->matched_words = how.at;
            met.push_back(std::move(how));
            active.push_back(m->active_at);
            found.push_back(std::move(*m));
        }
    }
    std::vector<size_t> order;
    if (every_kept) {
        for (size_t i = 0; i < met.size(); ++i) order.push_back(i);
        std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return met[a].score > met[b].score; });
    } else {
        order = text::best_first(met, active);
    }
    std::vector<Match> out;
    for (size_t i : order) {
        if (out.size() >= limit) break;
        out.push_back(std::move(found[i]));
    }
    return out;
}

std::vector<int64_t> Service::ids_of(const std::vector<Match>& shown) {
    std::vector<int64_t> ids;
    for (const auto& m : shown) ids.push_back(m.id);
    return ids;
}

// Lists show legal names: whoever sees them has read those people, for the mass-read alarm as for the audit.
Status Service::count_shown(const Principal& actor, const std::vector<Match>& shown) {
    if (shown.empty()) return {};
    return db_.write([&](Tx& tx) -> Status {
        accounts_.record_reads(tx, actor, "person", ids_of(shown));
        return {};
    });
}

Result<std::vector<Match>> Service::possible_duplicates(const Principal& actor, int64_t site_id, const std::vector<std::string>& names) {
    HAVEN_TRY(out, duplicates_of(actor, site_id, names));
    if (auto counted = count_shown(actor, out); !counted) return counted.error();
    return out;
}

Result<std::vector<Match>> Service::duplicates_of(const Principal& actor, int64_t site_id, const std::vector<std::string>& names) {
    if (!may(actor, Action::people_open, site_id)) return accounts::role_forbids();
    // The same pseudonym, or a legal name whose surname and a given name both meet one of theirs (issue 17:
    // sharing a surname or a given name alone is no warning). Best first.
    const std::string pseudonym = names.empty() ? "" : text::fold(names.front());
    std::vector<std::vector<text::KeyedWord>> mine = {{}};
    for (size_t i = 1; i < names.size(); ++i) mine.push_back(text::keyed_words(names[i]));
    HAVEN_TRY(out, db_.read<std::vector<Match>>([&](Tx& tx) -> Result<std::vector<Match>> {
        std::vector<int64_t> ids;
        std::set<int64_t> seen;
        // The pseudonym only as a whole (word-wise, "Grom1" would meet every "Grom"); a legal name by its words
        // without the patronymic, which a passport's name lacks.
        for (size_t i = 0; i < names.size(); ++i) {
            std::vector<std::string> words;
            for (const auto& w : i ? mine[i] : std::vector<text::KeyedWord>{})
                if (!w.patronymic) words.push_back(w.folded);
            if (i > 0 && words.size() < 2) continue;  // one word cannot be a surname and a given name
            for (int64_t id : candidates(tx, names[i], i ? &words : nullptr, i == 0))
                if (seen.insert(id).second) ids.push_back(id);
        }
        const std::vector<text::KeyedWord> query = mine.size() > 1 ? mine[1] : text::keyed_words(names.empty() ? "" : names[0]);
        return ranked(
            tx, actor, site_id, ids, query, pseudonym, 20,
            [&](const Match& m, const std::vector<std::vector<text::KeyedWord>>& theirs) {
                return (!pseudonym.empty() && text::fold(m.pseudonym) == pseudonym) || text::likely_same_person(mine, theirs);
            },
            true);
    }));
    return out;
}

Result<Person> Service::read(const Principal& actor, int64_t id) {
    HAVEN_TRY(row, db_.write<StoredPerson>([&](Tx& tx) -> Result<StoredPerson> {
        auto row = store::person(tx, id);
        if (!row || !may_read(tx, actor, row->site_id, id)) return not_found();
        accounts_.record_read(tx, actor, "person", id);
        return std::move(*row);
    }));
    return open(row);
}

Status Service::update(const Principal& actor, Person person) {
    if (auto s = check(person, clock_.now_ms()); !s) return s;
    return db_.write([&](Tx& tx) -> Status {
        auto row = store::person(tx, person.id);
        if (!row || !may_read(tx, actor, row->site_id, person.id)) return not_found();
        if (!may(actor, Action::people_manage, row->site_id)) return accounts::role_forbids();
        HAVEN_CHECK(rewrite(tx, *row, person));
        audit_.record(tx, {"person.update", actor.account_id, "person", row->id, row->site_id});
        return {};
    });
}

Status Service::rewrite(Tx& tx, const store::StoredPerson& row, const Person& person) {
    HAVEN_TRY(sealer, sealer_for(row));
    store::set_record(tx, row.id, sealer.seal("people", row.id, json::serialize(to_json(person))), clock_.now_ms());
    write_index(tx, row.id, person.names());
    return {};
}

Result<std::vector<Match>> Service::search(const Principal& actor, std::string_view query, size_t limit, std::optional<int64_t> site_id) {
    if (query.size() > max_query) return invalid("q", "q is longer than 200 bytes.", "too_long");
    if (!may(actor, Action::people_open, std::nullopt)) return accounts::role_forbids();
    const std::string folded = text::fold(query);
    const bool digits = std::any_of(folded.begin(), folded.end(), [](char c) { return c >= '0' && c <= '9'; });
    const auto wanted = text::keyed_words(query);
    HAVEN_TRY(out, db_.read<std::vector<Match>>([&](Tx& tx) -> Result<std::vector<Match>> {
        // Ranked by how the words meet (text::meet): the right person first, not pseudonym order.
        // By its words; as a pseudonym too when it may be one ("Grom1", "Лиса": one word, or digits) — the exact
        // value's bucket holds a few dozen people whose name words hash alike, not worth opening for every name.
        const auto words = text::words(query);
        return ranked(tx, actor, site_id, candidates(tx, query, &words, digits || words.size() < 2), wanted, folded, limit,
                      [&](const Match& m, const auto&) {
                          return !digits || text::fold(m.pseudonym + " " + joined(m.legal_names)).find(folded) != std::string::npos;
                      });
    }));
    HAVEN_CHECK(db_.write([&](Tx& tx) -> Status {
        audit_.record(tx, {"people.search", actor.account_id});
        accounts_.record_reads(tx, actor, "person", ids_of(out));
        return {};
    }));
    return out;
}

Result<Service::Listing> Service::listing(const Principal& actor, int64_t site_id, size_t offset, size_t limit) {
    if (!may(actor, Action::people_open, site_id)) return accounts::role_forbids();
    int64_t total = 0;
    HAVEN_TRY(out, db_.read<std::vector<Match>>([&](Tx& tx) -> Result<std::vector<Match>> {
        const bool all = may(actor, Action::people_view, site_id);
        const int64_t now = clock_.now_ms();
        total = all ? store::count_at(tx, site_id) : store::count_assigned(tx, site_id, actor.account_id, now);
        const auto ids = all ? store::recent_at(tx, site_id, int64_t(limit), int64_t(offset))
                             : store::recent_assigned(tx, site_id, actor.account_id, now, int64_t(limit), int64_t(offset));
        return matches(tx, actor, site_id, ids, {}, limit);
    }));
    std::stable_sort(out.begin(), out.end(), [](const Match& a, const Match& b) { return a.active_at > b.active_at; });
    HAVEN_CHECK(count_shown(actor, out));
    return Listing{std::move(out), total};
}

Result<std::vector<Match>> Service::recent(const Principal& actor, int64_t site_id, size_t limit) {
    HAVEN_TRY(list, listing(actor, site_id, 0, limit));
    return std::move(list.people);
}

Status Service::add_consent(const Principal& actor, int64_t person_id, Consent consent) {
    for (const auto& p : consent.purposes)
        if (std::find(consent_purposes().begin(), consent_purposes().end(), p) == consent_purposes().end())
            return invalid("purposes", "purposes must be among the listed purposes.", "choose");
    if (consent.note.size() > 1000 || !valid_utf8(consent.note) || has_control_chars(consent.note))
        return invalid("note", "note must be UTF-8 text of at most 1000 bytes.", "too_long");
    return db_.write([&](Tx& tx) -> Status {
        auto row = store::person(tx, person_id);
        if (!row || !may_read(tx, actor, row->site_id, person_id)) return not_found();
        if (!may(actor, Action::people_manage, row->site_id)) return accounts::role_forbids();
        HAVEN_TRY(sealer, sealer_for(*row));
        json::array purposes;
        for (const auto& p : consent.purposes) purposes.emplace_back(p);
        const int64_t id = new_id(), now = clock_.now_ms();
        const std::string sealed = sealer.seal("consents", id, json::serialize(json::object{{"purposes", purposes}, {"note", consent.note}}));
        store::insert_consent(tx, id, person_id, sealed, actor.account_id, now);
        store::set_active(tx, person_id, now);
        audit_.record(tx, {"consent.record", actor.account_id, "person", person_id, row->site_id});
        return {};
    });
}

Result<std::vector<Consent>> Service::consents(const Principal& actor, int64_t person_id) {
    struct Stored {
        StoredPerson person;
        std::vector<store::StoredConsent> consents;
    };
    HAVEN_TRY(stored, db_.read<Stored>([&](Tx& tx) -> Result<Stored> {
        auto row = store::person(tx, person_id);
        if (!row || !may_read(tx, actor, row->site_id, person_id)) return not_found();  // not told it exists
        return Stored{std::move(*row), store::consents_of(tx, person_id)};
    }));
    HAVEN_TRY(sealer, sealer_for(stored.person));
    std::vector<Consent> out;
    for (const auto& r : stored.consents) {
        Consent c{r.id, {}, {}, r.recorded_at, r.recorded_by};
        HAVEN_TRY(plain, sealer.open("consents", c.id, r.sealed_record));
        auto v = http::parse_json(plain);
        if (!v || !v->is_object()) return make_error(ErrorKind::unavailable, "bad_ciphertext", "A stored consent is damaged.");
        for (const auto& p : v->as_object()["purposes"].as_array()) c.purposes.emplace_back(p.as_string());
        c.note = std::string(v->as_object()["note"].as_string());
        out.push_back(std::move(c));
    }
    return out;
}

Result<Service::Sealer> Service::sealer(Tx& tx, int64_t person_id) {
    auto row = store::person(tx, person_id);
    if (!row) return not_found();
    return sealer_for(*row);
}

Result<Service::Sealer> Service::readable_sealer(Tx& tx, const Principal& actor, int64_t person_id) {
    auto row = store::person(tx, person_id);
    if (!row || !may_read(tx, actor, row->site_id, person_id)) return not_found();
    return sealer_for(*row);
}

Result<std::vector<Match>> Service::retention_due(const Principal& actor, int64_t site_id) {
    if (!may(actor, Action::people_erase, site_id)) return accounts::role_forbids();
    const int64_t before = clock_.now_ms() - int64_t(settings_.retention_months) * 30 * day_ms;
    HAVEN_TRY(out, db_.read<std::vector<Match>>([&](Tx& tx) -> Result<std::vector<Match>> {
        return matches(tx, actor, site_id, store::inactive_before(tx, site_id, before, 200), {}, 200);
    }));
    std::sort(out.begin(), out.end(), [](const Match& a, const Match& b) { return a.active_at < b.active_at; });
    HAVEN_CHECK(count_shown(actor, out));
    return out;
}

Result<int64_t> Service::erase(const Principal& actor, int64_t id) {
    HAVEN_TRY(site, db_.write<int64_t>([&](Tx& tx) -> Result<int64_t> {
        auto row = store::person(tx, id);
        if (!row || !may_read(tx, actor, row->site_id, id)) return not_found();
        if (!may(actor, Action::people_erase, row->site_id)) return accounts::role_forbids();
        store::delete_assignments_of(tx, id);
        for (const auto& hook : erase_hooks_) hook(tx, id);
        store::delete_person(tx, id);
        audit_.record(tx, {"person.erase", actor.account_id, "person", id, row->site_id});
        return row->site_id;
    }));
    db_.purge_deleted();  // SQLite: leave nothing of theirs in the write-ahead log
    return site;
}

}  // namespace haven::people
