-- Prisoner support (issue 18): the registry of political prisoners, the institutions that hold them, the writers
-- (pseudonymous accounts), their letters and the replies, and the censor's rules.
--
-- Every name, address, date of a person, pen name, letter and reply is sealed (vault field keys, bound to table,
-- column and row); what stays plain is what the matching and the counts need: a prisoner's status (pre_trial,
-- convicted, in_transit, released), whether only approved correspondents may write, the matching weight, a
-- letter's state, channel and cost, an institution's kind. Names are found through a truncated blind index
-- (prisoner_names), as people's are.
CREATE TABLE institutions (
    id BIGINT PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    kind TEXT NOT NULL,
    record BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX institutions_by_site ON institutions (site_id);

CREATE TABLE prisoners (
    id BIGINT PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    record BYTEA NOT NULL,
    status TEXT NOT NULL,
    approved_only INTEGER NOT NULL,
    weight INTEGER NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX prisoners_by_site ON prisoners (site_id, status);

CREATE TABLE prisoner_names (
    value BIGINT NOT NULL,
    prisoner_id BIGINT NOT NULL REFERENCES prisoners (id) ON DELETE CASCADE,
    PRIMARY KEY (value, prisoner_id)
);
CREATE INDEX prisoner_names_by_prisoner ON prisoner_names (prisoner_id);

-- Where a prisoner is held, one row per move, the newest the highest `number`; institution_id NULL: in transit.
CREATE TABLE prisoner_addresses (
    id BIGINT PRIMARY KEY,
    prisoner_id BIGINT NOT NULL REFERENCES prisoners (id) ON DELETE CASCADE,
    number BIGINT NOT NULL,
    institution_id BIGINT REFERENCES institutions (id),
    record BYTEA NOT NULL
);
CREATE UNIQUE INDEX prisoner_addresses_by_prisoner ON prisoner_addresses (prisoner_id, number);

CREATE TABLE writers (
    id BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    site_id BIGINT NOT NULL REFERENCES sites (id),
    record BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX writers_by_account ON writers (account_id, site_id);

-- The correspondents a prisoner has approved (Belarusian colonies hand over letters only from those).
CREATE TABLE prisoner_approvals (
    prisoner_id BIGINT NOT NULL REFERENCES prisoners (id) ON DELETE CASCADE,
    writer_id BIGINT NOT NULL REFERENCES writers (id) ON DELETE CASCADE,
    PRIMARY KEY (prisoner_id, writer_id)
);

-- writer_id 0: a handwritten letter recorded without a writer of the site. held 1: the prisoner is in transit.
CREATE TABLE letters (
    id BIGINT PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    prisoner_id BIGINT NOT NULL REFERENCES prisoners (id) ON DELETE CASCADE,
    writer_id BIGINT NOT NULL,
    status TEXT NOT NULL,
    held INTEGER NOT NULL,
    address_id BIGINT,
    body BYTEA NOT NULL,
    handwritten INTEGER NOT NULL,
    warnings INTEGER NOT NULL,
    channel TEXT NOT NULL,
    cost_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    sent_at BIGINT NOT NULL
);
-- Covering the matching's count of recent letters per prisoner (no row is visited).
CREATE INDEX letters_by_site ON letters (site_id, created_at, prisoner_id);
CREATE INDEX letters_by_prisoner ON letters (prisoner_id, created_at);
CREATE INDEX letters_by_writer ON letters (writer_id, created_at);

CREATE TABLE letter_replies (
    id BIGINT PRIMARY KEY,
    letter_id BIGINT NOT NULL REFERENCES letters (id) ON DELETE CASCADE,
    number BIGINT NOT NULL,
    body BYTEA NOT NULL,
    scan BYTEA,
    received_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX letter_replies_by_letter ON letter_replies (letter_id, number);

CREATE TABLE censor_rules (
    id BIGINT PRIMARY KEY REFERENCES sites (id),
    record BYTEA NOT NULL,
    updated_at BIGINT NOT NULL
);

-- One row per site, updated by every matching: on PostgreSQL its row lock makes concurrent requests take turns.
CREATE TABLE prisoner_matching (
    site_id BIGINT PRIMARY KEY REFERENCES sites (id),
    requests BIGINT NOT NULL
);
