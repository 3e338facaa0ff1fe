#include "core/utf8.hpp"
#include "crypto/random.hpp"
#include "modules/accounts/store.hpp"
#include "modules/centre/common.hpp"
#include "modules/centre/service.hpp"

namespace haven::centre {

using accounts::Action;
using accounts::may;
using storage::Blob;
using storage::Tx;

namespace {

constexpr int64_t week_ms = 7LL * 24 * 3600 * 1000;

constexpr const char* event_columns =
    "SELECT e.id, e.site_id, e.start_at, e.end_at, e.capacity, e.title, t.time_zone, "
    "(SELECT COUNT(*) FROM registrations r WHERE r.event_id = e.id AND r.status = 'registered'), "
    "(SELECT COUNT(*) FROM registrations r WHERE r.event_id = e.id AND r.status = 'waitlisted'), "
    "(SELECT COUNT(*) FROM registrations r WHERE r.event_id = e.id AND r.checked_in_at IS NOT NULL), "
    "(SELECT CAST(COALESCE(SUM(h.count), 0) AS BIGINT) FROM headcounts h WHERE h.event_id = e.id) "
    "FROM events e JOIN sites t ON t.id = e.site_id ";

constexpr const char* registration_columns = "SELECT id, event_id, person_id, since, checked_in_at, status, visitor FROM registrations ";

}  // namespace

Result<Event> Service::load_event(Tx& tx, const Principal& actor, int64_t id) {
    auto rows = tx.query(std::string(event_columns) + "WHERE e.id = $1", {id});
    if (rows.empty() || !may(actor, Action::events_view, rows[0].integer(1))) return not_found("event");
    const auto& r = rows[0];
    HAVEN_TRY(title, vault_.open_field("events", "title", r.integer(0), r.blob(5).str()));
    return Event{r.integer(0), r.integer(1), r.integer(2), r.integer(3), r.integer(4), title, r.text(6), r.integer(7), r.integer(8), r.integer(9), r.integer(10)};
}

Result<Event> Service::create_event(const Principal& actor, const EventInput& in) {
    if (!may(actor, Action::events_manage, in.site_id)) return accounts::role_forbids();
    if (in.title.empty() || in.title.size() > 200 || !is_plain_line(in.title))
        return invalid("title", "title is required (at most 200 bytes).");
    if (in.end <= in.start) return invalid("end", "end must come after start.");
    if (in.end - in.start > week_ms) return invalid("end", "An event lasts at most a week.");
    if (in.capacity < 0 || in.capacity > 10000) return invalid("capacity", "capacity is a number of places from 0 (drop-in, no registration) to 10000.");
    const int64_t id = accounts::store::new_id();
    Status s = db_.write([&](Tx& tx) -> Status {
        tx.exec("INSERT INTO events (id, site_id, title, start_at, end_at, capacity, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                {id, in.site_id, Blob::of(vault_.seal_field("events", "title", id, in.title)), in.start, in.end, in.capacity, clock_.now_ms()});
        accounts_.audit(tx, "event.create", actor.account_id, "event", id, in.site_id);
        return {};
    });
    if (!s) return s.error();
    return event(actor, id);
}

Result<Event> Service::event(const Principal& actor, int64_t id) {
    std::optional<Result<Event>> out;
    db_.read([&](Tx& tx) { out = load_event(tx, actor, id); });
    return std::move(*out);
}

Result<std::vector<Event>> Service::events_at(const Principal& actor, int64_t site_id) {
    if (!may(actor, Action::events_view, site_id)) return accounts::role_forbids();
    std::vector<Event> out;
    Status s = read(db_, [&](Tx& tx) -> Status {
        for (const auto& r : tx.query("SELECT id FROM events WHERE site_id = $1 AND end_at >= $2 ORDER BY start_at LIMIT 200",
                                      {site_id, clock_.now_ms() - 24LL * 3600 * 1000})) {
            HAVEN_TRY(e, load_event(tx, actor, r.integer(0)));
            out.push_back(std::move(e));
        }
        return {};
    });
    if (!s) return s.error();
    return out;
}

Result<std::pair<Registration, std::string>> Service::register_for(const Principal& actor, int64_t event_id, int64_t person_id,
                                                                   const std::string& first_name) {
    HAVEN_TRY(e, event(actor, event_id));
    if (!may(actor, Action::events_manage, e.site_id)) return accounts::role_forbids();
    if (e.capacity == 0) return invalid("event_id", "This is a drop-in event: nobody registers, heads are counted at the door.");
    if ((person_id != 0) == !first_name.empty()) return invalid("first_name", "Give either person_id (someone known) or first_name (a visitor).");
    if (!first_name.empty() && (first_name.size() > 60 || !is_plain_line(first_name)))
        return invalid("first_name", "first_name is at most 60 bytes of text.");
    Registration reg{accounts::store::new_id(), event_id, person_id, clock_.now_ms(), 0, first_name, ""};
    const std::string code = crypto::random_token();
    Status s = db_.write([&](Tx& tx) -> Status {
        if (person_id) {
            HAVEN_TRY(name, pseudonym(tx, person_id, e.site_id));
            reg.name = name;
        }
        // The event's row first: registrations for one event take turns, so places are never over-given.
        tx.exec("UPDATE events SET capacity = capacity WHERE id = $1", {event_id});
        if (person_id && !tx.query("SELECT 1 FROM registrations WHERE event_id = $1 AND person_id = $2 AND status <> 'cancelled'", {event_id, person_id}).empty())
            return make_error(ErrorKind::conflict, "conflict", "The person is registered or waiting already.");
        const int64_t taken = tx.query("SELECT COUNT(*) FROM registrations WHERE event_id = $1 AND status = 'registered'", {event_id})[0].integer(0);
        reg.status = taken < e.capacity ? "registered" : "waitlisted";
        reg.since = queue_place(tx, "SELECT MAX(since) FROM registrations WHERE event_id = $1", event_id, reg.since);
        const storage::Value visitor = first_name.empty() ? storage::Value(nullptr) : storage::Value(Blob::of(vault_.seal_field("registrations", "visitor", reg.id, first_name)));
        tx.exec("INSERT INTO registrations (id, event_id, person_id, visitor, status, since, code, code_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                {reg.id, event_id, person_id ? storage::Value(person_id) : storage::Value(nullptr), visitor, reg.status, reg.since,
                 Blob::of(vault_.seal_field("registrations", "code", reg.id, code)), crypto::token_hash(code)});
        accounts_.audit(tx, "event.register", actor.account_id, "event", event_id, e.site_id);
        return {};
    });
    if (!s) return s.error();
    return std::pair{reg, code};
}

namespace {
Result<Registration> registration_from(const storage::Row& r, const crypto::Vault& vault) {
    Registration out{r.integer(0), r.integer(1), r.is_null(2) ? 0 : r.integer(2), r.integer(3), r.is_null(4) ? 0 : r.integer(4), "", r.text(5)};
    if (!r.is_null(6)) {
        HAVEN_TRY(name, vault.open_field("registrations", "visitor", out.id, r.blob(6).str()));
        out.name = name;
    }
    return out;
}
}  // namespace

std::optional<Registration> Service::promote_guest(Tx& tx, int64_t event_id, int64_t capacity) {
    const int64_t taken = tx.query("SELECT COUNT(*) FROM registrations WHERE event_id = $1 AND status = 'registered'", {event_id})[0].integer(0);
    if (taken >= capacity) return std::nullopt;
    auto next = tx.query(std::string(registration_columns) + "WHERE event_id = $1 AND status = 'waitlisted' ORDER BY since, id LIMIT 1", {event_id});
    if (next.empty()) return std::nullopt;
    auto reg = registration_from(next[0], vault_);
    if (!reg) return std::nullopt;
    tx.exec("UPDATE registrations SET status = 'registered' WHERE id = $1", {reg->id});
    reg->status = "registered";
    if (reg->person_id)
        if (auto name = pseudonym(tx, reg->person_id, 0)) reg->name = name.value();
    return reg.value();
}

Result<std::optional<Registration>> Service::cancel_registration(const Principal& actor, int64_t registration_id) {
    auto rows = db_.query("SELECT event_id FROM registrations WHERE id = $1 AND status <> 'cancelled'", {registration_id});
    if (rows.empty()) return not_found("registration");
    // Another site's registration answers like none at all.
    auto e_found = event(actor, rows[0].integer(0));
    if (!e_found) return not_found("registration");
    auto e = std::move(e_found).value();
    if (!may(actor, Action::events_manage, e.site_id)) return accounts::role_forbids();
    std::optional<Registration> promoted;
    Status s = db_.write([&](Tx& tx) -> Status {
        tx.exec("UPDATE events SET capacity = capacity WHERE id = $1", {e.id});
        tx.exec("UPDATE registrations SET status = 'cancelled' WHERE id = $1", {registration_id});
        promoted = promote_guest(tx, e.id, e.capacity);
        accounts_.audit(tx, "event.cancel_registration", actor.account_id, "event", e.id, e.site_id);
        return {};
    });
    if (!s) return s.error();
    return promoted;
}

Result<std::vector<Registration>> Service::registrations(const Principal& actor, int64_t event_id) {
    HAVEN_TRY(e, event(actor, event_id));
    if (!may(actor, Action::events_manage, e.site_id) && !may(actor, Action::events_checkin, e.site_id)) return accounts::role_forbids();
    std::vector<Registration> out;
    Status s = read(db_, [&](Tx& tx) -> Status {
        for (const auto& r : tx.query(std::string(registration_columns) + "WHERE event_id = $1 AND status <> 'cancelled' ORDER BY status, since, id", {event_id})) {
            HAVEN_TRY(reg, registration_from(r, vault_));
            if (reg.person_id) {
                HAVEN_TRY(name, pseudonym(tx, reg.person_id, 0));
                reg.name = name;
            }
            out.push_back(std::move(reg));
        }
        return {};
    });
    if (!s) return s.error();
    return out;
}

Result<std::string> Service::code_of(const Principal& actor, int64_t registration_id) {
    auto rows = db_.query("SELECT event_id, code FROM registrations WHERE id = $1 AND status <> 'cancelled'", {registration_id});
    if (rows.empty()) return not_found("registration");
    // Another site's registration answers like none at all.
    auto e_found = event(actor, rows[0].integer(0));
    if (!e_found) return not_found("registration");
    auto e = std::move(e_found).value();
    if (!may(actor, Action::events_manage, e.site_id)) return accounts::role_forbids();
    return vault_.open_field("registrations", "code", registration_id, rows[0].blob(1).str());
}

Result<Registration> Service::check_in(const Principal& actor, int64_t event_id, const std::string& code, int64_t registration_id) {
    HAVEN_TRY(e, event(actor, event_id));
    if (!may(actor, Action::events_checkin, e.site_id)) return accounts::role_forbids();
    if (code.size() > 100) return invalid("code", "code is the text of the guest's QR code.");
    std::optional<Registration> reg;
    Status s = db_.write([&](Tx& tx) -> Status {
        auto rows = code.empty() ? tx.query(std::string(registration_columns) + "WHERE id = $1 AND event_id = $2 AND status <> 'cancelled'", {registration_id, event_id})
                                 : tx.query(std::string(registration_columns) + "WHERE code_hash = $1 AND event_id = $2 AND status <> 'cancelled'",
                                            {crypto::token_hash(code), event_id});
        if (rows.empty())
            return make_error(ErrorKind::not_found, "not_found", code.empty() ? "There is no such registration for this event." : "This code is not a registration for this event.",
                              code.empty() ? "registration_id" : "code");
        HAVEN_TRY(found, registration_from(rows[0], vault_));
        if (found.person_id) {
            HAVEN_TRY(name, pseudonym(tx, found.person_id, 0));
            found.name = name;
        }
        reg = found;
        if (found.status == "waitlisted") return make_error(ErrorKind::conflict, "waitlisted", "This guest is on the waitlist, not registered.");
        if (found.checked_in_at) return make_error(ErrorKind::conflict, "already_checked_in", "This guest has checked in already.");
        reg->checked_in_at = clock_.now_ms();
        tx.exec("UPDATE registrations SET checked_in_at = $1 WHERE id = $2", {reg->checked_in_at, found.id});
        accounts_.audit(tx, "event.check_in", actor.account_id, "event", event_id, e.site_id);
        return {};
    });
    if (!s) return s.error();
    return *reg;
}

Result<int64_t> Service::add_headcount(const Principal& actor, int64_t event_id, int64_t count) {
    HAVEN_TRY(e, event(actor, event_id));
    if (!may(actor, Action::events_checkin, e.site_id)) return accounts::role_forbids();
    if (count == 0 || count < -1000 || count > 1000) return invalid("count", "count is a number of people from 1 to 1000 (negative to correct a mistake).");
    if (e.headcount + count < 0) return invalid("count", "The headcount cannot go below zero.");
    Status s = db_.write([&](Tx& tx) -> Status {
        tx.exec("INSERT INTO headcounts (id, event_id, count, counted_by, counted_at) VALUES ($1, $2, $3, $4, $5)",
                {accounts::store::new_id(), event_id, count, actor.account_id, clock_.now_ms()});
        return {};
    });
    if (!s) return s.error();
    return e.headcount + count;
}

}  // namespace haven::centre
