/**
 * Members' read positions on SQLite (spec part 2 §13.5, migration 0012): a membership's read seq
 * and its unread counter, kept current on every send, recall and placement, so reading them is
 * O(1) per member; and the member and group listings of the group read APIs (§14).
 */
import type { UserId } from '../../domain/accounts/user-id.js'
import type { GroupId } from '../../domain/groups/group-id.js'
import type { GroupType } from '../../domain/groups/group-types.js'
import type { JoinedGroup, JoinedQuery, MemberQuery, MemberState } from '../groups.js'
import {
  G_COLUMNS,
  MEMBER_STATE_COLUMNS,
  toGroup,
  toMemberState,
  type GroupRow,
  type MemberStateRow,
} from '../rows/group-rows.js'
import type { Statements } from './statements.js'

/** Messages that count as unread for member `?` (bound twice): the rule of §13.5.3, as SQL on `x`. */
const COUNTS_FOR_MEMBER = `x.counts = 1 AND x.recalled = 0 AND x.sender <> ? AND (x.targeted = 0 OR EXISTS (
  SELECT 1 FROM group_message_targets t WHERE t.app_id = x.app_id AND t.gid = x.gid AND t.seq = x.seq AND t.user_id = ?))`

export class SqliteMemberState {
  readonly #s: Statements
  readonly #app: number

  constructor(statements: Statements, sdkAppId: number) {
    this.#s = statements
    this.#app = sdkAppId
  }

  /**
   * After message `seq` is stored: the sender has read up to it, and a targeted message that counts
   * is unread for its targets (a broadcast one is in the group's `counted` already).
   */
  sent(
    gid: number,
    m: { seq: number; counted: number; sender: UserId; time: number; keepSendTime: boolean },
    targets: readonly UserId[],
    counts: boolean,
  ): void {
    this.#s
      .get(
        `UPDATE group_members SET read_seq = ?, unread_base = 0, counted_base = ?,
           last_send_time = CASE WHEN ? THEN ? ELSE last_send_time END
         WHERE app_id = ? AND gid = ? AND user_id = ?`,
      )
      .run(m.seq, m.counted, m.keepSendTime ? 1 : 0, m.time, this.#app, gid, m.sender)
    const target = this.#s.get(
      'INSERT INTO group_message_targets (app_id, gid, seq, user_id) VALUES (?, ?, ?, ?)',
    )
    const unread = this.#s.get(
      `UPDATE group_members SET unread_base = unread_base + 1
       WHERE app_id = ? AND gid = ? AND user_id = ? AND user_id <> ?`,
    )
    for (const u of new Set(targets)) {
      target.run(this.#app, gid, m.seq, u)
      if (counts) unread.run(this.#app, gid, u, m.sender)
    }
  }

  /** After message `seq` is marked recalled: whoever had it unread has one fewer. */
  recalled(gid: number, seq: number): void {
    const msg = this.#s
      .get('SELECT sender, counts, targeted FROM group_messages WHERE app_id = ? AND gid = ? AND seq = ?')
      .get(this.#app, gid, seq) as { sender: string; counts: number; targeted: number }
    if (msg.counts === 0) return
    if (msg.targeted === 1) {
      this.#s
        .get(
          `UPDATE group_members SET unread_base = unread_base - 1
           WHERE app_id = ? AND gid = ? AND read_seq < ? AND user_id <> ? AND user_id IN (
             SELECT user_id FROM group_message_targets WHERE app_id = ? AND gid = ? AND seq = ?)`,
        )
        .run(this.#app, gid, seq, msg.sender, this.#app, gid, seq)
      return
    }
    // The group's count drops for everyone; those who had not counted it (they had read it, or
    // sent it) get the one back.
    this.#s.get('UPDATE groups SET counted = counted - 1 WHERE app_id = ? AND gid = ?').run(this.#app, gid)
    this.#s
      .get(
        `UPDATE group_members SET counted_base = counted_base - 1
         WHERE app_id = ? AND gid = ? AND (read_seq >= ? OR user_id = ?)`,
      )
      .run(this.#app, gid, seq, msg.sender)
  }

  place(gid: number, userId: UserId, unread: number): number | undefined {
    const g = this.#s
      .get('SELECT last_seq, counted FROM groups WHERE app_id = ? AND gid = ?')
      .get(this.#app, gid) as { last_seq: number; counted: number }
    let readSeq = g.last_seq
    let placed = 0
    if (unread > 0) {
      const nth = this.#s
        .get(
          `SELECT seq FROM group_messages x WHERE x.app_id = ? AND x.gid = ? AND ${COUNTS_FOR_MEMBER}
           ORDER BY seq DESC LIMIT 1 OFFSET ?`,
        )
        .pluck()
        .get(this.#app, gid, userId, userId, unread - 1) as number | undefined
      if (nth !== undefined) {
        readSeq = nth - 1
        placed = unread
      } else {
        // Fewer counting messages than asked: all of them (both docs cap it, §13.5.3).
        readSeq = 0
        placed = this.#s
          .get(
            `SELECT count(*) FROM group_messages x WHERE x.app_id = ? AND x.gid = ? AND ${COUNTS_FOR_MEMBER}`,
          )
          .pluck()
          .get(this.#app, gid, userId, userId) as number
      }
    }
    const changed = this.#s
      .get(
        `UPDATE group_members SET read_seq = ?, unread_base = ?, counted_base = ?
         WHERE app_id = ? AND gid = ? AND user_id = ?`,
      )
      .run(readSeq, placed, g.counted, this.#app, gid, userId).changes
    return changed > 0 ? placed : undefined
  }

  takeSendSlot(groupId: GroupId, second: number, cap: number): boolean {
    return (
      this.#s
        .get(
          `UPDATE groups SET send_count = CASE WHEN send_second = ? THEN send_count + 1 ELSE 1 END,
             send_second = ?
           WHERE app_id = ? AND group_id = ? AND (send_second <> ? OR send_count < ?)`,
        )
        .run(second, second, this.#app, groupId, second, cap).changes > 0
    )
  }

  markAllRead(groupId: GroupId): void {
    this.#s
      .get(
        `UPDATE group_members SET read_seq = g.last_seq, unread_base = 0, counted_base = g.counted
         FROM (SELECT gid, last_seq, counted FROM groups WHERE app_id = ? AND group_id = ?) AS g
         WHERE group_members.app_id = ? AND group_members.gid = g.gid`,
      )
      .run(this.#app, groupId, this.#app)
  }

  list(groupId: GroupId, q: MemberQuery): MemberState[] {
    const rows = this.#s
      .get(
        `SELECT ${MEMBER_STATE_COLUMNS} FROM groups g
         JOIN group_members m ON m.app_id = g.app_id AND m.gid = g.gid
         WHERE g.app_id = ? AND g.group_id = ?
           AND (? IS NULL OR m.user_id IN (SELECT value FROM json_each(?)))
           AND (? IS NULL OR m.role IN (SELECT value FROM json_each(?)))
         ORDER BY m.member_no LIMIT ? OFFSET ?`,
      )
      .all(
        this.#app,
        groupId,
        ...twice(q.userIds === undefined ? null : JSON.stringify(q.userIds)),
        ...twice(q.roles === undefined ? null : JSON.stringify(q.roles)),
        q.limit ?? -1,
        q.offset,
      ) as MemberStateRow[]
    return rows.map(toMemberState)
  }

  joined(userId: UserId, q: JoinedQuery): { total: number; groups: JoinedGroup[] } {
    const where = `FROM group_members m JOIN groups g ON g.app_id = m.app_id AND g.gid = m.gid
      WHERE m.app_id = ? AND m.user_id = ? AND (? IS NULL OR g.type = ?)
        AND (? OR g.type <> 'AVChatRoom') AND (? OR g.type <> 'Private' OR g.last_seq > 0)`
    const params = [this.#app, userId, ...twice(q.type ?? null), q.withHuge ? 1 : 0, q.withInactive ? 1 : 0]
    const total = this.#s
      .get(`SELECT count(*) ${where}`)
      .pluck()
      .get(...params) as number
    const rows = this.#s
      .get(
        `SELECT ${G_COLUMNS}, ${MEMBER_STATE_COLUMNS} ${where}
         ORDER BY m.join_time, g.group_id LIMIT ? OFFSET ?`,
      )
      .all(...params, q.limit ?? -1, q.offset) as (GroupRow & MemberStateRow)[]
    return { total, groups: rows.map((r) => ({ group: toGroup(r), self: toMemberState(r) })) }
  }

  ownedGroups(userId: UserId): Partial<Record<GroupType, number>> {
    const rows = this.#s
      .get('SELECT type, count(*) AS n FROM groups WHERE app_id = ? AND owner_id = ? GROUP BY type')
      .all(this.#app, userId) as { type: GroupType; n: number }[]
    return Object.fromEntries(rows.map((r) => [r.type, r.n]))
  }

  groupIds(q: { type: GroupType | undefined; after: number; offset?: number; limit: number }) {
    const total = this.#s
      .get('SELECT count(*) FROM groups WHERE app_id = ? AND (? IS NULL OR type = ?)')
      .pluck()
      .get(this.#app, ...twice(q.type ?? null)) as number
    const rows = this.#s
      .get(
        `SELECT gid, group_id FROM groups WHERE app_id = ? AND (? IS NULL OR type = ?) AND gid > ?
         ORDER BY gid LIMIT ? OFFSET ?`,
      )
      .all(this.#app, ...twice(q.type ?? null), q.after, q.limit + 1, q.offset ?? 0) as {
      gid: number
      group_id: GroupId
    }[]
    const page = rows.slice(0, q.limit)
    return {
      total,
      groupIds: page.map((r) => r.group_id),
      next: rows.length > q.limit ? page[page.length - 1]!.gid : undefined,
    }
  }
}

const twice = <T>(v: T): [T, T] => [v, v]
