// All SQL of the centre module (desks, courses, events, occupancy, personal feeds). Functions take a Tx so a
// service can make several of them one transaction; none checks permissions (the service does) and none seals
// or opens a value: sealed columns come and go as the bytes stored, beside the row they belong to.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "modules/centre/types.hpp"
#include "storage/db.hpp"

namespace haven::centre::store {

using storage::Tx;

// For redirects: the course of an enrolment, the event of a registration (any state); nullopt for none.
std::optional<int64_t> course_of_enrolment(Tx& tx, int64_t enrolment_id);
std::optional<int64_t> event_of_registration(Tx& tx, int64_t registration_id);

// ---- Desks (spaces of kind "desk") ----
struct DeskRow {
    int64_t id = 0;
    std::string name;
};
std::vector<DeskRow> desks_at(Tx& tx, int64_t site_id);  // by name
struct Allocation {
    int64_t id = 0, person_id = 0;
    std::string from, to;  // YYYY-MM-DD, inclusive
};
std::optional<Allocation> allocation_on(Tx& tx, int64_t desk_id, const std::string& date);
// Whether anyone holds the desk on a day of [from, to]; the name of a desk the person holds then, if any.
bool desk_held_between(Tx& tx, int64_t desk_id, const std::string& from, const std::string& to);
std::optional<std::string> desk_of_person_between(Tx& tx, int64_t person_id, const std::string& from, const std::string& to);
struct NewAllocation {
    int64_t id = 0, desk_id = 0, person_id = 0;
    std::string from, to;
    int64_t created_by = 0;
};
void insert_allocation(Tx& tx, const NewAllocation& allocation, int64_t now);
struct AllocationAt {
    int64_t desk_id = 0, site_id = 0;
    std::string from;
};
std::optional<AllocationAt> allocation(Tx& tx, int64_t id);
void delete_allocation(Tx& tx, int64_t id);
// Ends the holding on `day` unless it ends sooner already.
void end_allocation(Tx& tx, int64_t id, const std::string& day);
std::vector<Holding> holdings_of(Tx& tx, int64_t person_id);  // latest first; `person` left empty

// The desk waitlist of a site, first come first; `person` left empty.
std::vector<Waiting> desk_waitlist(Tx& tx, int64_t site_id);
bool waits_for_desk(Tx& tx, int64_t person_id, int64_t site_id);
std::optional<int64_t> last_desk_wait(Tx& tx, int64_t site_id);  // MAX(since), for queue_place
void insert_desk_wait(Tx& tx, int64_t id, int64_t site_id, int64_t person_id, int64_t since, int64_t created_by);
struct DeskWait {
    int64_t site_id = 0, person_id = 0;
};
std::optional<DeskWait> desk_wait(Tx& tx, int64_t id);
void delete_desk_wait(Tx& tx, int64_t id);
void delete_desk_wait_of(Tx& tx, int64_t site_id, int64_t person_id);

// ---- Courses ----
std::optional<Course> course(Tx& tx, int64_t id);
std::vector<Course> courses_at(Tx& tx, int64_t site_id);  // by language, level, title
bool is_active_teacher(Tx& tx, int64_t account_id, int64_t site_id);
bool is_room_of(Tx& tx, int64_t space_id, int64_t site_id);  // a room or the studio
void insert_course(Tx& tx, int64_t id, const CourseInput& in, int64_t now);
// Takes the course's row (enrolments of one course take turns: a PostgreSQL row lock) and returns its capacity.
int64_t take_course(Tx& tx, int64_t course_id);
std::optional<int64_t> capacity(Tx& tx, int64_t course_id);

void insert_session(Tx& tx, int64_t id, int64_t course_id, int64_t start, int64_t end, std::optional<int64_t> booking_id);
std::vector<Session> sessions_of(Tx& tx, int64_t course_id);  // soonest first
std::optional<Session> session(Tx& tx, int64_t id);
// Takes the session's row: two registers taken at once take turns instead of colliding on the key.
void take_session(Tx& tx, int64_t session_id);

// Enrolments: `person` and `course` left empty.
bool has_enrolment(Tx& tx, int64_t course_id, int64_t person_id);  // enrolled or waiting
int64_t enrolled_count(Tx& tx, int64_t course_id);
std::vector<int64_t> enrolled_ids(Tx& tx, int64_t course_id);
std::optional<int64_t> last_enrolment(Tx& tx, int64_t course_id);  // MAX(since), for queue_place
void insert_enrolment(Tx& tx, const Enrolment& enrolment);
std::optional<Enrolment> first_waitlisted(Tx& tx, int64_t course_id);
void set_enrolment_status(Tx& tx, int64_t id, const std::string& status, int64_t now);
std::vector<Enrolment> enrolments_in(Tx& tx, int64_t course_id);  // not left; by status, then place in the queue
struct EnrolmentRef {
    int64_t course_id = 0, person_id = 0;
};
std::optional<EnrolmentRef> enrolment(Tx& tx, int64_t id);            // in any state
std::optional<int64_t> course_of_open_enrolment(Tx& tx, int64_t id);  // not left
struct PersonEnrolment {
    int64_t id = 0, course_id = 0, since = 0;
    std::string status, title, level;
};
std::vector<PersonEnrolment> enrolments_of(Tx& tx, int64_t person_id);  // not left, oldest first
struct Place {
    int64_t id = 0, of = 0;  // the enrolment or registration, and its course or event
};
std::vector<Place> enrolled_places_of(Tx& tx, int64_t person_id);

struct Mark {
    int64_t enrolment_id = 0;
    bool present = false;
};
// Replaces the session's register.
void set_attendance(Tx& tx, int64_t session_id, const std::vector<Mark>& marks, int64_t marked_by, int64_t now);
std::vector<int64_t> present_at(Tx& tx, int64_t session_id);  // enrolment ids
struct SessionAttended {
    int64_t start = 0, end = 0;
    std::optional<bool> present;  // nullopt: not marked
};
// The course's sessions begun by `until`, soonest first, with the enrolment's mark at each.
std::vector<SessionAttended> attendance_of(Tx& tx, int64_t enrolment_id, int64_t course_id, int64_t until);

// ---- Events ----
struct StoredEvent {
    Event event;  // title empty
    std::string sealed_title;
};
std::optional<StoredEvent> event(Tx& tx, int64_t id);
std::vector<StoredEvent> events_ending_after(Tx& tx, int64_t site_id, int64_t after);  // soonest first, at most 200
void insert_event(Tx& tx, int64_t id, const EventInput& in, const std::string& sealed_title, int64_t now);
void take_event(Tx& tx, int64_t event_id);  // registrations for one event take turns (PostgreSQL row lock)

struct StoredRegistration {
    Registration registration;  // name empty
    std::optional<std::string> sealed_visitor;
};
bool has_registration(Tx& tx, int64_t event_id, int64_t person_id);  // registered or waiting
int64_t registered_count(Tx& tx, int64_t event_id);
std::optional<int64_t> last_registration(Tx& tx, int64_t event_id);  // MAX(since), for queue_place
struct NewRegistration {
    int64_t id = 0, event_id = 0, person_id = 0;  // person_id 0: a visitor
    std::optional<std::string> sealed_visitor;
    std::string status;
    int64_t since = 0;
    std::string sealed_code, code_hash;
};
void insert_registration(Tx& tx, const NewRegistration& registration);
std::optional<StoredRegistration> first_waitlisted_guest(Tx& tx, int64_t event_id);
void set_registration_status(Tx& tx, int64_t id, const std::string& status);
std::optional<int64_t> event_of_open_registration(Tx& tx, int64_t id);       // not cancelled
std::vector<StoredRegistration> registrations_in(Tx& tx, int64_t event_id);  // not cancelled; by status, then place
struct SealedCode {
    int64_t event_id = 0;
    std::string sealed_code;
};
std::optional<SealedCode> code_of(Tx& tx, int64_t registration_id);  // not cancelled
// A registration for the event that is not cancelled, by id or by the hash of its code.
std::optional<StoredRegistration> registration_at(Tx& tx, int64_t event_id, int64_t registration_id);
std::optional<StoredRegistration> registration_by_code(Tx& tx, int64_t event_id, const std::string& code_hash);
void check_in(Tx& tx, int64_t registration_id, int64_t at);
struct EventPlace {
    int64_t id = 0, event_id = 0, capacity = 0;
};
std::vector<EventPlace> registered_places_of(Tx& tx, int64_t person_id);
void insert_headcount(Tx& tx, int64_t id, int64_t event_id, int64_t count, int64_t counted_by, int64_t at);

// ---- Occupancy ----
int64_t desk_count(Tx& tx, int64_t site_id);
struct DateRange {
    std::string from, to;
};
// Desk holdings of the site touching [first_day, last_day].
std::vector<DateRange> holdings_between(Tx& tx, int64_t site_id, const std::string& first_day, const std::string& last_day);
struct BookedTime {
    std::string kind;  // of the space
    int64_t start = 0, end = 0;
};
// Active bookings of the site's spaces overlapping [from, to).
std::vector<BookedTime> bookings_between(Tx& tx, int64_t site_id, int64_t from, int64_t to);
// Sessions and events of the site starting in [from, to), and what was counted at them.
struct MonthCounts {
    int64_t sessions = 0, present = 0, marked = 0;
    int64_t events = 0, registered = 0, checked_in = 0, headcount = 0;
};
MonthCounts month_counts(Tx& tx, int64_t site_id, int64_t from, int64_t to);

// ---- Personal calendar feeds ----
struct AccountFeed {
    std::string sealed_token;
    bool show_names = false;
};
std::optional<AccountFeed> account_feed(Tx& tx, int64_t account_id);
void set_feed_names(Tx& tx, int64_t account_id, bool show_names);
// One statement each, so that two requests at once on PostgreSQL never both insert: `insert_account_feed` keeps
// a feed already there (false), `replace_account_feed` replaces it.
bool insert_account_feed(Tx& tx, int64_t account_id, const std::string& sealed_token, const std::string& token_hash, bool show_names);
void replace_account_feed(Tx& tx, int64_t account_id, const std::string& sealed_token, const std::string& token_hash, bool show_names);
struct FeedOwner {
    int64_t account_id = 0;
    bool show_names = false;
};
// The active account whose feed token has this hash (a suspended or offboarded account's feed answers nothing).
std::optional<FeedOwner> feed_owner(Tx& tx, const std::string& token_hash);
struct FeedItem {
    int64_t id = 0, start = 0, end = 0;
    std::string name;  // of the space or the course
};
// What the account booked, and the sessions it teaches, starting in [from, to), soonest first.
std::vector<FeedItem> bookings_by(Tx& tx, int64_t account_id, int64_t from, int64_t to);
std::vector<FeedItem> sessions_taught_by(Tx& tx, int64_t account_id, int64_t from, int64_t to);

}  // namespace haven::centre::store
