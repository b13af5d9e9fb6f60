-- Groups, memberships, group messages and group read state (spec §6). Every table is keyed by
-- app_id first. `gid` is an internal number so the big tables do not repeat the GroupId string.
--
-- Read state at scale (design.md): a membership's reads are seq ranges, not a row per message and
-- member; each receipt message keeps its audience and read counts current, so counts are O(1).
-- Membership numbers grow per group, so the audience of a message is the memberships numbered
-- below its `member_bound`, minus the sender; members who leave are deleted with their ranges.
CREATE TABLE groups (
  gid            INTEGER PRIMARY KEY AUTOINCREMENT,
  app_id         INTEGER NOT NULL,
  group_id       TEXT    NOT NULL,
  type           TEXT    NOT NULL,
  name           TEXT    NOT NULL,
  owner_id       TEXT,
  max_members    INTEGER NOT NULL,
  created_time   INTEGER NOT NULL,
  last_seq       INTEGER NOT NULL DEFAULT 0,
  next_member_no INTEGER NOT NULL DEFAULT 1,
  member_count   INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX groups_by_id ON groups (app_id, group_id);

CREATE TABLE group_members (
  app_id      INTEGER NOT NULL,
  gid         INTEGER NOT NULL,
  member_no   INTEGER NOT NULL,
  user_id     TEXT    NOT NULL,
  role        TEXT    NOT NULL,
  join_seq    INTEGER NOT NULL,
  join_time   INTEGER NOT NULL,
  unread      INTEGER,
  unread_seq  INTEGER,
  PRIMARY KEY (app_id, gid, member_no)
) WITHOUT ROWID;
CREATE UNIQUE INDEX group_members_by_user ON group_members (app_id, gid, user_id);

CREATE TABLE group_messages (
  app_id            INTEGER NOT NULL,
  gid               INTEGER NOT NULL,
  seq               INTEGER NOT NULL,
  sender            TEXT    NOT NULL,
  random            INTEGER NOT NULL,
  time              INTEGER NOT NULL,
  body              TEXT    NOT NULL,
  body_hash         TEXT    NOT NULL,
  cloud_custom_data TEXT,
  priority          TEXT    NOT NULL,
  online_only       INTEGER NOT NULL,
  receipt           INTEGER NOT NULL,
  recalled          INTEGER NOT NULL DEFAULT 0,
  member_bound      INTEGER NOT NULL,
  audience          INTEGER NOT NULL,
  read_count        INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (app_id, gid, seq)
) WITHOUT ROWID;
-- Duplicate sends (same sender, Random and body within 5 minutes): covering, or SQLite's planner
-- prefers walking the whole group by its primary key.
CREATE INDEX group_messages_by_random ON group_messages (app_id, gid, random, sender, body_hash, time, seq);

CREATE TABLE group_read_ranges (
  app_id    INTEGER NOT NULL,
  gid       INTEGER NOT NULL,
  member_no INTEGER NOT NULL,
  lo        INTEGER NOT NULL,
  hi        INTEGER NOT NULL,
  PRIMARY KEY (app_id, gid, member_no, lo)
) WITHOUT ROWID;
