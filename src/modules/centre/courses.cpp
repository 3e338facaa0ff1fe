#include <algorithm>
#include <cctype>
#include <set>

#include "core/utf8.hpp"
#include "modules/accounts/store.hpp"
#include "modules/centre/common.hpp"
#include "modules/centre/service.hpp"

namespace haven::centre {

using accounts::Action;
using accounts::may;
using storage::Tx;

const std::vector<std::string_view>& levels() {
    static const std::vector<std::string_view> v = {"A1", "A2", "B1", "B2", "C1", "C2"};
    return v;
}

namespace {

bool plain_text(const std::string& s, size_t max) { return !s.empty() && s.size() <= max && is_plain_line(s); }

// "fr", "de", "en", "uk": an ISO 639 code.
bool language_code(const std::string& s) {
    return (s.size() == 2 || s.size() == 3) && std::all_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

// Who sees the people of a course: those who run courses at the site, and its teacher.
bool runs(const Principal& actor, const Course& c) {
    return may(actor, Action::courses_manage, c.site_id) || (c.teacher_id == actor.account_id && may(actor, Action::attendance_take, c.site_id));
}

constexpr const char* course_columns =
    "SELECT c.id, c.site_id, c.teacher_id, c.capacity, c.space_id, c.title, c.language, c.level, a.username, t.time_zone, "
    "(SELECT COUNT(*) FROM course_enrolments e WHERE e.course_id = c.id AND e.status = 'enrolled'), "
    "(SELECT COUNT(*) FROM course_enrolments e WHERE e.course_id = c.id AND e.status = 'waitlisted') "
    "FROM courses c JOIN sites t ON t.id = c.site_id LEFT JOIN accounts a ON a.id = c.teacher_id ";

Course course_from(const storage::Row& r) {
    return Course{r.integer(0), r.integer(1), r.is_null(2) ? 0 : r.integer(2), r.integer(3), r.is_null(4) ? 0 : r.integer(4), r.text(5), r.text(6),
                  r.text(7), r.is_null(8) ? "" : r.text(8), r.text(9), r.integer(10), r.integer(11)};
}

constexpr const char* enrolment_columns =
    "SELECT e.id, e.course_id, e.person_id, e.since, "
    "(SELECT COUNT(*) FROM attendance x WHERE x.enrolment_id = e.id AND x.present = 1), e.status FROM course_enrolments e ";

}  // namespace

Result<Course> Service::load_course(Tx& tx, const Principal& actor, int64_t id) {
    auto rows = tx.query(std::string(course_columns) + "WHERE c.id = $1", {id});
    if (rows.empty() || !may(actor, Action::courses_view, rows[0].integer(1))) return not_found("course");
    return course_from(rows[0]);
}

Result<Course> Service::create_course(const Principal& actor, const CourseInput& in) {
    if (!may(actor, Action::courses_manage, in.site_id)) return accounts::role_forbids();
    if (!plain_text(in.title, 100)) return invalid("title", "title is required (at most 100 bytes).");
    if (!language_code(in.language)) return invalid("language", "language is a language code such as fr, de or en.");
    if (std::find(levels().begin(), levels().end(), in.level) == levels().end()) return invalid("level", "level is a CEFR level: A1, A2, B1, B2, C1 or C2.");
    if (in.capacity < 1 || in.capacity > 500) return invalid("capacity", "capacity is a number of places from 1 to 500.");
    const int64_t id = accounts::store::new_id();
    Status s = db_.write([&](Tx& tx) -> Status {
        if (in.teacher_id &&
            tx.query("SELECT 1 FROM account_roles r JOIN accounts a ON a.id = r.account_id WHERE r.account_id = $1 AND r.site_id = $2 AND r.role = 'teacher' "
                     "AND a.status = 'active'",
                     {in.teacher_id, in.site_id})
                .empty())
            return invalid("teacher_id", "teacher_id must be an active teacher of the site.");
        if (in.space_id &&
            tx.query("SELECT 1 FROM spaces WHERE id = $1 AND site_id = $2 AND kind IN ('room', 'studio')", {in.space_id, in.site_id}).empty())
            return invalid("space_id", "space_id must be a room of the site.");
        tx.exec("INSERT INTO courses (id, site_id, title, language, level, teacher_id, capacity, space_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                {id, in.site_id, in.title, in.language, in.level, in.teacher_id ? storage::Value(in.teacher_id) : storage::Value(nullptr), in.capacity,
                 in.space_id ? storage::Value(in.space_id) : storage::Value(nullptr), clock_.now_ms()});
        accounts_.audit(tx, "course.create", actor.account_id, "course", id, in.site_id);
        return {};
    });
    if (!s) return s.error();
    return course(actor, id);
}

Result<Course> Service::course(const Principal& actor, int64_t id) {
    std::optional<Result<Course>> out;
    db_.read([&](Tx& tx) { out = load_course(tx, actor, id); });
    return std::move(*out);
}

Result<std::vector<Course>> Service::courses_at(const Principal& actor, int64_t site_id) {
    if (!may(actor, Action::courses_view, site_id)) return accounts::role_forbids();
    std::vector<Course> out;
    for (const auto& r : db_.query(std::string(course_columns) + "WHERE c.site_id = $1 ORDER BY c.language, c.level, c.title", {site_id}))
        out.push_back(course_from(r));
    return out;
}

Result<std::vector<int64_t>> Service::add_sessions(const Principal& actor, int64_t course_id, int64_t start, int64_t end, const spaces::Recurrence& rule,
                                                   std::optional<spaces::Clash>& clash) {
    clash.reset();
    HAVEN_TRY(c, course(actor, course_id));
    if (!may(actor, Action::courses_manage, c.site_id)) return accounts::role_forbids();
    HAVEN_TRY(occurrences, spaces::expand(start, end, rule, c.time_zone));
    std::optional<spaces::Space> room;
    if (c.space_id) {
        HAVEN_TRY(found, spaces_.space(actor, c.space_id));
        room = found;
    }
    std::vector<int64_t> ids;
    Status s = db_.write([&](Tx& tx) -> Status {
        std::vector<int64_t> bookings(occurrences.size(), 0);
        if (room) {
            HAVEN_TRY(booked, spaces_.book_in(tx, actor, *room, occurrences, "", clash));
            bookings = booked.ids;
        }
        for (size_t i = 0; i < occurrences.size(); ++i) {
            const int64_t id = accounts::store::new_id();
            tx.exec("INSERT INTO course_sessions (id, course_id, start_at, end_at, booking_id) VALUES ($1, $2, $3, $4, $5)",
                    {id, course_id, occurrences[i].start, occurrences[i].end, bookings[i] ? storage::Value(bookings[i]) : storage::Value(nullptr)});
            ids.push_back(id);
        }
        accounts_.audit(tx, "course.sessions", actor.account_id, "course", course_id, c.site_id);
        return {};
    });
    if (!s) return s.error();
    return ids;
}

namespace {
constexpr const char* session_columns =
    "SELECT s.id, s.course_id, s.start_at, s.end_at, "
    "(SELECT COUNT(*) FROM attendance x WHERE x.session_id = s.id AND x.present = 1), "
    "(SELECT COUNT(*) FROM attendance x WHERE x.session_id = s.id) FROM course_sessions s ";
Session session_from(const storage::Row& r) { return {r.integer(0), r.integer(1), r.integer(2), r.integer(3), r.integer(4), r.integer(5)}; }
}  // namespace

Result<std::vector<Session>> Service::sessions(const Principal& actor, int64_t course_id) {
    HAVEN_TRY(c, course(actor, course_id));
    std::vector<Session> out;
    for (const auto& r : db_.query(std::string(session_columns) + "WHERE s.course_id = $1 ORDER BY s.start_at", {c.id})) out.push_back(session_from(r));
    return out;
}

Result<Session> Service::session(const Principal& actor, int64_t session_id) {
    auto rows = db_.query(std::string(session_columns) + "WHERE s.id = $1", {session_id});
    if (rows.empty()) return not_found("session");
    // Another site's session answers like none at all.
    auto c_found = course(actor, rows[0].integer(1));
    if (!c_found) return not_found("session");
    auto c = std::move(c_found).value();
    (void)c;
    return session_from(rows[0]);
}

Result<Enrolment> Service::enrol(const Principal& actor, int64_t course_id, int64_t person_id) {
    HAVEN_TRY(c, course(actor, course_id));
    if (!may(actor, Action::courses_manage, c.site_id)) return accounts::role_forbids();
    Enrolment e{accounts::store::new_id(), course_id, person_id, clock_.now_ms(), 0, "", "", ""};
    Status s = db_.write([&](Tx& tx) -> Status {
        HAVEN_TRY(name, pseudonym(tx, person_id, c.site_id));
        e.person = name;
        // The course's row first: enrolments of one course take turns (PostgreSQL row lock), so places are never over-given.
        auto cap = tx.query("UPDATE courses SET capacity = capacity WHERE id = $1 RETURNING capacity", {course_id});
        if (!tx.query("SELECT 1 FROM course_enrolments WHERE course_id = $1 AND person_id = $2 AND status <> 'left'", {course_id, person_id}).empty())
            return make_error(ErrorKind::conflict, "conflict", "The person is enrolled or waiting already.");
        const int64_t taken = tx.query("SELECT COUNT(*) FROM course_enrolments WHERE course_id = $1 AND status = 'enrolled'", {course_id})[0].integer(0);
        e.status = taken < cap[0].integer(0) ? "enrolled" : "waitlisted";
        e.since = queue_place(tx, "SELECT MAX(since) FROM course_enrolments WHERE course_id = $1", course_id, e.since);
        tx.exec("INSERT INTO course_enrolments (id, course_id, person_id, status, since, changed_at) VALUES ($1, $2, $3, $4, $5, $5)",
                {e.id, course_id, person_id, e.status, e.since});
        accounts_.audit(tx, "course.enrol", actor.account_id, "course", course_id, c.site_id);
        return {};
    });
    if (!s) return s.error();
    return e;
}

std::optional<Enrolment> Service::promote(Tx& tx, int64_t course_id) {
    auto cap = tx.query("SELECT capacity FROM courses WHERE id = $1", {course_id});
    const int64_t taken = tx.query("SELECT COUNT(*) FROM course_enrolments WHERE course_id = $1 AND status = 'enrolled'", {course_id})[0].integer(0);
    if (cap.empty() || taken >= cap[0].integer(0)) return std::nullopt;
    auto next = tx.query(std::string(enrolment_columns) + "WHERE e.course_id = $1 AND e.status = 'waitlisted' ORDER BY e.since, e.id LIMIT 1", {course_id});
    if (next.empty()) return std::nullopt;
    const auto& r = next[0];
    tx.exec("UPDATE course_enrolments SET status = 'enrolled', changed_at = $1 WHERE id = $2", {clock_.now_ms(), r.integer(0)});
    Enrolment e{r.integer(0), r.integer(1), r.integer(2), r.integer(3), r.integer(4), "", "enrolled", ""};
    if (auto name = pseudonym(tx, e.person_id, 0)) e.person = name.value();
    return e;
}

void Service::give_up_places(Tx& tx, int64_t person_id) {
    for (const auto& r : tx.query("SELECT id, course_id FROM course_enrolments WHERE person_id = $1 AND status = 'enrolled'", {person_id})) {
        tx.exec("UPDATE courses SET capacity = capacity WHERE id = $1", {r.integer(1)});  // the course's lock, as in leave()
        tx.exec("UPDATE course_enrolments SET status = 'left', changed_at = $1 WHERE id = $2", {clock_.now_ms(), r.integer(0)});
        promote(tx, r.integer(1));
    }
    for (const auto& r : tx.query("SELECT g.id, g.event_id, e.capacity FROM registrations g JOIN events e ON e.id = g.event_id "
                                  "WHERE g.person_id = $1 AND g.status = 'registered'",
                                  {person_id})) {
        tx.exec("UPDATE events SET capacity = capacity WHERE id = $1", {r.integer(1)});
        tx.exec("UPDATE registrations SET status = 'cancelled' WHERE id = $1", {r.integer(0)});
        promote_guest(tx, r.integer(1), r.integer(2));
    }
}

Result<std::optional<Enrolment>> Service::leave(const Principal& actor, int64_t enrolment_id) {
    auto rows = db_.query("SELECT course_id FROM course_enrolments WHERE id = $1 AND status <> 'left'", {enrolment_id});
    if (rows.empty()) return not_found("enrolment");
    // Another site's enrolment answers like none at all.
    auto c_found = course(actor, rows[0].integer(0));
    if (!c_found) return not_found("enrolment");
    auto c = std::move(c_found).value();
    if (!may(actor, Action::courses_manage, c.site_id)) return accounts::role_forbids();
    std::optional<Enrolment> promoted;
    Status s = db_.write([&](Tx& tx) -> Status {
        tx.exec("UPDATE courses SET capacity = capacity WHERE id = $1", {c.id});
        tx.exec("UPDATE course_enrolments SET status = 'left', changed_at = $1 WHERE id = $2", {clock_.now_ms(), enrolment_id});
        promoted = promote(tx, c.id);
        accounts_.audit(tx, "course.leave", actor.account_id, "course", c.id, c.site_id);
        return {};
    });
    if (!s) return s.error();
    return promoted;
}

Result<std::vector<Enrolment>> Service::enrolments(const Principal& actor, int64_t course_id) {
    HAVEN_TRY(c, course(actor, course_id));
    if (!runs(actor, c)) return accounts::role_forbids();
    std::vector<Enrolment> out;
    Status s = read(db_, [&](Tx& tx) -> Status {
        for (const auto& r : tx.query(std::string(enrolment_columns) + "WHERE e.course_id = $1 AND e.status <> 'left' ORDER BY e.status, e.since, e.id",
                                      {course_id})) {
            Enrolment e{r.integer(0), r.integer(1), r.integer(2), r.integer(3), r.integer(4), "", r.text(5), ""};
            HAVEN_TRY(name, pseudonym(tx, e.person_id, 0));
            e.person = name;
            out.push_back(std::move(e));
        }
        return {};
    });
    if (!s) return s.error();
    return out;
}

Result<std::vector<Enrolment>> Service::courses_of(const Principal& actor, int64_t person_id) {
    std::vector<Enrolment> out;
    Status s = read(db_, [&](Tx& tx) -> Status {
        HAVEN_TRY(sealer, people_.readable_sealer(tx, actor, person_id));
        if (!may(actor, Action::courses_manage, sealer.site_id)) return accounts::role_forbids();
        for (const auto& r : tx.query("SELECT e.id, e.course_id, e.since, e.status, c.title, c.level FROM course_enrolments e JOIN courses c ON c.id = e.course_id "
                                      "WHERE e.person_id = $1 AND e.status <> 'left' ORDER BY e.since",
                                      {person_id})) {
            Enrolment e{r.integer(0), r.integer(1), person_id, r.integer(2), 0, "", r.text(3), ""};
            e.course = r.text(4) + " (" + r.text(5) + ")";
            out.push_back(std::move(e));
        }
        return {};
    });
    if (!s) return s.error();
    return out;
}

Status Service::mark(const Principal& actor, int64_t session_id, const std::vector<int64_t>& present) {
    HAVEN_TRY(sess, session(actor, session_id));
    HAVEN_TRY(c, course(actor, sess.course_id));
    if (!runs(actor, c)) return accounts::role_forbids();
    if (present.size() > 1000) return invalid("present", "present lists at most 1000 enrolments.");
    const std::set<int64_t> here(present.begin(), present.end());
    return db_.write([&](Tx& tx) -> Status {
        std::set<int64_t> enrolled;
        for (const auto& r : tx.query("SELECT id FROM course_enrolments WHERE course_id = $1 AND status = 'enrolled'", {c.id})) enrolled.insert(r.integer(0));
        for (int64_t id : here)
            if (!enrolled.count(id)) return invalid("present", "present lists enrolments of this course only.");
        // The session's row first: two registers taken at once take turns instead of colliding on the key.
        tx.exec("UPDATE course_sessions SET start_at = start_at WHERE id = $1", {session_id});
        tx.exec("DELETE FROM attendance WHERE session_id = $1", {session_id});
        const int64_t now = clock_.now_ms();
        for (int64_t id : enrolled)
            tx.exec("INSERT INTO attendance (session_id, enrolment_id, present, marked_by, marked_at) VALUES ($1, $2, $3, $4, $5)",
                    {session_id, id, int64_t(here.count(id)), actor.account_id, now});
        accounts_.audit(tx, "course.attendance", actor.account_id, "course", c.id, c.site_id);
        return {};
    });
}

Result<std::vector<int64_t>> Service::present_at(const Principal& actor, int64_t session_id) {
    HAVEN_TRY(sess, session(actor, session_id));
    HAVEN_TRY(c, course(actor, sess.course_id));
    if (!runs(actor, c)) return accounts::role_forbids();
    std::vector<int64_t> out;
    for (const auto& r : db_.query("SELECT enrolment_id FROM attendance WHERE session_id = $1 AND present = 1", {session_id})) out.push_back(r.integer(0));
    return out;
}

Result<Certificate> Service::certificate(const Principal& actor, int64_t enrolment_id) {
    auto rows = db_.query("SELECT course_id, person_id FROM course_enrolments WHERE id = $1", {enrolment_id});
    if (rows.empty()) return not_found("enrolment");
    // Another site's enrolment answers like none at all.
    auto c_found = course(actor, rows[0].integer(0));
    if (!c_found) return not_found("enrolment");
    auto c = std::move(c_found).value();
    if (!may(actor, Action::courses_manage, c.site_id)) return accounts::role_forbids();
    Certificate out;
    out.course = c;
    const int64_t person_id = rows[0].integer(1);
    Status s = read(db_, [&](Tx& tx) -> Status {
        HAVEN_TRY(sealer, people_.sealer(tx, person_id));
        HAVEN_TRY(person, sealer.person());
        out.name = person.legal_names.empty() ? person.pseudonym : person.legal_names.front();
        const int64_t now = clock_.now_ms();
        for (const auto& r : tx.query("SELECT s.start_at, s.end_at, x.present FROM course_sessions s LEFT JOIN attendance x ON x.session_id = s.id "
                                      "AND x.enrolment_id = $1 WHERE s.course_id = $2 AND s.start_at <= $3 ORDER BY s.start_at",
                                      {enrolment_id, c.id, now})) {
            ++out.sessions;
            if (out.first_session.empty()) out.first_session = local_date(r.integer(0), c.time_zone);
            out.last_session = local_date(r.integer(0), c.time_zone);
            if (!r.is_null(2) && r.integer(2) == 1) {
                ++out.attended;
                out.minutes += (r.integer(1) - r.integer(0)) / 60000;
            }
        }
        return {};
    });
    if (!s) return s.error();
    // A certificate shows a legal name: it is a read of the person (audited, counted by the mass-read alarm).
    if (auto r = accounts_.record_read(actor, "person", person_id); !r) return r.error();
    return out;
}

}  // namespace haven::centre
