// Occupancy figures of a site and month, and each staff member's own calendar feed.
#include <algorithm>

#include "core/dates.hpp"
#include "crypto/random.hpp"
#include "modules/accounts/store.hpp"
#include "modules/centre/common.hpp"
#include "modules/centre/service.hpp"
#include "modules/centre/store.hpp"
#include "modules/spaces/ical.hpp"

namespace haven::centre {

using accounts::Action;
using accounts::may;
using storage::Tx;

Result<Occupancy> Service::occupancy(const Principal& actor, int64_t site_id, std::string month) {
    if (!may(actor, Action::dashboard_view, site_id)) return accounts::role_forbids();
    if (month.empty()) month = local_date(clock_.now_ms(), site_zone(site_id)).substr(0, 7);
    if (month.size() != 7 || !valid_date(month + "-01")) return invalid("month", "month must be written YYYY-MM.", "date");
    std::optional<accounts::Site> site;
    db_.read([&](Tx& tx) { site = accounts::store::site(tx, site_id); });
    if (!site) return not_found("site");
    const std::string zone = site->time_zone;
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
        o.desks = store::desk_count(tx, site_id);
        o.desk_days_available = o.desks * days;
        for (const auto& held : store::holdings_between(tx, site_id, first_day, last_day)) {
            const std::string a = std::max(held.from, first_day), b = std::min(held.to, last_day);
            o.desk_days_used += (*day_start(b) - *day_start(a)) / day_ms + 1;
        }
        for (const auto& booked : store::bookings_between(tx, site_id, from, to)) {
            const int64_t minutes = (std::min(booked.end, to) - std::max(booked.start, from)) / 60000;
            if (booked.kind == "studio") o.studio_minutes += minutes;
            if (booked.kind == "room") o.room_minutes += minutes;
        }
        const auto m = store::month_counts(tx, site_id, from, to);
        o.sessions = m.sessions;
        o.present = m.present;
        o.marked = m.marked;
        o.events = m.events;
        o.registered = m.registered;
        o.checked_in = m.checked_in;
        o.headcount = m.headcount;
    });
    return o;
}

Result<std::pair<std::string, bool>> Service::own_feed(const Principal& actor, std::optional<bool> show_names, bool rotate) {
    const int64_t account = actor.account_id;
    return db_.write<std::pair<std::string, bool>>([&](Tx& tx) -> Result<std::pair<std::string, bool>> {
        const auto feed = store::account_feed(tx, account);
        const bool names = show_names.value_or(feed && feed->show_names);
        if (feed && !rotate) {
            HAVEN_TRY(token, vault_.open_field("account_feeds", "token", account, feed->sealed_token));
            if (show_names) store::set_feed_names(tx, account, names);
            return std::pair{token, names};
        }
        // One statement each, so two requests at once on PostgreSQL never both insert (a delete-then-insert
        // answered 500): a first use keeps whichever token was made first, a rotation replaces it.
        const std::string token = crypto::random_token();
        const std::string sealed = vault_.seal_field("account_feeds", "token", account, token);
        if (rotate) {
            store::replace_account_feed(tx, account, sealed, crypto::token_hash(token), names);
        } else if (!store::insert_account_feed(tx, account, sealed, crypto::token_hash(token), names)) {
            auto kept = store::account_feed(tx, account);
            HAVEN_TRY(kept_token, vault_.open_field("account_feeds", "token", account, kept.value().sealed_token));
            return std::pair{kept_token, names};
        }
        audit_.record(tx, {feed ? "feed.rotate" : "feed.create", account, "account", account});
        return std::pair{token, names};
    });
}

std::optional<std::string> Service::feed(const std::string& token) {
    if (token.empty() || token.size() > 64) return std::nullopt;
    std::optional<std::string> out;
    const int64_t now = clock_.now_ms(), day = 24LL * 3600 * 1000;
    db_.read([&](Tx& tx) {
        auto owner = store::feed_owner(tx, crypto::token_hash(token));
        if (!owner) return;
        std::vector<spaces::FeedEvent> events;
        // A month back, a year ahead: what they booked, and the sessions they teach.
        for (const auto& b : store::bookings_by(tx, owner->account_id, now - 31 * day, now + 366 * day))
            events.push_back({"booking-" + std::to_string(b.id) + "@haven", b.start, b.end, owner->show_names ? b.name : "Booked"});
        for (const auto& s : store::sessions_taught_by(tx, owner->account_id, now - 31 * day, now + 366 * day))
            events.push_back({"session-" + std::to_string(s.id) + "@haven", s.start, s.end, owner->show_names ? s.name : "Course session"});
        std::sort(events.begin(), events.end(), [](const auto& a, const auto& b) { return a.start < b.start; });
        out = spaces::ical_feed("Haven", events, now);
    });
    return out;
}

}  // namespace haven::centre
