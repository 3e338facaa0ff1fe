-- Legal-aid funds (issue 18): money raised for political prisoners' lawyers.
--
-- The ledger is append-only and hash-chained like the audit log: hash = BLAKE2b-256(prev_hash ‖ canonical entry),
-- signature = Ed25519 (the vault's audit key) over "haven ledger v1|seq|hash", fund_ledger_head names the last
-- entry. A correction is a reversing entry, never an update. No identity is in the ledger: a donor (when one is
-- kept at all) or a payee is a random reference to fund_parties, whose sealed row can be erased without
-- touching the chain. fund_balances is kept in the same transaction as each entry; `haven ledger verify` checks
-- it against the entries. `seq` orders the one chain of every fund; `number` counts a fund's own entries, and is
-- all the pages and the API show — the global seq would tell one site how often the others write.
CREATE TABLE funds (
    id BIGINT PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites (id),
    record BYTEA NOT NULL,
    currency TEXT NOT NULL,
    goal_minor BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX funds_by_site ON funds (site_id, created_at);

CREATE TABLE fund_ledger (
    seq BIGINT PRIMARY KEY,
    fund_id BIGINT NOT NULL REFERENCES funds (id),
    number BIGINT NOT NULL,
    at BIGINT NOT NULL,
    value_date TEXT NOT NULL,
    kind TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    channel TEXT NOT NULL,
    risk TEXT NOT NULL,
    party BIGINT NOT NULL,
    reverses BIGINT NOT NULL,
    recorded_by TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    signature TEXT NOT NULL
);
CREATE UNIQUE INDEX fund_ledger_by_fund ON fund_ledger (fund_id, number);
CREATE UNIQUE INDEX fund_ledger_reversed_once ON fund_ledger (fund_id, reverses) WHERE reverses > 0;

CREATE TABLE fund_ledger_head (
    id BIGINT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO fund_ledger_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE fund_balances (
    fund_id BIGINT NOT NULL REFERENCES funds (id),
    currency TEXT NOT NULL,
    balance_minor BIGINT NOT NULL,
    entries BIGINT NOT NULL,
    PRIMARY KEY (fund_id, currency)
);

CREATE TABLE fund_parties (
    id BIGINT PRIMARY KEY,
    fund_id BIGINT NOT NULL REFERENCES funds (id),
    identity BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);
