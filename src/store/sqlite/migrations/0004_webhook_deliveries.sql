-- Webhook delivery (spec §7, design.md decision 12): each outbox row is a delivery job with a
-- status and a lease, and every attempt is logged.
ALTER TABLE outbox ADD COLUMN status TEXT NOT NULL DEFAULT 'pending'
  CHECK (status IN ('pending', 'delivered', 'failed', 'skipped'));
-- Attempts made in the current round (since recorded or re-queued); bounded by the app's retries.
ALTER TABLE outbox ADD COLUMN tries INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN next_attempt_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN lease_owner TEXT;
ALTER TABLE outbox ADD COLUMN lease_until_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN finished_ms INTEGER;
ALTER TABLE outbox ADD COLUMN client_ip TEXT NOT NULL DEFAULT '127.0.0.1';
ALTER TABLE outbox ADD COLUMN opt_platform TEXT NOT NULL DEFAULT 'RESTAPI';

-- Pending rows only: the dispatcher's scan, covering, so skipping the rows in flight or waiting to
-- be retried reads no table row; and "is an older event of this key still pending?".
CREATE INDEX outbox_pending ON outbox (id, lease_until_ms, next_attempt_ms, app_id, ordering_key)
  WHERE status = 'pending';
CREATE INDEX outbox_pending_by_key ON outbox (app_id, ordering_key, id) WHERE status = 'pending';

CREATE TABLE webhook_attempts (
  outbox_id   INTEGER NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
  attempt     INTEGER NOT NULL,
  started_ms  INTEGER NOT NULL,
  http_status INTEGER,
  latency_ms  REAL    NOT NULL,
  error       TEXT,
  answer_code INTEGER,
  PRIMARY KEY (outbox_id, attempt)
) WITHOUT ROWID;
