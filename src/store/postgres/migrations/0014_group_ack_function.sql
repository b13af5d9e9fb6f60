-- group_msg_receipt's acknowledgement in one round trip (issue 12): the steps PgGroupReceipts
-- used to send one by one (lock the membership, read the nearby ranges and unread stretches,
-- rewrite them and bump the read counts) as one function, so the command sends one statement and
-- the hot message rows it bumps stay locked only for the function and its commit. The rule is
-- SQLite's (sqlite-group-receipts.ts, src/domain/read-state/seq-ranges.ts), written with
-- multiranges: the differential test holds the two to the same rows. Needs PostgreSQL 14 or newer.

-- The interval-tree node of [lo, hi] (src/domain/read-state/interval-nodes.ts, nodeOf): level L is
-- the bit length of lo XOR hi, the smallest L with lo >> L = hi >> L.
CREATE FUNCTION receiptd_node(lo bigint, hi bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (hi >> l) * 64 + l
  FROM (SELECT CASE WHEN lo = hi THEN 0
                    ELSE 65 - position('1' IN ((lo # hi)::bit(64))::text) END AS l) AS level
$$;

-- `p_reader` has read `p_seqs` in group `p_group` of app `p_app`. One row ('not-member') when the
-- reader is not a member; otherwise one row per receipt message whose count moved and that is not
-- recalled, in seq order (none when nothing new was read).
CREATE FUNCTION receiptd_group_ack(p_app bigint, p_group text, p_reader text, p_seqs int8multirange)
RETURNS TABLE (o_status text, o_seq bigint, o_read bigint, o_audience bigint)
LANGUAGE plpgsql AS $$
DECLARE
  m record;
  wanted int8multirange;
  near int8multirange;
  gaps int8multirange;
  added int8multirange;
  v_lo bigint;
  v_hi bigint;
BEGIN
  -- The membership lock serialises this member's acknowledgements and a leave in flight; every
  -- statement below runs after it, on a snapshot that sees what they committed.
  SELECT g.gid, g.last_seq, mm.member_no, mm.join_seq INTO m
  FROM groups g JOIN group_members mm ON mm.app_id = g.app_id AND mm.gid = g.gid
  WHERE g.app_id = p_app AND g.group_id = p_group AND mm.user_id = p_reader
  FOR UPDATE OF mm;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'not-member'::text, NULL::bigint, NULL::bigint, NULL::bigint;
    RETURN;
  END IF;
  -- Only seqs this membership could see and that exist (decision 10: others are ignored).
  IF m.join_seq >= m.last_seq THEN
    RETURN;
  END IF;
  wanted := p_seqs * int8multirange(int8range(m.join_seq + 1, m.last_seq, '[]'));
  IF isempty(wanted) THEN
    RETURN;
  END IF;
  v_lo := lower(wanted);
  v_hi := upper(wanted) - 1;
  -- Stored ranges that overlap or touch [v_lo, v_hi]; each starts at or after the last one that
  -- starts before v_lo, which bounds the index scan on both sides.
  SELECT coalesce(range_agg(int8range(r.lo, r.hi, '[]')), '{}') INTO near
  FROM group_read_ranges r
  WHERE r.app_id = p_app AND r.gid = m.gid AND r.member_no = m.member_no
    AND r.lo <= v_hi + 1 AND r.hi >= v_lo - 1
    AND r.lo >= coalesce((SELECT max(x.lo) FROM group_read_ranges x
                          WHERE x.app_id = p_app AND x.gid = m.gid AND x.member_no = m.member_no AND x.lo < v_lo), 0);
  added := wanted - near;
  IF isempty(added) THEN
    RETURN;
  END IF;
  DELETE FROM group_read_ranges r
  WHERE r.app_id = p_app AND r.gid = m.gid AND r.member_no = m.member_no
    AND r.lo <= v_hi + 1 AND r.hi >= v_lo - 1
    AND r.lo >= coalesce((SELECT max(x.lo) FROM group_read_ranges x
                          WHERE x.app_id = p_app AND x.gid = m.gid AND x.member_no = m.member_no AND x.lo < v_lo), 0);
  INSERT INTO group_read_ranges (app_id, gid, member_no, lo, hi, node)
  SELECT p_app, m.gid, m.member_no, lower(x), upper(x) - 1, receiptd_node(lower(x), upper(x) - 1)
  FROM unnest(near + wanted) AS x;
  -- The unread stretches lose what was read.
  SELECT coalesce(range_agg(int8range(u.lo, u.hi, '[]')), '{}') INTO gaps
  FROM group_unread_gaps u
  WHERE u.app_id = p_app AND u.gid = m.gid AND u.member_no = m.member_no AND u.lo <= v_hi AND u.hi >= v_lo
    AND u.lo >= coalesce((SELECT max(x.lo) FROM group_unread_gaps x
                          WHERE x.app_id = p_app AND x.gid = m.gid AND x.member_no = m.member_no AND x.lo <= v_lo), 0);
  DELETE FROM group_unread_gaps u
  WHERE u.app_id = p_app AND u.gid = m.gid AND u.member_no = m.member_no AND u.lo <= v_hi AND u.hi >= v_lo
    AND u.lo >= coalesce((SELECT max(x.lo) FROM group_unread_gaps x
                          WHERE x.app_id = p_app AND x.gid = m.gid AND x.member_no = m.member_no AND x.lo <= v_lo), 0);
  INSERT INTO group_unread_gaps (app_id, gid, member_no, lo, hi, node)
  SELECT p_app, m.gid, m.member_no, lower(x), upper(x) - 1, receiptd_node(lower(x), upper(x) - 1)
  FROM unnest(gaps - wanted) AS x;
  -- Each newly read seq moves its message's count by one, filtered as `audience` was counted; the
  -- added ranges are disjoint, so no row is matched twice.
  RETURN QUERY
  WITH bumped AS (
    UPDATE group_messages gm SET read_count = gm.read_count + 1
    FROM unnest(added) AS a
    WHERE gm.app_id = p_app AND gm.gid = m.gid AND gm.seq >= lower(a) AND gm.seq < upper(a)
      AND gm.receipt AND gm.sender <> p_reader
    RETURNING gm.seq, gm.read_count, gm.audience, gm.recalled)
  SELECT 'moved'::text, b.seq, b.read_count, b.audience FROM bumped b WHERE NOT b.recalled ORDER BY b.seq;
END
$$;

-- sendmsg's checks and write in one round trip (C2CStore.send): the conversation's advisory lock
-- first (the key of pg-locks.ts and PgC2C.lockConversations, so batchsendmsg and a sendmsg on the
-- same conversation wait for each other), then, each on a snapshot that sees what the lock waited
-- for, the two accounts, the same-second repeat (spec §4.2), the message with its counters, and
-- the conversation list entries of `p_owners`. A repeat found under the lock cannot be stored by
-- another send before this one commits. Parameters follow PgC2C's message parameters.
CREATE FUNCTION receiptd_c2c_send(
  p_app bigint, p_to text, p_from text, p_lo text, p_hi text,
  p_msg_seq bigint, p_msg_random bigint, p_msg_time bigint, p_msg_key text, p_body text,
  p_cloud_custom_data text, p_need_receipt boolean, p_counted boolean, p_sender_sees boolean,
  p_uncounted text, p_recipient_sees boolean, p_owners text[])
RETURNS TABLE (o_status text, o_first text, o_total bigint)
LANGUAGE plpgsql AS $$
DECLARE
  v_first text;
  v_counted boolean;
  v_moved boolean := false;
  v_total bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(
    current_schema() || E'\x01' || ('c2c' || E'\x01' || p_lo || E'\x01' || p_hi) || E'\x01' || p_app::text, 0));
  IF NOT EXISTS (SELECT 1 FROM accounts WHERE app_id = p_app AND user_id = p_from) THEN
    RETURN QUERY SELECT 'unknown-sender'::text, NULL::text, NULL::bigint;
    RETURN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM accounts WHERE app_id = p_app AND user_id = p_to) THEN
    RETURN QUERY SELECT 'unknown-recipient'::text, NULL::text, NULL::bigint;
    RETURN;
  END IF;
  SELECT msg_key INTO v_first FROM c2c_messages
  WHERE app_id = p_app AND user_lo = p_lo AND user_hi = p_hi AND msg_time = p_msg_time
    AND msg_random = p_msg_random AND from_id = p_from AND to_id = p_to
  LIMIT 1;
  IF FOUND THEN
    RETURN QUERY SELECT 'same-second'::text, v_first, NULL::bigint;
    RETURN;
  END IF;
  INSERT INTO c2c_messages (app_id, user_lo, user_hi, from_id, to_id, msg_seq, msg_random, msg_time,
    msg_key, body, cloud_custom_data, need_receipt, counted, sender_sees, uncounted, recipient_sees)
  VALUES (p_app, p_lo, p_hi, p_from, p_to, p_msg_seq, p_msg_random, p_msg_time, p_msg_key, p_body,
    p_cloud_custom_data, p_need_receipt, p_counted, p_sender_sees, p_uncounted, p_recipient_sees)
  ON CONFLICT (app_id, user_lo, user_hi, msg_key) DO NOTHING
  RETURNING counted INTO v_counted;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'not-added'::text, NULL::text, NULL::bigint;
    RETURN;
  END IF;
  -- A new conversation has read time 0, so a message after 0 starts it at one unread; an existing
  -- one counts it only while its (newest) read time is before the message.
  IF v_counted AND p_msg_time > 0 THEN
    INSERT INTO c2c_conversations AS c (app_id, owner_id, peer_id, unread) VALUES (p_app, p_to, p_from, 1)
    ON CONFLICT (app_id, owner_id, peer_id) DO UPDATE SET unread = c.unread + 1 WHERE c.read_time < p_msg_time;
    v_moved := FOUND;
  END IF;
  IF v_moved THEN
    INSERT INTO c2c_unread_totals AS t (app_id, user_id, unread) VALUES (p_app, p_to, 1)
    ON CONFLICT (app_id, user_id) DO UPDATE SET unread = t.unread + 1
    RETURNING unread INTO v_total;
  ELSE
    SELECT unread INTO v_total FROM c2c_unread_totals WHERE app_id = p_app AND user_id = p_to;
  END IF;
  -- The conversation lists (SqlRecent.touchC2C): each owner's entry moves to this message's time.
  INSERT INTO recent_c2c AS r (app_id, owner_id, peer_id, msg_time)
  SELECT DISTINCT p_app, o, CASE WHEN o = p_from THEN p_to ELSE p_from END, p_msg_time FROM unnest(p_owners) AS o
  ON CONFLICT (app_id, owner_id, peer_id) DO UPDATE SET msg_time = excluded.msg_time
  WHERE r.msg_time < excluded.msg_time;
  RETURN QUERY SELECT 'added'::text, NULL::text, coalesce(v_total, 0);
END
$$;
