-- One-to-one messages and their read state (spec §4, §5), as SQLite's 0002 in PostgreSQL types.
-- A message is identified by its conversation (the two UserIDs, sorted) and its MsgKey
-- (design.md decision 4); unread counts are counters kept current on every write.
CREATE TABLE c2c_messages (
  app_id            BIGINT  NOT NULL,
  user_lo           TEXT    NOT NULL,
  user_hi           TEXT    NOT NULL,
  from_id           TEXT    NOT NULL,
  to_id             TEXT    NOT NULL,
  msg_seq           BIGINT  NOT NULL,
  msg_random        BIGINT  NOT NULL,
  msg_time          BIGINT  NOT NULL,
  msg_key           TEXT    NOT NULL,
  body              TEXT    NOT NULL, -- JSON text: kept byte for byte as JSON.stringify wrote it
  cloud_custom_data TEXT    NOT NULL, -- JSON string
  need_receipt      BOOLEAN NOT NULL,
  peer_read         BOOLEAN NOT NULL DEFAULT false,
  recalled          BOOLEAN NOT NULL DEFAULT false,
  counted           BOOLEAN NOT NULL,
  sender_sees       BOOLEAN NOT NULL
);
CREATE UNIQUE INDEX c2c_messages_by_key ON c2c_messages (app_id, user_lo, user_hi, msg_key);
CREATE INDEX c2c_messages_history ON c2c_messages (app_id, user_lo, user_hi, msg_time, msg_seq, msg_random);
-- Recounting a conversation after a read report touches only the messages still unread.
CREATE INDEX c2c_messages_unread ON c2c_messages (app_id, to_id, from_id, msg_time)
  WHERE counted AND NOT recalled;

-- Per reader and peer: the read time (only moves forward) and the unread counter.
CREATE TABLE c2c_conversations (
  app_id    BIGINT NOT NULL,
  owner_id  TEXT   NOT NULL,
  peer_id   TEXT   NOT NULL,
  read_time BIGINT NOT NULL DEFAULT 0,
  unread    BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (app_id, owner_id, peer_id)
);

-- Per user: the sum of the unread counters of all their conversations.
CREATE TABLE c2c_unread_totals (
  app_id  BIGINT NOT NULL,
  user_id TEXT   NOT NULL,
  unread  BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (app_id, user_id)
);
