-- The emergency network's server side: opaque mailboxes. Nothing here names a member or says what an alert is
-- (docs/EMERGENCY.md): member ids are random, prekeys are public keys, activations and wraps are ciphertext,
-- acknowledgements are sealed to a key only the operator's client holds, the roster is a blob.

-- Single-use enrolment codes an operator makes for a member enrolling in person (hashed; short-lived).
CREATE TABLE network_enrolments (
    id BIGINT PRIMARY KEY,
    code_hash TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX network_enrolments_by_code ON network_enrolments (code_hash);

-- A member: a random id, their current signed alert prekey, and the hash of the token that lets their device
-- replace it.
CREATE TABLE network_members (
    id TEXT PRIMARY KEY,
    prekey BYTEA NOT NULL,
    not_after BIGINT NOT NULL,
    signature BYTEA NOT NULL,
    token_hash TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- What new members' devices send the operators (identity key, mailbox secret, who they are), sealed to the
-- operators' key; the operator's client merges it into the roster and deletes it.
CREATE TABLE network_inbox (
    id BIGINT PRIMARY KEY,
    sealed BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);

-- The operators' roster, encrypted under a key only they hold. One row; `version` for safe concurrent updates.
CREATE TABLE network_roster (
    id BIGINT PRIMARY KEY,
    blob BYTEA NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Activations: the body (header || ciphertext), visible to members once published, deleted at expiry.
CREATE TABLE network_activations (
    id TEXT PRIMARY KEY,
    body BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    published_at BIGINT,
    expires_at BIGINT NOT NULL
);
CREATE INDEX network_activations_by_time ON network_activations (published_at);

CREATE TABLE network_wraps (
    activation_id TEXT NOT NULL REFERENCES network_activations (id) ON DELETE CASCADE,
    locator TEXT NOT NULL,
    wrap BYTEA NOT NULL,
    PRIMARY KEY (activation_id, locator)
);

CREATE TABLE network_acks (
    id BIGINT PRIMARY KEY,
    activation_id TEXT NOT NULL REFERENCES network_activations (id) ON DELETE CASCADE,
    sealed BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX network_acks_by_activation ON network_acks (activation_id);
