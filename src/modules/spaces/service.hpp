// Spaces and bookings: desks, rooms and the studio of a site, booked by the hour, once or recurring, never
// twice at once. A refused booking names the clash and the nearest free slots of the same length.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "core/result.hpp"
#include "crypto/vault.hpp"
#include "modules/accounts/service.hpp"
#include "modules/spaces/types.hpp"
#include "storage/db.hpp"

namespace haven::spaces {

class Service {
public:
    Service(const modules::Shared& shared, accounts::Service& accounts);

    Result<Space> create_space(const Principal& actor, Space space);
    Result<Space> space(const Principal& actor, int64_t id);
    Result<std::vector<Space>> spaces_at(const Principal& actor, int64_t site_id);
    Status set_hours(const Principal& actor, int64_t space_id, const OpeningHours& hours);

    // Either every occurrence is booked, or none and the 409 carries the first clash (clash_of).
    Result<Booked> book(const Principal& actor, const BookingInput& input);
    // The same inside the caller's transaction (courses book their room with their sessions).
    Result<Booked> book_in(storage::Tx& tx, const Principal& actor, const Space& space, const std::vector<Occurrence>& occurrences,
                           const std::string& note);
    Result<std::vector<Booking>> bookings(const Principal& actor, int64_t space_id, int64_t from, int64_t to);
    Status cancel(const Principal& actor, int64_t booking_id, bool whole_series);
    // The series of a booking (to cancel it from the week page).
    Result<Booking> booking(const Principal& actor, int64_t booking_id);

    // Calendar feeds at secret URLs: the space's token (made on first use), a new one (the old URL stops
    // working), and the feed for a token — nullopt for a token that names nothing.
    Result<std::string> feed_token(const Principal& actor, int64_t space_id);
    Result<std::string> rotate_feed(const Principal& actor, int64_t space_id);
    std::optional<std::string> feed(const std::string& token);

    int64_t now_ms() const { return clock_.now_ms(); }

private:
    std::string new_feed_token(storage::Tx& tx, int64_t space_id);
    std::vector<Occurrence> free_near(storage::Tx& tx, const Space& space, const Occurrence& wanted, size_t how_many);

    storage::Database& db_;
    const crypto::Vault& vault_;
    const Clock& clock_;
    const audit::Recorder& audit_;
    accounts::Service& accounts_;
};

}  // namespace haven::spaces
