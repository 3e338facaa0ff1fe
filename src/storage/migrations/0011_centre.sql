-- The centre's day: opening hours of spaces, desks held by residents, language courses, events and the
-- personal calendar feeds. Links to people are ids (a person's erasure removes them: ON DELETE CASCADE); what
-- would name someone (a visitor's first name) or reveal a gathering (an event's title) is sealed by the vault.

-- "Mo-Fr 09:00-18:00; Sa 10:00-14:00"; '' is always open (modules/spaces/hours.hpp).
ALTER TABLE spaces ADD COLUMN opening_hours TEXT NOT NULL DEFAULT '';

-- A desk held by a resident from a date to a date, inclusive, in the site's time zone (YYYY-MM-DD).
CREATE TABLE desk_allocations (
    id BIGINT PRIMARY KEY,
    space_id BIGINT NOT NULL REFERENCES spaces (id),
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    from_date TEXT NOT NULL,
    to_date TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES accounts (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX desk_allocations_by_space ON desk_allocations (space_id, to_date);
CREATE INDEX desk_allocations_by_person ON desk_allocations (person_id);

-- People waiting for a desk at a site, first come first served.
CREATE TABLE desk_waitlist (
    id BIGINT PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    since BIGINT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES accounts (id)
);
CREATE INDEX desk_waitlist_by_site ON desk_waitlist (site_id, since);

-- Language courses: a group with a teacher, a capacity and, optionally, the room its sessions book.
CREATE TABLE courses (
    id BIGINT PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    title TEXT NOT NULL,
    language TEXT NOT NULL,
    level TEXT NOT NULL,
    teacher_id BIGINT REFERENCES accounts (id),
    capacity BIGINT NOT NULL,
    space_id BIGINT REFERENCES spaces (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX courses_by_site ON courses (site_id);

CREATE TABLE course_sessions (
    id BIGINT PRIMARY KEY,
    course_id BIGINT NOT NULL REFERENCES courses (id),
    start_at BIGINT NOT NULL,
    end_at BIGINT NOT NULL,
    booking_id BIGINT
);
CREATE INDEX course_sessions_by_course ON course_sessions (course_id, start_at);

-- enrolled, waitlisted (in order of `since`), left.
CREATE TABLE course_enrolments (
    id BIGINT PRIMARY KEY,
    course_id BIGINT NOT NULL REFERENCES courses (id),
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    since BIGINT NOT NULL,
    changed_at BIGINT NOT NULL
);
CREATE INDEX course_enrolments_by_course ON course_enrolments (course_id, status, since);
CREATE INDEX course_enrolments_by_person ON course_enrolments (person_id);

CREATE TABLE attendance (
    session_id BIGINT NOT NULL REFERENCES course_sessions (id),
    enrolment_id BIGINT NOT NULL REFERENCES course_enrolments (id) ON DELETE CASCADE,
    present BIGINT NOT NULL,
    marked_by BIGINT NOT NULL REFERENCES accounts (id),
    marked_at BIGINT NOT NULL,
    PRIMARY KEY (session_id, enrolment_id)
);

-- Events. capacity 0: a drop-in evening without registration, counted by anonymous headcounts.
CREATE TABLE events (
    id BIGINT PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    title BYTEA NOT NULL,
    start_at BIGINT NOT NULL,
    end_at BIGINT NOT NULL,
    capacity BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX events_by_site ON events (site_id, start_at);

-- A known person, or a visitor (a first name is enough, sealed). registered, waitlisted (by `since`),
-- cancelled. The check-in code is what the QR code carries: sealed (to show it again) and hashed (to find it).
CREATE TABLE registrations (
    id BIGINT PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES events (id),
    person_id BIGINT REFERENCES people (id) ON DELETE CASCADE,
    visitor BYTEA,
    status TEXT NOT NULL,
    since BIGINT NOT NULL,
    code BYTEA NOT NULL,
    code_hash TEXT NOT NULL,
    checked_in_at BIGINT
);
CREATE INDEX registrations_by_event ON registrations (event_id, status, since);
CREATE INDEX registrations_by_code ON registrations (code_hash);

CREATE TABLE headcounts (
    id BIGINT PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES events (id),
    count BIGINT NOT NULL,
    counted_by BIGINT NOT NULL REFERENCES accounts (id),
    counted_at BIGINT NOT NULL
);
CREATE INDEX headcounts_by_event ON headcounts (event_id);

-- A staff member's own calendar (their bookings, the sessions they teach) at a secret URL; names of spaces
-- and courses appear in it only if they chose so.
CREATE TABLE account_feeds (
    id BIGINT PRIMARY KEY REFERENCES accounts (id),  -- the account's id
    token BYTEA NOT NULL,
    token_hash TEXT NOT NULL,
    show_names BIGINT NOT NULL
);
CREATE INDEX account_feeds_by_hash ON account_feeds (token_hash);
