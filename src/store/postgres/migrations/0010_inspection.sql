-- What the inspection API and the console read (issue 16).
-- Why a stored C2C message does not count as unread: 'self', 'import-history' or 'no-unread'
-- (design.md decision 6); NULL when it counts. Messages stored before this column say only that
-- they do not count, except messages to oneself, which are recognisable.
ALTER TABLE c2c_messages ADD COLUMN uncounted TEXT;
UPDATE c2c_messages SET uncounted = 'self' WHERE NOT counted AND from_id = to_id;

-- A user's conversations include those where the user is the peer (messages the user sent).
CREATE INDEX c2c_conversations_by_peer ON c2c_conversations (app_id, peer_id, owner_id);

-- The groups one account belongs to.
CREATE INDEX group_members_by_member ON group_members (app_id, user_id);
