// The centre's day: desks held by residents (and the waitlist for them), language courses (groups, sessions,
// enrolment with a waitlist that promotes, attendance, certificates), events (registration of known people or
// visitors, a waitlist that promotes, check-in by QR code or by name, anonymous headcounts), the occupancy
// figures of a site and month, and each staff member's own calendar feed.
//
// Every function checks the acting Principal itself. People appear by pseudonym to those who run the desk,
// the course or the door; their legal name only on a certificate, printed by coordinators. A visitor's first
// name and an event's title are sealed by the vault; the rest is ids, times and states.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "core/result.hpp"
#include "crypto/vault.hpp"
#include "modules/accounts/service.hpp"
#include "modules/centre/types.hpp"
#include "modules/people/service.hpp"
#include "modules/spaces/service.hpp"
#include "storage/db.hpp"

namespace haven::centre {

class Service {
public:
    Service(const modules::Shared& shared, accounts::Service& accounts, people::Service& people, spaces::Service& spaces);

    // Desks of a site on a date (the site's today when empty); `names` false skips opening the holders' records.
    Result<Desks> desks(const Principal& actor, int64_t site_id, std::string date = {}, bool names = true);
    // A desk held by a person from a date to a date (inclusive); 409 when someone holds it on one of those days.
    // Takes the person off the site's waitlist.
    Result<int64_t> allocate(const Principal& actor, int64_t desk_id, int64_t person_id, const std::string& from, const std::string& to);
    // Ends a holding today (or drops it when it has not begun). Returns the desk's site.
    Result<int64_t> release(const Principal& actor, int64_t allocation_id);
    Result<int64_t> wait_for_desk(const Principal& actor, int64_t person_id);
    Result<int64_t> leave_waitlist(const Principal& actor, int64_t waiting_id);  // returns the site
    Result<std::vector<Holding>> desks_of(const Principal& actor, int64_t person_id);

    Result<Course> create_course(const Principal& actor, const CourseInput& in);
    Result<Course> course(const Principal& actor, int64_t id);
    Result<std::vector<Course>> courses_at(const Principal& actor, int64_t site_id);
    // Sessions from `start`–`end` repeated by `rule`; with a room, its bookings are made in the same transaction
    // (all or none; a refused booking's 409 carries its spaces::Clash).
    Result<std::vector<int64_t>> add_sessions(const Principal& actor, int64_t course_id, int64_t start, int64_t end, const spaces::Recurrence& rule);
    Result<std::vector<Session>> sessions(const Principal& actor, int64_t course_id);
    Result<Session> session(const Principal& actor, int64_t session_id);
    // Enrolled while there is room, waitlisted after.
    Result<Enrolment> enrol(const Principal& actor, int64_t course_id, int64_t person_id);
    // The person leaves; the first on the waitlist takes the place (returned).
    Result<std::optional<Enrolment>> leave(const Principal& actor, int64_t enrolment_id);
    Result<std::vector<Enrolment>> enrolments(const Principal& actor, int64_t course_id);
    Result<std::vector<Enrolment>> courses_of(const Principal& actor, int64_t person_id);
    // Attendance of a session: `present` are enrolment ids; every other enrolled person is marked absent.
    Status mark(const Principal& actor, int64_t session_id, const std::vector<int64_t>& present);
    // Who was present at a session (enrolment ids).
    Result<std::vector<int64_t>> present_at(const Principal& actor, int64_t session_id);
    Result<Certificate> certificate(const Principal& actor, int64_t enrolment_id);

    Result<Event> create_event(const Principal& actor, const EventInput& in);
    Result<Event> event(const Principal& actor, int64_t id);
    // The site's events from a day back on, soonest first.
    Result<std::vector<Event>> events_at(const Principal& actor, int64_t site_id);
    // A known person (person_id) or a visitor (first_name). Registered while there is room, waitlisted after.
    // Returns the registration and its check-in code (what the QR code carries).
    Result<std::pair<Registration, std::string>> register_for(const Principal& actor, int64_t event_id, int64_t person_id,
                                                              const std::string& first_name);
    Result<std::optional<Registration>> cancel_registration(const Principal& actor, int64_t registration_id);
    Result<std::vector<Registration>> registrations(const Principal& actor, int64_t event_id);
    // The check-in code of a registration, to show its QR code again.
    Result<std::string> code_of(const Principal& actor, int64_t registration_id);
    // By the scanned code, or by registration id (chosen by name at the door). 409 when already checked in.
    Result<Registration> check_in(const Principal& actor, int64_t event_id, const std::string& code, int64_t registration_id);
    Result<int64_t> add_headcount(const Principal& actor, int64_t event_id, int64_t count);

    // A site's month ("YYYY-MM"; empty: this month in the site's time zone).
    Result<Occupancy> occupancy(const Principal& actor, int64_t site_id, std::string month);

    // The actor's own calendar feed: its token (made on first use), with names of spaces and courses or not;
    // `rotate` makes a new one (the old URL stops working). The feed for a token, nullopt when it names nothing.
    Result<std::pair<std::string, bool>> own_feed(const Principal& actor, std::optional<bool> show_names, bool rotate);
    std::optional<std::string> feed(const std::string& token);

    int64_t now_ms() const { return clock_.now_ms(); }
    std::string site_zone(int64_t site_id);                  // "UTC" for no such site
    int64_t course_of_enrolment(int64_t enrolment_id);       // 0 for none (for redirects; reads nothing personal)
    int64_t event_of_registration(int64_t registration_id);  // 0 for none

private:
    struct Door;
    Result<Course> load_course(storage::Tx& tx, const Principal& actor, int64_t id);
    Result<Event> load_event(storage::Tx& tx, const Principal& actor, int64_t id);
    // The event of a registration that is not cancelled; another site's answers like none.
    Result<Event> event_of_open(const Principal& actor, int64_t registration_id);
    Result<std::string> pseudonym(storage::Tx& tx, int64_t person_id, int64_t site_id);
    std::optional<Enrolment> promote(storage::Tx& tx, int64_t course_id);
    // A person being erased leaves their courses and events: each place goes to the first waiting, as when
    // someone leaves (the rows themselves go with the person).
    void give_up_places(storage::Tx& tx, int64_t person_id);
    std::optional<Registration> promote_guest(storage::Tx& tx, int64_t event_id, int64_t capacity);

    storage::Database& db_;
    const crypto::Vault& vault_;
    const Clock& clock_;
    const audit::Recorder& audit_;
    accounts::Service& accounts_;
    people::Service& people_;
    spaces::Service& spaces_;
};

}  // namespace haven::centre
