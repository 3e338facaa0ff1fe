// The SQL of desks, courses and redirects; events, occupancy and feeds are in store_events.cpp.
#include "modules/centre/store.hpp"

namespace haven::centre::store {

using storage::integer_of;
using storage::Row;
using storage::rows_as;
using storage::Value;

namespace {

constexpr const char* course_columns =
    "SELECT c.id, c.site_id, c.teacher_id, c.capacity, c.space_id, c.title, c.language, c.level, a.username, t.time_zone, "
    "(SELECT COUNT(*) FROM course_enrolments e WHERE e.course_id = c.id AND e.status = 'enrolled'), "
    "(SELECT COUNT(*) FROM course_enrolments e WHERE e.course_id = c.id AND e.status = 'waitlisted') "
    "FROM courses c JOIN sites t ON t.id = c.site_id LEFT JOIN accounts a ON a.id = c.teacher_id ";

Course course_from(const Row& r) {
    return Course{r.integer(0),
                  r.integer(1),
                  r.is_null(2) ? 0 : r.integer(2),
                  r.integer(3),
                  r.is_null(4) ? 0 : r.integer(4),
                  r.text(5),
                  r.text(6),
                  r.text(7),
                  r.is_null(8) ? "" : r.text(8),
                  r.text(9),
                  r.integer(10),
                  r.integer(11)};
}

constexpr const char* session_columns =
    "SELECT s.id, s.course_id, s.start_at, s.end_at, "
    "(SELECT COUNT(*) FROM attendance x WHERE x.session_id = s.id AND x.present = 1), "
    "(SELECT COUNT(*) FROM attendance x WHERE x.session_id = s.id) FROM course_sessions s ";

Session session_from(const Row& r) { return {r.integer(0), r.integer(1), r.integer(2), r.integer(3), r.integer(4), r.integer(5)}; }

constexpr const char* enrolment_columns =
    "SELECT e.id, e.course_id, e.person_id, e.since, "
    "(SELECT COUNT(*) FROM attendance x WHERE x.enrolment_id = e.id AND x.present = 1), e.status FROM course_enrolments e ";

Enrolment enrolment_from(const Row& r) { return {r.integer(0), r.integer(1), r.integer(2), r.integer(3), r.integer(4), "", r.text(5), ""}; }

int64_t first_column(const Row& r) { return r.integer(0); }

}  // namespace

std::optional<int64_t> course_of_enrolment(Tx& tx, int64_t enrolment_id) {
    return integer_of(tx.query("SELECT course_id FROM course_enrolments WHERE id = $1", {enrolment_id}));
}

std::optional<int64_t> event_of_registration(Tx& tx, int64_t registration_id) {
    return integer_of(tx.query("SELECT event_id FROM registrations WHERE id = $1", {registration_id}));
}

// ---- Desks ----

std::vector<DeskRow> desks_at(Tx& tx, int64_t site_id) {
    return rows_as(tx.query("SELECT id, name FROM spaces WHERE site_id = $1 AND kind = 'desk' ORDER BY name", {site_id}), [](const Row& r) {
        return DeskRow{r.integer(0), r.text(1)};
    });
}

std::optional<Allocation> allocation_on(Tx& tx, int64_t desk_id, const std::string& date) {
    auto rows = tx.query("SELECT id, person_id, from_date, to_date FROM desk_allocations WHERE space_id = $1 AND from_date <= $2 AND to_date >= $2",
                         {desk_id, date});
    if (rows.empty()) return std::nullopt;
    const auto& r = rows[0];
    return Allocation{r.integer(0), r.integer(1), r.text(2), r.text(3)};
}

bool desk_held_between(Tx& tx, int64_t desk_id, const std::string& from, const std::string& to) {
    return !tx.query("SELECT 1 FROM desk_allocations WHERE space_id = $1 AND from_date <= $2 AND to_date >= $3", {desk_id, to, from}).empty();
}

std::optional<std::string> desk_of_person_between(Tx& tx, int64_t person_id, const std::string& from, const std::string& to) {
    auto rows = tx.query(
        "SELECT s.name FROM desk_allocations d JOIN spaces s ON s.id = d.space_id WHERE d.person_id = $1 AND d.from_date <= $2 "
        "AND d.to_date >= $3",
        {person_id, to, from});
    if (rows.empty()) return std::nullopt;
    return rows[0].text(0);
}

void insert_allocation(Tx& tx, const NewAllocation& a, int64_t now) {
    tx.exec("INSERT INTO desk_allocations (id, space_id, person_id, from_date, to_date, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            {a.id, a.desk_id, a.person_id, a.from, a.to, a.created_by, now});
}

std::optional<AllocationAt> allocation(Tx& tx, int64_t id) {
    auto rows =
        tx.query("SELECT d.space_id, s.site_id, d.from_date FROM desk_allocations d JOIN spaces s ON s.id = d.space_id WHERE d.id = $1", {id});
    if (rows.empty()) return std::nullopt;
    return AllocationAt{rows[0].integer(0), rows[0].integer(1), rows[0].text(2)};
}

void delete_allocation(Tx& tx, int64_t id) { tx.exec("DELETE FROM desk_allocations WHERE id = $1", {id}); }

void end_allocation(Tx& tx, int64_t id, const std::string& day) {
    tx.exec("UPDATE desk_allocations SET to_date = $1 WHERE id = $2 AND to_date > $1", {day, id});
}

std::vector<Holding> holdings_of(Tx& tx, int64_t person_id) {
    return rows_as(tx.query("SELECT d.id, d.space_id, s.name, d.from_date, d.to_date FROM desk_allocations d JOIN spaces s ON s.id = d.space_id "
                            "WHERE d.person_id = $1 ORDER BY d.from_date DESC",
                            {person_id}),
                   [&](const Row& r) { return Holding{r.integer(0), r.integer(1), person_id, r.text(2), "", r.text(3), r.text(4)}; });
}

std::vector<Waiting> desk_waitlist(Tx& tx, int64_t site_id) {
    return rows_as(tx.query("SELECT id, person_id, since FROM desk_waitlist WHERE site_id = $1 ORDER BY since, id", {site_id}), [](const Row& r) {
        return Waiting{r.integer(0), r.integer(1), r.integer(2), ""};
    });
}

bool waits_for_desk(Tx& tx, int64_t person_id, int64_t site_id) {
    return !tx.query("SELECT 1 FROM desk_waitlist WHERE person_id = $1 AND site_id = $2", {person_id, site_id}).empty();
}

std::optional<int64_t> last_desk_wait(Tx& tx, int64_t site_id) {
    return integer_of(tx.query("SELECT MAX(since) FROM desk_waitlist WHERE site_id = $1", {site_id}));
}

void insert_desk_wait(Tx& tx, int64_t id, int64_t site_id, int64_t person_id, int64_t since, int64_t created_by) {
    tx.exec("INSERT INTO desk_waitlist (id, site_id, person_id, since, created_by) VALUES ($1, $2, $3, $4, $5)",
            {id, site_id, person_id, since, created_by});
}

std::optional<DeskWait> desk_wait(Tx& tx, int64_t id) {
    auto rows = tx.query("SELECT site_id, person_id FROM desk_waitlist WHERE id = $1", {id});
    if (rows.empty()) return std::nullopt;
    return DeskWait{rows[0].integer(0), rows[0].integer(1)};
}

void delete_desk_wait(Tx& tx, int64_t id) { tx.exec("DELETE FROM desk_waitlist WHERE id = $1", {id}); }

void delete_desk_wait_of(Tx& tx, int64_t site_id, int64_t person_id) {
    tx.exec("DELETE FROM desk_waitlist WHERE site_id = $1 AND person_id = $2", {site_id, person_id});
}

// ---- Courses ----

std::optional<Course> course(Tx& tx, int64_t id) {
    auto rows = tx.query(std::string(course_columns) + "WHERE c.id = $1", {id});
    if (rows.empty()) return std::nullopt;
    return course_from(rows[0]);
}

std::vector<Course> courses_at(Tx& tx, int64_t site_id) {
    return rows_as(tx.query(std::string(course_columns) + "WHERE c.site_id = $1 ORDER BY c.language, c.level, c.title", {site_id}), course_from);
}

bool is_active_teacher(Tx& tx, int64_t account_id, int64_t site_id) {
    return !tx.query(
                  "SELECT 1 FROM account_roles r JOIN accounts a ON a.id = r.account_id WHERE r.account_id = $1 AND r.site_id = $2 AND r.role = "
                  "'teacher' "
                  "AND a.status = 'active'",
                  {account_id, site_id})
                .empty();
}

bool is_room_of(Tx& tx, int64_t space_id, int64_t site_id) {
    return !tx.query("SELECT 1 FROM spaces WHERE id = $1 AND site_id = $2 AND kind IN ('room', 'studio')", {space_id, site_id}).empty();
}

void insert_course(Tx& tx, int64_t id, const CourseInput& in, int64_t now) {
    tx.exec(
        "INSERT INTO courses (id, site_id, title, language, level, teacher_id, capacity, space_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
        "$8, $9)",
        {id, in.site_id, in.title, in.language, in.level, in.teacher_id ? Value(in.teacher_id) : Value(nullptr), in.capacity,
         in.space_id ? Value(in.space_id) : Value(nullptr), now});
}

int64_t take_course(Tx& tx, int64_t course_id) {
    return tx.query("UPDATE courses SET capacity = capacity WHERE id = $1 RETURNING capacity", {course_id}).at(0).integer(0);
}

std::optional<int64_t> capacity(Tx& tx, int64_t course_id) { return integer_of(tx.query("SELECT capacity FROM courses WHERE id = $1", {course_id})); }

void insert_session(Tx& tx, int64_t id, int64_t course_id, int64_t start, int64_t end, std::optional<int64_t> booking_id) {
    tx.exec("INSERT INTO course_sessions (id, course_id, start_at, end_at, booking_id) VALUES ($1, $2, $3, $4, $5)",
            {id, course_id, start, end, booking_id ? Value(*booking_id) : Value(nullptr)});
}

std::vector<Session> sessions_of(Tx& tx, int64_t course_id) {
    return rows_as(tx.query(std::string(session_columns) + "WHERE s.course_id = $1 ORDER BY s.start_at", {course_id}), session_from);
}

std::optional<Session> session(Tx& tx, int64_t id) {
    auto rows = tx.query(std::string(session_columns) + "WHERE s.id = $1", {id});
    if (rows.empty()) return std::nullopt;
    return session_from(rows[0]);
}

void take_session(Tx& tx, int64_t session_id) { tx.exec("UPDATE course_sessions SET start_at = start_at WHERE id = $1", {session_id}); }

bool has_enrolment(Tx& tx, int64_t course_id, int64_t person_id) {
    return !tx.query("SELECT 1 FROM course_enrolments WHERE course_id = $1 AND person_id = $2 AND status <> 'left'", {course_id, person_id}).empty();
}

int64_t enrolled_count(Tx& tx, int64_t course_id) {
    return tx.query("SELECT COUNT(*) FROM course_enrolments WHERE course_id = $1 AND status = 'enrolled'", {course_id})[0].integer(0);
}

std::vector<int64_t> enrolled_ids(Tx& tx, int64_t course_id) {
    return rows_as(tx.query("SELECT id FROM course_enrolments WHERE course_id = $1 AND status = 'enrolled'", {course_id}), first_column);
}

std::optional<int64_t> last_enrolment(Tx& tx, int64_t course_id) {
    return integer_of(tx.query("SELECT MAX(since) FROM course_enrolments WHERE course_id = $1", {course_id}));
}

void insert_enrolment(Tx& tx, const Enrolment& e) {
    tx.exec("INSERT INTO course_enrolments (id, course_id, person_id, status, since, changed_at) VALUES ($1, $2, $3, $4, $5, $5)",
            {e.id, e.course_id, e.person_id, e.status, e.since});
}

std::optional<Enrolment> first_waitlisted(Tx& tx, int64_t course_id) {
    auto rows =
        tx.query(std::string(enrolment_columns) + "WHERE e.course_id = $1 AND e.status = 'waitlisted' ORDER BY e.since, e.id LIMIT 1", {course_id});
    if (rows.empty()) return std::nullopt;
    return enrolment_from(rows[0]);
}

void set_enrolment_status(Tx& tx, int64_t id, const std::string& status, int64_t now) {
    tx.exec("UPDATE course_enrolments SET status = $1, changed_at = $2 WHERE id = $3", {status, now, id});
}

std::vector<Enrolment> enrolments_in(Tx& tx, int64_t course_id) {
    return rows_as(
        tx.query(std::string(enrolment_columns) + "WHERE e.course_id = $1 AND e.status <> 'left' ORDER BY e.status, e.since, e.id", {course_id}),
        enrolment_from);
}

std::optional<EnrolmentRef> enrolment(Tx& tx, int64_t id) {
    auto rows = tx.query("SELECT course_id, person_id FROM course_enrolments WHERE id = $1", {id});
    if (rows.empty()) return std::nullopt;
    return EnrolmentRef{rows[0].integer(0), rows[0].integer(1)};
}

std::optional<int64_t> course_of_open_enrolment(Tx& tx, int64_t id) {
    return integer_of(tx.query("SELECT course_id FROM course_enrolments WHERE id = $1 AND status <> 'left'", {id}));
}

std::vector<PersonEnrolment> enrolments_of(Tx& tx, int64_t person_id) {
    return rows_as(
        tx.query("SELECT e.id, e.course_id, e.since, e.status, c.title, c.level FROM course_enrolments e JOIN courses c ON c.id = e.course_id "
                 "WHERE e.person_id = $1 AND e.status <> 'left' ORDER BY e.since",
                 {person_id}),
        [](const Row& r) { return PersonEnrolment{r.integer(0), r.integer(1), r.integer(2), r.text(3), r.text(4), r.text(5)}; });
}

std::vector<Place> enrolled_places_of(Tx& tx, int64_t person_id) {
    return rows_as(tx.query("SELECT id, course_id FROM course_enrolments WHERE person_id = $1 AND status = 'enrolled'", {person_id}),
                   [](const Row& r) {
                       return Place{r.integer(0), r.integer(1)};
                   });
}

void set_attendance(Tx& tx, int64_t session_id, const std::vector<Mark>& marks, int64_t marked_by, int64_t now) {
    tx.exec("DELETE FROM attendance WHERE session_id = $1", {session_id});
    for (const auto& m : marks)
        tx.exec("INSERT INTO attendance (session_id, enrolment_id, present, marked_by, marked_at) VALUES ($1, $2, $3, $4, $5)",
                {session_id, m.enrolment_id, int64_t(m.present), marked_by, now});
}

std::vector<int64_t> present_at(Tx& tx, int64_t session_id) {
    return rows_as(tx.query("SELECT enrolment_id FROM attendance WHERE session_id = $1 AND present = 1", {session_id}), first_column);
}

std::vector<SessionAttended> attendance_of(Tx& tx, int64_t enrolment_id, int64_t course_id, int64_t until) {
    return rows_as(tx.query("SELECT s.start_at, s.end_at, x.present FROM course_sessions s LEFT JOIN attendance x ON x.session_id = s.id "
                            "AND x.enrolment_id = $1 WHERE s.course_id = $2 AND s.start_at <= $3 ORDER BY s.start_at",
                            {enrolment_id, course_id, until}),
                   [](const Row& r) {
                       return SessionAttended{r.integer(0), r.integer(1), r.is_null(2) ? std::nullopt : std::optional<bool>(r.integer(2) == 1)};
                   });
}

}  // namespace haven::centre::store
