// Lists in and out of a site: an import's duplicate check and its one transaction, the export, and the
// arrivals per month they feed (the rest of the rules of people: service.cpp).
#include <algorithm>
#include <map>
#include <span>

#include "core/dates.hpp"
#include "modules/people/service.hpp"
#include "modules/people/store.hpp"
#include "text/names.hpp"

namespace haven::people {

using accounts::Action;
using accounts::may;
using storage::Tx;
using store::StoredPerson;

Result<std::vector<std::pair<size_t, Match>>> Service::import_duplicates(const Principal& actor, int64_t site_id, const std::vector<Person>& people) {
    std::vector<std::pair<size_t, Match>> out;
    std::map<std::string, size_t> first_in_list;  // a pseudonym seen earlier in the same file
    for (size_t i = 0; i < people.size(); ++i) {
        if (auto [it, fresh] = first_in_list.emplace(text::fold(people[i].pseudonym), i); !fresh) {
            out.push_back({i, Match{0, site_id, people[it->second].pseudonym, {}, 0}});
            continue;
        }
        HAVEN_TRY(found, duplicates_of(actor, site_id, people[i].names()));
        if (!found.empty()) out.push_back({i, found.front()});
    }
    // Audited once; only pseudonyms are shown (no legal name), so they do not count towards the mass-read alarm,
    // which a coordinator importing the same list twice would otherwise trip.
    HAVEN_CHECK(db_.write([&](Tx& tx) -> Status {
        audit_.record(tx, {"people.import_check", actor.account_id, "site", site_id, site_id, std::to_string(out.size())});
        return {};
    }));
    return out;
}

// An import at least this long refreshes the planner's statistics of people and their name index (Database::analyze).
constexpr size_t analyze_after = 1000;

Result<std::vector<int64_t>> Service::create_all(const Principal& actor, int64_t site_id, std::vector<Person> people,
                                                 const std::function<void(size_t)>& progress, const std::vector<std::pair<int64_t, Person>>& merges) {
    if (!may(actor, Action::people_transfer, site_id)) return accounts::role_forbids();
    // The same rules as intake, whoever planned the list (the import's preview checked it too): all or nothing.
    for (size_t i = 0; i < people.size(); ++i)
        if (auto s = check(people[i], clock_.now_ms()); !s) {
            Error e = s.error();
            e.field = "people[" + std::to_string(i) + "]." + e.field;
            return e;
        }
    HAVEN_TRY(ids, db_.write<std::vector<int64_t>>([&](Tx& tx) -> Result<std::vector<int64_t>> {
        std::vector<int64_t> ids;
        const int64_t now = clock_.now_ms();
        // Fifty at a time: a few statements each, and the progress counted by fifty.
        constexpr size_t group = 50;
        for (size_t at = 0; at < people.size(); at += group) {
            const auto some = std::span(people).subspan(at, std::min(group, people.size() - at));
            for (Person& p : some) p.site_id = site_id;
            insert(tx, some, now);
            for (const Person& p : some) ids.push_back(p.id);
            if (progress && some.size() == group) progress(at + group);
        }
        for (const auto& merge : merges) {
            auto row = store::person(tx, merge.first);
            if (!row || row->site_id != site_id)
                return make_error(ErrorKind::not_found, "not_found", "The person to merge into is not at this site.");
            HAVEN_TRY(known, open(*row));
            merge_into(known, merge.second);
            if (auto s = check(known, now); !s) return s.error();
            HAVEN_CHECK(rewrite(tx, *row, known));
            audit_.record(tx, {"person.import_merge", actor.account_id, "person", row->id, site_id});
        }
        audit_.record(tx, {"people.import", actor.account_id, "site", site_id, site_id, std::to_string(people.size())});
        return ids;
    }));
    // A long list changes what PostgreSQL's planner must know of the name index: gathered now, not by autovacuum a
    // minute later — until then searches over 100,000 people planned from the old statistics took 40-75 ms.
    if (people.size() >= analyze_after) db_.analyze({"people", "people_names"});
    if (progress) progress(people.size());
    return ids;
}

Result<std::vector<Person>> Service::export_site(const Principal& actor, int64_t site_id, const std::string& code) {
    if (!may(actor, Action::people_transfer, site_id)) return accounts::role_forbids();
    // An export hands over every legal name of the site: the second factor is asked again, and every person in
    // it counts towards the mass-read alarm.
    if (auto ok = accounts_.reconfirm(actor, code); !ok) return ok.error();
    HAVEN_TRY(rows, db_.write<std::vector<StoredPerson>>([&](Tx& tx) -> Result<std::vector<StoredPerson>> {
        auto rows = store::people_of_site(tx, site_id);
        audit_.record(tx, {"people.export", actor.account_id, "site", site_id, site_id, std::to_string(rows.size())});
        std::vector<int64_t> ids;
        for (const auto& row : rows) ids.push_back(row.id);
        accounts_.record_reads(tx, actor, "person", ids);
        return rows;
    }));
    std::vector<Person> out;
    for (const auto& row : rows) {
        HAVEN_TRY(p, open(row));
        out.push_back(std::move(p));
    }
    return out;
}

std::vector<std::pair<std::string, int64_t>> Service::arrivals(int64_t site_id, size_t months) {
    std::vector<std::pair<std::string, int64_t>> out;
    db_.read([&](Tx& tx) { out = store::arrivals(tx, site_id, int64_t(months) + 12); });
    // Months still to come (future dates an earlier version accepted) are not arrivals yet.
    const std::string this_month = date_of(clock_.now_ms()).substr(0, 7);
    std::erase_if(out, [&](const auto& m) { return m.first > this_month; });
    if (out.size() > months) out.resize(months);
    return out;
}

}  // namespace haven::people
