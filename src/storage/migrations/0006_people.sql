-- People the centre receives. Nothing personal is stored in plaintext: each person has a random data key
-- (person_key, sealed by the vault under people.person_key and bound to the row), and everything about
-- them (names, dates, contacts, needs, circumstances, notes) is one JSON document sealed under that key.
-- Erasure deletes the row and its key: copies of the ciphertext left in free pages or the write-ahead log
-- cannot be opened any more (crypto-shredding). Plaintext here is only: site, when the row was created,
-- and when it last changed (for retention).
CREATE TABLE people (
    id BIGINT PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    person_key BYTEA NOT NULL,
    record BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    active_at BIGINT NOT NULL
);
CREATE INDEX people_by_site ON people (site_id, active_at);

-- The blind index over every name of a person (pseudonym and legal names, every spelling key): truncated
-- keyed hashes, so one value matches several people (see crypto/blind_index.hpp).
CREATE TABLE people_names (
    value BIGINT NOT NULL,
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE
);
CREATE INDEX people_names_lookup ON people_names (value, person_id);
CREATE INDEX people_names_by_person ON people_names (person_id);

-- Consent: what the person agreed to (sealed under their key), when, and which account recorded it.
CREATE TABLE consents (
    id BIGINT PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    record BYTEA NOT NULL,
    recorded_by BIGINT NOT NULL,
    recorded_at BIGINT NOT NULL
);
CREATE INDEX consents_by_person ON consents (person_id, recorded_at);

-- Arrivals per site and month, counted when a person is recorded: the dashboard's and the funders' figure,
-- with no link back to anyone (an erasure does not change history).
CREATE TABLE arrivals (
    site_id BIGINT NOT NULL REFERENCES sites (id),
    month TEXT NOT NULL,
    people BIGINT NOT NULL,
    PRIMARY KEY (site_id, month)
);
