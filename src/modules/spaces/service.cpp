#include "modules/spaces/service.hpp"

#include <algorithm>

#include "core/ids.hpp"
#include "core/utf8.hpp"
#include "crypto/random.hpp"
#include "modules/spaces/ical.hpp"
#include "modules/spaces/store.hpp"

namespace haven::spaces {

using accounts::Action;
using accounts::may;
using storage::Tx;

namespace {

constexpr int64_t hour_ms = 3600 * 1000;

Error not_found() { return make_error(ErrorKind::not_found, "not_found", "There is no such space."); }
Error no_booking() { return make_error(ErrorKind::not_found, "not_found", "There is no such booking."); }

Error clash_error(Clash clash) {
    Error e = make_error(ErrorKind::conflict, "conflict", "The space is booked then.");
    e.detail = std::move(clash);
    return e;
}

// Whether an occurrence lies inside the space's opening hours (start and end on the same local day).
bool within_hours(const Space& s, const Occurrence& o) {
    if (s.hours.always) return true;
    const WallTime a = to_wall(o.start, s.time_zone), b = to_wall(o.end, s.time_zone);
    const bool same_day = a.year == b.year && a.month == b.month && a.day == b.day;
    const WallTime next = add_days(a, 1);
    const bool ends_at_midnight = b.hour == 0 && b.minute == 0 && next.year == b.year && next.month == b.month && next.day == b.day;
    if (!same_day && !ends_at_midnight) return false;
    return open_during(s.hours, weekday(a), a.hour * 60 + a.minute, ends_at_midnight ? 24 * 60 : b.hour * 60 + b.minute);
}

}  // namespace

const std::vector<std::string_view>& kinds() {
    static const std::vector<std::string_view> v = {"desk", "room", "studio"};
    return v;
}

Service::Service(const modules::Shared& shared, accounts::Service& accounts)
    : db_(shared.db), vault_(shared.vault), clock_(shared.clock), audit_(shared.audit), accounts_(accounts) {}

Result<Space> Service::create_space(const Principal& actor, Space s) {
    if (!may(actor, Action::spaces_manage, s.site_id)) return accounts::role_forbids();
    if (std::find(kinds().begin(), kinds().end(), s.kind) == kinds().end()) return invalid("kind", "kind must be desk, room or studio.", "choose");
    if (s.name.empty() || s.name.size() > 100 || !is_plain_line(s.name)) return invalid("name", "name is required (at most 100 bytes).", "required");
    if (s.equipment.size() > 100) return invalid("equipment", "equipment lists at most 100 items.", "too_many", 100);
    for (const auto& e : s.equipment)
        if (e.empty() || e.size() > 200 || !valid_utf8(e) || has_control_chars(e))
            return invalid("equipment", "equipment items are 1 to 200 bytes of text.", "too_long");
    s.id = new_id();
    HAVEN_CHECK(db_.write([&](Tx& tx) -> Status {
        store::insert_space(tx, s, clock_.now_ms());
        audit_.record(tx, {"space.create", actor.account_id, "space", s.id, s.site_id});
        return {};
    }));
    return space(actor, s.id);
}

Result<Space> Service::space(const Principal& actor, int64_t id) {
    return db_.read<Space>([&](Tx& tx) -> Result<Space> {
        auto s = store::space(tx, id);
        if (!s || !may(actor, Action::spaces_view, s->site_id)) return not_found();
        return std::move(*s);
    });
}

Result<std::vector<Space>> Service::spaces_at(const Principal& actor, int64_t site_id) {
    if (!may(actor, Action::spaces_view, site_id)) return accounts::role_forbids();
    return db_.read<std::vector<Space>>([&](Tx& tx) { return store::spaces_at(tx, site_id); });
}

std::vector<Occurrence> Service::free_near(Tx& tx, const Space& space, const Occurrence& wanted, size_t how_many) {
    // Candidate starts: the ends and (minus the length) the starts of the bookings within a week either side,
    // and the wanted start itself; keep those free, nearest first.
    const int64_t length = wanted.end - wanted.start, week = 7 * 24 * hour_ms;
    const int64_t from = wanted.start - week, to = wanted.start + week;
    // Whether a candidate is free is told by the bookings around it, read by the same one query: every candidate
    // lies within a booking's length (a day at most), its own length and the week's days of opening of the window.
    const int64_t margin = longest_booking_ms + length + 2 * 24 * hour_ms;
    const auto around = store::busy_between(tx, space.id, from - margin, to + margin);
    std::vector<int64_t> starts;
    // With opening hours, the openings of the days around are candidates too.
    if (!space.hours.always)
        for (int d = -7; d <= 7; ++d) {
            WallTime w = add_days(to_wall(wanted.start, space.time_zone), d);
            if (const auto& p = space.hours.days[size_t(weekday(w))]) {
                w.hour = p->open / 60;
                w.minute = p->open % 60;
                starts.push_back(from_wall(w, space.time_zone));
            }
        }
    for (const auto& busy : around)
        if (busy.start < to && busy.end > from) {
            starts.push_back(busy.end);
            starts.push_back(busy.start - length);
        }
    // As store::first_overlapping asks it; a candidate outside what was read (none, while bookings last at most a
    // day) is asked of the database.
    auto booked = [&](int64_t s) {
        if (s < from - margin || s + length > to + margin) return store::first_overlapping(tx, space.id, s, s + length).has_value();
        return std::any_of(around.begin(), around.end(),
                           [&](const Occurrence& b) { return b.start < s + length && b.start > s - longest_booking_ms && b.end > s; });
    };
    std::sort(starts.begin(), starts.end(), [&](int64_t a, int64_t b) {
        const int64_t da = std::llabs(a - wanted.start), db = std::llabs(b - wanted.start);
        return da != db ? da < db : a < b;  // of two as near, the earlier
    });
    std::vector<Occurrence> out;
    for (int64_t s : starts) {
        if (out.size() >= how_many) break;
        if (s < clock_.now_ms() || std::any_of(out.begin(), out.end(), [&](const Occurrence& o) { return o.start == s; })) continue;
        if (within_hours(space, {s, s + length}) && !booked(s)) out.push_back({s, s + length});
    }
    std::sort(out.begin(), out.end(), [](const Occurrence& a, const Occurrence& b) { return a.start < b.start; });
    return out;
}

Result<Booked> Service::book(const Principal& actor, const BookingInput& in) {
    // The space is read in the booking's own transaction (on PostgreSQL, one round trip fewer).
    return db_.write<Booked>([&](Tx& tx) -> Result<Booked> {
        auto space_row = store::space(tx, in.space_id);
        if (!space_row || !may(actor, Action::spaces_view, space_row->site_id)) return not_found();
        HAVEN_TRY(occurrences, expand(in.start, in.end, in.recurrence, space_row->time_zone));
        return book_in(tx, actor, *space_row, occurrences, in.note);
    });
}

Result<Booked> Service::book_in(Tx& tx, const Principal& actor, const Space& space_row, const std::vector<Occurrence>& occurrences,
                                const std::string& note) {
    if (note.size() > 1000 || !valid_utf8(note) || has_control_chars(note))
        return invalid("note", "note must be UTF-8 text of at most 1000 bytes.", "too_long");
    if (!may(actor, Action::bookings_make, space_row.site_id)) return accounts::role_forbids();
    for (const auto& o : occurrences)
        if (!within_hours(space_row, o))
            return invalid("start", "The space is closed then: it opens " + format_hours(space_row.hours) + " (" + space_row.time_zone + ").",
                           "closed");
    // Take the space's row first: concurrent bookings of this space wait here (PostgreSQL row lock).
    store::take_space(tx, space_row.id);
    for (const auto& o : occurrences)
        if (auto other = store::first_overlapping(tx, space_row.id, o.start, o.end)) return clash_error({*other, o, free_near(tx, space_row, o, 3)});
    Booked booked;
    booked.series_id = new_id();
    const int64_t now = clock_.now_ms();
    for (const auto& o : occurrences) {
        store::NewBooking b{new_id(), space_row.id, booked.series_id, o.start, o.end, actor.account_id, std::nullopt};
        if (!note.empty()) b.sealed_note = vault_.seal_field("bookings", "note", b.id, note);
        store::insert_booking(tx, b, now);
        booked.ids.push_back(b.id);
    }
    audit_.record(tx, {"booking.create", actor.account_id, "space", space_row.id, space_row.site_id});
    return booked;
}

Status Service::set_hours(const Principal& actor, int64_t space_id, const OpeningHours& hours) {
    HAVEN_TRY(s, space(actor, space_id));
    if (!may(actor, Action::spaces_manage, s.site_id)) return accounts::role_forbids();
    return db_.write([&](Tx& tx) -> Status {
        store::set_opening_hours(tx, space_id, hours);
        audit_.record(tx, {"space.hours", actor.account_id, "space", space_id, s.site_id});
        return {};
    });
}

Result<Booking> Service::booking(const Principal& actor, int64_t booking_id) {
    return db_.read<Booking>([&](Tx& tx) -> Result<Booking> {
        auto found = store::active_booking(tx, booking_id);
        if (!found || !may(actor, Action::spaces_view, found->site_id)) return no_booking();
        return found->booking;
    });
}

Result<std::vector<Booking>> Service::bookings(const Principal& actor, int64_t space_id, int64_t from, int64_t to) {
    // The space and its bookings in one read (on PostgreSQL, one round trip fewer).
    return db_.read<std::vector<Booking>>([&](Tx& tx) -> Result<std::vector<Booking>> {
        auto s = store::space(tx, space_id);
        if (!s || !may(actor, Action::spaces_view, s->site_id)) return not_found();
        if (to <= from || to - from > 62LL * 24 * hour_ms) return invalid("to", "Ask for at most 62 days at once.", "too_long_span");
        const bool manager = may(actor, Action::spaces_manage, s->site_id);
        std::vector<Booking> out;
        for (auto& row : store::bookings_between(tx, space_id, from, to)) {
            // A studio's note: its booker's and the managers' (the technician prepares the session); sealed for the rest.
            if (row.sealed_note && (manager || row.booking.booked_by == actor.username))
                if (auto note = vault_.open_field("bookings", "note", row.booking.id, *row.sealed_note)) row.booking.note = *note;
            out.push_back(std::move(row.booking));
        }
        return out;
    });
}

Status Service::cancel(const Principal& actor, int64_t booking_id, bool whole_series) {
    return db_.write([&](Tx& tx) -> Status {
        auto b = store::booking_owner(tx, booking_id);
        if (!b || !may(actor, Action::spaces_view, b->site_id)) return no_booking();
        if (b->booked_by != actor.account_id && !may(actor, Action::spaces_manage, b->site_id)) return accounts::role_forbids();
        const int64_t now = clock_.now_ms();
        if (whole_series)
            store::cancel_rest_of_series(tx, b->series_id, now);
        else
            store::cancel_booking(tx, booking_id, now);
        audit_.record(tx, {"booking.cancel", actor.account_id, "space", b->space_id, b->site_id});
        return {};
    });
}

std::string Service::new_feed_token(Tx& tx, int64_t space_id) {
    const std::string token = crypto::random_token();
    store::set_feed_token(tx, space_id, vault_.seal_field("spaces", "feed_token", space_id, token), crypto::token_hash(token));
    return token;
}

Result<std::string> Service::feed_token(const Principal& actor, int64_t space_id) {
    HAVEN_CHECK(space(actor, space_id));
    return db_.write<std::string>([&](Tx& tx) -> Result<std::string> {
        if (auto sealed = store::sealed_feed_token(tx, space_id)) return vault_.open_field("spaces", "feed_token", space_id, *sealed);
        return new_feed_token(tx, space_id);
    });
}

Result<std::string> Service::rotate_feed(const Principal& actor, int64_t space_id) {
    HAVEN_TRY(s, space(actor, space_id));
    if (!may(actor, Action::spaces_manage, s.site_id)) return accounts::role_forbids();
    return db_.write<std::string>([&](Tx& tx) -> Result<std::string> {
        std::string token = new_feed_token(tx, space_id);
        audit_.record(tx, {"space.feed_rotate", actor.account_id, "space", space_id, s.site_id});
        return token;
    });
}

std::optional<std::string> Service::feed(const std::string& token) {
    if (token.empty() || token.size() > 64) return std::nullopt;
    std::optional<std::string> out;
    const int64_t now = clock_.now_ms(), day = 24 * hour_ms;
    db_.read([&](Tx& tx) {
        auto space = store::space_by_feed(tx, crypto::token_hash(token));
        if (!space) return;
        std::vector<FeedEvent> events;
        // A month back, a year ahead; "Booked" only: a feed never names who booked or what is produced.
        for (const auto& b : store::feed_bookings(tx, space->id, now - 31 * day, now + 366 * day))
            events.push_back({"booking-" + std::to_string(b.id) + "@haven", b.start, b.end, "Booked"});
        out = ical_feed(space->name, events, now);
    });
    return out;
}

}  // namespace haven::spaces
