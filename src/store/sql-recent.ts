/**
 * RecentStore for both engines, in the SQL both speak, run through the `SqlRunner` of
 * `sql-inspection.ts`. C2C entries are rows kept on write; group entries are the user's memberships
 * joined with each group's newest list-moving message, also kept on write (one primary-key lookup
 * per group), so neither get_list nor a send ever scans messages.
 */
import type { UserId } from '../domain/accounts/user-id.js'
import type { GroupId } from '../domain/groups/group-id.js'
import type { RecentEntry, RecentQuery, RecentStore } from './recent.js'
import type { Dialect, SqlRunner } from './sql-inspection.js'

interface EntryRow {
  kind: number
  id: string
  msg_time: number | string
  pinned: number
}

/** Every entry of `$2`'s list, C2C and group, in one relation. */
const ENTRIES = `
  SELECT 1 AS kind, peer_id AS id, msg_time, pinned FROM recent_c2c WHERE app_id = $1 AND owner_id = $2
  UNION ALL
  SELECT 2 AS kind, g.group_id AS id, t.msg_time, coalesce(mk.pinned, 0) AS pinned
  FROM group_members m
  JOIN groups g ON g.app_id = m.app_id AND g.gid = m.gid
  JOIN recent_group_times t ON t.app_id = m.app_id AND t.gid = m.gid
  LEFT JOIN recent_group_marks mk ON mk.app_id = m.app_id AND mk.owner_id = m.user_id AND mk.gid = m.gid
  WHERE m.app_id = $1 AND m.user_id = $2 AND t.last_seq > coalesce(mk.hidden_through_seq, 0)`

export class SqlRecent implements RecentStore {
  readonly #db: SqlRunner
  readonly #app: number
  readonly #d: Dialect

  constructor(runner: SqlRunner, sdkAppId: number, dialect: Dialect) {
    this.#db = runner
    this.#app = sdkAppId
    this.#d = dialect
  }

  async list(q: RecentQuery): Promise<RecentEntry[]> {
    const section = q.pinned === undefined ? '' : `AND e.pinned = ${q.pinned ? 1 : 0}`
    const rows = await this.#db.all<EntryRow>(
      `SELECT e.kind, e.id, e.msg_time, e.pinned FROM (${ENTRIES}) e
       WHERE e.msg_time >= $3 ${section}
       ORDER BY e.msg_time, e.id, e.kind LIMIT $4 OFFSET $5`,
      [this.#app, q.owner, q.fromTime, q.limit, q.skip],
    )
    return rows.map((r) => ({
      kind: r.kind === 1 ? 'c2c' : 'group',
      id: r.id,
      msgTime: Number(r.msg_time),
      pinned: r.pinned === 1,
    }))
  }

  async touchC2C(from: UserId, to: UserId, owners: readonly UserId[], msgTime: number): Promise<void> {
    const unique = [...new Set(owners)]
    if (unique.length === 0) return
    // One statement for both sides: one round trip on PostgreSQL. The rows never collide (their
    // owners differ), which an upsert of several rows requires.
    const rows = unique.map((_, i) => `($1, $${3 + 2 * i}, $${4 + 2 * i}, $2)`).join(', ')
    await this.#db.run(
      `INSERT INTO recent_c2c AS r (app_id, owner_id, peer_id, msg_time) VALUES ${rows}
       ON CONFLICT (app_id, owner_id, peer_id) DO UPDATE SET msg_time = excluded.msg_time
       WHERE r.msg_time < excluded.msg_time`,
      [this.#app, msgTime, ...unique.flatMap((owner) => [owner, owner === from ? to : from])],
    )
  }

  async touchGroup(groupId: GroupId, seq: number, msgTime: number): Promise<void> {
    await this.#db.run(
      `INSERT INTO recent_group_times AS t (app_id, gid, last_seq, msg_time) SELECT $1, gid, $3, $4 FROM groups
         WHERE app_id = $1 AND group_id = $2
       ON CONFLICT (app_id, gid) DO UPDATE SET last_seq = excluded.last_seq, msg_time = excluded.msg_time
       WHERE t.last_seq < excluded.last_seq`,
      [this.#app, groupId, seq, msgTime],
    )
  }

  async deleteC2C(owner: UserId, peer: UserId, clearHistory: boolean): Promise<void> {
    const t = this.#d.true
    await this.#db.run('DELETE FROM recent_c2c WHERE app_id = $1 AND owner_id = $2 AND peer_id = $3', [
      this.#app,
      owner,
      peer,
    ])
    // The conversation row first, locked where the engine locks (as markRead does), so no
    // concurrent read report or send counts against a stale read time.
    const conv = await this.#db.all<{ read_time: number | string }>(
      `SELECT read_time FROM c2c_conversations WHERE app_id = $1 AND owner_id = $2 AND peer_id = $3${this.#d.forUpdate}`,
      [this.#app, owner, peer],
    )
    if (conv[0] !== undefined) {
      // [U] The unread messages stop counting rather than the read time moving up to them: a read
      // time is inclusive (design.md decision 14), so moving it would also swallow a message that
      // arrives later in the same second, and the new conversation must start at 1 unread.
      const dropped = await this.#db.run(
        `UPDATE c2c_messages SET counted = NOT ${t}, uncounted = 'deleted'
         WHERE app_id = $1 AND to_id = $2 AND from_id = $3 AND ${this.#d.unread} AND msg_time > $4`,
        [this.#app, owner, peer, Number(conv[0].read_time)],
      )
      if (dropped > 0) {
        await this.#db.run(
          'UPDATE c2c_conversations SET unread = unread - $4 WHERE app_id = $1 AND owner_id = $2 AND peer_id = $3',
          [this.#app, owner, peer, dropped],
        )
        await this.#db.run(
          'UPDATE c2c_unread_totals SET unread = unread - $3 WHERE app_id = $1 AND user_id = $2',
          [this.#app, owner, dropped],
        )
      }
    }
    if (clearHistory) {
      const [lo, hi] = owner < peer ? [owner, peer] : [peer, owner]
      await this.#db.run(
        `UPDATE c2c_messages SET sender_sees = NOT ${t}
         WHERE app_id = $1 AND user_lo = $2 AND user_hi = $3 AND from_id = $4 AND sender_sees = ${t}`,
        [this.#app, lo, hi, owner],
      )
      await this.#db.run(
        `UPDATE c2c_messages SET recipient_sees = NOT ${t}
         WHERE app_id = $1 AND user_lo = $2 AND user_hi = $3 AND to_id = $4 AND recipient_sees = ${t}`,
        [this.#app, lo, hi, owner],
      )
    }
  }

  async deleteGroup(owner: UserId, groupId: GroupId): Promise<boolean> {
    const changed = await this.#db.run(
      `INSERT INTO recent_group_marks AS mk (app_id, owner_id, gid, hidden_through_seq)
       SELECT g.app_id, m.user_id, g.gid, coalesce(t.last_seq, 0) FROM groups g
       JOIN group_members m ON m.app_id = g.app_id AND m.gid = g.gid AND m.user_id = $3
       LEFT JOIN recent_group_times t ON t.app_id = g.app_id AND t.gid = g.gid
       WHERE g.app_id = $1 AND g.group_id = $2
       ON CONFLICT (app_id, owner_id, gid) DO UPDATE SET hidden_through_seq = excluded.hidden_through_seq,
         pinned = 0`,
      [this.#app, groupId, owner],
    )
    return changed > 0
  }

  async setPinned(owner: UserId, kind: RecentEntry['kind'], id: string, pinned: boolean): Promise<boolean> {
    const flag = pinned ? 1 : 0
    if (kind === 'c2c') {
      return (
        (await this.#db.run(
          'UPDATE recent_c2c SET pinned = $4 WHERE app_id = $1 AND owner_id = $2 AND peer_id = $3',
          [this.#app, owner, id, flag],
        )) > 0
      )
    }
    const changed = await this.#db.run(
      `INSERT INTO recent_group_marks AS mk (app_id, owner_id, gid, pinned)
       SELECT g.app_id, m.user_id, g.gid, $4 FROM groups g
       JOIN group_members m ON m.app_id = g.app_id AND m.gid = g.gid AND m.user_id = $3
       WHERE g.app_id = $1 AND g.group_id = $2
       ON CONFLICT (app_id, owner_id, gid) DO UPDATE SET pinned = excluded.pinned`,
      [this.#app, id, owner, flag],
    )
    return changed > 0
  }
}
