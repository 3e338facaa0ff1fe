-- Sites, accounts and what lets people in. Ids are random 53-bit integers made in C++ (no sequence:
-- one SQL text for both engines, and ids that do not count the records).
-- Secrets are stored hashed (sessions, tokens, enrolment links, recovery codes). The TOTP secret is
-- stored as is until the vault (issue 4) encrypts it.
CREATE TABLE sites (
    id BIGINT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    city TEXT NOT NULL,
    country TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    require_second_factor BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE TABLE accounts (
    id BIGINT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT,
    totp_secret BYTEA,
    totp_pending BYTEA,
    totp_last_step BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    locale TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE account_roles (
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    site_id BIGINT NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    PRIMARY KEY (account_id, site_id, role)
);

CREATE TABLE enrolments (
    token_hash TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account_id);

CREATE TABLE api_tokens (
    id BIGINT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    scope TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
);

CREATE TABLE recovery_codes (
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at BIGINT,
    PRIMARY KEY (account_id, code_hash)
);

CREATE TABLE login_failures (
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    at BIGINT NOT NULL
);
CREATE INDEX login_failures_by_account ON login_failures (account_id, at);

-- Back-off per source: the source is a keyed hash of the client address, never the address.
CREATE TABLE login_throttle (
    source_hash TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    next_allowed_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Record-level access: this account may open this record until this time.
CREATE TABLE assignments (
    id BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    record_type TEXT NOT NULL,
    record_id BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    granted_by BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX assignments_by_account ON assignments (account_id, record_type, record_id);
