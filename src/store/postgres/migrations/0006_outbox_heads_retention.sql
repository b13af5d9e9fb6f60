-- Webhook delivery at any backlog, and a delivery log of bounded size (issue 11, design.md
-- decision 16). The same as SQLite's 0006.
--
-- `head` marks the oldest pending event of each (app, ordering key): the only one a dispatcher may
-- claim. Claims read the heads alone, so finding the next event of a key costs the same whatever
-- the backlog behind it. The store keeps it so, under the key's advisory lock, when an event is
-- written, finished or re-queued.
ALTER TABLE outbox ADD COLUMN head BOOLEAN NOT NULL DEFAULT false;
UPDATE outbox SET head = true
  WHERE status = 'pending'
    AND id IN (SELECT min(id) FROM outbox WHERE status = 'pending' GROUP BY app_id, ordering_key);

DROP INDEX outbox_pending;
CREATE INDEX outbox_heads ON outbox (id) WHERE status = 'pending' AND head;
-- At most one head per key, whatever happens.
CREATE UNIQUE INDEX outbox_head_of_key ON outbox (app_id, ordering_key) WHERE status = 'pending' AND head;
-- Finished events, oldest first: what the dispatcher deletes once they pass webhooks.retentionHours.
CREATE INDEX outbox_finished ON outbox (finished_ms) WHERE finished_ms IS NOT NULL;
