#include "modules/spaces/service.hpp"

#include <boost/json.hpp>

#include <algorithm>

#include "core/utf8.hpp"
#include "http/json.hpp"
#include "crypto/random.hpp"
#include "modules/accounts/store.hpp"
#include "modules/spaces/ical.hpp"

namespace haven::spaces {

using accounts::Action;
using accounts::may;
using storage::Blob;
using storage::Tx;
namespace json = boost::json;

namespace {

constexpr int64_t hour_ms = 3600 * 1000;
constexpr int64_t longest = 24 * hour_ms;  // no booking lasts longer: bounds the conflict query

Error not_found() { return make_error(ErrorKind::not_found, "not_found", "There is no such space."); }

OpeningHours hours_of(const std::string& text) {
    auto h = parse_hours(text);
    return h ? h.value() : OpeningHours{};
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

std::optional<Space> load_space(Tx& tx, int64_t id) {
    auto rows = tx.query("SELECT s.id, s.site_id, s.kind, s.name, s.equipment, t.time_zone, s.opening_hours FROM spaces s JOIN sites t ON t.id = s.site_id "
                         "WHERE s.id = $1",
                         {id});
    if (rows.empty()) return std::nullopt;
    const auto& r = rows[0];
    Space s{r.integer(0), r.integer(1), r.text(2), r.text(3), r.text(5), {}, hours_of(r.text(6))};
    if (auto v = http::parse_json(r.text(4)); v && v->is_array())
        for (const auto& e : v->as_array())
            if (e.is_string()) s.equipment.emplace_back(e.get_string());
    return s;
}

// The first active booking of the space overlapping [start, end); touching ends do not overlap.
std::optional<Booking> overlapping(Tx& tx, int64_t space_id, int64_t start, int64_t end) {
    auto rows = tx.query("SELECT b.id, b.series_id, b.start_at, b.end_at, a.username FROM bookings b JOIN accounts a ON a.id = b.booked_by "
                         "WHERE b.space_id = $1 AND b.cancelled_at IS NULL AND b.start_at < $2 AND b.start_at > $3 AND b.end_at > $4 "
                         "ORDER BY b.start_at LIMIT 1",
                         {space_id, end, start - longest, start});
    if (rows.empty()) return std::nullopt;
    const auto& r = rows[0];
    return Booking{r.integer(0), r.integer(1), space_id, r.integer(2), r.integer(3), r.text(4)};
}

}  // namespace

const std::vector<std::string_view>& kinds() {
    static const std::vector<std::string_view> v = {"desk", "room", "studio"};
    return v;
}

Service::Service(storage::Database& db, const crypto::Vault& vault, const Clock& clock, accounts::Service& accounts)
    : db_(db), vault_(vault), clock_(clock), accounts_(accounts) {}

Result<Space> Service::create_space(const Principal& actor, Space s) {
    if (!may(actor, Action::spaces_manage, s.site_id)) return accounts::role_forbids();
    if (std::find(kinds().begin(), kinds().end(), s.kind) == kinds().end())
        return make_error(ErrorKind::invalid, "validation_failed", "kind must be desk, room or studio.", "kind");
    if (s.name.empty() || s.name.size() > 100 || !is_plain_line(s.name))
        return make_error(ErrorKind::invalid, "validation_failed", "name is required (at most 100 bytes).", "name");
    if (s.equipment.size() > 100) return make_error(ErrorKind::invalid, "validation_failed", "equipment lists at most 100 items.", "equipment");
    json::array equipment;
    for (const auto& e : s.equipment) {
        if (e.empty() || e.size() > 200 || !valid_utf8(e) || has_control_chars(e))
            return make_error(ErrorKind::invalid, "validation_failed", "equipment items are 1 to 200 bytes of text.", "equipment");
        equipment.emplace_back(e);
    }
    s.id = accounts::store::new_id();
    Status st = db_.write([&](Tx& tx) -> Status {
        tx.exec("INSERT INTO spaces (id, site_id, kind, name, equipment, bookings_version, created_at, opening_hours) VALUES ($1, $2, $3, $4, $5, 0, $6, $7)",
                {s.id, s.site_id, s.kind, s.name, json::serialize(equipment), clock_.now_ms(), format_hours(s.hours)});
        accounts_.audit(tx, "space.create", actor.account_id, "space", s.id, s.site_id);
        return {};
    });
    if (!st) return st.error();
    return space(actor, s.id);
}

Result<Space> Service::space(const Principal& actor, int64_t id) {
    std::optional<Space> s;
    db_.read([&](Tx& tx) { s = load_space(tx, id); });
    if (!s || !may(actor, Action::spaces_view, s->site_id)) return not_found();
    return *s;
}

Result<std::vector<Space>> Service::spaces_at(const Principal& actor, int64_t site_id) {
    if (!may(actor, Action::spaces_view, site_id)) return accounts::role_forbids();
    std::vector<Space> out;
    db_.read([&](Tx& tx) {
        for (const auto& r : tx.query("SELECT id FROM spaces WHERE site_id = $1 ORDER BY kind, name", {site_id}))
            if (auto s = load_space(tx, r.integer(0))) out.push_back(std::move(*s));
    });
    return out;
}

std::vector<Occurrence> Service::free_near(Tx& tx, const Space& space, const Occurrence& wanted, size_t how_many) {
    const int64_t space_id = space.id;
    // Candidate starts: the ends and (minus the length) the starts of the bookings within a week either side,
    // and the wanted start itself; keep those free, nearest first.
    const int64_t length = wanted.end - wanted.start, week = 7 * 24 * hour_ms;
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
    for (const auto& r : tx.query("SELECT start_at, end_at FROM bookings WHERE space_id = $1 AND cancelled_at IS NULL AND start_at < $2 AND end_at > $3",
                                  {space_id, wanted.start + week, wanted.start - week})) {
        starts.push_back(r.integer(1));
        starts.push_back(r.integer(0) - length);
    }
    std::sort(starts.begin(), starts.end(), [&](int64_t a, int64_t b) { return std::llabs(a - wanted.start) < std::llabs(b - wanted.start); });
    std::vector<Occurrence> out;
    for (int64_t s : starts) {
        if (out.size() >= how_many) break;
        if (s < clock_.now_ms() || std::any_of(out.begin(), out.end(), [&](const Occurrence& o) { return o.start == s; })) continue;
        if (within_hours(space, {s, s + length}) && !overlapping(tx, space_id, s, s + length)) out.push_back({s, s + length});
    }
    std::sort(out.begin(), out.end(), [](const Occurrence& a, const Occurrence& b) { return a.start < b.start; });
    return out;
}

Result<Booked> Service::book(const Principal& actor, const BookingInput& in, std::optional<Clash>& clash) {
    clash.reset();
    HAVEN_TRY(space_row, space(actor, in.space_id));
    HAVEN_TRY(occurrences, expand(in.start, in.end, in.recurrence, space_row.time_zone));
    Booked booked;
    Status s = db_.write([&](Tx& tx) -> Status {
        auto made = book_in(tx, actor, space_row, occurrences, in.note, clash);
        if (!made) return made.error();
        booked = std::move(made.value());
        return {};
    });
    if (!s) return s.error();
    return booked;
}

Result<Booked> Service::book_in(Tx& tx, const Principal& actor, const Space& space_row, const std::vector<Occurrence>& occurrences,
                                const std::string& note, std::optional<Clash>& clash) {
    clash.reset();
    if (note.size() > 1000 || !valid_utf8(note) || has_control_chars(note))
        return make_error(ErrorKind::invalid, "validation_failed", "note must be UTF-8 text of at most 1000 bytes.", "note");
    if (!may(actor, Action::bookings_make, space_row.site_id)) return accounts::role_forbids();
    for (const auto& o : occurrences)
        if (!within_hours(space_row, o))
            return make_error(ErrorKind::invalid, "validation_failed",
                              "The space is closed then: it opens " + format_hours(space_row.hours) + " (" + space_row.time_zone + ").", "start");
    // Take the space's row first: concurrent bookings of this space wait here (PostgreSQL row lock).
    tx.exec("UPDATE spaces SET bookings_version = bookings_version + 1 WHERE id = $1", {space_row.id});
    for (const auto& o : occurrences)
        if (auto other = overlapping(tx, space_row.id, o.start, o.end)) {
            clash = Clash{*other, o, free_near(tx, space_row, o, 3)};
            return make_error(ErrorKind::conflict, "conflict", "The space is booked then.");
        }
    Booked booked;
    booked.series_id = accounts::store::new_id();
    const int64_t now = clock_.now_ms();
    for (const auto& o : occurrences) {
        const int64_t id = accounts::store::new_id();
        const storage::Value sealed = note.empty() ? storage::Value(nullptr) : storage::Value(Blob::of(vault_.seal_field("bookings", "note", id, note)));
        tx.exec("INSERT INTO bookings (id, space_id, series_id, start_at, end_at, booked_by, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                {id, space_row.id, booked.series_id, o.start, o.end, actor.account_id, sealed, now});
        booked.ids.push_back(id);
    }
    accounts_.audit(tx, "booking.create", actor.account_id, "space", space_row.id, space_row.site_id);
    return booked;
}

Status Service::set_hours(const Principal& actor, int64_t space_id, const OpeningHours& hours) {
    HAVEN_TRY(s, space(actor, space_id));
    if (!may(actor, Action::spaces_manage, s.site_id)) return accounts::role_forbids();
    return db_.write([&](Tx& tx) -> Status {
        tx.exec("UPDATE spaces SET opening_hours = $1 WHERE id = $2", {format_hours(hours), space_id});
        accounts_.audit(tx, "space.hours", actor.account_id, "space", space_id, s.site_id);
        return {};
    });
}

Result<Booking> Service::booking(const Principal& actor, int64_t booking_id) {
    auto rows = db_.query("SELECT b.id, b.series_id, b.space_id, b.start_at, b.end_at, a.username, s.site_id FROM bookings b "
                          "JOIN accounts a ON a.id = b.booked_by JOIN spaces s ON s.id = b.space_id WHERE b.id = $1 AND b.cancelled_at IS NULL",
                          {booking_id});
    if (rows.empty() || !may(actor, Action::spaces_view, rows[0].integer(6)))
        return make_error(ErrorKind::not_found, "not_found", "There is no such booking.");
    const auto& r = rows[0];
    return Booking{r.integer(0), r.integer(1), r.integer(2), r.integer(3), r.integer(4), r.text(5)};
}

Result<std::vector<Booking>> Service::bookings(const Principal& actor, int64_t space_id, int64_t from, int64_t to) {
    HAVEN_TRY(space_row, space(actor, space_id));
    if (to <= from || to - from > 62LL * 24 * hour_ms)
        return make_error(ErrorKind::invalid, "validation_failed", "Ask for at most 62 days at once.", "to");
    std::vector<Booking> out;
    for (const auto& r : db_.query("SELECT b.id, b.series_id, b.start_at, b.end_at, a.username, "
                                   "(SELECT COUNT(*) FROM bookings c WHERE c.series_id = b.series_id) FROM bookings b JOIN accounts a ON a.id = b.booked_by "
                                   "WHERE b.space_id = $1 AND b.cancelled_at IS NULL AND b.start_at < $2 AND b.start_at > $3 AND b.end_at > $4 "
                                   "ORDER BY b.start_at",
                                   {space_id, to, from - longest, from}))
        out.push_back({r.integer(0), r.integer(1), space_id, r.integer(2), r.integer(3), r.text(4), r.integer(5) > 1});
    (void)space_row;
    return out;
}

Status Service::cancel(const Principal& actor, int64_t booking_id, bool whole_series) {
    return db_.write([&](Tx& tx) -> Status {
        auto rows = tx.query("SELECT b.space_id, b.series_id, b.booked_by, s.site_id FROM bookings b JOIN spaces s ON s.id = b.space_id WHERE b.id = $1",
                             {booking_id});
        if (rows.empty() || !may(actor, Action::spaces_view, rows[0].integer(3)))
            return make_error(ErrorKind::not_found, "not_found", "There is no such booking.");
        const auto& r = rows[0];
        if (r.integer(2) != actor.account_id && !may(actor, Action::spaces_manage, r.integer(3))) return accounts::role_forbids();
        const int64_t now = clock_.now_ms();
        if (whole_series)
            tx.exec("UPDATE bookings SET cancelled_at = $1 WHERE series_id = $2 AND cancelled_at IS NULL AND start_at >= $1", {now, r.integer(1)});
        else
            tx.exec("UPDATE bookings SET cancelled_at = $1 WHERE id = $2", {now, booking_id});
        accounts_.audit(tx, "booking.cancel", actor.account_id, "space", r.integer(0), r.integer(3));
        return {};
    });
}

std::string Service::new_feed_token(Tx& tx, int64_t space_id) {
    const std::string token = crypto::random_token();
    tx.exec("UPDATE spaces SET feed_token = $1, feed_token_hash = $2 WHERE id = $3",
            {Blob::of(vault_.seal_field("spaces", "feed_token", space_id, token)), crypto::token_hash(token), space_id});
    return token;
}

Result<std::string> Service::feed_token(const Principal& actor, int64_t space_id) {
    HAVEN_TRY(s, space(actor, space_id));
    std::string token;
    Status st = db_.write([&](Tx& tx) -> Status {
        auto rows = tx.query("SELECT feed_token FROM spaces WHERE id = $1", {space_id});
        if (!rows.empty() && !rows[0].is_null(0)) {
            auto opened = vault_.open_field("spaces", "feed_token", space_id, rows[0].blob(0).str());
            if (!opened) return opened.error();
            token = opened.value();
            return {};
        }
        token = new_feed_token(tx, space_id);
        return {};
    });
    if (!st) return st.error();
    (void)s;
    return token;
}

Result<std::string> Service::rotate_feed(const Principal& actor, int64_t space_id) {
    HAVEN_TRY(s, space(actor, space_id));
    if (!may(actor, Action::spaces_manage, s.site_id)) return accounts::role_forbids();
    std::string token;
    Status st = db_.write([&](Tx& tx) -> Status {
        token = new_feed_token(tx, space_id);
        accounts_.audit(tx, "space.feed_rotate", actor.account_id, "space", space_id, s.site_id);
        return {};
    });
    if (!st) return st.error();
    return token;
}

std::optional<std::string> Service::feed(const std::string& token) {
    if (token.empty() || token.size() > 64) return std::nullopt;
    std::optional<std::string> out;
    const int64_t now = clock_.now_ms(), day = 24 * hour_ms;
    db_.read([&](Tx& tx) {
        auto rows = tx.query("SELECT id, name FROM spaces WHERE feed_token_hash = $1", {crypto::token_hash(token)});
        if (rows.empty()) return;
        std::vector<FeedEvent> events;
        // A month back, a year ahead; "Booked" only: a feed never names who booked or what is produced.
        for (const auto& r : tx.query("SELECT id, start_at, end_at FROM bookings WHERE space_id = $1 AND cancelled_at IS NULL "
                                      "AND start_at >= $2 AND start_at < $3 ORDER BY start_at",
                                      {rows[0].integer(0), now - 31 * day, now + 366 * day}))
            events.push_back({"booking-" + std::to_string(r.integer(0)) + "@haven", r.integer(1), r.integer(2), "Booked"});
        out = ical_feed(rows[0].text(1), events, now);
    });
    return out;
}

}  // namespace haven::spaces
