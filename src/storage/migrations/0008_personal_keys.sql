-- A personal key pair for people who keep notes only they may read (counsellors): the public key in the
-- clear, the secret key sealed under a key made from the person's password (Argon2id with box_salt), so
-- that neither the server nor whoever holds the vault can open it. Counselling compartment keys are sealed
-- to the counsellor's public key (crypto_box_seal).
ALTER TABLE accounts ADD COLUMN box_public BYTEA;
ALTER TABLE accounts ADD COLUMN box_secret BYTEA;
ALTER TABLE accounts ADD COLUMN box_salt BYTEA;
