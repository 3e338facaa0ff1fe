-- The tamper-evident audit log. Entries hold no personal value: actors and objects are keyed hashes.
-- hash = BLAKE2b-256(prev_hash ‖ canonical entry); signature = Ed25519 over "haven audit v1|seq|hash".
-- audit_head names the last entry, so a truncated tail shows.
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    object TEXT NOT NULL,
    site_id BIGINT NOT NULL,
    outcome TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    signature TEXT NOT NULL
);
CREATE INDEX audit_by_actor ON audit_log (actor, at);
CREATE INDEX audit_by_action ON audit_log (action, at);

CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
