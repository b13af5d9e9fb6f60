-- Accounts of every app (spec §3) and the transactional outbox of webhook events (spec §7).
CREATE TABLE accounts (
  app_id       BIGINT  NOT NULL,
  user_id      TEXT    NOT NULL,
  nick         TEXT,
  face_url     TEXT,
  created_time BIGINT  NOT NULL,
  PRIMARY KEY (app_id, user_id)
);

CREATE TABLE outbox (
  id           BIGSERIAL PRIMARY KEY,
  app_id       BIGINT  NOT NULL,
  command      TEXT    NOT NULL,
  ordering_key TEXT    NOT NULL,
  body         TEXT    NOT NULL,
  created_ms   BIGINT  NOT NULL
);
CREATE INDEX outbox_by_app ON outbox (app_id, id);
