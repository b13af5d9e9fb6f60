/**
 * Members' read positions on PostgreSQL (spec part 2 §13.5, migration 0012), as SQLite's
 * sqlite-member-state.ts: read seq and unread counter kept current on every send, recall and
 * placement. Every writer here runs after the group row is locked (a send's `last_seq` update, a
 * recall's or placement's `groupRow(…, true)`), so `counted` and the memberships move together.
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
import type { Queryable } from './pg-store.js'

/** Messages that count as unread for member `$3`: the rule of §13.5.3, as SQL on `x`. */
const COUNTS_FOR_MEMBER = `x.counts AND NOT x.recalled AND x.sender <> $3 AND (NOT x.targeted OR EXISTS (
  SELECT 1 FROM group_message_targets t WHERE t.app_id = x.app_id AND t.gid = x.gid AND t.seq = x.seq AND t.user_id = $3))`

export class PgMemberState {
  readonly #db: Queryable
  readonly #app: number

  constructor(db: Queryable, sdkAppId: number) {
    this.#db = db
    this.#app = sdkAppId
  }

  /** After message `seq` is stored: see SqliteMemberState.sent. */
  async sent(
    gid: number,
    m: { seq: number; counted: number; sender: UserId; time: number; keepSendTime: boolean },
    targets: readonly UserId[],
    counts: boolean,
  ): Promise<void> {
    await this.#db.query(
      `WITH t AS (
         INSERT INTO group_message_targets (app_id, gid, seq, user_id)
         SELECT $1, $2, $3, u FROM unnest($8::text[]) AS u),
       up AS (
         UPDATE group_members SET unread_base = unread_base + 1
         WHERE $9 AND app_id = $1 AND gid = $2 AND user_id = ANY($8::text[]) AND user_id <> $4)
       UPDATE group_members SET read_seq = $3, unread_base = 0, counted_base = $5,
         last_send_time = CASE WHEN $6 THEN $7 ELSE last_send_time END
       WHERE app_id = $1 AND gid = $2 AND user_id = $4`,
      [this.#app, gid, m.seq, m.sender, m.counted, m.keepSendTime, m.time, [...new Set(targets)], counts],
    )
  }

  /** After messages `seqs` are marked recalled: see SqliteMemberState.recalled. */
  async recalled(gid: number, seqs: readonly number[]): Promise<void> {
    for (const seq of seqs) {
      const { rows } = await this.#db.query<{ sender: string; counts: boolean; targeted: boolean }>(
        'SELECT sender, counts, targeted FROM group_messages WHERE app_id = $1 AND gid = $2 AND seq = $3',
        [this.#app, gid, seq],
      )
      const msg = rows[0]
      if (msg === undefined || !msg.counts) continue
      if (msg.targeted) {
        await this.#db.query(
          `UPDATE group_members SET unread_base = unread_base - 1
           WHERE app_id = $1 AND gid = $2 AND read_seq < $3 AND user_id <> $4 AND user_id IN (
             SELECT user_id FROM group_message_targets WHERE app_id = $1 AND gid = $2 AND seq = $3)`,
          [this.#app, gid, seq, msg.sender],
        )
        continue
      }
      // Its own statement first: it locks the group, so the next one's snapshot sees every send.
      await this.#db.query('UPDATE groups SET counted = counted - 1 WHERE app_id = $1 AND gid = $2', [
        this.#app,
        gid,
      ])
      await this.#db.query(
        `UPDATE group_members SET counted_base = counted_base - 1
         WHERE app_id = $1 AND gid = $2 AND (read_seq >= $3 OR user_id = $4)`,
        [this.#app, gid, seq, msg.sender],
      )
    }
  }

  /** See GroupStore.placeReadSeq; the group row is locked by the caller. */
  async place(
    g: { gid: number; last_seq: number; counted: number },
    userId: UserId,
    unread: number,
  ): Promise<number | undefined> {
    let readSeq = g.last_seq
    let placed = 0
    if (unread > 0) {
      const { rows } = await this.#db.query<{ seq: number }>(
        `SELECT seq FROM group_messages x WHERE x.app_id = $1 AND x.gid = $2 AND ${COUNTS_FOR_MEMBER}
         ORDER BY seq DESC LIMIT 1 OFFSET $4`,
        [this.#app, g.gid, userId, unread - 1],
      )
      if (rows[0] !== undefined) {
        readSeq = rows[0].seq - 1
        placed = unread
      } else {
        readSeq = 0
        const all = await this.#db.query<{ n: number }>(
          `SELECT count(*) AS n FROM group_messages x WHERE x.app_id = $1 AND x.gid = $2 AND ${COUNTS_FOR_MEMBER}`,
          [this.#app, g.gid, userId],
        )
        placed = all.rows[0]!.n
      }
    }
    const { rowCount } = await this.#db.query(
      `UPDATE group_members SET read_seq = $4, unread_base = $5, counted_base = $6
       WHERE app_id = $1 AND gid = $2 AND user_id = $3`,
      [this.#app, g.gid, userId, readSeq, placed, g.counted],
    )
    return (rowCount ?? 0) > 0 ? placed : undefined
  }

  async takeSendSlot(groupId: GroupId, second: number, cap: number): Promise<boolean> {
    // The row lock makes concurrent sends of one group take slots one after another; each
    // re-checks the condition on the row the previous one committed.
    const { rowCount } = await this.#db.query(
      `UPDATE groups SET send_count = CASE WHEN send_second = $3 THEN send_count + 1 ELSE 1 END,
         send_second = $3
       WHERE app_id = $1 AND group_id = $2 AND (send_second <> $3 OR send_count < $4)`,
      [this.#app, groupId, second, cap],
    )
    return (rowCount ?? 0) > 0
  }

  async markAllRead(groupId: GroupId): Promise<void> {
    await this.#db.query(
      `UPDATE group_members m SET read_seq = g.last_seq, unread_base = 0, counted_base = g.counted
       FROM groups g WHERE g.app_id = $1 AND g.group_id = $2 AND m.app_id = g.app_id AND m.gid = g.gid`,
      [this.#app, groupId],
    )
  }

  async list(groupId: GroupId, q: MemberQuery): Promise<MemberState[]> {
    const { rows } = await this.#db.query<MemberStateRow>(
      `SELECT ${MEMBER_STATE_COLUMNS} FROM groups g
       JOIN group_members m ON m.app_id = g.app_id AND m.gid = g.gid
       WHERE g.app_id = $1 AND g.group_id = $2
         AND ($3::text[] IS NULL OR m.user_id = ANY($3::text[]))
         AND ($4::text[] IS NULL OR m.role = ANY($4::text[]))
       ORDER BY m.member_no LIMIT $5 OFFSET $6`,
      [this.#app, groupId, q.userIds ?? null, q.roles ?? null, q.limit ?? null, q.offset],
    )
    return rows.map(toMemberState)
  }

  async joined(userId: UserId, q: JoinedQuery): Promise<{ total: number; groups: JoinedGroup[] }> {
    const where = `FROM group_members m JOIN groups g ON g.app_id = m.app_id AND g.gid = m.gid
      WHERE m.app_id = $1 AND m.user_id = $2 AND ($3::text IS NULL OR g.type = $3)
        AND ($4 OR g.type <> 'AVChatRoom') AND ($5 OR g.type <> 'Private' OR g.last_seq > 0)`
    const params = [this.#app, userId, q.type ?? null, q.withHuge, q.withInactive]
    const total = await this.#db.query<{ n: number }>(`SELECT count(*) AS n ${where}`, params)
    const { rows } = await this.#db.query<GroupRow & MemberStateRow>(
      `SELECT ${G_COLUMNS}, ${MEMBER_STATE_COLUMNS} ${where}
       ORDER BY m.join_time, g.group_id LIMIT $6 OFFSET $7`,
      [...params, q.limit ?? null, q.offset],
    )
    return {
      total: total.rows[0]!.n,
      groups: rows.map((r) => ({ group: toGroup(r), self: toMemberState(r) })),
    }
  }

  async ownedGroups(userId: UserId): Promise<Partial<Record<GroupType, number>>> {
    const { rows } = await this.#db.query<{ type: GroupType; n: number }>(
      'SELECT type, count(*) AS n FROM groups WHERE app_id = $1 AND owner_id = $2 GROUP BY type',
      [this.#app, userId],
    )
    return Object.fromEntries(rows.map((r) => [r.type, r.n]))
  }

  async groupIds(q: { type: GroupType | undefined; after: number; offset?: number; limit: number }) {
    const type = q.type ?? null
    const total = await this.#db.query<{ n: number }>(
      'SELECT count(*) AS n FROM groups WHERE app_id = $1 AND ($2::text IS NULL OR type = $2)',
      [this.#app, type],
    )
    const { rows } = await this.#db.query<{ gid: number; group_id: GroupId }>(
      `SELECT gid, group_id FROM groups WHERE app_id = $1 AND ($2::text IS NULL OR type = $2) AND gid > $3
       ORDER BY gid LIMIT $4 OFFSET $5`,
      [this.#app, type, q.after, q.limit + 1, q.offset ?? 0],
    )
    const page = rows.slice(0, q.limit)
    return {
      total: total.rows[0]!.n,
      groupIds: page.map((r) => r.group_id),
      next: rows.length > q.limit ? page[page.length - 1]!.gid : undefined,
    }
  }
}
