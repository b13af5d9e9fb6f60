-- Webhook delivery (spec §7, design.md decision 12): each outbox row is a delivery job with a
-- status and a lease, and every attempt is logged. The same columns as SQLite's 0004.
ALTER TABLE outbox
  ADD COLUMN status TEXT NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'delivered', 'failed', 'skipped')),
  -- Attempts made in the current round (since recorded or re-queued); bounded by the app's retries.
  ADD COLUMN tries INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN next_attempt_ms BIGINT NOT NULL DEFAULT 0,
  -- The instance holding the event; another may claim it once lease_until_ms has passed.
  ADD COLUMN lease_owner TEXT,
  ADD COLUMN lease_until_ms BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN finished_ms BIGINT,
  ADD COLUMN client_ip TEXT NOT NULL DEFAULT '127.0.0.1',
  ADD COLUMN opt_platform TEXT NOT NULL DEFAULT 'RESTAPI';

-- Pending rows only: the dispatchers' scan in id order, and "is an older event of this key still
-- pending?", which decides that only the head of a key is claimed.
CREATE INDEX outbox_pending ON outbox (id) WHERE status = 'pending';
CREATE INDEX outbox_pending_by_key ON outbox (app_id, ordering_key, id) WHERE status = 'pending';

CREATE TABLE webhook_attempts (
  outbox_id   BIGINT  NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
  attempt     INTEGER NOT NULL,
  started_ms  BIGINT  NOT NULL,
  http_status INTEGER,
  latency_ms  DOUBLE PRECISION NOT NULL,
  error       TEXT,
  answer_code INTEGER,
  PRIMARY KEY (outbox_id, attempt)
);
