-- Reports for funders (issue 19): the release log. A report is prepared by a report editor (its figures computed,
-- small ones and those that would reveal them hidden), then released by an administrator, or discarded. Every
-- release stays here for ever: a new report is checked against every earlier one that shares a count with it, so
-- that subtracting one release from another reveals nothing, and counts once released keep their released value.
--
-- The body is sealed (vault field key bound to table, column and row): the definition (title, sites, period,
-- indicators), the finest counts ("atoms") the figures sum, the figures and which were hidden. Plain are only who
-- prepared and released it, when, and its state.
CREATE TABLE report_releases (
    id BIGINT PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    state TEXT NOT NULL,
    body BYTEA NOT NULL,
    prepared_by BIGINT NOT NULL REFERENCES accounts (id),
    prepared_at BIGINT NOT NULL,
    decided_by BIGINT REFERENCES accounts (id),
    decided_at BIGINT
);
CREATE INDEX report_releases_by_state ON report_releases (state, prepared_at);
CREATE INDEX report_releases_by_preparer ON report_releases (prepared_by, prepared_at);

-- The sites a report covers (so lists and permission checks need no unsealing).
CREATE TABLE report_sites (
    report_id BIGINT NOT NULL REFERENCES report_releases (id),
    site_id BIGINT NOT NULL REFERENCES sites (id),
    PRIMARY KEY (report_id, site_id)
);
CREATE INDEX report_sites_by_site ON report_sites (site_id, report_id);

-- One row: every release takes it first, so two administrators releasing at once take turns and each checks
-- against the other's release (a row lock on PostgreSQL; SQLite has one writer anyway).
CREATE TABLE report_release_head (
    id BIGINT PRIMARY KEY,
    releases BIGINT NOT NULL
);
INSERT INTO report_release_head (id, releases) VALUES (1, 0);

-- What the indicators count by month, where the tables had no index that starts with the site or the date.
CREATE INDEX people_by_created ON people (site_id, created_at);
CREATE INDEX cases_by_site ON cases (site_id, created_at);
CREATE INDEX counselling_by_site ON counselling (site_id, opened_at);
CREATE INDEX help_requests_by_created ON help_requests (site_id, created_at, status);
CREATE INDEX letters_by_sent ON letters (site_id, sent_at, status);
