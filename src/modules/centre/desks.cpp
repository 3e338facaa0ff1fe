// Desks held by residents, and the site's waitlist for them; what every service of the centre shares.
#include <algorithm>

#include "core/dates.hpp"
#include "core/ids.hpp"
#include "modules/accounts/store.hpp"
#include "modules/centre/common.hpp"
#include "modules/centre/service.hpp"
#include "modules/centre/store.hpp"
#include "modules/spaces/store.hpp"

namespace haven::centre {

using accounts::Action;
using accounts::may;
using storage::Tx;

std::string local_date(int64_t ms, const std::string& zone) {
    const spaces::WallTime w = spaces::to_wall(ms, zone);
    char b[16];
    std::snprintf(b, sizeof b, "%04d-%02d-%02d", w.year, w.month, w.day);
    return b;
}

size_t Desks::free() const {
    return size_t(std::count_if(desks.begin(), desks.end(), [](const Desk& d) { return !d.held; }));
}

Service::Service(const modules::Shared& shared, accounts::Service& accounts, people::Service& people, spaces::Service& spaces)
    : db_(shared.db), vault_(shared.vault), clock_(shared.clock), audit_(shared.audit), accounts_(accounts), people_(people), spaces_(spaces) {
    people_.on_erase([this](Tx& tx, int64_t person_id) { give_up_places(tx, person_id); });
}

std::string Service::site_zone(int64_t site_id) { return accounts_.site_zone(site_id); }

int64_t Service::course_of_enrolment(int64_t enrolment_id) {
    std::optional<int64_t> course;
    db_.read([&](Tx& tx) { course = store::course_of_enrolment(tx, enrolment_id); });
    return course.value_or(0);
}

int64_t Service::event_of_registration(int64_t registration_id) {
    std::optional<int64_t> event;
    db_.read([&](Tx& tx) { event = store::event_of_registration(tx, registration_id); });
    return event.value_or(0);
}

Result<std::string> Service::pseudonym(Tx& tx, int64_t person_id, int64_t site_id) {
    // A person of another site and no person at all answer alike, so ids of other sites cannot be probed.
    auto sealer = people_.sealer(tx, person_id);
    if (site_id && (!sealer || sealer->site_id != site_id)) return invalid("person_id", "There is no such person at this site.", "choose");
    if (!sealer) return sealer.error();
    HAVEN_TRY(person, sealer->person());
    return person.pseudonym;
}

Result<Desks> Service::desks(const Principal& actor, int64_t site_id, std::string date, bool with_names) {
    if (!may(actor, Action::spaces_view, site_id)) return accounts::role_forbids();
    if (date.empty()) date = local_date(clock_.now_ms(), site_zone(site_id));
    if (!valid_date(date)) return invalid("date", "date must be written YYYY-MM-DD.", "date");
    const bool names = with_names && may(actor, Action::desks_manage, site_id);
    return db_.read<Desks>([&](Tx& tx) -> Result<Desks> {
        Desks out;
        out.date = date;
        for (const auto& d : store::desks_at(tx, site_id)) {
            Desk desk{d.id, d.name, std::nullopt};
            if (auto a = store::allocation_on(tx, d.id, date)) {
                Holding held{a->id, d.id, a->person_id, d.name, "", a->from, a->to};
                if (names) {
                    HAVEN_TRY(name, pseudonym(tx, held.person_id, 0));
                    held.person = name;
                }
                desk.held = held;
            }
            out.desks.push_back(std::move(desk));
        }
        if (!names) return out;
        for (auto w : store::desk_waitlist(tx, site_id)) {
            HAVEN_TRY(name, pseudonym(tx, w.person_id, 0));
            w.person = name;
            out.waitlist.push_back(std::move(w));
        }
        return out;
    });
}

Result<int64_t> Service::allocate(const Principal& actor, int64_t desk_id, int64_t person_id, const std::string& from, const std::string& to) {
    HAVEN_TRY(desk, spaces_.space(actor, desk_id));
    if (desk.kind != "desk") return not_found("desk");
    if (!may(actor, Action::desks_manage, desk.site_id)) return accounts::role_forbids();
    if (!valid_date(from)) return invalid("from", "from must be a date written YYYY-MM-DD.", "date");
    if (!valid_date(to) || to < from) return invalid("to", "to must be a date written YYYY-MM-DD, not before from.", "date");
    if (*day_start(to) - *day_start(from) > 2 * 366 * day_ms)
        return invalid("to", "A desk is held for at most two years at a time.", "too_long_span");
    const int64_t id = new_id();
    HAVEN_CHECK(db_.write([&](Tx& tx) -> Status {
        HAVEN_CHECK(pseudonym(tx, person_id, desk.site_id));
        spaces::store::take_space(tx, desk_id);  // allocations of a desk take turns
        if (store::desk_held_between(tx, desk_id, from, to))
            return make_error(ErrorKind::conflict, "conflict", "The desk is held on some of those days.");
        if (auto other = store::desk_of_person_between(tx, person_id, from, to))
            return make_error(ErrorKind::conflict, "conflict", "The person already holds desk " + *other + " on some of those days.");
        store::insert_allocation(tx, {id, desk_id, person_id, from, to, actor.account_id}, clock_.now_ms());
        store::delete_desk_wait_of(tx, desk.site_id, person_id);
        audit_.record(tx, {"desk.allocate", actor.account_id, "space", desk_id, desk.site_id});
        return {};
    }));
    return id;
}

Result<int64_t> Service::release(const Principal& actor, int64_t allocation_id) {
    auto held = db_.read<store::AllocationAt>([&](Tx& tx) -> Result<store::AllocationAt> {
        auto a = store::allocation(tx, allocation_id);
        if (!a || !may(actor, Action::spaces_view, a->site_id)) return not_found("desk allocation");
        return *a;
    });
    if (!held) return held.error();
    const int64_t site = held->site_id;
    if (!may(actor, Action::desks_manage, site)) return accounts::role_forbids();
    const std::string day = local_date(clock_.now_ms(), site_zone(site));
    HAVEN_CHECK(db_.write([&](Tx& tx) -> Status {
        if (held->from > day)
            store::delete_allocation(tx, allocation_id);
        else
            store::end_allocation(tx, allocation_id, day);
        audit_.record(tx, {"desk.release", actor.account_id, "space", held->desk_id, site});
        return {};
    }));
    return site;
}

Result<int64_t> Service::wait_for_desk(const Principal& actor, int64_t person_id) {
    const int64_t id = new_id();
    HAVEN_CHECK(db_.write([&](Tx& tx) -> Status {
        HAVEN_TRY(sealer, people_.readable_sealer(tx, actor, person_id));
        if (!may(actor, Action::desks_manage, sealer.site_id)) return accounts::role_forbids();
        if (store::waits_for_desk(tx, person_id, sealer.site_id))
            return make_error(ErrorKind::conflict, "conflict", "The person is on the desk waitlist already.");
        const int64_t since = queue_place(store::last_desk_wait(tx, sealer.site_id), clock_.now_ms());
        store::insert_desk_wait(tx, id, sealer.site_id, person_id, since, actor.account_id);
        audit_.record(tx, {"desk.wait", actor.account_id, "person", person_id, sealer.site_id});
        return {};
    }));
    return id;
}

Result<int64_t> Service::leave_waitlist(const Principal& actor, int64_t waiting_id) {
    return db_.write<int64_t>([&](Tx& tx) -> Result<int64_t> {
        auto w = store::desk_wait(tx, waiting_id);
        if (!w || !may(actor, Action::desks_manage, w->site_id)) return not_found("place on the waitlist");
        store::delete_desk_wait(tx, waiting_id);
        audit_.record(tx, {"desk.unwait", actor.account_id, "person", w->person_id, w->site_id});
        return w->site_id;
    });
}

Result<std::vector<Holding>> Service::desks_of(const Principal& actor, int64_t person_id) {
    return db_.read<std::vector<Holding>>([&](Tx& tx) -> Result<std::vector<Holding>> {
        HAVEN_TRY(sealer, people_.readable_sealer(tx, actor, person_id));
        if (!may(actor, Action::desks_manage, sealer.site_id)) return accounts::role_forbids();
        return store::holdings_of(tx, person_id);
    });
}

}  // namespace haven::centre
