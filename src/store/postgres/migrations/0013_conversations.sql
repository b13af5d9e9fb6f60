-- Conversation list, kicked logins and profiles (spec part 2 §17, §19.2, §20), as SQLite's 0013.
--
-- One row per (owner, peer) C2C conversation in the owner's list, kept on write: every stored
-- message moves its two entries (O(1) per message), and get_list never scans messages.
CREATE TABLE recent_c2c (
  app_id   BIGINT  NOT NULL,
  owner_id TEXT    NOT NULL,
  peer_id  TEXT    NOT NULL,
  msg_time BIGINT  NOT NULL,
  pinned   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (app_id, owner_id, peer_id)
);
CREATE INDEX recent_c2c_by_time ON recent_c2c (app_id, owner_id, msg_time, peer_id);

-- Group conversations are the groups a user belongs to that have a message which moves
-- conversation lists (stored, not online only, not sent with NoLastMsg): its seq and time are kept
-- per group on write (O(1) per message). A user's own marks on one: deleted up to such a seq
-- (hidden until a newer one), and pinned. Keyed by the internal gid, so a group made again under
-- the same id starts clean.
CREATE TABLE recent_group_times (
  app_id   BIGINT NOT NULL,
  gid      BIGINT NOT NULL,
  last_seq BIGINT NOT NULL,
  msg_time BIGINT NOT NULL,
  PRIMARY KEY (app_id, gid)
);

CREATE TABLE recent_group_marks (
  app_id             BIGINT  NOT NULL,
  owner_id           TEXT    NOT NULL,
  gid                BIGINT  NOT NULL,
  hidden_through_seq BIGINT  NOT NULL DEFAULT 0,
  pinned             INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (app_id, owner_id, gid)
);

-- recentcontact/delete with ClearRamble: 1 hides the conversation's history from the deleting
-- side only; sender_sees already does that for the sender.
ALTER TABLE c2c_messages ADD COLUMN recipient_sees BOOLEAN NOT NULL DEFAULT true;

-- The lists of conversations that existed before this migration.
INSERT INTO recent_group_times (app_id, gid, last_seq, msg_time)
  SELECT m.app_id, m.gid, m.seq, m.time FROM group_messages m
  WHERE m.online_only = false AND m.seq = (SELECT max(seq) FROM group_messages n
    WHERE n.app_id = m.app_id AND n.gid = m.gid AND n.online_only = false);
INSERT INTO recent_c2c (app_id, owner_id, peer_id, msg_time)
  SELECT app_id, owner_id, peer_id, max(msg_time) FROM (
    SELECT app_id, to_id AS owner_id, from_id AS peer_id, msg_time FROM c2c_messages
    UNION ALL
    SELECT app_id, from_id, to_id, msg_time FROM c2c_messages WHERE sender_sees
  ) AS m GROUP BY app_id, owner_id, peer_id;

-- im_open_login_svc/kick: a UserSig of the user issued at or before not_before is refused.
CREATE TABLE login_kicks (
  app_id     BIGINT NOT NULL,
  user_id    TEXT   NOT NULL,
  not_before BIGINT NOT NULL,
  PRIMARY KEY (app_id, user_id)
);

-- Profile fields other than Nick and Image (which are the accounts table's nick and face_url):
-- value is JSON (a number or a string), as portrait_get answers it.
CREATE TABLE profile_fields (
  app_id  BIGINT NOT NULL,
  user_id TEXT   NOT NULL,
  tag     TEXT   NOT NULL,
  value   TEXT   NOT NULL,
  PRIMARY KEY (app_id, user_id, tag)
);
