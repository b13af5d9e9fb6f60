-- Webhook delivery at any backlog, and a delivery log of bounded size (issue 11, design.md
-- decision 16).
--
-- `head` marks the oldest pending event of each (app, ordering key): the only one a dispatcher may
-- claim. Claims read the heads alone, so finding the next event of a key costs the same whatever
-- the backlog behind it. The store keeps it so when an event is written, finished or re-queued.
ALTER TABLE outbox ADD COLUMN head INTEGER NOT NULL DEFAULT 0;
UPDATE outbox SET head = 1
  WHERE status = 'pending'
    AND id IN (SELECT min(id) FROM outbox WHERE status = 'pending' GROUP BY app_id, ordering_key);

-- The claim scan, covering, so the heads in flight or waiting for a retry read no table row.
DROP INDEX outbox_pending;
CREATE INDEX outbox_heads ON outbox (id, lease_until_ms, next_attempt_ms)
  WHERE status = 'pending' AND head = 1;
-- At most one head per key, whatever happens.
CREATE UNIQUE INDEX outbox_head_of_key ON outbox (app_id, ordering_key)
  WHERE status = 'pending' AND head = 1;
-- Finished events, oldest first: what the dispatcher deletes once they pass webhooks.retentionHours.
CREATE INDEX outbox_finished ON outbox (finished_ms) WHERE finished_ms IS NOT NULL;
