#include "modules/spaces/store.hpp"

#include <boost/json.hpp>

#include "http/json.hpp"

namespace haven::spaces::store {

using storage::Blob;
using storage::Row;
using storage::rows_as;
namespace json = boost::json;

namespace {

constexpr const char* space_columns =
    "SELECT s.id, s.site_id, s.kind, s.name, s.equipment, t.time_zone, s.opening_hours FROM spaces s JOIN sites t ON t.id = s.site_id ";

Space space_from(const Row& r) {
    auto hours = parse_hours(r.text(6));
    Space s{r.integer(0), r.integer(1), r.text(2), r.text(3), r.text(5), {}, hours ? hours.value() : OpeningHours{}};
    if (auto v = http::parse_json(r.text(4)); v && v->is_array())
        for (const auto& e : v->as_array())
            if (e.is_string()) s.equipment.emplace_back(e.get_string());
    return s;
}

}  // namespace

void insert_space(Tx& tx, const Space& s, int64_t now) {
    json::array equipment;
    for (const auto& e : s.equipment) equipment.emplace_back(e);
    tx.exec(
        "INSERT INTO spaces (id, site_id, kind, name, equipment, bookings_version, created_at, opening_hours) VALUES ($1, $2, $3, $4, $5, 0, $6, $7)",
        {s.id, s.site_id, s.kind, s.name, json::serialize(equipment), now, format_hours(s.hours)});
}

std::optional<Space> space(Tx& tx, int64_t id) {
    auto rows = tx.query(std::string(space_columns) + "WHERE s.id = $1", {id});
    if (rows.empty()) return std::nullopt;
    return space_from(rows[0]);
}

std::vector<Space> spaces_at(Tx& tx, int64_t site_id) {
    return rows_as(tx.query(std::string(space_columns) + "WHERE s.site_id = $1 ORDER BY s.kind, s.name", {site_id}), space_from);
}

void set_opening_hours(Tx& tx, int64_t space_id, const OpeningHours& hours) {
    tx.exec("UPDATE spaces SET opening_hours = $1 WHERE id = $2", {format_hours(hours), space_id});
}

void take_space(Tx& tx, int64_t space_id) { tx.exec_later("UPDATE spaces SET bookings_version = bookings_version + 1 WHERE id = $1", {space_id}); }

void insert_booking(Tx& tx, const NewBooking& b, int64_t now) {
    tx.exec_later(
        "INSERT INTO bookings (id, space_id, series_id, start_at, end_at, booked_by, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        {b.id, b.space_id, b.series_id, b.start, b.end, b.booked_by,
         b.sealed_note ? storage::Value(Blob::of(*b.sealed_note)) : storage::Value(nullptr), now});
}

std::optional<Booking> first_overlapping(Tx& tx, int64_t space_id, int64_t start, int64_t end) {
    auto rows = tx.query(
        "SELECT b.id, b.series_id, b.start_at, b.end_at, a.username FROM bookings b JOIN accounts a ON a.id = b.booked_by "
        "WHERE b.space_id = $1 AND b.cancelled_at IS NULL AND b.start_at < $2 AND b.start_at > $3 AND b.end_at > $4 "
        "ORDER BY b.start_at LIMIT 1",
        {space_id, end, start - longest_booking_ms, start});
    if (rows.empty()) return std::nullopt;
    const auto& r = rows[0];
    return Booking{r.integer(0), r.integer(1), space_id, r.integer(2), r.integer(3), r.text(4)};
}

std::vector<Occurrence> busy_between(Tx& tx, int64_t space_id, int64_t from, int64_t to) {
    return rows_as(tx.query("SELECT start_at, end_at FROM bookings WHERE space_id = $1 AND cancelled_at IS NULL AND start_at < $2 AND start_at > $3 "
                            "AND end_at > $4",
                            {space_id, to, from - longest_booking_ms, from}),
                   [](const Row& r) {
                       return Occurrence{r.integer(0), r.integer(1)};
                   });
}

std::vector<BookingRow> bookings_between(Tx& tx, int64_t space_id, int64_t from, int64_t to) {
    return rows_as(
        // Whether the booking is one of a series: another booking of it exists (EXISTS stops at the first; a COUNT
        // read them all, a third of the listing's time on PostgreSQL).
        tx.query("SELECT b.id, b.series_id, b.start_at, b.end_at, a.username, "
                 "EXISTS (SELECT 1 FROM bookings c WHERE c.series_id = b.series_id AND c.id <> b.id), b.note "
                 "FROM bookings b JOIN accounts a ON a.id = b.booked_by "
                 "WHERE b.space_id = $1 AND b.cancelled_at IS NULL AND b.start_at < $2 AND b.start_at > $3 AND b.end_at > $4 "
                 "ORDER BY b.start_at",
                 {space_id, to, from - longest_booking_ms, from}),
        [&](const Row& r) {
            return BookingRow{Booking{r.integer(0), r.integer(1), space_id, r.integer(2), r.integer(3), r.text(4), r.integer(5) != 0, {}},
                              r.is_null(6) ? std::nullopt : std::optional<std::string>(r.blob(6).str())};
        });
}

std::optional<BookingAt> active_booking(Tx& tx, int64_t id) {
    auto rows = tx.query(
        "SELECT b.id, b.series_id, b.space_id, b.start_at, b.end_at, a.username, s.site_id FROM bookings b "
        "JOIN accounts a ON a.id = b.booked_by JOIN spaces s ON s.id = b.space_id WHERE b.id = $1 AND b.cancelled_at IS NULL",
        {id});
    if (rows.empty()) return std::nullopt;
    const auto& r = rows[0];
    return BookingAt{{r.integer(0), r.integer(1), r.integer(2), r.integer(3), r.integer(4), r.text(5)}, r.integer(6)};
}

std::optional<BookingOwner> booking_owner(Tx& tx, int64_t id) {
    auto rows =
        tx.query("SELECT b.space_id, b.series_id, b.booked_by, s.site_id FROM bookings b JOIN spaces s ON s.id = b.space_id WHERE b.id = $1", {id});
    if (rows.empty()) return std::nullopt;
    const auto& r = rows[0];
    return BookingOwner{r.integer(0), r.integer(1), r.integer(2), r.integer(3)};
}

void cancel_booking(Tx& tx, int64_t id, int64_t now) { tx.exec("UPDATE bookings SET cancelled_at = $1 WHERE id = $2", {now, id}); }

void cancel_rest_of_series(Tx& tx, int64_t series_id, int64_t now) {
    tx.exec("UPDATE bookings SET cancelled_at = $1 WHERE series_id = $2 AND cancelled_at IS NULL AND start_at >= $1", {now, series_id});
}

std::optional<std::string> sealed_feed_token(Tx& tx, int64_t space_id) {
    auto rows = tx.query("SELECT feed_token FROM spaces WHERE id = $1", {space_id});
    if (rows.empty() || rows[0].is_null(0)) return std::nullopt;
    return rows[0].blob(0).str();
}

void set_feed_token(Tx& tx, int64_t space_id, const std::string& sealed, const std::string& token_hash) {
    tx.exec("UPDATE spaces SET feed_token = $1, feed_token_hash = $2 WHERE id = $3", {Blob::of(sealed), token_hash, space_id});
}

std::optional<FeedSpace> space_by_feed(Tx& tx, const std::string& token_hash) {
    auto rows = tx.query("SELECT id, name FROM spaces WHERE feed_token_hash = $1", {token_hash});
    if (rows.empty()) return std::nullopt;
    return FeedSpace{rows[0].integer(0), rows[0].text(1)};
}

std::vector<FeedBooking> feed_bookings(Tx& tx, int64_t space_id, int64_t from, int64_t to) {
    return rows_as(tx.query("SELECT id, start_at, end_at FROM bookings WHERE space_id = $1 AND cancelled_at IS NULL "
                            "AND start_at >= $2 AND start_at < $3 ORDER BY start_at",
                            {space_id, from, to}),
                   [](const Row& r) {
                       return FeedBooking{r.integer(0), r.integer(1), r.integer(2)};
                   });
}

}  // namespace haven::spaces::store
