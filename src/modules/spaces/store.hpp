// All SQL of the spaces module. Functions take a Tx so a service can make several of them one transaction;
// none checks permissions (the service does) and none seals or opens a value (the service holds the vault:
// sealed values come and go as the bytes stored).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "modules/spaces/types.hpp"
#include "storage/db.hpp"

namespace haven::spaces::store {

using storage::Tx;

// ---- Spaces ----
void insert_space(Tx& tx, const Space& space, int64_t now);
// A space with its site's time zone; nullopt when there is none.
std::optional<Space> space(Tx& tx, int64_t id);
std::vector<Space> spaces_at(Tx& tx, int64_t site_id);  // by kind, then name
void set_opening_hours(Tx& tx, int64_t space_id, const OpeningHours& hours);
// Takes the space's row: bookings (and desk allocations) of one space then take turns (a PostgreSQL row lock).
void take_space(Tx& tx, int64_t space_id);

// ---- Bookings ----
struct NewBooking {
    int64_t id = 0, space_id = 0, series_id = 0, start = 0, end = 0, booked_by = 0;
    std::optional<std::string> sealed_note;
};
void insert_booking(Tx& tx, const NewBooking& booking, int64_t now);
// The first active booking of the space overlapping [start, end); touching ends do not overlap.
std::optional<Booking> first_overlapping(Tx& tx, int64_t space_id, int64_t start, int64_t end);
// Active bookings of the space starting before `to` and ending after `from`, as times only (finding free slots).
std::vector<Occurrence> busy_between(Tx& tx, int64_t space_id, int64_t from, int64_t to);
// Active bookings overlapping [from, to), soonest first, `recurring` set for those of a series.
struct BookingRow {
    Booking booking;
    std::optional<std::string> sealed_note;
};
std::vector<BookingRow> bookings_between(Tx& tx, int64_t space_id, int64_t from, int64_t to);

// An active booking and the site of its space.
struct BookingAt {
    Booking booking;
    int64_t site_id = 0;
};
std::optional<BookingAt> active_booking(Tx& tx, int64_t id);
// Whose booking it is, active or not (cancelling).
struct BookingOwner {
    int64_t space_id = 0, series_id = 0, booked_by = 0, site_id = 0;
};
std::optional<BookingOwner> booking_owner(Tx& tx, int64_t id);
void cancel_booking(Tx& tx, int64_t id, int64_t now);
// Cancels the series' bookings that have not begun by `now`.
void cancel_rest_of_series(Tx& tx, int64_t series_id, int64_t now);

// ---- Calendar feeds ----
// The space's sealed feed token; nullopt when none was made yet.
std::optional<std::string> sealed_feed_token(Tx& tx, int64_t space_id);
void set_feed_token(Tx& tx, int64_t space_id, const std::string& sealed, const std::string& token_hash);
struct FeedSpace {
    int64_t id = 0;
    std::string name;
};
std::optional<FeedSpace> space_by_feed(Tx& tx, const std::string& token_hash);
struct FeedBooking {
    int64_t id = 0, start = 0, end = 0;
};
// Active bookings of the space starting in [from, to), soonest first.
std::vector<FeedBooking> feed_bookings(Tx& tx, int64_t space_id, int64_t from, int64_t to);

}  // namespace haven::spaces::store
