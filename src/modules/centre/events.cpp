// Events: registration of known people or visitors, a waitlist that promotes, check-in by QR code or by name, and
// anonymous headcounts.
#include "core/ids.hpp"
#include "core/utf8.hpp"
#include "crypto/random.hpp"
#include "modules/centre/common.hpp"
#include "modules/centre/service.hpp"
#include "modules/centre/store.hpp"

namespace haven::centre {

using accounts::Action;
using accounts::may;
using storage::Tx;

namespace {

constexpr int64_t week_ms = 7LL * 24 * 3600 * 1000;

// A stored registration with the visitor's first name opened (a known person's pseudonym is the caller's to add).
Result<Registration> opened(store::StoredRegistration stored, const crypto::Vault& vault) {
    Registration out = std::move(stored.registration);
    if (stored.sealed_visitor) {
        HAVEN_TRY(name, vault.open_field("registrations", "visitor", out.id, *stored.sealed_visitor));
        out.name = name;
    }
    return out;
}

}  // namespace

Result<Event> Service::load_event(Tx& tx, const Principal& actor, int64_t id) {
    auto stored = store::event(tx, id);
    if (!stored || !may(actor, Action::events_view, stored->event.site_id)) return not_found("event");
    HAVEN_TRY(title, vault_.open_field("events", "title", id, stored->sealed_title));
    Event e = std::move(stored->event);
    e.title = title;
    return e;
}

Result<Event> Service::create_event(const Principal& actor, const EventInput& in) {
    if (!may(actor, Action::events_manage, in.site_id)) return accounts::role_forbids();
    if (in.title.empty() || in.title.size() > 200 || !is_plain_line(in.title))
        return invalid("title", "title is required (at most 200 bytes).", "required");
    if (in.end <= in.start) return invalid("end", "end must come after start.", "after_start");
    if (in.end - in.start > week_ms) return invalid("end", "An event lasts at most a week.", "too_long_span");
    if (in.capacity < 0 || in.capacity > 10000)
        return invalid("capacity", "capacity is a number of places from 0 (drop-in, no registration) to 10000.", "range0", 10000);
    const int64_t id = new_id();
    HAVEN_CHECK(db_.write([&](Tx& tx) -> Status {
        store::insert_event(tx, id, in, vault_.seal_field("events", "title", id, in.title), clock_.now_ms());
        audit_.record(tx, {"event.create", actor.account_id, "event", id, in.site_id});
        return {};
    }));
    return event(actor, id);
}

Result<Event> Service::event(const Principal& actor, int64_t id) {
    return db_.read<Event>([&](Tx& tx) { return load_event(tx, actor, id); });
}

Result<std::vector<Event>> Service::events_at(const Principal& actor, int64_t site_id) {
    if (!may(actor, Action::events_view, site_id)) return accounts::role_forbids();
    return db_.read<std::vector<Event>>([&](Tx& tx) -> Result<std::vector<Event>> {
        std::vector<Event> out;
        for (auto& stored : store::events_ending_after(tx, site_id, clock_.now_ms() - 24LL * 3600 * 1000)) {
            HAVEN_TRY(title, vault_.open_field("events", "title", stored.event.id, stored.sealed_title));
            out.push_back(std::move(stored.event));
            out.back().title = title;
        }
        return out;
    });
}

Result<std::pair<Registration, std::string>> Service::register_for(const Principal& actor, int64_t event_id, int64_t person_id,
                                                                   const std::string& first_name) {
    HAVEN_TRY(e, event(actor, event_id));
    if (!may(actor, Action::events_manage, e.site_id)) return accounts::role_forbids();
    if (e.capacity == 0) return invalid("event_id", "This is a drop-in event: nobody registers, heads are counted at the door.", "drop_in");
    if ((person_id != 0) == !first_name.empty())
        return invalid("first_name", "Give either person_id (someone known) or first_name (a visitor).", "required");
    if (!first_name.empty() && (first_name.size() > 60 || !is_plain_line(first_name)))
        return invalid("first_name", "first_name is at most 60 bytes of text.", "too_long");
    Registration reg{new_id(), event_id, person_id, clock_.now_ms(), 0, first_name, ""};
    const std::string code = crypto::random_token();
    HAVEN_CHECK(db_.write([&](Tx& tx) -> Status {
        if (person_id) {
            HAVEN_TRY(name, pseudonym(tx, person_id, e.site_id));
            reg.name = name;
        }
        // The event's row first: registrations for one event take turns, so places are never over-given.
        store::take_event(tx, event_id);
        if (person_id && store::has_registration(tx, event_id, person_id))
            return make_error(ErrorKind::conflict, "conflict", "The person is registered or waiting already.");
        reg.status = store::registered_count(tx, event_id) < e.capacity ? "registered" : "waitlisted";
        reg.since = queue_place(store::last_registration(tx, event_id), reg.since);
        store::NewRegistration row{reg.id,
                                   event_id,
                                   person_id,
                                   std::nullopt,
                                   reg.status,
                                   reg.since,
                                   vault_.seal_field("registrations", "code", reg.id, code),
                                   crypto::token_hash(code)};
        if (!first_name.empty()) row.sealed_visitor = vault_.seal_field("registrations", "visitor", reg.id, first_name);
        store::insert_registration(tx, row);
        audit_.record(tx, {"event.register", actor.account_id, "event", event_id, e.site_id});
        return {};
    }));
    return std::pair{reg, code};
}

std::optional<Registration> Service::promote_guest(Tx& tx, int64_t event_id, int64_t capacity) {
    if (store::registered_count(tx, event_id) >= capacity) return std::nullopt;
    auto next = store::first_waitlisted_guest(tx, event_id);
    if (!next) return std::nullopt;
    auto reg = opened(std::move(*next), vault_);
    if (!reg) return std::nullopt;
    store::set_registration_status(tx, reg->id, "registered");
    reg->status = "registered";
    if (reg->person_id)
        if (auto name = pseudonym(tx, reg->person_id, 0)) reg->name = name.value();
    return reg.value();
}

Result<std::optional<Registration>> Service::cancel_registration(const Principal& actor, int64_t registration_id) {
    HAVEN_TRY(e, event_of_open(actor, registration_id));
    if (!may(actor, Action::events_manage, e.site_id)) return accounts::role_forbids();
    return db_.write<std::optional<Registration>>([&](Tx& tx) -> Result<std::optional<Registration>> {
        store::take_event(tx, e.id);
        store::set_registration_status(tx, registration_id, "cancelled");
        auto promoted = promote_guest(tx, e.id, e.capacity);
        audit_.record(tx, {"event.cancel_registration", actor.account_id, "event", e.id, e.site_id});
        return promoted;
    });
}

Result<std::vector<Registration>> Service::registrations(const Principal& actor, int64_t event_id) {
    HAVEN_TRY(e, event(actor, event_id));
    if (!may(actor, Action::events_manage, e.site_id) && !may(actor, Action::events_checkin, e.site_id)) return accounts::role_forbids();
    return db_.read<std::vector<Registration>>([&](Tx& tx) -> Result<std::vector<Registration>> {
        std::vector<Registration> out;
        for (auto& stored : store::registrations_in(tx, event_id)) {
            HAVEN_TRY(reg, opened(std::move(stored), vault_));
            if (reg.person_id) {
                HAVEN_TRY(name, pseudonym(tx, reg.person_id, 0));
                reg.name = name;
            }
            out.push_back(std::move(reg));
        }
        return out;
    });
}

Result<std::string> Service::code_of(const Principal& actor, int64_t registration_id) {
    auto found = db_.read<std::pair<Event, std::string>>([&](Tx& tx) -> Result<std::pair<Event, std::string>> {
        auto sealed = store::code_of(tx, registration_id);
        if (!sealed) return not_found("registration");
        // Another site's registration answers like none at all.
        auto e = load_event(tx, actor, sealed->event_id);
        if (!e) return not_found("registration");
        return std::pair{std::move(e).value(), sealed->sealed_code};
    });
    if (!found) return found.error();
    if (!may(actor, Action::events_manage, found->first.site_id)) return accounts::role_forbids();
    return vault_.open_field("registrations", "code", registration_id, found->second);
}

Result<Registration> Service::check_in(const Principal& actor, int64_t event_id, const std::string& code, int64_t registration_id) {
    HAVEN_TRY(e, event(actor, event_id));
    if (!may(actor, Action::events_checkin, e.site_id)) return accounts::role_forbids();
    if (code.size() > 100) return invalid("code", "code is the text of the guest's QR code.", "too_long");
    return db_.write<Registration>([&](Tx& tx) -> Result<Registration> {
        auto stored = code.empty() ? store::registration_at(tx, event_id, registration_id)
                                   : store::registration_by_code(tx, event_id, crypto::token_hash(code));
        if (!stored)
            return make_error(ErrorKind::not_found, code.empty() ? "not_found" : "no_such_ticket",
                              code.empty() ? "There is no such registration for this event." : "This code is not a registration for this event.",
                              code.empty() ? "registration_id" : "code");
        HAVEN_TRY(reg, opened(std::move(*stored), vault_));
        if (reg.person_id) {
            HAVEN_TRY(name, pseudonym(tx, reg.person_id, 0));
            reg.name = name;
        }
        if (reg.status == "waitlisted") return make_error(ErrorKind::conflict, "waitlisted", "This guest is on the waitlist, not registered.");
        if (reg.checked_in_at) return make_error(ErrorKind::conflict, "already_checked_in", "This guest has checked in already.");
        reg.checked_in_at = clock_.now_ms();
        store::check_in(tx, reg.id, reg.checked_in_at);
        audit_.record(tx, {"event.check_in", actor.account_id, "event", event_id, e.site_id});
        return reg;
    });
}

Result<int64_t> Service::add_headcount(const Principal& actor, int64_t event_id, int64_t count) {
    HAVEN_TRY(e, event(actor, event_id));
    if (!may(actor, Action::events_checkin, e.site_id)) return accounts::role_forbids();
    if (count == 0 || count < -1000 || count > 1000)
        return invalid("count", "count is a number of people from 1 to 1000 (negative to correct a mistake).", "count");
    if (e.headcount + count < 0) return invalid("count", "The headcount cannot go below zero.", "below_zero");
    HAVEN_CHECK(db_.write([&](Tx& tx) -> Status {
        store::insert_headcount(tx, new_id(), event_id, count, actor.account_id, clock_.now_ms());
        return {};
    }));
    return e.headcount + count;
}

Result<Event> Service::event_of_open(const Principal& actor, int64_t registration_id) {
    return db_.read<Event>([&](Tx& tx) -> Result<Event> {
        auto event_id = store::event_of_open_registration(tx, registration_id);
        if (!event_id) return not_found("registration");
        // Another site's registration answers like none at all.
        auto e = load_event(tx, actor, *event_id);
        if (!e) return not_found("registration");
        return e;
    });
}

}  // namespace haven::centre
