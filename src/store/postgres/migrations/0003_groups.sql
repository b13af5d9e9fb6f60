-- Groups, memberships, group messages and group read state (spec §6), as SQLite's 0003 in
-- PostgreSQL types. Every table is keyed by app_id first; `gid` is an internal number so the big
-- tables do not repeat the GroupId string.
--
-- Read state at scale (design.md): a membership's reads are seq ranges, not a row per message and
-- member; each receipt message keeps its audience and read counts current, so counts are O(1).
-- Membership numbers grow per group, so the audience of a message is the memberships numbered
-- below its `member_bound`, minus the sender; members who leave are deleted with their ranges.
CREATE TABLE groups (
  gid            BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  app_id         BIGINT  NOT NULL,
  group_id       TEXT    NOT NULL,
  type           TEXT    NOT NULL,
  name           TEXT    NOT NULL,
  owner_id       TEXT,
  max_members    BIGINT  NOT NULL,
  created_time   BIGINT  NOT NULL,
  last_seq       BIGINT  NOT NULL DEFAULT 0,
  next_member_no BIGINT  NOT NULL DEFAULT 1,
  member_count   BIGINT  NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX groups_by_id ON groups (app_id, group_id);

CREATE TABLE group_members (
  app_id      BIGINT NOT NULL,
  gid         BIGINT NOT NULL,
  member_no   BIGINT NOT NULL,
  user_id     TEXT   NOT NULL,
  role        TEXT   NOT NULL,
  join_seq    BIGINT NOT NULL,
  join_time   BIGINT NOT NULL,
  unread      BIGINT,
  unread_seq  BIGINT,
  PRIMARY KEY (app_id, gid, member_no)
);
CREATE UNIQUE INDEX group_members_by_user ON group_members (app_id, gid, user_id);

CREATE TABLE group_messages (
  app_id            BIGINT  NOT NULL,
  gid               BIGINT  NOT NULL,
  seq               BIGINT  NOT NULL,
  sender            TEXT    NOT NULL,
  random            BIGINT  NOT NULL,
  time              BIGINT  NOT NULL,
  body              TEXT    NOT NULL, -- JSON text
  body_hash         TEXT    NOT NULL,
  cloud_custom_data TEXT,             -- JSON string: TEXT cannot hold U+0000, its JSON escape can
  priority          TEXT    NOT NULL,
  online_only       BOOLEAN NOT NULL,
  receipt           BOOLEAN NOT NULL,
  recalled          BOOLEAN NOT NULL DEFAULT false,
  member_bound      BIGINT  NOT NULL,
  audience          BIGINT  NOT NULL,
  read_count        BIGINT  NOT NULL DEFAULT 0,
  PRIMARY KEY (app_id, gid, seq)
);
CREATE INDEX group_messages_by_random ON group_messages (app_id, gid, random);

-- Not unique on purpose: an acknowledgement replaces a member's nearby ranges with their union in
-- one statement, whose DELETE and INSERT may meet the same `lo`. Writers of one membership's
-- ranges are serialised by the membership row lock instead.
CREATE TABLE group_read_ranges (
  app_id    BIGINT NOT NULL,
  gid       BIGINT NOT NULL,
  member_no BIGINT NOT NULL,
  lo        BIGINT NOT NULL,
  hi        BIGINT NOT NULL
);
CREATE INDEX group_read_ranges_by_member ON group_read_ranges (app_id, gid, member_no, lo);
