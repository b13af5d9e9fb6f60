/**
 * Migration 0013 on a database written before it: every stored C2C message is in its recipient's
 * conversation list, and in its sender's unless it was hidden from them, at the newest message's
 * time; every message stays in both histories (recipient_sees); each group's list time is its
 * newest stored message that was not online only; on each store.
 */
import { describe, expect, it } from 'vitest'
import { openOldDatabase } from '../helpers/old-database.js'
import { STORES } from '../helpers/stores.js'

describe.each(STORES)('%s: migration 0013 on older data', (kind) => {
  it('fills the conversation lists from the stored messages', async () => {
    const old = await openOldDatabase(kind)
    try {
      await old.migrate((m) => m.version < 13)
      const flag = (b: boolean) => (kind === 'postgres' ? b : b ? 1 : 0)
      const messages: [string, string, number, boolean][] = [
        ['a', 'b', 10, true],
        ['b', 'a', 20, true],
        ['a', 'b', 15, true],
        ['a', 'c', 5, false],
      ]
      for (const [i, [from, to, time, senderSees]] of messages.entries()) {
        const [lo, hi] = from < to ? [from, to] : [to, from]
        await old.sql(
          `INSERT INTO c2c_messages (app_id, user_lo, user_hi, from_id, to_id, msg_seq, msg_random, msg_time,
             msg_key, body, cloud_custom_data, need_receipt, counted, sender_sees)
           VALUES (1, ?, ?, ?, ?, ?, 1, ?, ?, '[]', '""', ?, ?, ?)`,
          [lo, hi, from, to, i, time, `${i}_1_${time}`, flag(false), flag(true), flag(senderSees)],
        )
      }
      // A group whose newest message was online only: its list time is the message before.
      await old.sql(
        `INSERT INTO groups (app_id, group_id, type, name, owner_id, max_members, created_time, last_seq,
           next_member_no, member_count) VALUES (1, 'g', 'Public', 'g', NULL, 0, 1, 2, 1, 0)`,
      )
      const gid = Number((await old.sql(`SELECT gid FROM groups WHERE group_id = 'g'`))[0]!.gid)
      for (const [seq, time, onlineOnly] of [
        [1, 30, false],
        [2, 40, true],
      ] as const) {
        await old.sql(
          `INSERT INTO group_messages (app_id, gid, seq, sender, random, time, body, body_hash, priority,
             online_only, receipt, member_bound, audience) VALUES (1, ?, ?, 'a', 1, ?, '[]', 'h', 'Normal', ?, ?, 1, 0)`,
          [gid, seq, time, flag(onlineOnly), flag(false)],
        )
      }
      await old.migrate(() => true)
      const groups = await old.sql('SELECT gid, last_seq, msg_time FROM recent_group_times WHERE app_id = 1')
      expect(groups.map((r) => [Number(r.gid), Number(r.last_seq), Number(r.msg_time)])).toEqual([
        [gid, 1, 30],
      ])
      const rows = await old.sql(
        'SELECT owner_id, peer_id, msg_time, pinned FROM recent_c2c WHERE app_id = 1 ORDER BY owner_id, peer_id',
      )
      expect(rows.map((r) => [r.owner_id, r.peer_id, Number(r.msg_time), Number(r.pinned)])).toEqual([
        ['a', 'b', 20, 0],
        ['b', 'a', 20, 0],
        ['c', 'a', 5, 0],
      ])
      const visible = await old.sql('SELECT count(*) AS n FROM c2c_messages WHERE recipient_sees = ?', [
        flag(true),
      ])
      expect(Number(visible[0]!.n)).toBe(4)
    } finally {
      await old.close()
    }
  })
})
