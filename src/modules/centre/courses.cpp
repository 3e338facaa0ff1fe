// Language courses: groups, sessions that book their room, enrolment with a waitlist that promotes, attendance and
// certificates.
#include <algorithm>
#include <cctype>
#include <set>

#include "core/ids.hpp"
#include "core/utf8.hpp"
#include "modules/centre/common.hpp"
#include "modules/centre/service.hpp"
#include "modules/centre/store.hpp"

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

}  // namespace

Result<Course> Service::load_course(Tx& tx, const Principal& actor, int64_t id) {
    auto c = store::course(tx, id);
    if (!c || !may(actor, Action::courses_view, c->site_id)) return not_found("course");
    return std::move(*c);
}

Result<Course> Service::create_course(const Principal& actor, const CourseInput& in) {
    if (!may(actor, Action::courses_manage, in.site_id)) return accounts::role_forbids();
    if (!plain_text(in.title, 100)) return invalid("title", "title is required (at most 100 bytes).", "required");
    if (!language_code(in.language)) return invalid("language", "language is a language code such as fr, de or en.", "language");
    if (std::find(levels().begin(), levels().end(), in.level) == levels().end())
        return invalid("level", "level is a CEFR level: A1, A2, B1, B2, C1 or C2.", "level");
    if (in.capacity < 1 || in.capacity > 500) return invalid("capacity", "capacity is a number of places from 1 to 500.", "range", 500);
    const int64_t id = new_id();
    HAVEN_CHECK(db_.write([&](Tx& tx) -> Status {
        if (in.teacher_id && !store::is_active_teacher(tx, in.teacher_id, in.site_id))
            return invalid("teacher_id", "teacher_id must be an active teacher of the site.", "choose");
        if (in.space_id && !store::is_room_of(tx, in.space_id, in.site_id))
            return invalid("space_id", "space_id must be a room of the site.", "choose");
        store::insert_course(tx, id, in, clock_.now_ms());
        audit_.record(tx, {"course.create", actor.account_id, "course", id, in.site_id});
        return {};
    }));
    return course(actor, id);
}

Result<Course> Service::course(const Principal& actor, int64_t id) {
    return db_.read<Course>([&](Tx& tx) { return load_course(tx, actor, id); });
}

Result<std::vector<Course>> Service::courses_at(const Principal& actor, int64_t site_id) {
    if (!may(actor, Action::courses_view, site_id)) return accounts::role_forbids();
    return db_.read<std::vector<Course>>([&](Tx& tx) { return store::courses_at(tx, site_id); });
}

Result<std::vector<int64_t>> Service::add_sessions(const Principal& actor, int64_t course_id, int64_t start, int64_t end,
                                                   const spaces::Recurrence& rule) {
    HAVEN_TRY(c, course(actor, course_id));
    if (!may(actor, Action::courses_manage, c.site_id)) return accounts::role_forbids();
    HAVEN_TRY(occurrences, spaces::expand(start, end, rule, c.time_zone));
    std::optional<spaces::Space> room;
    if (c.space_id) {
        HAVEN_TRY(found, spaces_.space(actor, c.space_id));
        room = found;
    }
    return db_.write<std::vector<int64_t>>([&](Tx& tx) -> Result<std::vector<int64_t>> {
        std::vector<int64_t> bookings(occurrences.size(), 0);
        if (room) {
            // A clash comes back inside the booking's error (spaces::clash_of), and this transaction rolls back with it.
            HAVEN_TRY(booked, spaces_.book_in(tx, actor, *room, occurrences, ""));
            bookings = booked.ids;
        }
        std::vector<int64_t> ids;
        for (size_t i = 0; i < occurrences.size(); ++i) {
            const int64_t id = new_id();
            store::insert_session(tx, id, course_id, occurrences[i].start, occurrences[i].end,
                                  bookings[i] ? std::optional<int64_t>(bookings[i]) : std::nullopt);
            ids.push_back(id);
        }
        audit_.record(tx, {"course.sessions", actor.account_id, "course", course_id, c.site_id});
        return ids;
    });
}

Result<std::vector<Session>> Service::sessions(const Principal& actor, int64_t course_id) {
    HAVEN_TRY(c, course(actor, course_id));
    return db_.read<std::vector<Session>>([&](Tx& tx) { return store::sessions_of(tx, c.id); });
}

Result<Session> Service::session(const Principal& actor, int64_t session_id) {
    return db_.read<Session>([&](Tx& tx) -> Result<Session> {
        auto s = store::session(tx, session_id);
        // Another site's session answers like none at all.
        if (!s || !load_course(tx, actor, s->course_id)) return not_found("session");
        return std::move(*s);
    });
}

Result<Enrolment> Service::enrol(const Principal& actor, int64_t course_id, int64_t person_id) {
    HAVEN_TRY(c, course(actor, course_id));
    if (!may(actor, Action::courses_manage, c.site_id)) return accounts::role_forbids();
    Enrolment e{new_id(), course_id, person_id, clock_.now_ms(), 0, "", "", ""};
    return db_.write<Enrolment>([&](Tx& tx) -> Result<Enrolment> {
        HAVEN_TRY(name, pseudonym(tx, person_id, c.site_id));
        e.person = name;
        // The course's row first: enrolments of one course take turns (PostgreSQL row lock), so places are never over-given.
        const int64_t capacity = store::take_course(tx, course_id);
        if (store::has_enrolment(tx, course_id, person_id))
            return make_error(ErrorKind::conflict, "conflict", "The person is enrolled or waiting already.");
        e.status = store::enrolled_count(tx, course_id) < capacity ? "enrolled" : "waitlisted";
        e.since = queue_place(store::last_enrolment(tx, course_id), e.since);
        store::insert_enrolment(tx, e);
        audit_.record(tx, {"course.enrol", actor.account_id, "course", course_id, c.site_id});
        return e;
    });
}

std::optional<Enrolment> Service::promote(Tx& tx, int64_t course_id) {
    auto capacity = store::capacity(tx, course_id);
    if (!capacity || store::enrolled_count(tx, course_id) >= *capacity) return std::nullopt;
    auto e = store::first_waitlisted(tx, course_id);
    if (!e) return std::nullopt;
    store::set_enrolment_status(tx, e->id, "enrolled", clock_.now_ms());
    e->status = "enrolled";
    if (auto name = pseudonym(tx, e->person_id, 0)) e->person = name.value();
    return e;
}

void Service::give_up_places(Tx& tx, int64_t person_id) {
    for (const auto& p : store::enrolled_places_of(tx, person_id)) {
        store::take_course(tx, p.of);  // the course's lock, as in leave()
        store::set_enrolment_status(tx, p.id, "left", clock_.now_ms());
        promote(tx, p.of);
    }
    for (const auto& p : store::registered_places_of(tx, person_id)) {
        store::take_event(tx, p.event_id);
        store::set_registration_status(tx, p.id, "cancelled");
        promote_guest(tx, p.event_id, p.capacity);
    }
}

Result<std::optional<Enrolment>> Service::leave(const Principal& actor, int64_t enrolment_id) {
    auto found = db_.read<Course>([&](Tx& tx) -> Result<Course> {
        auto course_id = store::course_of_open_enrolment(tx, enrolment_id);
        if (!course_id) return not_found("enrolment");
        // Another site's enrolment answers like none at all.
        auto c = load_course(tx, actor, *course_id);
        if (!c) return not_found("enrolment");
        return c;
    });
    if (!found) return found.error();
    const Course& c = found.value();
    if (!may(actor, Action::courses_manage, c.site_id)) return accounts::role_forbids();
    return db_.write<std::optional<Enrolment>>([&](Tx& tx) -> Result<std::optional<Enrolment>> {
        store::take_course(tx, c.id);
        store::set_enrolment_status(tx, enrolment_id, "left", clock_.now_ms());
        auto promoted = promote(tx, c.id);
        audit_.record(tx, {"course.leave", actor.account_id, "course", c.id, c.site_id});
        return promoted;
    });
}

Result<std::vector<Enrolment>> Service::enrolments(const Principal& actor, int64_t course_id) {
    HAVEN_TRY(c, course(actor, course_id));
    if (!runs(actor, c)) return accounts::role_forbids();
    return db_.read<std::vector<Enrolment>>([&](Tx& tx) -> Result<std::vector<Enrolment>> {
        auto out = store::enrolments_in(tx, course_id);
        for (auto& e : out) {
            HAVEN_TRY(name, pseudonym(tx, e.person_id, 0));
            e.person = name;
        }
        return out;
    });
}

Result<std::vector<Enrolment>> Service::courses_of(const Principal& actor, int64_t person_id) {
    return db_.read<std::vector<Enrolment>>([&](Tx& tx) -> Result<std::vector<Enrolment>> {
        HAVEN_TRY(sealer, people_.readable_sealer(tx, actor, person_id));
        if (!may(actor, Action::courses_manage, sealer.site_id)) return accounts::role_forbids();
        std::vector<Enrolment> out;
        for (const auto& r : store::enrolments_of(tx, person_id))
            out.push_back({r.id, r.course_id, person_id, r.since, 0, "", r.status, r.title + " (" + r.level + ")"});
        return out;
    });
}

Status Service::mark(const Principal& actor, int64_t session_id, const std::vector<int64_t>& present) {
    HAVEN_TRY(sess, session(actor, session_id));
    HAVEN_TRY(c, course(actor, sess.course_id));
    if (!runs(actor, c)) return accounts::role_forbids();
    if (present.size() > 1000) return invalid("present", "present lists at most 1000 enrolments.", "too_many", 1000);
    const std::set<int64_t> here(present.begin(), present.end());
    return db_.write([&](Tx& tx) -> Status {
        const auto ids = store::enrolled_ids(tx, c.id);
        const std::set<int64_t> enrolled(ids.begin(), ids.end());
        for (int64_t id : here)
            if (!enrolled.count(id)) return invalid("present", "present lists enrolments of this course only.");
        store::take_session(tx, session_id);
        std::vector<store::Mark> marks;
        for (int64_t id : enrolled) marks.push_back({id, here.count(id) > 0});
        store::set_attendance(tx, session_id, marks, actor.account_id, clock_.now_ms());
        audit_.record(tx, {"course.attendance", actor.account_id, "course", c.id, c.site_id});
        return {};
    });
}

Result<std::vector<int64_t>> Service::present_at(const Principal& actor, int64_t session_id) {
    HAVEN_TRY(sess, session(actor, session_id));
    HAVEN_TRY(c, course(actor, sess.course_id));
    if (!runs(actor, c)) return accounts::role_forbids();
    return db_.read<std::vector<int64_t>>([&](Tx& tx) { return store::present_at(tx, session_id); });
}

Result<Certificate> Service::certificate(const Principal& actor, int64_t enrolment_id) {
    auto found = db_.read<std::pair<store::EnrolmentRef, Course>>([&](Tx& tx) -> Result<std::pair<store::EnrolmentRef, Course>> {
        auto e = store::enrolment(tx, enrolment_id);
        if (!e) return not_found("enrolment");
        // Another site's enrolment answers like none at all.
        auto c = load_course(tx, actor, e->course_id);
        if (!c) return not_found("enrolment");
        return std::pair{*e, std::move(c).value()};
    });
    if (!found) return found.error();
    // Named, not a structured binding: clang 14 (the fuzz and ASan builds) cannot capture those in a lambda.
    const auto& enrolment = found.value().first;
    const auto& c = found.value().second;
    if (!may(actor, Action::courses_manage, c.site_id)) return accounts::role_forbids();
    HAVEN_TRY(out, db_.read<Certificate>([&](Tx& tx) -> Result<Certificate> {
        Certificate cert;
        cert.course = c;
        HAVEN_TRY(sealer, people_.sealer(tx, enrolment.person_id));
        HAVEN_TRY(person, sealer.person());
        cert.name = person.legal_names.empty() ? person.pseudonym : person.legal_names.front();
        for (const auto& s : store::attendance_of(tx, enrolment_id, c.id, clock_.now_ms())) {
            ++cert.sessions;
            if (cert.first_session.empty()) cert.first_session = local_date(s.start, c.time_zone);
            cert.last_session = local_date(s.start, c.time_zone);
            if (s.present.value_or(false)) {
                ++cert.attended;
                cert.minutes += (s.end - s.start) / 60000;
            }
        }
        return cert;
    }));
    // A certificate shows a legal name: it is a read of the person (audited, counted by the mass-read alarm).
    HAVEN_CHECK(accounts_.record_read(actor, "person", enrolment.person_id));
    return out;
}

}  // namespace haven::centre
