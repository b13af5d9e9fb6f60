/** The group admin writes on SQLite (spec part 2 §15): profile, member fields, owner, a sender's messages. */
import type { UserId } from '../../domain/accounts/user-id.js'
import type { GroupId } from '../../domain/groups/group-id.js'
import type { GroupChange, MemberChange } from '../groups.js'
import { groupSets, memberSets } from '../rows/group-changes.js'
import type { Statements } from './statements.js'

/** better-sqlite3 binds no booleans. */
const bindable = (v: unknown) => (typeof v === 'boolean' ? (v ? 1 : 0) : v)

export class SqliteGroupAdmin {
  readonly #s: Statements
  readonly #app: number

  constructor(statements: Statements, sdkAppId: number) {
    this.#s = statements
    this.#app = sdkAppId
  }

  updateGroup(groupId: GroupId, change: GroupChange, time: number): void {
    const [cols, values] = groupSets(change)
    const set = cols.map((c) => `${c} = ?, `).join('')
    this.#s
      .get(
        `UPDATE groups SET ${set}info_seq = info_seq + 1, last_info_time = ? WHERE app_id = ? AND group_id = ?`,
      )
      .run(...values.map(bindable), time, this.#app, groupId)
  }

  updateMember(groupId: GroupId, userId: UserId, change: MemberChange): boolean {
    const [cols, values] = memberSets(change)
    if (cols.length === 0) return this.#isMember(groupId, userId)
    return (
      this.#s
        .get(
          `UPDATE group_members SET ${cols.map((c) => `${c} = ?`).join(', ')}
           WHERE app_id = ? AND user_id = ? AND gid = (SELECT gid FROM groups WHERE app_id = ? AND group_id = ?)`,
        )
        .run(...values.map(bindable), this.#app, userId, this.#app, groupId).changes > 0
    )
  }

  changeOwner(groupId: GroupId, userId: UserId, time: number): boolean {
    if (!this.#isMember(groupId, userId)) return false
    const gid = `(SELECT gid FROM groups WHERE app_id = ? AND group_id = ?)`
    this.#s
      .get(
        `UPDATE group_members SET role = CASE WHEN user_id = ? THEN 'Owner' ELSE 'Member' END
         WHERE app_id = ? AND gid = ${gid} AND (user_id = ? OR role = 'Owner')`,
      )
      .run(userId, this.#app, this.#app, groupId, userId)
    this.#s
      .get(
        `UPDATE groups SET owner_id = ?, info_seq = info_seq + 1, last_info_time = ?
         WHERE app_id = ? AND group_id = ?`,
      )
      .run(userId, time, this.#app, groupId)
    return true
  }

  seqsBySender(groupId: GroupId, sender: UserId, window: number): number[] {
    return this.#s
      .get(
        `SELECT x.seq FROM groups g JOIN group_messages x ON x.app_id = g.app_id AND x.gid = g.gid
         WHERE g.app_id = ? AND g.group_id = ? AND x.seq > g.last_seq - ? AND x.sender = ?
           AND x.online_only = 0 AND x.recalled = 0
         ORDER BY x.seq`,
      )
      .pluck()
      .all(this.#app, groupId, window, sender) as number[]
  }

  #isMember(groupId: GroupId, userId: UserId): boolean {
    return (
      this.#s
        .get(
          `SELECT 1 FROM groups g JOIN group_members m ON m.app_id = g.app_id AND m.gid = g.gid
           WHERE g.app_id = ? AND g.group_id = ? AND m.user_id = ?`,
        )
        .get(this.#app, groupId, userId) !== undefined
    )
  }
}
