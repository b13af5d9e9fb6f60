/**
 * Migration 0012 on a database written before it: every membership gets the read seq and unread
 * count of spec part 2 §13.5 (joined, then moved by its own sends), counts set by
 * set_unread_msg_num become the read seq they stand for, and nothing else changes, on each store.
 */
import { describe, expect, it } from 'vitest'
import { openOldDatabase } from '../helpers/old-database.js'
import { STORES } from '../helpers/stores.js'

describe.each(STORES)('%s: migration 0012 on older data', (kind) => {
  it('derives read seqs and unread counters from messages, joins and stored unread counts', async () => {
    const old = await openOldDatabase(kind)
    try {
      await old.migrate((m) => m.version < 12)
      await old.sql(
        `INSERT INTO groups (app_id, group_id, type, name, owner_id, max_members, created_time, last_seq,
           next_member_no, member_count) VALUES (1, 'g', 'Public', 'g', NULL, 0, 1, 5, 6, 5)`,
      )
      const gid = Number((await old.sql(`SELECT gid FROM groups WHERE group_id = 'g'`))[0]!.gid)
      // seq, sender, online only, recalled
      const messages: [number, string, string, string][] = [
        [1, 'a', '0', '0'],
        [2, 'b', '0', '0'],
        [3, 'a', '1', '0'],
        [4, 'a', '0', '1'],
        [5, 'c', '0', '0'],
      ]
      for (const [seq, sender, onlineOnly, recalled] of messages) {
        await old.sql(
          `INSERT INTO group_messages (app_id, gid, seq, sender, random, time, body, body_hash, priority,
             online_only, receipt, recalled, member_bound, audience)
           VALUES (1, ?, ?, ?, ?, ?, '[]', 'h', 'Normal', ?, '0', ?, 6, 0)`,
          [gid, seq, sender, seq, 100 + seq, onlineOnly, recalled],
        )
      }
      // member, join seq, stored unread count, the seq it was set at
      const members: [string, number, number | null, number | null][] = [
        ['a', 0, null, null],
        ['b', 0, 1, 2],
        ['c', 1, null, null],
        ['d', 0, 0, 5],
        ['e', 0, 5, 5],
      ]
      for (const [i, [user, joinSeq, unread, unreadSeq]] of members.entries()) {
        await old.sql(
          `INSERT INTO group_members (app_id, gid, member_no, user_id, role, join_seq, join_time, unread, unread_seq)
           VALUES (1, ?, ?, ?, 'Member', ?, 1, ?, ?)`,
          [gid, i + 1, user, joinSeq, unread, unreadSeq],
        )
      }
      await old.migrate(() => true)

      const rows = await old.sql(
        `SELECT m.user_id, m.read_seq, m.unread_base + g.counted - m.counted_base AS unread, m.last_send_time
         FROM group_members m JOIN groups g ON g.app_id = m.app_id AND g.gid = m.gid ORDER BY m.member_no`,
      )
      expect(
        rows.map((r) => [r.user_id, Number(r.read_seq), Number(r.unread), Number(r.last_send_time)]),
      ).toEqual([
        ['a', 4, 1, 104], // its own sends moved it to 4; 5 is c's
        ['b', 0, 2, 102], // 1 unread as of seq 2: before seq 1 (its own 2 never counts); then 5
        ['c', 5, 0, 105],
        ['d', 5, 0, 0],
        ['e', 0, 3, 0], // 5 asked, 3 counting messages (1, 2, 5): capped
      ])
      const [g] = await old.sql(`SELECT counted, last_msg_time FROM groups`)
      expect([Number(g!.counted), Number(g!.last_msg_time)]).toEqual([3, 105])
      const counts = await old.sql('SELECT seq, counts FROM group_messages ORDER BY seq')
      expect(counts.map((r) => Number(r.counts))).toEqual([1, 1, 0, 1, 1])
    } finally {
      await old.close()
    }
  })
})
