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
