/**
 * Migration 0013 on a database written before it: every stored C2C message is in its recipient's
 * conversation list, and in its sender's unless it was hidden from them, at the newest message's
 * time; every message stays in both histories (recipient_sees), on each store.
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
      await old.migrate(() => true)
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
