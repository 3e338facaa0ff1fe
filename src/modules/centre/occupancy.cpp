// Occupancy figures of a site and month, and each staff member's own calendar feed.
#include <algorithm>

#include "core/dates.hpp"
#include "crypto/random.hpp"
#include "modules/centre/common.hpp"
#include "modules/centre/service.hpp"
#include "modules/spaces/ical.hpp"

namespace haven::centre {

using accounts::Action;
using accounts::may;
using storage::Blob;
using storage::Tx;

Result<Occupancy> Service::occupancy(const Principal& actor, int64_t site_id, std::string month) {
    if (!may(actor, Action::dashboard_view, site_id)) return accounts::role_forbids();
    if (month.empty()) month = local_date(clock_.now_ms(), site_zone(site_id)).substr(0, 7);
    if (month.size() != 7 || !valid_date(month + "-01")) return invalid("month", "month must be written YYYY-MM.");
    auto zone_rows = db_.query("SELECT time_zone FROM sites WHERE id = $1", {site_id});
    if (zone_rows.empty()) return not_found("site");
    const std::string zone = zone_rows[0].text(0);
    const spaces::WallTime first{std::stoi(month.substr(0, 4)), std::stoi(month.substr(5, 2)), 1, 0, 0};
    spaces::WallTime next = first;
    if (++next.month > 12) next = {first.year + 1, 1, 1, 0, 0};
    const int64_t from = spaces::from_wall(first, zone), to = spaces::from_wall(next, zone);
    const std::string first_day = month + "-01";
    const int64_t days = (*day_start(local_date(to - 1, zone)) - *day_start(first_day)) / day_ms + 1;
    const std::string last_day = local_date(to - 1, zone);

    Occupancy o;
    o.month = month;
    db_.read([&](Tx& tx) {
        o.desks = tx.query("SELECT COUNT(*) FROM spaces WHERE site_id = $1 AND kind = 'desk'", {site_id})[0].integer(0);
        o.desk_days_available = o.desks * days;
        for (const auto& r : tx.query("SELECT d.from_date, d.to_date FROM desk_allocations d JOIN spaces s ON s.id = d.space_id WHERE s.site_id = $1 "
                                      "AND d.from_date <= $2 AND d.to_date >= $3",
                                      {site_id, last_day, first_day})) {
            const std::string a = std::max(r.text(0), first_day), b = std::min(r.text(1), last_day);
            o.desk_days_used += (*day_start(b) - *day_start(a)) / day_ms + 1;
        }
        for (const auto& r : tx.query("SELECT s.kind, b.start_at, b.end_at FROM bookings b JOIN spaces s ON s.id = b.space_id WHERE s.site_id = $1 "
                                      "AND b.cancelled_at IS NULL AND b.start_at < $2 AND b.end_at > $3",
                                      {site_id, to, from})) {
            const int64_t minutes = (std::min(r.integer(2), to) - std::max(r.integer(1), from)) / 60000;
            if (r.text(0) == "studio") o.studio_minutes += minutes;
            if (r.text(0) == "room") o.room_minutes += minutes;
        }
        auto count = [&](const std::string& sql) { return tx.query(sql, {site_id, from, to})[0].integer(0); };
        const std::string in_sessions = " FROM course_sessions s JOIN courses c ON c.id = s.course_id WHERE c.site_id = $1 AND s.start_at >= $2 AND s.start_at < $3";
        const std::string in_events = " FROM events e WHERE e.site_id = $1 AND e.start_at >= $2 AND e.start_at < $3";
        o.sessions = count("SELECT COUNT(*)" + in_sessions);
        o.present = count("SELECT COUNT(*) FROM attendance x WHERE x.present = 1 AND x.session_id IN (SELECT s.id" + in_sessions + ")");
        o.marked = count("SELECT COUNT(*) FROM attendance x WHERE x.session_id IN (SELECT s.id" + in_sessions + ")");
        o.events = count("SELECT COUNT(*)" + in_events);
        o.registered = count("SELECT COUNT(*) FROM registrations r WHERE r.status = 'registered' AND r.event_id IN (SELECT e.id" + in_events + ")");
        o.checked_in = count("SELECT COUNT(*) FROM registrations r WHERE r.checked_in_at IS NOT NULL AND r.event_id IN (SELECT e.id" + in_events + ")");
        o.headcount = count("SELECT CAST(COALESCE(SUM(h.count), 0) AS BIGINT) FROM headcounts h WHERE h.event_id IN (SELECT e.id" + in_events + ")");
    });
    return o;
}

Result<std::pair<std::string, bool>> Service::own_feed(const Principal& actor, std::optional<bool> show_names, bool rotate) {
    std::pair<std::string, bool> out;
    Status s = db_.write([&](Tx& tx) -> Status {
        auto rows = tx.query("SELECT token, show_names FROM account_feeds WHERE id = $1", {actor.account_id});
        out.second = show_names.value_or(!rows.empty() && rows[0].integer(1) == 1);
        if (!rows.empty() && !rotate) {
            HAVEN_TRY(token, vault_.open_field("account_feeds", "token", actor.account_id, rows[0].blob(0).str()));
            out.first = token;
            if (show_names) tx.exec("UPDATE account_feeds SET show_names = $1 WHERE id = $2", {int64_t(out.second), actor.account_id});
            return {};
        }
        // One statement each, so two requests at once on PostgreSQL never both insert (a delete-then-insert
        // answered 500): a first use keeps whichever token was made first, a rotation replaces it.
        out.first = crypto::random_token();
        const std::string insert = "INSERT INTO account_feeds (id, token, token_hash, show_names) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO ";
        const storage::Params values{actor.account_id, Blob::of(vault_.seal_field("account_feeds", "token", actor.account_id, out.first)),
                                     crypto::token_hash(out.first), int64_t(out.second)};
        if (rotate) {
            tx.exec(insert + "UPDATE SET token = $2, token_hash = $3, show_names = $4", values);
        } else if (tx.exec(insert + "NOTHING", values) == 0) {
            auto kept = tx.query("SELECT token FROM account_feeds WHERE id = $1", {actor.account_id});
            HAVEN_TRY(token, vault_.open_field("account_feeds", "token", actor.account_id, kept.at(0).blob(0).str()));
            out.first = token;
            return {};
        }
        accounts_.audit(tx, rows.empty() ? "feed.create" : "feed.rotate", actor.account_id, "account", actor.account_id);
        return {};
    });
    if (!s) return s.error();
    return out;
}

std::optional<std::string> Service::feed(const std::string& token) {
    if (token.empty() || token.size() > 64) return std::nullopt;
    std::optional<std::string> out;
    const int64_t now = clock_.now_ms(), day = 24LL * 3600 * 1000;
    db_.read([&](Tx& tx) {
        // A suspended or offboarded account's feed answers nothing, like an unknown one.
        auto rows = tx.query("SELECT f.id, f.show_names FROM account_feeds f JOIN accounts a ON a.id = f.id WHERE f.token_hash = $1 AND a.status = 'active'",
                             {crypto::token_hash(token)});
        if (rows.empty()) return;
        const int64_t account = rows[0].integer(0);
        const bool names = rows[0].integer(1) == 1;
        std::vector<spaces::FeedEvent> events;
        // A month back, a year ahead: what they booked, and the sessions they teach.
        for (const auto& r : tx.query("SELECT b.id, b.start_at, b.end_at, s.name FROM bookings b JOIN spaces s ON s.id = b.space_id WHERE b.booked_by = $1 "
                                      "AND b.cancelled_at IS NULL AND b.start_at >= $2 AND b.start_at < $3 ORDER BY b.start_at",
                                      {account, now - 31 * day, now + 366 * day}))
            events.push_back({"booking-" + std::to_string(r.integer(0)) + "@haven", r.integer(1), r.integer(2), names ? r.text(3) : "Booked"});
        for (const auto& r : tx.query("SELECT s.id, s.start_at, s.end_at, c.title FROM course_sessions s JOIN courses c ON c.id = s.course_id "
                                      "WHERE c.teacher_id = $1 AND s.start_at >= $2 AND s.start_at < $3 ORDER BY s.start_at",
                                      {account, now - 31 * day, now + 366 * day}))
            events.push_back({"session-" + std::to_string(r.integer(0)) + "@haven", r.integer(1), r.integer(2), names ? r.text(3) : "Course session"});
        std::sort(events.begin(), events.end(), [](const auto& a, const auto& b) { return a.start < b.start; });
        out = spaces::ical_feed("Haven", events, now);
    });
    return out;
}

}  // namespace haven::centre
