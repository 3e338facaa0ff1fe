-- Doorbells: content-free "check your mailbox" for members who cannot keep a client polling. A doorbell is an
-- address (e-mail, webhook URL, Matrix room) sealed by the vault and tied to no member id; its token lets the
-- device that made it remove it. Every activation rings every doorbell (ringing only the targeted would reveal
-- the targeting). A ring is deleted once delivered: nothing records who was rung when.
CREATE TABLE network_doorbells (
    id BIGINT PRIMARY KEY,
    channel TEXT NOT NULL,
    address BYTEA NOT NULL,
    secret BYTEA,
    token_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- One queue per channel: priority 0 urgent (an update or cancel), 1 first wave, 2 retries; back-off persisted
-- in next_at so a restart resumes where it stood.
CREATE TABLE network_rings (
    id BIGINT PRIMARY KEY,
    doorbell_id BIGINT NOT NULL REFERENCES network_doorbells (id) ON DELETE CASCADE,
    channel TEXT NOT NULL,
    priority BIGINT NOT NULL,
    attempts BIGINT NOT NULL,
    next_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    idempotency_key TEXT NOT NULL
);
CREATE INDEX network_rings_due ON network_rings (channel, priority, next_at);
