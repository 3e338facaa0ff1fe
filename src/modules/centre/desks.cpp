#include <algorithm>

#include "core/dates.hpp"
#include "modules/accounts/store.hpp"
#include "modules/centre/common.hpp"
#include "modules/centre/service.hpp"

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

Service::Service(storage::Database& db, const crypto::Vault& vault, const Clock& clock, accounts::Service& accounts, people::Service& people,
                 spaces::Service& spaces)
    : db_(db), vault_(vault), clock_(clock), accounts_(accounts), people_(people), spaces_(spaces) {
    people_.on_erase([this](Tx& tx, int64_t person_id) { give_up_places(tx, person_id); });
}

std::string Service::site_zone(int64_t site_id) {
    auto rows = db_.query("SELECT time_zone FROM sites WHERE id = $1", {site_id});
    return rows.empty() ? std::string("UTC") : rows[0].text(0);
}

int64_t Service::course_of_enrolment(int64_t enrolment_id) {
    auto rows = db_.query("SELECT course_id FROM course_enrolments WHERE id = $1", {enrolment_id});
    return rows.empty() ? 0 : rows[0].integer(0);
}

int64_t Service::event_of_registration(int64_t registration_id) {
    auto rows = db_.query("SELECT event_id FROM registrations WHERE id = $1", {registration_id});
    return rows.empty() ? 0 : rows[0].integer(0);
}

Result<std::string> Service::pseudonym(Tx& tx, int64_t person_id, int64_t site_id) {
    // A person of another site and no person at all answer alike, so ids of other sites cannot be probed.
    auto sealer = people_.sealer(tx, person_id);
    if (site_id && (!sealer || sealer->site_id != site_id)) return invalid("person_id", "There is no such person at this site.");
    if (!sealer) return sealer.error();
    HAVEN_TRY(person, sealer->person());
    return person.pseudonym;
}

Result<Desks> Service::desks(const Principal& actor, int64_t site_id, std::string date, bool with_names) {
    if (!may(actor, Action::spaces_view, site_id)) return accounts::role_forbids();
    if (date.empty()) date = local_date(clock_.now_ms(), site_zone(site_id));
    if (!valid_date(date)) return invalid("date", "date must be written YYYY-MM-DD.");
    const bool names = with_names && may(actor, Action::desks_manage, site_id);
    Desks out;
    out.date = date;
    Status s = read(db_, [&](Tx& tx) -> Status {
        for (const auto& r : tx.query("SELECT id, name FROM spaces WHERE site_id = $1 AND kind = 'desk' ORDER BY name", {site_id}))
            out.desks.push_back({r.integer(0), r.text(1), std::nullopt});
        for (auto& d : out.desks) {
            auto rows = tx.query("SELECT id, person_id, from_date, to_date FROM desk_allocations WHERE space_id = $1 AND from_date <= $2 AND to_date >= $2",
                                 {d.id, date});
            if (rows.empty()) continue;
            const auto& r = rows[0];
            Holding held{r.integer(0), d.id, r.integer(1), d.name, "", r.text(2), r.text(3)};
            if (names) {
                HAVEN_TRY(name, pseudonym(tx, held.person_id, 0));
                held.person = name;
            }
            d.held = held;
        }
        if (!names) return {};
        for (const auto& r : tx.query("SELECT id, person_id, since FROM desk_waitlist WHERE site_id = $1 ORDER BY since, id", {site_id})) {
            HAVEN_TRY(name, pseudonym(tx, r.integer(1), 0));
            out.waitlist.push_back({r.integer(0), r.integer(1), r.integer(2), name});
        }
        return {};
    });
    if (!s) return s.error();
    return out;
}

Result<int64_t> Service::allocate(const Principal& actor, int64_t desk_id, int64_t person_id, const std::string& from, const std::string& to) {
    HAVEN_TRY(desk, spaces_.space(actor, desk_id));
    if (desk.kind != "desk") return not_found("desk");
    if (!may(actor, Action::desks_manage, desk.site_id)) return accounts::role_forbids();
    if (!valid_date(from)) return invalid("from", "from must be a date written YYYY-MM-DD.");
    if (!valid_date(to) || to < from) return invalid("to", "to must be a date written YYYY-MM-DD, not before from.");
    if (*day_start(to) - *day_start(from) > 2 * 366 * day_ms) return invalid("to", "A desk is held for at most two years at a time.");
    const int64_t id = accounts::store::new_id();
    Status s = db_.write([&](Tx& tx) -> Status {
        HAVEN_TRY(name, pseudonym(tx, person_id, desk.site_id));
        (void)name;
        tx.exec("UPDATE spaces SET bookings_version = bookings_version + 1 WHERE id = $1", {desk_id});  // allocations of a desk take turns
        if (!tx.query("SELECT 1 FROM desk_allocations WHERE space_id = $1 AND from_date <= $2 AND to_date >= $3", {desk_id, to, from}).empty())
            return make_error(ErrorKind::conflict, "conflict", "The desk is held on some of those days.");
        if (auto other = tx.query("SELECT s.name FROM desk_allocations d JOIN spaces s ON s.id = d.space_id WHERE d.person_id = $1 AND d.from_date <= $2 "
                                  "AND d.to_date >= $3",
                                  {person_id, to, from});
            !other.empty())
            return make_error(ErrorKind::conflict, "conflict", "The person already holds desk " + other[0].text(0) + " on some of those days.");
        tx.exec("INSERT INTO desk_allocations (id, space_id, person_id, from_date, to_date, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                {id, desk_id, person_id, from, to, actor.account_id, clock_.now_ms()});
        tx.exec("DELETE FROM desk_waitlist WHERE site_id = $1 AND person_id = $2", {desk.site_id, person_id});
        accounts_.audit(tx, "desk.allocate", actor.account_id, "space", desk_id, desk.site_id);
        return {};
    });
    if (!s) return s.error();
    return id;
}

Result<int64_t> Service::release(const Principal& actor, int64_t allocation_id) {
    auto rows = db_.query("SELECT d.space_id, s.site_id, d.from_date FROM desk_allocations d JOIN spaces s ON s.id = d.space_id WHERE d.id = $1",
                          {allocation_id});
    if (rows.empty() || !may(actor, Action::spaces_view, rows[0].integer(1))) return not_found("desk allocation");
    const int64_t site = rows[0].integer(1);
    if (!may(actor, Action::desks_manage, site)) return accounts::role_forbids();
    const std::string day = local_date(clock_.now_ms(), site_zone(site));
    Status s = db_.write([&](Tx& tx) -> Status {
        if (rows[0].text(2) > day)
            tx.exec("DELETE FROM desk_allocations WHERE id = $1", {allocation_id});
        else
            tx.exec("UPDATE desk_allocations SET to_date = $1 WHERE id = $2 AND to_date > $1", {day, allocation_id});
        accounts_.audit(tx, "desk.release", actor.account_id, "space", rows[0].integer(0), site);
        return {};
    });
    if (!s) return s.error();
    return site;
}

Result<int64_t> Service::wait_for_desk(const Principal& actor, int64_t person_id) {
    const int64_t id = accounts::store::new_id();
    Status s = db_.write([&](Tx& tx) -> Status {
        HAVEN_TRY(sealer, people_.readable_sealer(tx, actor, person_id));
        if (!may(actor, Action::desks_manage, sealer.site_id)) return accounts::role_forbids();
        if (!tx.query("SELECT 1 FROM desk_waitlist WHERE person_id = $1 AND site_id = $2", {person_id, sealer.site_id}).empty())
            return make_error(ErrorKind::conflict, "conflict", "The person is on the desk waitlist already.");
        const int64_t since = queue_place(tx, "SELECT MAX(since) FROM desk_waitlist WHERE site_id = $1", sealer.site_id, clock_.now_ms());
        tx.exec("INSERT INTO desk_waitlist (id, site_id, person_id, since, created_by) VALUES ($1, $2, $3, $4, $5)",
                {id, sealer.site_id, person_id, since, actor.account_id});
        accounts_.audit(tx, "desk.wait", actor.account_id, "person", person_id, sealer.site_id);
        return {};
    });
    if (!s) return s.error();
    return id;
}

Result<int64_t> Service::leave_waitlist(const Principal& actor, int64_t waiting_id) {
    int64_t site = 0;
    Status s = db_.write([&](Tx& tx) -> Status {
        auto rows = tx.query("SELECT site_id, person_id FROM desk_waitlist WHERE id = $1", {waiting_id});
        if (rows.empty() || !may(actor, Action::desks_manage, rows[0].integer(0))) return not_found("place on the waitlist");
        site = rows[0].integer(0);
        tx.exec("DELETE FROM desk_waitlist WHERE id = $1", {waiting_id});
        accounts_.audit(tx, "desk.unwait", actor.account_id, "person", rows[0].integer(1), site);
        return {};
    });
    if (!s) return s.error();
    return site;
}

Result<std::vector<Holding>> Service::desks_of(const Principal& actor, int64_t person_id) {
    std::vector<Holding> out;
    Status s = read(db_, [&](Tx& tx) -> Status {
        HAVEN_TRY(sealer, people_.readable_sealer(tx, actor, person_id));
        if (!may(actor, Action::desks_manage, sealer.site_id)) return accounts::role_forbids();
        for (const auto& r : tx.query("SELECT d.id, d.space_id, s.name, d.from_date, d.to_date FROM desk_allocations d JOIN spaces s ON s.id = d.space_id "
                                      "WHERE d.person_id = $1 ORDER BY d.from_date DESC",
                                      {person_id}))
            out.push_back({r.integer(0), r.integer(1), person_id, r.text(2), "", r.text(3), r.text(4)});
        return {};
    });
    if (!s) return s.error();
    return out;
}

}  // namespace haven::centre
