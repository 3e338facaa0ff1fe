-- A code's keys (issue 14, item 16): the operator's client uploads the organisation's signing key and the
-- operators' box key with each code it makes, so that the code's QR link can carry a 16-byte fingerprint of
-- them instead of the keys themselves (a QR code of version 4, not 9). A member's device fetches them with the
-- code and checks the fingerprint, so a server that swapped them is caught. They are public keys, but the
-- server keeps them no longer than the code is open: erased when the code is used; the row goes when it is
-- revoked or expires. Codes made by an older client have none (their links carry the keys).
ALTER TABLE network_enrolments ADD COLUMN org_pk BYTEA;
ALTER TABLE network_enrolments ADD COLUMN box_pk BYTEA;
