/**
 * MaintenanceStore for both engines: the writes of a repair after a recount (issue 16 §1), in the
 * SQL both engines speak. Each takes the locks a concurrent writer takes, in the same order, or
 * compares and sets, so a repair never loses a change made while it ran.
 */
import type { UserId } from '../domain/accounts/user-id.js'
import type { GroupId } from '../domain/groups/group-id.js'
import type { MaintenanceStore } from './inspection.js'
import { GID, recountConversation, type Dialect, type SqlRunner } from './sql-inspection.js'

export class SqlMaintenance implements MaintenanceStore {
  readonly #sql: SqlRunner
  readonly #app: number
  readonly #d: Dialect

  constructor(sql: SqlRunner, sdkAppId: number, dialect: Dialect) {
    this.#sql = sql
    this.#app = sdkAppId
    this.#d = dialect
  }

  async repairConversation(owner: UserId, peer: UserId): Promise<{ before: number; after: number }> {
    // The row lock first, then the recount in a statement of its own: it sees every message whose
    // writer held the lock before us, and later writers add to the value we set (as markRead does).
    const [conv] = await this.#sql.all<{ unread: number }>(
      `SELECT unread FROM c2c_conversations WHERE app_id = $1 AND owner_id = $2 AND peer_id = $3${this.#d.forUpdate}`,
      [this.#app, owner, peer],
    )
    if (conv === undefined) return { before: 0, after: 0 }
    const before = Number(conv.unread)
    const after = await recountConversation(this.#sql, this.#d, this.#app, owner, peer)
    if (after !== before) {
      await this.#sql.run(
        'UPDATE c2c_conversations SET unread = $4 WHERE app_id = $1 AND owner_id = $2 AND peer_id = $3',
        [this.#app, owner, peer, after],
      )
      await this.#sql.run(
        `INSERT INTO c2c_unread_totals (app_id, user_id, unread) VALUES ($1, $2, $3)
         ON CONFLICT (app_id, user_id) DO UPDATE SET unread = c2c_unread_totals.unread + excluded.unread`,
        [this.#app, owner, after - before],
      )
    }
    return { before, after }
  }

  async repairTotal(user: UserId): Promise<{ before: number; after: number }> {
    // Writers lock a conversation, then the total: locking every conversation of the user first
    // keeps the same order, and the sum below then includes every committed change.
    await this.#sql.all(
      `SELECT peer_id FROM c2c_conversations WHERE app_id = $1 AND owner_id = $2${this.#d.forUpdate}`,
      [this.#app, user],
    )
    const [r] = await this.#sql.all<{ stored: number; sum: number }>(
      `SELECT coalesce((SELECT unread FROM c2c_unread_totals WHERE app_id = $1 AND user_id = $2), 0) AS stored,
         CAST(coalesce((SELECT sum(unread) FROM c2c_conversations WHERE app_id = $1 AND owner_id = $2), 0) AS BIGINT) AS sum`,
      [this.#app, user],
    )
    const before = Number(r!.stored)
    const after = Number(r!.sum)
    if (after !== before) {
      await this.#sql.run(
        `INSERT INTO c2c_unread_totals (app_id, user_id, unread) VALUES ($1, $2, $3)
         ON CONFLICT (app_id, user_id) DO UPDATE SET unread = excluded.unread`,
        [this.#app, user, after],
      )
    }
    return { before, after }
  }

  async repairGroupCounters(
    groupId: GroupId,
    fix: Parameters<MaintenanceStore['repairGroupCounters']>[1],
  ): Promise<boolean> {
    if (fix.memberCount !== undefined) {
      const changed = await this.#sql.run(
        'UPDATE groups SET member_count = $3 WHERE app_id = $1 AND group_id = $2 AND member_count = $4',
        [this.#app, groupId, fix.memberCount.value, fix.memberCount.expected],
      )
      if (changed === 0) return false
    }
    for (const m of fix.messages) {
      // Compare-and-set: a receipt or a membership change since the recount read them wins.
      const changed = await this.#sql.run(
        `UPDATE group_messages SET audience = $4, read_count = $5
         WHERE app_id = $1 AND gid = ${GID} AND seq = $3 AND audience = $6 AND read_count = $7`,
        [this.#app, groupId, m.seq, m.audience, m.readCount, m.expected.audience, m.expected.readCount],
      )
      if (changed === 0) return false
    }
    return true
  }
}
