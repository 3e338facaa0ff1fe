-- The personal parts of an account, sealed by the vault (XChaCha20-Poly1305 bound to table, column and
-- row id): never stored in plaintext. totp_secret and totp_pending hold sealed values from this version on.
ALTER TABLE accounts ADD COLUMN real_name BYTEA;
ALTER TABLE accounts ADD COLUMN email BYTEA;
ALTER TABLE accounts ADD COLUMN phone BYTEA;
