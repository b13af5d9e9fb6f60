-- One row the store writes to find out whether writes work again after they failed for a reason of
-- the store (disk full, I/O error), so /healthz recovers without waiting for client traffic.
CREATE TABLE store_probe (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  written_ms INTEGER NOT NULL
);

-- Detail pages in O(page + log n) at sparse densities (get_group_msg_receipt_detail, spec §6.13):
-- read ranges get an interval-tree node (src/domain/read-state/interval-nodes.ts), so the members
-- holding a range that contains a seq are found by index range scans instead of walking every
-- member; and each membership's unread stretches are kept the same way (`group_unread_gaps`: the
-- seqs from its join on that it has not read, the last one open-ended at 2^32 - 1), so the few
-- members who have not read a message are found as fast as the few who have.
--
-- node = prefix * 64 + level, level the smallest L with lo / 2^L = hi / 2^L (integer division).
ALTER TABLE group_read_ranges ADD COLUMN node INTEGER NOT NULL DEFAULT 0;
UPDATE group_read_ranges SET node =
    CASE WHEN lo = hi THEN hi * 64
      WHEN lo / 2 = hi / 2 THEN hi / 2 * 64 + 1
      WHEN lo / 4 = hi / 4 THEN hi / 4 * 64 + 2
      WHEN lo / 8 = hi / 8 THEN hi / 8 * 64 + 3
      WHEN lo / 16 = hi / 16 THEN hi / 16 * 64 + 4
      WHEN lo / 32 = hi / 32 THEN hi / 32 * 64 + 5
      WHEN lo / 64 = hi / 64 THEN hi / 64 * 64 + 6
      WHEN lo / 128 = hi / 128 THEN hi / 128 * 64 + 7
      WHEN lo / 256 = hi / 256 THEN hi / 256 * 64 + 8
      WHEN lo / 512 = hi / 512 THEN hi / 512 * 64 + 9
      WHEN lo / 1024 = hi / 1024 THEN hi / 1024 * 64 + 10
      WHEN lo / 2048 = hi / 2048 THEN hi / 2048 * 64 + 11
      WHEN lo / 4096 = hi / 4096 THEN hi / 4096 * 64 + 12
      WHEN lo / 8192 = hi / 8192 THEN hi / 8192 * 64 + 13
      WHEN lo / 16384 = hi / 16384 THEN hi / 16384 * 64 + 14
      WHEN lo / 32768 = hi / 32768 THEN hi / 32768 * 64 + 15
      WHEN lo / 65536 = hi / 65536 THEN hi / 65536 * 64 + 16
      WHEN lo / 131072 = hi / 131072 THEN hi / 131072 * 64 + 17
      WHEN lo / 262144 = hi / 262144 THEN hi / 262144 * 64 + 18
      WHEN lo / 524288 = hi / 524288 THEN hi / 524288 * 64 + 19
      WHEN lo / 1048576 = hi / 1048576 THEN hi / 1048576 * 64 + 20
      WHEN lo / 2097152 = hi / 2097152 THEN hi / 2097152 * 64 + 21
      WHEN lo / 4194304 = hi / 4194304 THEN hi / 4194304 * 64 + 22
      WHEN lo / 8388608 = hi / 8388608 THEN hi / 8388608 * 64 + 23
      WHEN lo / 16777216 = hi / 16777216 THEN hi / 16777216 * 64 + 24
      WHEN lo / 33554432 = hi / 33554432 THEN hi / 33554432 * 64 + 25
      WHEN lo / 67108864 = hi / 67108864 THEN hi / 67108864 * 64 + 26
      WHEN lo / 134217728 = hi / 134217728 THEN hi / 134217728 * 64 + 27
      WHEN lo / 268435456 = hi / 268435456 THEN hi / 268435456 * 64 + 28
      WHEN lo / 536870912 = hi / 536870912 THEN hi / 536870912 * 64 + 29
      WHEN lo / 1073741824 = hi / 1073741824 THEN hi / 1073741824 * 64 + 30
      WHEN lo / 2147483648 = hi / 2147483648 THEN hi / 2147483648 * 64 + 31
      WHEN lo / 4294967296 = hi / 4294967296 THEN hi / 4294967296 * 64 + 32
    END;
CREATE INDEX group_read_ranges_by_node_lo ON group_read_ranges (app_id, gid, node, lo);
CREATE INDEX group_read_ranges_by_node_hi ON group_read_ranges (app_id, gid, node, hi);

CREATE TABLE group_unread_gaps (
  app_id    INTEGER NOT NULL,
  gid       INTEGER NOT NULL,
  member_no INTEGER NOT NULL,
  lo        INTEGER NOT NULL,
  hi        INTEGER NOT NULL,
  node      INTEGER NOT NULL,
  PRIMARY KEY (app_id, gid, member_no, lo)
) WITHOUT ROWID;
CREATE INDEX group_unread_gaps_by_node_lo ON group_unread_gaps (app_id, gid, node, lo);
CREATE INDEX group_unread_gaps_by_node_hi ON group_unread_gaps (app_id, gid, node, hi);

-- Memberships written before this migration: the stretches between their stored ranges, and from
-- the last one (or the join) on.
INSERT INTO group_unread_gaps (app_id, gid, member_no, lo, hi, node)
SELECT app_id, gid, member_no, lo, hi,
    CASE WHEN lo = hi THEN hi * 64
      WHEN lo / 2 = hi / 2 THEN hi / 2 * 64 + 1
      WHEN lo / 4 = hi / 4 THEN hi / 4 * 64 + 2
      WHEN lo / 8 = hi / 8 THEN hi / 8 * 64 + 3
      WHEN lo / 16 = hi / 16 THEN hi / 16 * 64 + 4
      WHEN lo / 32 = hi / 32 THEN hi / 32 * 64 + 5
      WHEN lo / 64 = hi / 64 THEN hi / 64 * 64 + 6
      WHEN lo / 128 = hi / 128 THEN hi / 128 * 64 + 7
      WHEN lo / 256 = hi / 256 THEN hi / 256 * 64 + 8
      WHEN lo / 512 = hi / 512 THEN hi / 512 * 64 + 9
      WHEN lo / 1024 = hi / 1024 THEN hi / 1024 * 64 + 10
      WHEN lo / 2048 = hi / 2048 THEN hi / 2048 * 64 + 11
      WHEN lo / 4096 = hi / 4096 THEN hi / 4096 * 64 + 12
      WHEN lo / 8192 = hi / 8192 THEN hi / 8192 * 64 + 13
      WHEN lo / 16384 = hi / 16384 THEN hi / 16384 * 64 + 14
      WHEN lo / 32768 = hi / 32768 THEN hi / 32768 * 64 + 15
      WHEN lo / 65536 = hi / 65536 THEN hi / 65536 * 64 + 16
      WHEN lo / 131072 = hi / 131072 THEN hi / 131072 * 64 + 17
      WHEN lo / 262144 = hi / 262144 THEN hi / 262144 * 64 + 18
      WHEN lo / 524288 = hi / 524288 THEN hi / 524288 * 64 + 19
      WHEN lo / 1048576 = hi / 1048576 THEN hi / 1048576 * 64 + 20
      WHEN lo / 2097152 = hi / 2097152 THEN hi / 2097152 * 64 + 21
      WHEN lo / 4194304 = hi / 4194304 THEN hi / 4194304 * 64 + 22
      WHEN lo / 8388608 = hi / 8388608 THEN hi / 8388608 * 64 + 23
      WHEN lo / 16777216 = hi / 16777216 THEN hi / 16777216 * 64 + 24
      WHEN lo / 33554432 = hi / 33554432 THEN hi / 33554432 * 64 + 25
      WHEN lo / 67108864 = hi / 67108864 THEN hi / 67108864 * 64 + 26
      WHEN lo / 134217728 = hi / 134217728 THEN hi / 134217728 * 64 + 27
      WHEN lo / 268435456 = hi / 268435456 THEN hi / 268435456 * 64 + 28
      WHEN lo / 536870912 = hi / 536870912 THEN hi / 536870912 * 64 + 29
      WHEN lo / 1073741824 = hi / 1073741824 THEN hi / 1073741824 * 64 + 30
      WHEN lo / 2147483648 = hi / 2147483648 THEN hi / 2147483648 * 64 + 31
      WHEN lo / 4294967296 = hi / 4294967296 THEN hi / 4294967296 * 64 + 32
    END
FROM (
  SELECT r.app_id, r.gid, r.member_no,
         coalesce(lag(r.hi) OVER (PARTITION BY r.app_id, r.gid, r.member_no ORDER BY r.lo) + 1, m.join_seq + 1) AS lo,
         r.lo - 1 AS hi
  FROM group_read_ranges r
  JOIN group_members m ON m.app_id = r.app_id AND m.gid = r.gid AND m.member_no = r.member_no
  UNION ALL
  SELECT m.app_id, m.gid, m.member_no,
         coalesce((SELECT max(r.hi) FROM group_read_ranges r
                   WHERE r.app_id = m.app_id AND r.gid = m.gid AND r.member_no = m.member_no), m.join_seq) + 1,
         4294967295
  FROM group_members m
) AS gaps
WHERE lo <= hi;
