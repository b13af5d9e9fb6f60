-- A member's read position in a group (issue 14, spec part 2 §13.5), as SQLite's 0012 in
-- PostgreSQL types: unread = unread_base + groups.counted - counted_base (see SQLite's file).
-- The base fields of get_group_info (spec part 2 §13.4) and the member fields get their columns here.
ALTER TABLE groups
  ADD COLUMN counted BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN last_msg_time BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN introduction TEXT NOT NULL DEFAULT '',
  ADD COLUMN notification TEXT NOT NULL DEFAULT '',
  ADD COLUMN face_url TEXT NOT NULL DEFAULT '',
  ADD COLUMN apply_join_option TEXT NOT NULL DEFAULT 'NeedPermission',
  ADD COLUMN mute_all_member BOOLEAN NOT NULL DEFAULT false,
  ADD COLUMN info_seq BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN last_info_time BIGINT NOT NULL DEFAULT 0;

ALTER TABLE group_messages
  ADD COLUMN counts BOOLEAN NOT NULL DEFAULT true,
  ADD COLUMN targeted BOOLEAN NOT NULL DEFAULT false;
-- Messages stored before this migration: online-only ones never counted; NoUnread was not kept.
UPDATE group_messages SET counts = false WHERE online_only;

CREATE TABLE group_message_targets (
  app_id  BIGINT NOT NULL,
  gid     BIGINT NOT NULL,
  seq     BIGINT NOT NULL,
  user_id TEXT   NOT NULL,
  PRIMARY KEY (app_id, gid, seq, user_id)
);

ALTER TABLE group_members
  ADD COLUMN read_seq BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN unread_base BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN counted_base BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN last_send_time BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN msg_flag TEXT NOT NULL DEFAULT 'AcceptAndNotify',
  ADD COLUMN name_card TEXT NOT NULL DEFAULT '',
  ADD COLUMN mute_until BIGINT NOT NULL DEFAULT 0;
-- Recalls find the memberships that had read a message by their read seq.
CREATE INDEX group_members_by_read_seq ON group_members (app_id, gid, read_seq);

-- Groups and memberships written before this migration.
UPDATE groups SET
  counted = (SELECT count(*) FROM group_messages x
             WHERE x.app_id = groups.app_id AND x.gid = groups.gid AND x.counts AND NOT x.recalled),
  last_msg_time = coalesce((SELECT max(x.time) FROM group_messages x
             WHERE x.app_id = groups.app_id AND x.gid = groups.gid AND NOT x.online_only), 0),
  last_info_time = created_time;
-- Joining starts at the newest message, sending moves the read seq to the message sent.
UPDATE group_members SET read_seq = greatest(join_seq, coalesce((SELECT max(x.seq) FROM group_messages x
  WHERE x.app_id = group_members.app_id AND x.gid = group_members.gid AND x.sender = group_members.user_id), 0)),
  last_send_time = coalesce((SELECT max(x.time) FROM group_messages x
  WHERE x.app_id = group_members.app_id AND x.gid = group_members.gid AND x.sender = group_members.user_id), 0);
-- A count set by set_unread_msg_num (`unread` as of `unread_seq`) becomes the read seq it stands for:
-- just before the unread-th counting message from `unread_seq` down (0 when there are fewer),
-- unless the member has sent since.
UPDATE group_members SET read_seq = CASE
    WHEN read_seq > unread_seq THEN read_seq
    WHEN unread = 0 THEN unread_seq
    ELSE coalesce((SELECT x.seq - 1 FROM group_messages x
      WHERE x.app_id = group_members.app_id AND x.gid = group_members.gid AND x.seq <= group_members.unread_seq
        AND x.counts AND NOT x.recalled AND x.sender <> group_members.user_id
      ORDER BY x.seq DESC LIMIT 1 OFFSET group_members.unread - 1), 0)
  END
WHERE unread IS NOT NULL;
UPDATE group_members SET
  unread_base = (SELECT count(*) FROM group_messages x
    WHERE x.app_id = group_members.app_id AND x.gid = group_members.gid AND x.seq > group_members.read_seq
      AND x.counts AND NOT x.recalled AND x.sender <> group_members.user_id),
  counted_base = (SELECT g.counted FROM groups g WHERE g.app_id = group_members.app_id AND g.gid = group_members.gid);
ALTER TABLE group_members DROP COLUMN unread, DROP COLUMN unread_seq;

-- The per-group message limit (spec part 2 §22): messages taken in the current second, counted on
-- the group row so the check and the send it allows commit together.
ALTER TABLE groups ADD COLUMN send_second BIGINT NOT NULL DEFAULT 0;
ALTER TABLE groups ADD COLUMN send_count BIGINT NOT NULL DEFAULT 0;

-- Groups by owner, for the counts Group.CallbackBeforeCreateGroup carries (spec part 2 §21.1).
CREATE INDEX groups_by_owner ON groups (app_id, owner_id);
