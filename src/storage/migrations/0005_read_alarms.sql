-- Mass-read alarms: an account that opened more records than allowed in a window (see accounts/service.cpp
-- record_read). Shown to administrators on the audit page.
CREATE TABLE read_alarms (
    id BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    raised_at BIGINT NOT NULL,
    records BIGINT NOT NULL,
    window_ms BIGINT NOT NULL,
    suspended BIGINT NOT NULL
);
CREATE INDEX read_alarms_by_account ON read_alarms (account_id, raised_at);
