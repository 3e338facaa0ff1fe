// Spaces, bookings and the clash that refuses one: the words of the spaces module, shared by its store, its
// service and the modules that book spaces (the centre's courses).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "modules/spaces/calendar.hpp"
#include "modules/spaces/hours.hpp"

namespace haven::spaces {

const std::vector<std::string_view>& kinds();  // desk, room, studio

// No booking lasts longer (calendar.cpp refuses it): this bounds the conflict query.
constexpr int64_t longest_booking_ms = 24LL * 3600 * 1000;

struct Space {
    int64_t id = 0, site_id = 0;
    std::string kind, name, time_zone;
    std::vector<std::string> equipment;
    OpeningHours hours;
};

struct BookingInput {
    int64_t space_id = 0;
    int64_t start = 0, end = 0;  // the first occurrence, epoch ms
    Recurrence recurrence;
    std::string note;  // what is produced (studio); sealed
};

struct Booking {
    int64_t id = 0, series_id = 0, space_id = 0, start = 0, end = 0;
    std::string booked_by;
    bool recurring = false;  // one of a series (listings only)
    std::string note;        // a studio's "what is produced", opened only for its booker and the space's managers
};

// A refusal: the booking in the way, and free slots of the same length nearest to the one asked for. It travels
// as the detail of the 409 (clash_of), so callers that book inside their own work get it back unchanged.
struct Clash {
    Booking with;
    Occurrence wanted;
    std::vector<Occurrence> free;
};
// The clash a refused booking carries, or nullptr for any other error.
inline const Clash* clash_of(const Error& error) { return error_detail<Clash>(error); }

struct Booked {
    int64_t series_id = 0;
    std::vector<int64_t> ids;
};

}  // namespace haven::spaces
