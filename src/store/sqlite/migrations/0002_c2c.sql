-- One-to-one messages and their read state (spec §4, §5).
-- A message is identified by its conversation (the two UserIDs, sorted) and its MsgKey
-- (design.md decision 4); unread counts are counters kept current on every write.
CREATE TABLE c2c_messages (
  app_id            INTEGER NOT NULL,
  user_lo           TEXT    NOT NULL,
  user_hi           TEXT    NOT NULL,
  from_id           TEXT    NOT NULL,
  to_id             TEXT    NOT NULL,
  msg_seq           INTEGER NOT NULL,
  msg_random        INTEGER NOT NULL,
  msg_time          INTEGER NOT NULL,
  msg_key           TEXT    NOT NULL,
  body              TEXT    NOT NULL, -- JSON
  cloud_custom_data TEXT    NOT NULL, -- JSON string
  need_receipt      INTEGER NOT NULL,
  peer_read         INTEGER NOT NULL DEFAULT 0,
  recalled          INTEGER NOT NULL DEFAULT 0,
  counted           INTEGER NOT NULL,
  sender_sees       INTEGER NOT NULL
);
CREATE UNIQUE INDEX c2c_messages_by_key ON c2c_messages (app_id, user_lo, user_hi, msg_key);
CREATE INDEX c2c_messages_history ON c2c_messages (app_id, user_lo, user_hi, msg_time, msg_seq, msg_random);
-- Recounting a conversation after a read report touches only the messages still unread.
CREATE INDEX c2c_messages_unread ON c2c_messages (app_id, to_id, from_id, msg_time)
  WHERE counted = 1 AND recalled = 0;

-- Per reader and peer: the read time (only moves forward) and the unread counter.
CREATE TABLE c2c_conversations (
  app_id    INTEGER NOT NULL,
  owner_id  TEXT    NOT NULL,
  peer_id   TEXT    NOT NULL,
  read_time INTEGER NOT NULL DEFAULT 0,
  unread    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (app_id, owner_id, peer_id)
) WITHOUT ROWID;

-- Per user: the sum of the unread counters of all their conversations.
CREATE TABLE c2c_unread_totals (
  app_id  INTEGER NOT NULL,
  user_id TEXT    NOT NULL,
  unread  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (app_id, user_id)
) WITHOUT ROWID;
