// Desks, courses, events and occupancy: the words of the centre module, shared by its store, its service and
// its pages.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace haven::centre {

// ---- Desks ----
struct Holding {
    int64_t id = 0, desk_id = 0, person_id = 0;
    std::string desk, person, from, to;  // person: pseudonym ("" to those who may not see it); dates YYYY-MM-DD
};
struct Desk {
    int64_t id = 0;
    std::string name;
    std::optional<Holding> held;  // on the day asked for
};
struct Waiting {
    int64_t id = 0, person_id = 0, since = 0;
    std::string person;
};
struct Desks {
    std::string date;
    std::vector<Desk> desks;
    std::vector<Waiting> waitlist;  // first come first
    size_t free() const;
};

// ---- Courses ----
const std::vector<std::string_view>& levels();  // CEFR: A1 … C2
struct CourseInput {
    int64_t site_id = 0, teacher_id = 0, capacity = 0, space_id = 0;  // teacher and room optional (0)
    std::string title, language, level;
};
struct Course {
    int64_t id = 0, site_id = 0, teacher_id = 0, capacity = 0, space_id = 0;
    std::string title, language, level, teacher, time_zone;
    int64_t enrolled = 0, waiting = 0;
};
struct Session {
    int64_t id = 0, course_id = 0, start = 0, end = 0, present = 0, marked = 0;
};
struct Enrolment {
    int64_t id = 0, course_id = 0, person_id = 0, since = 0, attended = 0;
    std::string person, status;  // enrolled, waitlisted, left
    std::string course;          // its title, in a person's list
};
struct Certificate {
    Course course;
    std::string name, first_session, last_session;  // legal name (pseudonym when none); dates YYYY-MM-DD
    int64_t attended = 0, sessions = 0, minutes = 0;
};

// ---- Events ----
struct EventInput {
    int64_t site_id = 0, start = 0, end = 0, capacity = 0;  // capacity 0: drop-in, headcounts only
    std::string title;
};
struct Event {
    int64_t id = 0, site_id = 0, start = 0, end = 0, capacity = 0;
    std::string title, time_zone;
    int64_t registered = 0, waiting = 0, checked_in = 0, headcount = 0;
};
struct Registration {
    int64_t id = 0, event_id = 0, person_id = 0, since = 0, checked_in_at = 0;  // person_id 0: a visitor
    std::string name, status;  // pseudonym or visitor's first name; registered, waitlisted, cancelled
};

// ---- Occupancy of a site in a month ----
struct Occupancy {
    std::string month;  // YYYY-MM
    int64_t desks = 0, desk_days_used = 0, desk_days_available = 0;
    int64_t studio_minutes = 0, room_minutes = 0;
    int64_t sessions = 0, present = 0, marked = 0;
    int64_t events = 0, registered = 0, checked_in = 0, headcount = 0;
};

}  // namespace haven::centre
