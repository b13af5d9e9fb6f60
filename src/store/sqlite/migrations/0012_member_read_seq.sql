-- A member's read position in a group (issue 14, spec part 2 §13.5): its read seq (`MsgSeq`) and
-- its unread count, O(1) to read at any group size. A group counts its live broadcast messages that
-- count as unread (`counted`: stored, not NoUnread, not targeted, not recalled); a membership keeps
-- its unread count as of the moment its read seq was last placed (`unread_base`) and the group's
-- `counted` at that moment (`counted_base`), so
--   unread = unread_base + counted - counted_base.
-- A send bumps `counted` once, not a row per member. A recall lowers `counted` and gives back the
-- one it took to the few memberships that had read the message (read_seq >= seq) and to its sender.
-- Targeted messages count only for their targets, whose `unread_base` moves instead.
-- The base fields of get_group_info (spec part 2 §13.4) and the member fields get their columns here.
ALTER TABLE groups ADD COLUMN counted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE groups ADD COLUMN last_msg_time INTEGER NOT NULL DEFAULT 0;
ALTER TABLE groups ADD COLUMN introduction TEXT NOT NULL DEFAULT '';
ALTER TABLE groups ADD COLUMN notification TEXT NOT NULL DEFAULT '';
ALTER TABLE groups ADD COLUMN face_url TEXT NOT NULL DEFAULT '';
ALTER TABLE groups ADD COLUMN apply_join_option TEXT NOT NULL DEFAULT 'NeedPermission';
ALTER TABLE groups ADD COLUMN mute_all_member INTEGER NOT NULL DEFAULT 0;
ALTER TABLE groups ADD COLUMN info_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE groups ADD COLUMN last_info_time INTEGER NOT NULL DEFAULT 0;

ALTER TABLE group_messages ADD COLUMN counts INTEGER NOT NULL DEFAULT 1;
ALTER TABLE group_messages ADD COLUMN targeted INTEGER NOT NULL DEFAULT 0;
-- Messages stored before this migration: online-only ones never counted; NoUnread was not kept.
UPDATE group_messages SET counts = 0 WHERE online_only = 1;

CREATE TABLE group_message_targets (
  app_id  INTEGER NOT NULL,
  gid     INTEGER NOT NULL,
  seq     INTEGER NOT NULL,
  user_id TEXT    NOT NULL,
  PRIMARY KEY (app_id, gid, seq, user_id)
) WITHOUT ROWID;

ALTER TABLE group_members ADD COLUMN read_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE group_members ADD COLUMN unread_base INTEGER NOT NULL DEFAULT 0;
ALTER TABLE group_members ADD COLUMN counted_base INTEGER NOT NULL DEFAULT 0;
ALTER TABLE group_members ADD COLUMN last_send_time INTEGER NOT NULL DEFAULT 0;
ALTER TABLE group_members ADD COLUMN msg_flag TEXT NOT NULL DEFAULT 'AcceptAndNotify';
ALTER TABLE group_members ADD COLUMN name_card TEXT NOT NULL DEFAULT '';
ALTER TABLE group_members ADD COLUMN mute_until INTEGER NOT NULL DEFAULT 0;
-- Recalls find the memberships that had read a message by their read seq.
CREATE INDEX group_members_by_read_seq ON group_members (app_id, gid, read_seq);

-- Groups and memberships written before this migration.
UPDATE groups SET
  counted = (SELECT count(*) FROM group_messages x
             WHERE x.app_id = groups.app_id AND x.gid = groups.gid AND x.counts = 1 AND x.recalled = 0),
  last_msg_time = coalesce((SELECT max(x.time) FROM group_messages x
             WHERE x.app_id = groups.app_id AND x.gid = groups.gid AND x.online_only = 0), 0),
  last_info_time = created_time;
-- Joining starts at the newest message, sending moves the read seq to the message sent.
UPDATE group_members SET read_seq = max(join_seq, coalesce((SELECT max(x.seq) FROM group_messages x
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
        AND x.counts = 1 AND x.recalled = 0 AND x.sender <> group_members.user_id
        AND (SELECT count(*) FROM group_messages y
             WHERE y.app_id = x.app_id AND y.gid = x.gid AND y.seq >= x.seq AND y.seq <= group_members.unread_seq
               AND y.counts = 1 AND y.recalled = 0 AND y.sender <> group_members.user_id) = group_members.unread), 0)
  END
WHERE unread IS NOT NULL;
UPDATE group_members SET
  unread_base = (SELECT count(*) FROM group_messages x
    WHERE x.app_id = group_members.app_id AND x.gid = group_members.gid AND x.seq > group_members.read_seq
      AND x.counts = 1 AND x.recalled = 0 AND x.sender <> group_members.user_id),
  counted_base = (SELECT g.counted FROM groups g WHERE g.app_id = group_members.app_id AND g.gid = group_members.gid);
ALTER TABLE group_members DROP COLUMN unread;
ALTER TABLE group_members DROP COLUMN unread_seq;

-- The per-group message limit (spec part 2 §22): messages taken in the current second, counted on
-- the group row so the check and the send it allows commit together.
ALTER TABLE groups ADD COLUMN send_second INTEGER NOT NULL DEFAULT 0;
ALTER TABLE groups ADD COLUMN send_count INTEGER NOT NULL DEFAULT 0;

-- Groups by owner, for the counts Group.CallbackBeforeCreateGroup carries (spec part 2 §21.1).
CREATE INDEX groups_by_owner ON groups (app_id, owner_id);
