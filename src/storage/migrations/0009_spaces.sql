-- Spaces of a site: desks, rooms, the studio (with its equipment). Organisational, not personal.
CREATE TABLE spaces (
    id BIGINT PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    equipment TEXT NOT NULL,
    -- Bumped by every booking of the space: the row lock that makes concurrent bookings of one space take turns
    -- on PostgreSQL (SQLite has one writer anyway), so a conflict check and its insert are never interleaved.
    bookings_version BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX spaces_by_site ON spaces (site_id, kind);

-- Bookings by the hour. A recurring booking is one row per occurrence sharing a series id, so that a conflict is
-- one range query and an exception one row. What the studio produces is sealed (bookings.note).
CREATE TABLE bookings (
    id BIGINT PRIMARY KEY,
    space_id BIGINT NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    series_id BIGINT NOT NULL,
    start_at BIGINT NOT NULL,
    end_at BIGINT NOT NULL,
    booked_by BIGINT NOT NULL REFERENCES accounts (id),
    note BYTEA,
    cancelled_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX bookings_by_space ON bookings (space_id, start_at);
CREATE INDEX bookings_by_series ON bookings (series_id);
