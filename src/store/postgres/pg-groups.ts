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
import type { GroupType } from '../../domain/groups/group-types.js'
import type {
  Group,
  GroupChange,
  GroupStore,
  JoinedQuery,
  MemberChange,
  MemberQuery,
  NewGroup,
  NewGroupMessage,
  NewMember,
  RecallOutcome,
} from '../groups.js'
import { encodeCloudCustomData, toGroup } from '../rows/group-rows.js'
import { findDuplicate, history } from './pg-group-history.js'
import { GID, groupRow } from './pg-group-rows.js'
import { PgGroupAdmin } from './pg-group-admin.js'
import { PgMemberState } from './pg-member-state.js'
import type { Queryable } from './pg-store.js'

export class PgGroups implements GroupStore {
  readonly #db: Queryable
  readonly #app: number
  readonly #state: PgMemberState
  readonly #admin: PgGroupAdmin

  constructor(db: Queryable, sdkAppId: number) {
    this.#db = db
    this.#app = sdkAppId
    this.#state = new PgMemberState(db, sdkAppId)
    this.#admin = new PgGroupAdmin(db, sdkAppId)
  }

  async createGroup(group: NewGroup, members: readonly NewMember[]) {
    // Of two instances creating one id at once, the second waits for the first and then does nothing.
    const { rowCount } = await this.#db.query(
      `INSERT INTO groups (app_id, group_id, type, name, owner_id, max_members, created_time,
         introduction, notification, face_url, apply_join_option, last_info_time)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $7) ON CONFLICT (app_id, group_id) DO NOTHING`,
      [
        this.#app,
        group.groupId,
        group.type,
        group.name,
        group.owner ?? null,
        group.maxMembers,
        group.createdTime,
        group.introduction ?? '',
        group.notification ?? '',
        group.faceUrl ?? '',
        group.applyJoinOption ?? 'NeedPermission',
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

  async lock(groupId: GroupId): Promise<Group | undefined> {
    const r = await groupRow(this.#db, this.#app, groupId, true)
    return r && toGroup(r)
  }

  async destroy(groupId: GroupId): Promise<UserId[]> {
    const g = await groupRow(this.#db, this.#app, groupId, true)
    if (g === undefined) return []
    // gids are never reused, so read ranges an acknowledgement in flight adds after this are unreachable.
    const { rows } = await this.#db.query<{ user_id: UserId }>(
      `WITH r AS (DELETE FROM group_read_ranges WHERE app_id = $1 AND gid = $2),
         tg AS (DELETE FROM group_message_targets WHERE app_id = $1 AND gid = $2),
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

  async addMembers(
    groupId: GroupId,
    members: readonly NewMember[],
    joinTime: number,
    max?: number,
  ): Promise<UserId[]> {
    const g = await groupRow(this.#db, this.#app, groupId, true)
    if (g === undefined) return []
    let unique = [...new Map(members.map((m) => [m.userId, m])).values()]
    if (max !== undefined) {
      // Under the group lock, so member_count is current: new members only, up to the room left.
      const known = await this.members(
        groupId,
        unique.map((m) => m.userId),
      )
      unique = unique.filter((m) => !known.has(m.userId)).slice(0, Math.max(0, max - g.member_count))
    }
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
         WHERE app_id = $1 AND gid = $2 RETURNING next_member_no - n.n AS first, last_seq, counted),
       ins AS (
         INSERT INTO group_members (app_id, gid, member_no, user_id, role, join_seq, join_time,
           read_seq, counted_base)
         SELECT $1, $2, g.first + row_number() OVER (ORDER BY fresh.ord) - 1, fresh.id, fresh.role, g.last_seq, $5,
           g.last_seq, g.counted
         FROM fresh, g RETURNING member_no, user_id),
       gap AS (
         INSERT INTO group_unread_gaps (app_id, gid, member_no, lo, hi, node)
         SELECT $1, $2, ins.member_no, $6, $7, $8 FROM ins)
       SELECT user_id FROM ins ORDER BY member_no`,
      // The group row is locked, so its last_seq is the join seq (and read seq, spec part 2
      // §13.5.3) of every membership added here.
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
    const targets = m.targets ?? []
    const counts = !m.onlineOnly && m.noUnread !== true
    // The one place a MsgSeq is made: atomic, per group, from 1, no gaps or repeats (spec §6.6).
    const next = await this.#db.query<{
      gid: number
      type: string
      last_seq: number
      next_member_no: number
      n: number
      counted: number
    }>(
      `UPDATE groups SET last_seq = last_seq + 1, counted = counted + $3,
         last_msg_time = CASE WHEN $4 THEN last_msg_time ELSE $5 END
       WHERE app_id = $1 AND group_id = $2
       RETURNING gid, type, last_seq, next_member_no, member_count AS n, counted`,
      [this.#app, groupId, counts && targets.length === 0 ? 1 : 0, m.onlineOnly, m.time],
    )
    const g = next.rows[0]
    if (g === undefined) throw new Error(`appendMessage: no group ${groupId}`)
    // A new statement under the group lock: the sender's membership is as current as member_count.
    await this.#db.query(
      `INSERT INTO group_messages (app_id, gid, seq, sender, random, time, body, body_hash,
         cloud_custom_data, priority, online_only, receipt, member_bound, audience, counts, targeted)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,
         CASE WHEN $12 THEN $14 - (SELECT count(*) FROM group_members
           WHERE app_id = $1 AND gid = $2 AND user_id = $4) ELSE 0 END, $15, $16`,
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
        counts,
        targets.length > 0,
      ],
    )
    const sent = { seq: g.last_seq, counted: g.counted, sender: m.sender, time: m.time }
    // LastSendMsgTime is not kept for AVChatRoom (spec part 2 §13.4).
    await this.#state.sent(g.gid, { ...sent, keepSendTime: g.type !== 'AVChatRoom' }, targets, counts)
    return { seq: g.last_seq }
  }

  async findDuplicate(
    groupId: GroupId,
    q: { sender: UserId; random: number; bodyHash: string; sinceTime: number },
  ): Promise<{ seq: number; time: number } | undefined> {
    return findDuplicate(this.#db, this.#app, groupId, q)
  }

  async history(groupId: GroupId, q: { upTo: number; limit: number; withRecalled: boolean }) {
    return history(this.#db, this.#app, groupId, q)
  }

  async recall(groupId: GroupId, seqs: readonly number[]): Promise<Map<number, RecallOutcome>> {
    const out = new Map<number, RecallOutcome>()
    const { rows } = await this.#db.query<{ gid: number; seq: number }>(
      `UPDATE group_messages SET recalled = true
       WHERE app_id = $1 AND gid = ${GID} AND seq = ANY($3::bigint[]) AND NOT online_only AND NOT recalled
       RETURNING gid, seq`,
      [this.#app, groupId, [...new Set(seqs)]],
    )
    if (rows.length > 0)
      await this.#state.recalled(
        rows[0]!.gid,
        rows.map((r) => r.seq).sort((a, b) => a - b),
      )
    const done = new Set(rows.map((r) => r.seq))
    for (const seq of seqs) out.set(seq, done.has(seq) ? 'recalled' : 'not-found')
    return out
  }

  async takeSendSlot(groupId: GroupId, second: number, cap: number): Promise<boolean> {
    return this.#state.takeSendSlot(groupId, second, cap)
  }

  async markAllRead(groupId: GroupId): Promise<void> {
    await this.#state.markAllRead(groupId)
  }

  async placeReadSeq(groupId: GroupId, userId: UserId, unread: number): Promise<number | undefined> {
    const g = await this.#db.query<{ gid: number; last_seq: number; counted: number }>(
      'SELECT gid, last_seq, counted FROM groups WHERE app_id = $1 AND group_id = $2 FOR UPDATE',
      [this.#app, groupId],
    )
    return g.rows[0] === undefined ? undefined : this.#state.place(g.rows[0], userId, unread)
  }

  async memberStates(groupId: GroupId, q: MemberQuery) {
    return this.#state.list(groupId, q)
  }

  async joinedGroups(userId: UserId, q: JoinedQuery) {
    return this.#state.joined(userId, q)
  }

  async ownedGroups(userId: UserId) {
    return this.#state.ownedGroups(userId)
  }

  async groupIds(q: { type: GroupType | undefined; after: number; offset?: number; limit: number }) {
    return this.#state.groupIds(q)
  }

  async updateGroup(groupId: GroupId, change: GroupChange, time: number) {
    return this.#admin.updateGroup(groupId, change, time)
  }

  async updateMember(groupId: GroupId, userId: UserId, change: MemberChange) {
    return this.#admin.updateMember(groupId, userId, change)
  }

  async changeOwner(groupId: GroupId, userId: UserId, time: number) {
    return this.#admin.changeOwner(groupId, userId, time)
  }

  async seqsBySender(groupId: GroupId, sender: UserId, window: number) {
    return this.#admin.seqsBySender(groupId, sender, window)
  }
}
