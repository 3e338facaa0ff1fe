// Volunteers, requests for help with ranked suggestions, tasks limited to what a request needs, and a
// site's dashboard.
#include <boost/json.hpp>

#include <algorithm>
#include <ctime>

#include "core/dates.hpp"
#include "core/ids.hpp"
#include "core/utf8.hpp"
#include "http/json.hpp"
#include "modules/accounts/store.hpp"
#include "modules/casework/service.hpp"
#include "modules/casework/store.hpp"

namespace haven::casework {

using accounts::Action;
using accounts::may;
using storage::Tx;
namespace json = boost::json;

namespace {

json::array to_array(const std::vector<std::string>& v) {
    json::array a;
    for (const auto& x : v) a.emplace_back(x);
    return a;
}
std::vector<std::string> from_array(const json::object& o, const char* key) {
    std::vector<std::string> out;
    if (const auto* v = o.if_contains(key); v && v->is_array())
        for (const auto& x : v->as_array())
            if (x.is_string()) out.emplace_back(x.get_string());
    return out;
}
std::string str(const json::object& o, const char* key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

Status subset(std::vector<std::string>& values, const std::vector<std::string_view>& allowed, const char* field) {
    std::vector<std::string> out;
    for (const auto& v : values) {
        if (std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
            std::string list;
            for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
            return invalid(field, std::string(field) + " must be among: " + list + ".", "choose");
        }
        if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
    }
    values = std::move(out);
    return {};
}

Status languages(std::vector<std::string>& values, const char* field) {
    if (values.size() > 10) return invalid(field, std::string(field) + " holds more than 10 values.", "too_many", 10);
    for (auto& l : values) {
        std::transform(l.begin(), l.end(), l.begin(), [](unsigned char c) { return char(std::tolower(c)); });
        if (l.size() < 2 || l.size() > 3 || !std::all_of(l.begin(), l.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
            return invalid(field, std::string(field) + " are two- or three-letter codes such as ru, fr, de.", "language");
    }
    return {};
}

bool holds_role_at(const accounts::store::AccountRow& a, int64_t site) {
    if (a.account.status != accounts::AccountStatus::active) return false;
    return std::any_of(a.account.roles.begin(), a.account.roles.end(), [&](const SiteRole& r) { return r.site_id == site; });
}

std::string weekday_of(int64_t ms) {
    std::time_t t = std::time_t(ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    return std::string(weekdays()[size_t((tm.tm_wday + 6) % 7)]);
}

}  // namespace

const std::vector<std::string_view>& skills() {
    static const std::vector<std::string_view> v = {"translation", "accompaniment", "paperwork", "housing",
                                                    "it",          "childcare",     "transport", "legal_orientation"};
    return v;
}
const std::vector<std::string_view>& weekdays() {
    static const std::vector<std::string_view> v = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    return v;
}
const std::vector<std::string_view>& shareable_fields() {
    static const std::vector<std::string_view> v = {"pseudonym", "phone", "messenger", "email", "languages"};
    return v;
}

// ---- Profiles ----

Status Service::save_profile(const Principal& actor, Profile p) {
    if (p.site_id == 0 && !actor.roles.empty()) p.site_id = actor.roles.front().site_id;
    if (!actor.holds(Role::volunteer, p.site_id)) return invalid("site_id", "A profile belongs to a site where you volunteer.", "choose");
    if (auto s = subset(p.skills, skills(), "skills"); !s) return s;
    if (auto s = subset(p.days, weekdays(), "days"); !s) return s;
    if (auto s = languages(p.languages, "languages"); !s) return s;
    if (p.note.size() > 1000 || !valid_utf8(p.note) || has_control_chars(p.note))
        return invalid("note", "note must be UTF-8 text of at most 1000 bytes.", "too_long");
    const std::string record = json::serialize(
        json::object{{"skills", to_array(p.skills)}, {"languages", to_array(p.languages)}, {"days", to_array(p.days)}, {"note", p.note}});
    return db_.write([&](Tx& tx) -> Status {
        store::save_profile(tx, actor.account_id, p.site_id, vault_.seal_field("volunteer_profiles", "record", actor.account_id, record),
                            clock_.now_ms());
        audit_.record(tx, {"volunteer.profile", actor.account_id, "account", actor.account_id, p.site_id});
        return {};
    });
}

namespace {
Result<Profile> profile_from(const crypto::Vault& vault, const store::StoredProfile& r) {
    auto plain = vault.open_field("volunteer_profiles", "record", r.account_id, r.sealed_record);
    if (!plain) return plain.error();
    auto v = http::parse_json(*plain);
    if (!v || !v->is_object()) return make_error(ErrorKind::unavailable, "bad_ciphertext", "A stored profile is damaged.");
    const auto& o = v->as_object();
    return Profile{r.account_id,          r.site_id,      r.username,  from_array(o, "skills"), from_array(o, "languages"),
                   from_array(o, "days"), str(o, "note"), r.open_tasks};
}
}  // namespace

Result<Profile> Service::my_profile(const Principal& actor) {
    std::optional<store::StoredProfile> stored;
    db_.read([&](Tx& tx) { stored = store::profile(tx, actor.account_id); });
    if (!stored) return Profile{0, 0, actor.username, {}, {}, {}, {}, 0};
    return profile_from(vault_, *stored);
}

Result<std::vector<Profile>> Service::profiles(const Principal& actor, int64_t site_id) {
    if (!may(actor, Action::requests_manage, site_id)) return accounts::role_forbids();
    std::vector<store::StoredProfile> stored;
    db_.read([&](Tx& tx) { stored = store::active_profiles_at(tx, site_id); });
    std::vector<Profile> out;
    for (const auto& r : stored) {
        HAVEN_TRY(p, profile_from(vault_, r));
        out.push_back(std::move(p));
    }
    return out;
}

// ---- Requests ----

Result<int64_t> Service::create_request(const Principal& actor, HelpRequest q) {
    if (q.what.empty() || q.what.size() > 1000 || !valid_utf8(q.what) || has_control_chars(q.what))
        return invalid("what", "what is required: UTF-8 text of at most 1000 bytes.", "required");
    if (!q.skill.empty() && std::find(skills().begin(), skills().end(), q.skill) == skills().end())
        return invalid("skill", "skill must be one of the skills Haven knows.", "choose");
    std::vector<std::string> language{q.language};
    if (!q.language.empty())
        if (auto s = languages(language, "language"); !s) return s.error();
    if (!q.language.empty()) q.language = language[0];
    if (q.fields.empty()) q.fields = {"pseudonym"};
    if (auto s = subset(q.fields, shareable_fields(), "fields"); !s) return s.error();
    std::optional<int64_t> due;
    if (!q.due_date.empty() && !(due = day_start(q.due_date))) return invalid("due_date", "due_date must be a date written YYYY-MM-DD.", "date");
    const int64_t id = new_id();
    HAVEN_CHECK(db_.write([&](Tx& tx) -> Status {
        HAVEN_TRY(sealer, people_.readable_sealer(tx, actor, q.person_id));
        if (!may(actor, Action::requests_manage, sealer.site_id) || !people_.may_read(tx, actor, sealer.site_id, q.person_id))
            return make_error(ErrorKind::not_found, "not_found", "There is no such person, or you may not see them.");
        const std::string record =
            json::serialize(json::object{{"what", q.what}, {"skill", q.skill}, {"language", q.language}, {"fields", to_array(q.fields)}});
        store::insert_request(tx, {id, sealer.site_id, q.person_id, 0, "open", due, sealer.seal("help_requests", id, record), ""}, actor.account_id,
                              clock_.now_ms());
        audit_.record(tx, {"request.create", actor.account_id, "person", q.person_id, sealer.site_id});
        return {};
    }));
    return id;
}

Result<HelpRequest> Service::request_in(Tx& tx, int64_t id) {
    auto r = store::request(tx, id);
    if (!r) return make_error(ErrorKind::not_found, "not_found", "There is no such request.");
    HAVEN_TRY(sealer, people_.sealer(tx, r->person_id));
    HAVEN_TRY(plain, sealer.open("help_requests", id, r->sealed_record));
    auto v = http::parse_json(plain);
    if (!v || !v->is_object()) return make_error(ErrorKind::unavailable, "bad_ciphertext", "A stored request is damaged.");
    const auto& o = v->as_object();
    HAVEN_TRY(person, sealer.person());
    return HelpRequest{id,
                       r->site_id,
                       r->person_id,
                       r->volunteer_id,
                       r->status,
                       str(o, "what"),
                       str(o, "skill"),
                       str(o, "language"),
                       r->due_at ? date_of(*r->due_at) : "",
                       person.pseudonym,
                       r->volunteer,
                       from_array(o, "fields")};
}

Result<std::vector<HelpRequest>> Service::requests(const Principal& actor, int64_t site_id) {
    if (!may(actor, Action::requests_manage, site_id)) return accounts::role_forbids();
    return db_.write<std::vector<HelpRequest>>([&](Tx& tx) -> Result<std::vector<HelpRequest>> {
        std::vector<HelpRequest> out;
        for (int64_t id : store::requests_not_done_at(tx, site_id)) {
            HAVEN_TRY(q, request_in(tx, id));
            out.push_back(std::move(q));
        }
        audit_.record(tx, {"requests.read", actor.account_id, "site", site_id, site_id});
        return out;
    });
}

Result<HelpRequest> Service::read_request(const Principal& actor, int64_t id) {
    return db_.write<HelpRequest>([&](Tx& tx) -> Result<HelpRequest> {
        HAVEN_TRY(q, request_in(tx, id));
        if (!may(actor, Action::requests_manage, q.site_id)) return make_error(ErrorKind::not_found, "not_found", "There is no such request.");
        return q;
    });
}

Result<std::vector<Suggestion>> Service::suggestions(const Principal& actor, int64_t request_id) {
    HAVEN_TRY(q, read_request(actor, request_id));
    HAVEN_TRY(volunteers, profiles(actor, q.site_id));
    const std::string day = q.due_date.empty() ? "" : weekday_of(*day_start(q.due_date));
    std::vector<Suggestion> out;
    for (auto& v : volunteers) {
        Suggestion s{v, 0, {}};
        auto has = [](const std::vector<std::string>& list, const std::string& x) { return std::find(list.begin(), list.end(), x) != list.end(); };
        if (!q.language.empty() && has(v.languages, q.language)) s.score += 4, s.reasons.push_back("language");
        if (!q.skill.empty() && has(v.skills, q.skill)) s.score += 3, s.reasons.push_back("skill");
        if (!day.empty() && has(v.days, day)) s.score += 2, s.reasons.push_back("available");
        if (v.open_tasks == 0) s.score += 1, s.reasons.push_back("free");
        out.push_back(std::move(s));
    }
    std::stable_sort(out.begin(), out.end(), [](const Suggestion& a, const Suggestion& b) {
        return a.score != b.score ? a.score > b.score : a.volunteer.open_tasks < b.volunteer.open_tasks;
    });
    if (out.size() > 10) out.resize(10);
    return out;
}

Status Service::assign_volunteer(const Principal& actor, int64_t request_id, int64_t volunteer_id, const std::string& until_date) {
    std::optional<int64_t> until;
    if (!until_date.empty() && !(until = day_start(until_date))) return invalid("until", "until must be a date written YYYY-MM-DD.", "date");
    return db_.write([&](Tx& tx) -> Status {
        HAVEN_TRY(q, request_in(tx, request_id));
        if (!may(actor, Action::requests_manage, q.site_id)) return make_error(ErrorKind::not_found, "not_found", "There is no such request.");
        if (q.status == "done") return make_error(ErrorKind::conflict, "conflict", "This request is done.");
        auto volunteer = accounts::store::account(tx, volunteer_id);
        if (!volunteer || !holds_role_at(*volunteer, q.site_id))
            return invalid("volunteer_id", "volunteer_id must be an active account of the site.", "choose");
        const int64_t now = clock_.now_ms();
        // Access lasts until the given day ends, else a day past the due date, else two weeks.
        int64_t ends = until ? *until + day_ms : !q.due_date.empty() ? *day_start(q.due_date) + 2 * day_ms : now + 14 * day_ms;
        if (ends <= now) return invalid("until", "until must not be in the past.", "past");
        if (q.volunteer_id) end_grant(tx, q.volunteer_id, "request", request_id);
        store::assign_request(tx, request_id, volunteer_id);
        grant(tx, actor, volunteer_id, "request", request_id, ends);
        audit_.record(tx, {"request.assign", actor.account_id, "account", volunteer_id, q.site_id});
        return {};
    });
}

std::vector<Task> Service::tasks(const Principal& actor) {
    std::vector<Task> out;
    (void)db_.write([&](Tx& tx) -> Status {
        for (const auto& r : store::tasks_of(tx, actor.account_id, clock_.now_ms())) {
            auto q = request_in(tx, r.request_id);
            if (!q) continue;
            auto sealer = people_.sealer(tx, q->person_id);
            if (!sealer) continue;
            auto person = sealer->person();
            if (!person) continue;
            Task t{*q, {}, r.until};
            t.request.pseudonym.clear();
            for (const auto& f : q->fields) {
                std::string value = f == "pseudonym"   ? person->pseudonym
                                    : f == "phone"     ? person->phone
                                    : f == "messenger" ? person->messenger
                                    : f == "email"     ? person->email
                                                       : "";
                if (f == "languages")
                    for (const auto& l : person->languages) value += (value.empty() ? "" : ", ") + l;
                if (f == "pseudonym") t.request.pseudonym = value;
                t.person.emplace_back(f, value);
            }
            accounts_.record_read(tx, actor, "request", q->id);
            out.push_back(std::move(t));
        }
        return {};
    });
    std::sort(out.begin(), out.end(), [](const Task& a, const Task& b) { return a.request.due_date < b.request.due_date; });
    return out;
}

Status Service::complete_task(const Principal& actor, int64_t request_id) {
    return db_.write([&](Tx& tx) -> Status {
        HAVEN_TRY(q, request_in(tx, request_id));
        const bool mine =
            q.volunteer_id == actor.account_id && accounts::store::has_assignment(tx, actor.account_id, "request", request_id, clock_.now_ms());
        if (!mine && !may(actor, Action::requests_manage, q.site_id))
            return make_error(ErrorKind::not_found, "not_found", "There is no such request.");
        store::finish_request(tx, request_id);
        if (q.volunteer_id) end_grant(tx, q.volunteer_id, "request", request_id);
        audit_.record(tx, {"request.done", actor.account_id, "person", q.person_id, q.site_id});
        return {};
    });
}

Result<Dashboard> Service::dashboard(const Principal& actor, int64_t site_id) {
    if (!may(actor, Action::dashboard_view, site_id)) return accounts::role_forbids();
    Dashboard d;
    d.arrivals = people_.arrivals(site_id, 12);
    const int64_t today = clock_.now_ms() / day_ms * day_ms;
    store::SiteCounts counts;
    db_.read([&](Tx& tx) { counts = store::site_counts(tx, site_id, today, today + 7 * day_ms); });
    d.people = counts.people;
    d.open_cases = counts.open_cases;
    d.deadlines_this_week = counts.deadlines_this_week;
    d.overdue = counts.overdue;
    d.open_requests = counts.open_requests;
    return d;
}

}  // namespace haven::casework
