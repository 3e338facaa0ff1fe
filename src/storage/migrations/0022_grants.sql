-- Funders and grants (issue 19). A funder is one sealed record (name, contact person, e-mail, phone, notes). A grant
-- keeps plain what lists and sums read — funder, site, status, currency, amount, start and end, whether it is
-- restricted — and seals the rest in one record: title, purpose, notes, tranches, deadlines, budget lines, targets.
CREATE TABLE funders (
    id BIGINT PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    record BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX funders_by_site ON funders (site_id);

CREATE TABLE grants (
    id BIGINT PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    funder_id BIGINT NOT NULL REFERENCES funders (id),
    status TEXT NOT NULL,
    currency TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    starts TEXT NOT NULL,
    ends TEXT NOT NULL,
    restricted INTEGER NOT NULL,
    record BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX grants_by_site ON grants (site_id, status);

-- The grant a report is for (its targets are set against the report's figures once released).
ALTER TABLE report_releases ADD COLUMN grant_id BIGINT REFERENCES grants (id);
CREATE INDEX report_releases_by_grant ON report_releases (grant_id, state);

-- When a case was closed, apart from when it was last touched (a step noted after closing moved updated_at, and a
-- closed case from one month of the reports to another).
ALTER TABLE cases ADD COLUMN closed_at BIGINT;
UPDATE cases SET closed_at = updated_at WHERE status = 'closed';
CREATE INDEX cases_by_closing ON cases (site_id, closed_at);
