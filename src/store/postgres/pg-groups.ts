/**
 * GroupStore on PostgreSQL: groups, memberships and messages (spec §6.2–§6.9), for several
 * instances writing at once. A send takes the next MsgSeq with `UPDATE … SET last_seq = last_seq
 * + 1 … RETURNING`, which locks the group row until commit, so MsgSeq is gapless per group and
 * sends of one group commit in seq order. Membership changes take the same lock first (see
 * `groupRow`), so each message's audience and each membership's join seq agree exactly.
 */
import { unreadFrom } from '../../domain/read-state/interval-nodes.js'
import type { UserId } from '../../domain/accounts/user-id.js'
import type { GroupId } from '../../domain/groups/group-id.js'
import type {
  Group,
  GroupStore,
  NewGroup,
  NewGroupMessage,
  NewMember,
  RecallOutcome,
  StoredGroupMessage,
} from '../groups.js'
import {
  encodeCloudCustomData,
  GROUP_HISTORY_COLUMNS,
  toGroup,
  toStoredGroupMessage,
  type GroupHistoryRow,
} from '../rows/group-rows.js'
import { GID, groupRow } from './pg-group-rows.js'
import type { Queryable } from './pg-store.js'

export class PgGroups implements GroupStore {
  readonly #db: Queryable
  readonly #app: number

  constructor(db: Queryable, sdkAppId: number) {
    this.#db = db
    this.#app = sdkAppId
  }

  async createGroup(group: NewGroup, members: readonly NewMember[]) {
    // Of two instances creating one id at once, the second waits for the first and then does nothing.
    const { rowCount } = await this.#db.query(
      `INSERT INTO groups (app_id, group_id, type, name, owner_id, max_members, created_time)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (app_id, group_id) DO NOTHING`,
      [
        this.#app,
        group.groupId,
        group.type,
        group.name,
        group.owner ?? null,
        group.maxMembers,
        group.createdTime,
      ],
    )
    if (rowCount === 0) {
      const existing = await groupRow(this.#db, this.#app, group.groupId)
      return { created: false as const, owner: (existing?.owner_id ?? undefined) as UserId | undefined }
    }
    await this.addMembers(group.groupId, members, group.createdTime)
    return { created: true as const }
  }

  async find(groupId: GroupId): Promise<Group | undefined> {
    const r = await groupRow(this.#db, this.#app, groupId)
    return r && toGroup(r)
  }

  async destroy(groupId: GroupId): Promise<UserId[]> {
    const g = await groupRow(this.#db, this.#app, groupId, true)
    if (g === undefined) return []
    // gids are never reused, so read ranges an acknowledgement in flight adds after this are unreachable.
    const { rows } = await this.#db.query<{ user_id: UserId }>(
      `WITH r AS (DELETE FROM group_read_ranges WHERE app_id = $1 AND gid = $2),
         ug AS (DELETE FROM group_unread_gaps WHERE app_id = $1 AND gid = $2),
         msg AS (DELETE FROM group_messages WHERE app_id = $1 AND gid = $2),
         g AS (DELETE FROM groups WHERE app_id = $1 AND gid = $2),
         m AS (DELETE FROM group_members WHERE app_id = $1 AND gid = $2 RETURNING member_no, user_id)
       SELECT user_id FROM m ORDER BY member_no`,
      [this.#app, g.gid],
    )
    return rows.map((r) => r.user_id)
  }

  async members(groupId: GroupId, userIds: readonly UserId[]): Promise<Set<UserId>> {
    if (userIds.length === 0) return new Set()
    const { rows } = await this.#db.query<{ user_id: UserId }>(
      `SELECT user_id FROM group_members WHERE app_id = $1 AND gid = ${GID} AND user_id = ANY($3::text[])`,
      [this.#app, groupId, userIds],
    )
    return new Set(rows.map((r) => r.user_id))
  }

  async addMembers(groupId: GroupId, members: readonly NewMember[], joinTime: number): Promise<UserId[]> {
    const g = await groupRow(this.#db, this.#app, groupId, true)
    if (g === undefined) return []
    const unique = [...new Map(members.map((m) => [m.userId, m])).values()]
    if (unique.length === 0) return []
    // Membership numbers are allocated under the group lock; they order pages and bound audiences.
    const unread = unreadFrom(g.last_seq)
    const { rows } = await this.#db.query<{ user_id: UserId }>(
      `WITH fresh AS (
         SELECT u.id, u.role, u.ord FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS u(id, role, ord)
         WHERE NOT EXISTS (SELECT 1 FROM group_members m WHERE m.app_id = $1 AND m.gid = $2 AND m.user_id = u.id)),
       n AS (SELECT count(*) AS n FROM fresh),
       g AS (
         UPDATE groups SET next_member_no = next_member_no + n.n, member_count = member_count + n.n FROM n
         WHERE app_id = $1 AND gid = $2 RETURNING next_member_no - n.n AS first, last_seq),
       ins AS (
         INSERT INTO group_members (app_id, gid, member_no, user_id, role, join_seq, join_time)
         SELECT $1, $2, g.first + row_number() OVER (ORDER BY fresh.ord) - 1, fresh.id, fresh.role, g.last_seq, $5
         FROM fresh, g RETURNING member_no, user_id),
       gap AS (
         INSERT INTO group_unread_gaps (app_id, gid, member_no, lo, hi, node)
         SELECT $1, $2, ins.member_no, $6, $7, $8 FROM ins)
       SELECT user_id FROM ins ORDER BY member_no`,
      // The group row is locked, so its last_seq is the join seq of every membership added here.
      [
        this.#app,
        g.gid,
        unique.map((m) => m.userId),
        unique.map((m) => m.role),
        joinTime,
        unread.lo,
        unread.hi,
        unread.node,
      ],
    )
    return rows.map((r) => r.user_id)
  }

  async removeMembers(groupId: GroupId, userIds: readonly UserId[]): Promise<UserId[]> {
    const ids = [...new Set(userIds)]
    if (ids.length === 0) return []
    // Locks the group (sends in flight commit first) and the leaving memberships (acknowledgements
    // in flight commit their ranges first); the next statement's snapshot then sees all of them.
    const locked = await this.#db.query<{ gid: number }>(
      `SELECT g.gid FROM groups g JOIN group_members m ON m.app_id = g.app_id AND m.gid = g.gid
       WHERE g.app_id = $1 AND g.group_id = $2 AND m.user_id = ANY($3::text[]) FOR UPDATE`,
      [this.#app, groupId, ids],
    )
    if (locked.rows.length === 0) return []
    // Decision 8: a member who leaves drops out of every audience it was in, with its reads. One
    // UPDATE moves both counters, as a row may be changed only once per statement.
    const { rows } = await this.#db.query<{ user_id: UserId }>(
      `WITH gone AS (
         DELETE FROM group_members WHERE app_id = $1 AND gid = $2 AND user_id = ANY($3::text[])
         RETURNING member_no, user_id, join_seq),
       rr AS (
         DELETE FROM group_read_ranges r USING gone
         WHERE r.app_id = $1 AND r.gid = $2 AND r.member_no = gone.member_no RETURNING r.lo, r.hi, gone.user_id),
       ug AS (
         DELETE FROM group_unread_gaps u USING gone
         WHERE u.app_id = $1 AND u.gid = $2 AND u.member_no = gone.member_no),
       aud AS (
         SELECT m.seq, count(*) AS n FROM group_messages m JOIN gone ON m.seq > gone.join_seq AND m.sender <> gone.user_id
         WHERE m.app_id = $1 AND m.gid = $2 AND m.receipt GROUP BY m.seq),
       rd AS (
         SELECT m.seq, count(*) AS n FROM group_messages m
         JOIN rr ON m.seq BETWEEN rr.lo AND rr.hi AND m.sender <> rr.user_id
         WHERE m.app_id = $1 AND m.gid = $2 AND m.receipt GROUP BY m.seq),
       msg AS (
         UPDATE group_messages m SET audience = m.audience - aud.n, read_count = m.read_count - coalesce(rd.n, 0)
         FROM aud LEFT JOIN rd ON rd.seq = aud.seq
         WHERE m.app_id = $1 AND m.gid = $2 AND m.seq = aud.seq),
       g AS (
         UPDATE groups SET member_count = member_count - (SELECT count(*) FROM gone) WHERE app_id = $1 AND gid = $2)
       SELECT user_id FROM gone`,
      [this.#app, locked.rows[0]!.gid, ids],
    )
    const gone = new Set(rows.map((r) => r.user_id))
    return ids.filter((id) => gone.has(id))
  }

  async appendMessage(groupId: GroupId, m: NewGroupMessage): Promise<{ seq: number }> {
    // The one place a MsgSeq is made: atomic, per group, from 1, no gaps or repeats (spec §6.6).
    const next = await this.#db.query<{ gid: number; last_seq: number; next_member_no: number; n: number }>(
      `UPDATE groups SET last_seq = last_seq + 1 WHERE app_id = $1 AND group_id = $2
       RETURNING gid, last_seq, next_member_no, member_count AS n`,
      [this.#app, groupId],
    )
    const g = next.rows[0]
    if (g === undefined) throw new Error(`appendMessage: no group ${groupId}`)
    // A new statement under the group lock: the sender's membership is as current as member_count.
    await this.#db.query(
      `INSERT INTO group_messages (app_id, gid, seq, sender, random, time, body, body_hash,
         cloud_custom_data, priority, online_only, receipt, member_bound, audience)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,
         CASE WHEN $12 THEN $14 - (SELECT count(*) FROM group_members
           WHERE app_id = $1 AND gid = $2 AND user_id = $4) ELSE 0 END`,
      [
        this.#app,
        g.gid,
        g.last_seq,
        m.sender,
        m.random,
        m.time,
        JSON.stringify(m.body),
        m.bodyHash,
        encodeCloudCustomData(m.cloudCustomData),
        m.priority,
        m.onlineOnly,
        m.receipt,
        g.next_member_no,
        g.n,
      ],
    )
    return { seq: g.last_seq }
  }

  async findDuplicate(
    groupId: GroupId,
    q: { sender: UserId; random: number; bodyHash: string; sinceTime: number },
  ): Promise<{ seq: number; time: number } | undefined> {
    const { rows } = await this.#db.query<{ seq: number; time: number }>(
      `SELECT seq, time FROM group_messages WHERE app_id = $1 AND gid = ${GID} AND random = $3
         AND sender = $4 AND body_hash = $5 AND time >= $6 ORDER BY seq DESC LIMIT 1`,
      [this.#app, groupId, q.random, q.sender, q.bodyHash, q.sinceTime],
    )
    return rows[0]
  }

  async history(
    groupId: GroupId,
    q: { upTo: number; limit: number; withRecalled: boolean },
  ): Promise<{ messages: StoredGroupMessage[]; more: boolean }> {
    const { rows } = await this.#db.query<GroupHistoryRow>(
      `SELECT ${GROUP_HISTORY_COLUMNS} FROM group_messages
       WHERE app_id = $1 AND gid = ${GID} AND seq <= $3 AND NOT online_only AND ($4 OR NOT recalled)
       ORDER BY seq DESC LIMIT $5`,
      [this.#app, groupId, q.upTo, q.withRecalled, q.limit + 1],
    )
    return { messages: rows.slice(0, q.limit).map(toStoredGroupMessage), more: rows.length > q.limit }
  }

  async recall(groupId: GroupId, seqs: readonly number[]): Promise<Map<number, RecallOutcome>> {
    const out = new Map<number, RecallOutcome>()
    const { rows } = await this.#db.query<{ seq: number }>(
      `UPDATE group_messages SET recalled = true
       WHERE app_id = $1 AND gid = ${GID} AND seq = ANY($3::bigint[]) AND NOT online_only AND NOT recalled
       RETURNING seq`,
      [this.#app, groupId, [...new Set(seqs)]],
    )
    const done = new Set(rows.map((r) => r.seq))
    for (const seq of seqs) out.set(seq, done.has(seq) ? 'recalled' : 'not-found')
    return out
  }

  async setUnread(groupId: GroupId, userId: UserId, unread: number): Promise<boolean> {
    const { rowCount } = await this.#db.query(
      `UPDATE group_members m SET unread = $4, unread_seq = g.last_seq FROM groups g
       WHERE g.app_id = $1 AND g.group_id = $2 AND m.app_id = g.app_id AND m.gid = g.gid AND m.user_id = $3`,
      [this.#app, groupId, userId, unread],
    )
    return (rowCount ?? 0) > 0
  }
}
