-- The drill report's delivery per channel (docs/EMERGENCY.md). Every publication rings every doorbell, so counting
-- what each channel did for an activation tells the server nothing it did not know; no row names a doorbell, and
-- the counts go with the activation at its expiry.
ALTER TABLE network_rings ADD COLUMN activation_id TEXT;

CREATE TABLE network_deliveries (
    activation_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    delivered BIGINT NOT NULL,
    failed BIGINT NOT NULL,
    last_at BIGINT NOT NULL,
    PRIMARY KEY (activation_id, channel)
);

-- Wraps fetched (members' devices that collected the activation from their mailbox), counted in memory and added
-- here at least once a minute: a count, never which wrap.
ALTER TABLE network_activations ADD COLUMN fetched BIGINT NOT NULL DEFAULT 0;
