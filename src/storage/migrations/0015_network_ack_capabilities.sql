-- Answers must prove they come from a member an activation was wrapped for (docs/EMERGENCY.md): each wrap
-- carries the tag BLAKE2b-128(capability) of its member's answer capability, which only the member's device (and
-- the operators, through the roster) can make. The server hashes the capability an answer brings and looks for
-- the tag, so it refuses strangers without learning who answers; `acks` counts the answers each capability gave,
-- so that one member's room is bounded and nobody else can use it up. Wraps uploaded before this migration have
-- no tag and take no answers (they expire within 30 days).
ALTER TABLE network_wraps ADD COLUMN ack_tag TEXT;
ALTER TABLE network_wraps ADD COLUMN acks BIGINT NOT NULL DEFAULT 0;
CREATE INDEX network_wraps_by_ack_tag ON network_wraps (activation_id, ack_tag);

-- One doorbell per member device: `owner` is a keyed hash of the member id (a vault subkey), so the disk alone
-- does not join a doorbell to a member, while the running server can replace a device's doorbell and remove it
-- with the device.
ALTER TABLE network_doorbells ADD COLUMN owner TEXT;
CREATE UNIQUE INDEX network_doorbells_by_owner ON network_doorbells (owner);
