/**
 * Migration 0007 on a database written before it: every stored read range gets the interval node
 * the store computes (interval-nodes.ts), and every membership gets exactly the unread stretches
 * its ranges leave, from its join on, on each store.
 */
import { describe, expect, it } from 'vitest'
import { MAX_SEQ, nodeOf } from '../../src/domain/read-state/interval-nodes.js'
import { openOldDatabase } from '../helpers/old-database.js'
import { STORES } from '../helpers/stores.js'

describe.each(STORES)('%s: migration 0007 on older data', (kind) => {
  it('files old ranges under their nodes and derives every unread stretch', async () => {
    const old = await openOldDatabase(kind)
    try {
      await old.migrate((m) => m.version < 7)
      await old.sql(
        `INSERT INTO groups (app_id, group_id, type, name, owner_id, max_members, created_time, last_seq,
           next_member_no, member_count) VALUES (1, 'g', 'Public', 'g', NULL, 0, 1, 12, 4, 3)`,
      )
      const gid = Number((await old.sql(`SELECT gid FROM groups WHERE group_id = 'g'`))[0]!.gid)
      const members: [number, number, [number, number][]][] = [
        [
          1,
          0,
          [
            [2, 4],
            [7, 7],
          ],
        ],
        [2, 3, []],
        [3, 0, [[1, 10]]],
      ]
      for (const [no, joinSeq, ranges] of members) {
        await old.sql(
          `INSERT INTO group_members (app_id, gid, member_no, user_id, role, join_seq, join_time)
           VALUES (1, ?, ?, ?, 'Member', ?, 1)`,
          [gid, no, `u${no}`, joinSeq],
        )
        for (const [lo, hi] of ranges) {
          await old.sql(
            'INSERT INTO group_read_ranges (app_id, gid, member_no, lo, hi) VALUES (1, ?, ?, ?, ?)',
            [gid, no, lo, hi],
          )
        }
      }
      await old.migrate(() => true)

      const rows = async (table: string) =>
        (await old.sql(`SELECT member_no, lo, hi, node FROM ${table} ORDER BY member_no, lo`)).map((r) => [
          Number(r.member_no),
          Number(r.lo),
          Number(r.hi),
          Number(r.node),
        ])
      const filed = (no: number, lo: number, hi: number) => [no, lo, hi, nodeOf(lo, hi)]
      expect(await rows('group_read_ranges')).toEqual([filed(1, 2, 4), filed(1, 7, 7), filed(3, 1, 10)])
      expect(await rows('group_unread_gaps')).toEqual([
        filed(1, 1, 1),
        filed(1, 5, 6),
        filed(1, 8, MAX_SEQ),
        filed(2, 4, MAX_SEQ),
        filed(3, 11, MAX_SEQ),
      ])
    } finally {
      await old.close()
    }
  })
})
