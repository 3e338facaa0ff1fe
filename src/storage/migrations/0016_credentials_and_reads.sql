-- Password hashes and counsellors' password-sealed secret keys, wrapped again by the vault and bound to their
-- row, so that a seized disk without the vault passphrase offers nothing to guess passwords against. The old
-- columns are emptied once the vault is open (accounts::Service::seal_legacy_credentials).
ALTER TABLE accounts ADD COLUMN password_sealed BYTEA;
ALTER TABLE accounts ADD COLUMN box_sealed BYTEA;

-- Every person shown to an account — opened, listed, found by a search, exported — counts towards the mass-read
-- alarm: (account, keyed hash of the record, when). Rows older than the alarm's window are pruned as reads come.
CREATE TABLE record_reads (
    account_id BIGINT NOT NULL,
    object TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX record_reads_by_account ON record_reads (account_id, at);

-- Whether opening a case gave its adviser the person (a coordinator named them): only such cases keep the
-- adviser's assignment alive, so a case an adviser opens on themselves cannot outlast the coordinator's closing.
ALTER TABLE cases ADD COLUMN grants BIGINT NOT NULL DEFAULT 0;
UPDATE cases SET grants = 1 WHERE adviser_id IS NOT NULL;
