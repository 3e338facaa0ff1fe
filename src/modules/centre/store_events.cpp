// The SQL of events, occupancy and personal feeds (store.hpp); desks and courses are in store.cpp.
#include "modules/centre/store.hpp"

namespace haven::centre::store {

using storage::Blob;
using storage::integer_of;
using storage::Row;
using storage::rows_as;
using storage::Value;

namespace {

constexpr const char* event_columns =
    "SELECT e.id, e.site_id, e.start_at, e.end_at, e.capacity, e.title, t.time_zone, "
    "(SELECT COUNT(*) FROM registrations r WHERE r.event_id = e.id AND r.status = 'registered'), "
    "(SELECT COUNT(*) FROM registrations r WHERE r.event_id = e.id AND r.status = 'waitlisted'), "
    "(SELECT COUNT(*) FROM registrations r WHERE r.event_id = e.id AND r.checked_in_at IS NOT NULL), "
    "(SELECT CAST(COALESCE(SUM(h.count), 0) AS BIGINT) FROM headcounts h WHERE h.event_id = e.id) "
    "FROM events e JOIN sites t ON t.id = e.site_id ";

StoredEvent event_from(const Row& r) {
    return {{r.integer(0), r.integer(1), r.integer(2), r.integer(3), r.integer(4), "", r.text(6), r.integer(7), r.integer(8), r.integer(9),
             r.integer(10)},
            r.blob(5).str()};
}

constexpr const char* registration_columns = "SELECT id, event_id, person_id, since, checked_in_at, status, visitor FROM registrations ";

StoredRegistration registration_from(const Row& r) {
    return {{r.integer(0), r.integer(1), r.is_null(2) ? 0 : r.integer(2), r.integer(3), r.is_null(4) ? 0 : r.integer(4), "", r.text(5)},
            r.is_null(6) ? std::nullopt : std::optional<std::string>(r.blob(6).str())};
}

FeedItem feed_item_from(const Row& r) { return {r.integer(0), r.integer(1), r.integer(2), r.text(3)}; }

std::optional<StoredRegistration> first_registration(const storage::Rows& rows) {
    if (rows.empty()) return std::nullopt;
    return registration_from(rows[0]);
}

}  // namespace

// ---- Events ----

std::optional<StoredEvent> event(Tx& tx, int64_t id) {
    auto rows = tx.query(std::string(event_columns) + "WHERE e.id = $1", {id});
    if (rows.empty()) return std::nullopt;
    return event_from(rows[0]);
}

std::vector<StoredEvent> events_ending_after(Tx& tx, int64_t site_id, int64_t after) {
    return rows_as(tx.query(std::string(event_columns) + "WHERE e.site_id = $1 AND e.end_at >= $2 ORDER BY e.start_at LIMIT 200", {site_id, after}),
                   event_from);
}

void insert_event(Tx& tx, int64_t id, const EventInput& in, const std::string& sealed_title, int64_t now) {
    tx.exec("INSERT INTO events (id, site_id, title, start_at, end_at, capacity, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            {id, in.site_id, Blob::of(sealed_title), in.start, in.end, in.capacity, now});
}

void take_event(Tx& tx, int64_t event_id) { tx.exec("UPDATE events SET capacity = capacity WHERE id = $1", {event_id}); }

bool has_registration(Tx& tx, int64_t event_id, int64_t person_id) {
    return !tx.query("SELECT 1 FROM registrations WHERE event_id = $1 AND person_id = $2 AND status <> 'cancelled'", {event_id, person_id}).empty();
}

int64_t registered_count(Tx& tx, int64_t event_id) {
    return tx.query("SELECT COUNT(*) FROM registrations WHERE event_id = $1 AND status = 'registered'", {event_id})[0].integer(0);
}

std::optional<int64_t> last_registration(Tx& tx, int64_t event_id) {
    return integer_of(tx.query("SELECT MAX(since) FROM registrations WHERE event_id = $1", {event_id}));
}

void insert_registration(Tx& tx, const NewRegistration& g) {
    tx.exec("INSERT INTO registrations (id, event_id, person_id, visitor, status, since, code, code_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            {g.id, g.event_id, g.person_id ? Value(g.person_id) : Value(nullptr),
             g.sealed_visitor ? Value(Blob::of(*g.sealed_visitor)) : Value(nullptr), g.status, g.since, Blob::of(g.sealed_code), g.code_hash});
}

std::optional<StoredRegistration> first_waitlisted_guest(Tx& tx, int64_t event_id) {
    return first_registration(
        tx.query(std::string(registration_columns) + "WHERE event_id = $1 AND status = 'waitlisted' ORDER BY since, id LIMIT 1", {event_id}));
}

void set_registration_status(Tx& tx, int64_t id, const std::string& status) {
    tx.exec("UPDATE registrations SET status = $1 WHERE id = $2", {status, id});
}

std::optional<int64_t> event_of_open_registration(Tx& tx, int64_t id) {
    return integer_of(tx.query("SELECT event_id FROM registrations WHERE id = $1 AND status <> 'cancelled'", {id}));
}

std::vector<StoredRegistration> registrations_in(Tx& tx, int64_t event_id) {
    return rows_as(
        tx.query(std::string(registration_columns) + "WHERE event_id = $1 AND status <> 'cancelled' ORDER BY status, since, id", {event_id}),
        registration_from);
}

std::optional<SealedCode> code_of(Tx& tx, int64_t registration_id) {
    auto rows = tx.query("SELECT event_id, code FROM registrations WHERE id = $1 AND status <> 'cancelled'", {registration_id});
    if (rows.empty()) return std::nullopt;
    return SealedCode{rows[0].integer(0), rows[0].blob(1).str()};
}

std::optional<StoredRegistration> registration_at(Tx& tx, int64_t event_id, int64_t registration_id) {
    return first_registration(
        tx.query(std::string(registration_columns) + "WHERE id = $1 AND event_id = $2 AND status <> 'cancelled'", {registration_id, event_id}));
}

std::optional<StoredRegistration> registration_by_code(Tx& tx, int64_t event_id, const std::string& code_hash) {
    return first_registration(
        tx.query(std::string(registration_columns) + "WHERE code_hash = $1 AND event_id = $2 AND status <> 'cancelled'", {code_hash, event_id}));
}

void check_in(Tx& tx, int64_t registration_id, int64_t at) {
    tx.exec("UPDATE registrations SET checked_in_at = $1 WHERE id = $2", {at, registration_id});
}

std::vector<EventPlace> registered_places_of(Tx& tx, int64_t person_id) {
    return rows_as(tx.query("SELECT g.id, g.event_id, e.capacity FROM registrations g JOIN events e ON e.id = g.event_id "
                            "WHERE g.person_id = $1 AND g.status = 'registered'",
                            {person_id}),
                   [](const Row& r) {
                       return EventPlace{r.integer(0), r.integer(1), r.integer(2)};
                   });
}

void insert_headcount(Tx& tx, int64_t id, int64_t event_id, int64_t count, int64_t counted_by, int64_t at) {
    tx.exec("INSERT INTO headcounts (id, event_id, count, counted_by, counted_at) VALUES ($1, $2, $3, $4, $5)",
            {id, event_id, count, counted_by, at});
}

// ---- Occupancy ----

int64_t desk_count(Tx& tx, int64_t site_id) {
    return tx.query("SELECT COUNT(*) FROM spaces WHERE site_id = $1 AND kind = 'desk'", {site_id})[0].integer(0);
}

std::vector<DateRange> holdings_between(Tx& tx, int64_t site_id, const std::string& first_day, const std::string& last_day) {
    return rows_as(tx.query("SELECT d.from_date, d.to_date FROM desk_allocations d JOIN spaces s ON s.id = d.space_id WHERE s.site_id = $1 "
                            "AND d.from_date <= $2 AND d.to_date >= $3",
                            {site_id, last_day, first_day}),
                   [](const Row& r) {
                       return DateRange{r.text(0), r.text(1)};
                   });
}

std::vector<BookedTime> bookings_between(Tx& tx, int64_t site_id, int64_t from, int64_t to) {
    return rows_as(tx.query("SELECT s.kind, b.start_at, b.end_at FROM bookings b JOIN spaces s ON s.id = b.space_id WHERE s.site_id = $1 "
                            "AND b.cancelled_at IS NULL AND b.start_at < $2 AND b.end_at > $3",
                            {site_id, to, from}),
                   [](const Row& r) {
                       return BookedTime{r.text(0), r.integer(1), r.integer(2)};
                   });
}

MonthCounts month_counts(Tx& tx, int64_t site_id, int64_t from, int64_t to) {
    auto count = [&](const std::string& sql) { return tx.query(sql, {site_id, from, to})[0].integer(0); };
    const std::string in_sessions =
        " FROM course_sessions s JOIN courses c ON c.id = s.course_id WHERE c.site_id = $1 AND s.start_at >= $2 AND s.start_at < $3";
    const std::string in_events = " FROM events e WHERE e.site_id = $1 AND e.start_at >= $2 AND e.start_at < $3";
    MonthCounts m;
    m.sessions = count("SELECT COUNT(*)" + in_sessions);
    m.present = count("SELECT COUNT(*) FROM attendance x WHERE x.present = 1 AND x.session_id IN (SELECT s.id" + in_sessions + ")");
    m.marked = count("SELECT COUNT(*) FROM attendance x WHERE x.session_id IN (SELECT s.id" + in_sessions + ")");
    m.events = count("SELECT COUNT(*)" + in_events);
    m.registered = count("SELECT COUNT(*) FROM registrations r WHERE r.status = 'registered' AND r.event_id IN (SELECT e.id" + in_events + ")");
    m.checked_in = count("SELECT COUNT(*) FROM registrations r WHERE r.checked_in_at IS NOT NULL AND r.event_id IN (SELECT e.id" + in_events + ")");
    m.headcount = count("SELECT CAST(COALESCE(SUM(h.count), 0) AS BIGINT) FROM headcounts h WHERE h.event_id IN (SELECT e.id" + in_events + ")");
    return m;
}

// ---- Personal calendar feeds ----

std::optional<AccountFeed> account_feed(Tx& tx, int64_t account_id) {
    auto rows = tx.query("SELECT token, show_names FROM account_feeds WHERE id = $1", {account_id});
    if (rows.empty()) return std::nullopt;
    return AccountFeed{rows[0].blob(0).str(), rows[0].integer(1) == 1};
}

void set_feed_names(Tx& tx, int64_t account_id, bool show_names) {
    tx.exec("UPDATE account_feeds SET show_names = $1 WHERE id = $2", {int64_t(show_names), account_id});
}

namespace {
constexpr const char* insert_feed = "INSERT INTO account_feeds (id, token, token_hash, show_names) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO ";
}

bool insert_account_feed(Tx& tx, int64_t account_id, const std::string& sealed_token, const std::string& token_hash, bool show_names) {
    return tx.exec(std::string(insert_feed) + "NOTHING", {account_id, Blob::of(sealed_token), token_hash, int64_t(show_names)}) != 0;
}

void replace_account_feed(Tx& tx, int64_t account_id, const std::string& sealed_token, const std::string& token_hash, bool show_names) {
    tx.exec(std::string(insert_feed) + "UPDATE SET token = $2, token_hash = $3, show_names = $4",
            {account_id, Blob::of(sealed_token), token_hash, int64_t(show_names)});
}

std::optional<FeedOwner> feed_owner(Tx& tx, const std::string& token_hash) {
    auto rows =
        tx.query("SELECT f.id, f.show_names FROM account_feeds f JOIN accounts a ON a.id = f.id WHERE f.token_hash = $1 AND a.status = 'active'",
                 {token_hash});
    if (rows.empty()) return std::nullopt;
    return FeedOwner{rows[0].integer(0), rows[0].integer(1) == 1};
}

std::vector<FeedItem> bookings_by(Tx& tx, int64_t account_id, int64_t from, int64_t to) {
    return rows_as(tx.query("SELECT b.id, b.start_at, b.end_at, s.name FROM bookings b JOIN spaces s ON s.id = b.space_id WHERE b.booked_by = $1 "
                            "AND b.cancelled_at IS NULL AND b.start_at >= $2 AND b.start_at < $3 ORDER BY b.start_at",
                            {account_id, from, to}),
                   feed_item_from);
}

std::vector<FeedItem> sessions_taught_by(Tx& tx, int64_t account_id, int64_t from, int64_t to) {
    return rows_as(tx.query("SELECT s.id, s.start_at, s.end_at, c.title FROM course_sessions s JOIN courses c ON c.id = s.course_id "
                            "WHERE c.teacher_id = $1 AND s.start_at >= $2 AND s.start_at < $3 ORDER BY s.start_at",
                            {account_id, from, to}),
                   feed_item_from);
}

}  // namespace haven::centre::store
