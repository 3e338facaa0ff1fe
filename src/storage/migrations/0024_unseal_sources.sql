-- Issue 21: wrong unseal attempts by source, shared by every process serving this store (modules/vault/unseal_throttle),
-- so that three processes do not give a stranger three times the tries. A source is a keyed hash of the client address
-- (the key in DATA/unseal-throttle-key, never in the database); rows an hour quiet are forgotten, at most 4,096 kept.
CREATE TABLE vault_unseal_sources (
    source TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    next_allowed_at BIGINT NOT NULL,
    last_failure_at BIGINT NOT NULL
);
