/**
 * The group admin writes on PostgreSQL (spec part 2 §15), as sqlite-group-admin.ts. An owner change
 * locks the group row first, so two of them at once end with one owner.
 */
import type { UserId } from '../../domain/accounts/user-id.js'
import type { GroupId } from '../../domain/groups/group-id.js'
import type { GroupChange, MemberChange } from '../groups.js'
import { groupSets, memberSets } from '../rows/group-changes.js'
import { GID, groupRow } from './pg-group-rows.js'
import type { Queryable } from './pg-store.js'

export class PgGroupAdmin {
  readonly #db: Queryable
  readonly #app: number

  constructor(db: Queryable, sdkAppId: number) {
    this.#db = db
    this.#app = sdkAppId
  }

  async updateGroup(groupId: GroupId, change: GroupChange, time: number): Promise<void> {
    const [cols, values] = groupSets(change)
    const set = cols.map((c, i) => `${c} = $${i + 4}, `).join('')
    await this.#db.query(
      `UPDATE groups SET ${set}info_seq = info_seq + 1, last_info_time = $3 WHERE app_id = $1 AND group_id = $2`,
      [this.#app, groupId, time, ...values],
    )
  }

  async updateMember(groupId: GroupId, userId: UserId, change: MemberChange): Promise<boolean> {
    const [cols, values] = memberSets(change)
    const set = cols.length === 0 ? 'role = role' : cols.map((c, i) => `${c} = $${i + 4}`).join(', ')
    const { rowCount } = await this.#db.query(
      `UPDATE group_members SET ${set} WHERE app_id = $1 AND gid = ${GID} AND user_id = $3`,
      [this.#app, groupId, userId, ...values],
    )
    return (rowCount ?? 0) > 0
  }

  async changeOwner(groupId: GroupId, userId: UserId, time: number): Promise<boolean> {
    const g = await groupRow(this.#db, this.#app, groupId, true)
    if (g === undefined) return false
    const { rowCount } = await this.#db.query(
      `UPDATE group_members SET role = 'Owner' WHERE app_id = $1 AND gid = $2 AND user_id = $3`,
      [this.#app, g.gid, userId],
    )
    if ((rowCount ?? 0) === 0) return false
    await this.#db.query(
      `WITH demoted AS (
         UPDATE group_members SET role = 'Member'
         WHERE app_id = $1 AND gid = $2 AND role = 'Owner' AND user_id <> $3)
       UPDATE groups SET owner_id = $3, info_seq = info_seq + 1, last_info_time = $4
       WHERE app_id = $1 AND gid = $2`,
      [this.#app, g.gid, userId, time],
    )
    return true
  }

  async seqsBySender(groupId: GroupId, sender: UserId, window: number): Promise<number[]> {
    const { rows } = await this.#db.query<{ seq: number }>(
      `SELECT x.seq FROM groups g JOIN group_messages x ON x.app_id = g.app_id AND x.gid = g.gid
       WHERE g.app_id = $1 AND g.group_id = $2 AND x.seq > g.last_seq - $3 AND x.sender = $4
         AND NOT x.online_only AND NOT x.recalled
       ORDER BY x.seq`,
      [this.#app, groupId, window, sender],
    )
    return rows.map((r) => r.seq)
  }
}
