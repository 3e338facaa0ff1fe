-- The durability probe: written by the crash test and the write benchmark through /api/v1/test/writes
-- (mounted only with test-routes = true). Holds no personal data.
CREATE TABLE write_probe (
    id TEXT PRIMARY KEY,
    payload TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
