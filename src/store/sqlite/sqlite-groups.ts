/** GroupStore on SQLite: groups, memberships and messages (spec §6.2–§6.9). */
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
import { unreadFrom } from '../../domain/read-state/interval-nodes.js'
import { encodeCloudCustomData, toGroup } from '../rows/group-rows.js'
import { history } from './sqlite-group-history.js'
import { groupRow, memberRow } from './sqlite-group-rows.js'
import { SqliteGroupAdmin } from './sqlite-group-admin.js'
import { SqliteMemberState } from './sqlite-member-state.js'
import type { Statements } from './statements.js'

export class SqliteGroups implements GroupStore {
  readonly #s: Statements
  readonly #app: number
  readonly #state: SqliteMemberState
  readonly #admin: SqliteGroupAdmin

  constructor(statements: Statements, sdkAppId: number) {
    this.#s = statements
    this.#app = sdkAppId
    this.#state = new SqliteMemberState(statements, sdkAppId)
    this.#admin = new SqliteGroupAdmin(statements, sdkAppId)
  }

  async createGroup(group: NewGroup, members: readonly NewMember[]) {
    const existing = groupRow(this.#s, this.#app, group.groupId)
    if (existing !== undefined) {
      return { created: false as const, owner: (existing.owner_id ?? undefined) as UserId | undefined }
    }
    this.#s
      .get(
        `INSERT INTO groups (app_id, group_id, type, name, owner_id, max_members, created_time,
           introduction, notification, face_url, apply_join_option, last_info_time)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
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
        group.createdTime,
      )
    await this.addMembers(group.groupId, members, group.createdTime)
    return { created: true as const }
  }

  async find(groupId: GroupId): Promise<Group | undefined> {
    const r = groupRow(this.#s, this.#app, groupId)
    return r && toGroup(r)
  }

  /** Write transactions already run one at a time (the group commit): reading is locking. */
  lock(groupId: GroupId): Promise<Group | undefined> {
    return this.find(groupId)
  }

  async destroy(groupId: GroupId): Promise<UserId[]> {
    const g = groupRow(this.#s, this.#app, groupId)
    if (g === undefined) return []
    const members = this.#s
      .get('SELECT user_id FROM group_members WHERE app_id = ? AND gid = ? ORDER BY member_no')
      .pluck()
      .all(this.#app, g.gid) as UserId[]
    for (const table of [
      'group_message_targets',
      'group_read_ranges',
      'group_unread_gaps',
      'group_messages',
      'group_members',
      'groups',
    ]) {
      this.#s.get(`DELETE FROM ${table} WHERE app_id = ? AND gid = ?`).run(this.#app, g.gid)
    }
    return members
  }

  async members(groupId: GroupId, userIds: readonly UserId[]): Promise<Set<UserId>> {
    const g = groupRow(this.#s, this.#app, groupId)
    const found = new Set<UserId>()
    if (g === undefined) return found
    for (const id of userIds) if (memberRow(this.#s, this.#app, g.gid, id) !== undefined) found.add(id)
    return found
  }

  async addMembers(
    groupId: GroupId,
    members: readonly NewMember[],
    joinTime: number,
    max?: number,
  ): Promise<UserId[]> {
    const g = groupRow(this.#s, this.#app, groupId)
    if (g === undefined) return []
    const fresh = [...new Map(members.map((m) => [m.userId, m])).values()]
      .filter((m) => memberRow(this.#s, this.#app, g.gid, m.userId) === undefined)
      .slice(0, max === undefined ? undefined : Math.max(0, max - g.member_count))
    if (fresh.length === 0) return []
    // Membership numbers are allocated atomically; they order pages and bound audiences.
    const { first, counted } = this.#s
      .get(
        `UPDATE groups SET next_member_no = next_member_no + ?, member_count = member_count + ?
         WHERE app_id = ? AND gid = ? RETURNING next_member_no - ? AS first, counted`,
      )
      .get(fresh.length, fresh.length, this.#app, g.gid, fresh.length) as { first: number; counted: number }
    // Joining starts at the newest message: nothing before it is unread (spec part 2 §13.5.3).
    const insert = this.#s.get(
      `INSERT INTO group_members (app_id, gid, member_no, user_id, role, join_seq, join_time,
         read_seq, counted_base)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    const gap = this.#s.get(
      'INSERT INTO group_unread_gaps (app_id, gid, member_no, lo, hi, node) VALUES (?, ?, ?, ?, ?, ?)',
    )
    const unread = unreadFrom(g.last_seq)
    fresh.forEach((m, i) => {
      insert.run(this.#app, g.gid, first + i, m.userId, m.role, g.last_seq, joinTime, g.last_seq, counted)
      gap.run(this.#app, g.gid, first + i, unread.lo, unread.hi, unread.node)
    })
    return fresh.map((m) => m.userId)
  }

  async removeMembers(groupId: GroupId, userIds: readonly UserId[]): Promise<UserId[]> {
    const g = groupRow(this.#s, this.#app, groupId)
    if (g === undefined) return []
    const removed: UserId[] = []
    for (const userId of new Set(userIds)) {
      const m = memberRow(this.#s, this.#app, g.gid, userId)
      if (m === undefined) continue
      // Decision 8: a member who leaves drops out of every audience it was in, with its reads.
      this.#s
        .get(
          `UPDATE group_messages SET audience = audience - 1
           WHERE app_id = ? AND gid = ? AND seq > ? AND receipt = 1 AND sender <> ?`,
        )
        .run(this.#app, g.gid, m.join_seq, userId)
      const ranges = this.#s
        .get('SELECT lo, hi FROM group_read_ranges WHERE app_id = ? AND gid = ? AND member_no = ?')
        .all(this.#app, g.gid, m.member_no) as { lo: number; hi: number }[]
      const unread = this.#s.get(
        `UPDATE group_messages SET read_count = read_count - 1
         WHERE app_id = ? AND gid = ? AND seq BETWEEN ? AND ? AND receipt = 1 AND sender <> ?`,
      )
      for (const r of ranges) unread.run(this.#app, g.gid, r.lo, r.hi, userId)
      for (const table of ['group_read_ranges', 'group_unread_gaps']) {
        this.#s
          .get(`DELETE FROM ${table} WHERE app_id = ? AND gid = ? AND member_no = ?`)
          .run(this.#app, g.gid, m.member_no)
      }
      this.#s
        .get('DELETE FROM group_members WHERE app_id = ? AND gid = ? AND member_no = ?')
        .run(this.#app, g.gid, m.member_no)
      removed.push(userId)
    }
    if (removed.length > 0) {
      this.#s
        .get('UPDATE groups SET member_count = member_count - ? WHERE app_id = ? AND gid = ?')
        .run(removed.length, this.#app, g.gid)
    }
    return removed
  }

  async appendMessage(groupId: GroupId, m: NewGroupMessage): Promise<{ seq: number }> {
    const g = groupRow(this.#s, this.#app, groupId)
    if (g === undefined) throw new Error(`appendMessage: no group ${groupId}`)
    const targets = m.targets ?? []
    const counts = !m.onlineOnly && m.noUnread !== true
    // The one place a MsgSeq is made: atomic, per group, from 1, no gaps or repeats (spec §6.6).
    const next = this.#s
      .get(
        `UPDATE groups SET last_seq = last_seq + 1, counted = counted + ?,
           last_msg_time = CASE WHEN ? THEN last_msg_time ELSE ? END
         WHERE app_id = ? AND gid = ?
         RETURNING last_seq, next_member_no, member_count, counted`,
      )
      .get(counts && targets.length === 0 ? 1 : 0, m.onlineOnly ? 1 : 0, m.time, this.#app, g.gid) as {
      last_seq: number
      next_member_no: number
      member_count: number
      counted: number
    }
    const senderIsMember = memberRow(this.#s, this.#app, g.gid, m.sender) !== undefined
    const audience = m.receipt ? next.member_count - (senderIsMember ? 1 : 0) : 0
    this.#s
      .get(
        `INSERT INTO group_messages (app_id, gid, seq, sender, random, time, body, body_hash,
           cloud_custom_data, priority, online_only, receipt, member_bound, audience, counts, targeted)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        this.#app,
        g.gid,
        next.last_seq,
        m.sender,
        m.random,
        m.time,
        JSON.stringify(m.body),
        m.bodyHash,
        encodeCloudCustomData(m.cloudCustomData),
        m.priority,
        m.onlineOnly ? 1 : 0,
        m.receipt ? 1 : 0,
        next.next_member_no,
        audience,
        counts ? 1 : 0,
        targets.length > 0 ? 1 : 0,
      )
    const sent = { seq: next.last_seq, counted: next.counted, sender: m.sender, time: m.time }
    // LastSendMsgTime is not kept for AVChatRoom (spec part 2 §13.4).
    this.#state.sent(g.gid, { ...sent, keepSendTime: g.type !== 'AVChatRoom' }, targets, counts)
    return { seq: next.last_seq }
  }

  async findDuplicate(
    groupId: GroupId,
    q: { sender: UserId; random: number; bodyHash: string; sinceTime: number },
  ): Promise<{ seq: number; time: number } | undefined> {
    const g = groupRow(this.#s, this.#app, groupId)
    if (g === undefined) return undefined
    // No ORDER BY: with one, SQLite walks the primary key of the whole group backwards instead of
    // using the (random, seq) index; the few rows sharing a Random are compared here.
    const rows = this.#s
      .get(
        `SELECT seq, time FROM group_messages WHERE app_id = ? AND gid = ? AND random = ?
           AND sender = ? AND body_hash = ? AND time >= ?`,
      )
      .all(this.#app, g.gid, q.random, q.sender, q.bodyHash, q.sinceTime) as { seq: number; time: number }[]
    return rows.reduce<{ seq: number; time: number } | undefined>(
      (a, r) => (a && a.seq > r.seq ? a : r),
      undefined,
    )
  }

  async history(groupId: GroupId, q: { upTo: number; limit: number; withRecalled: boolean }) {
    return history(this.#s, this.#app, groupId, q)
  }

  async recall(groupId: GroupId, seqs: readonly number[]): Promise<Map<number, RecallOutcome>> {
    const g = groupRow(this.#s, this.#app, groupId)
    const out = new Map<number, RecallOutcome>()
    const mark = this.#s.get(
      `UPDATE group_messages SET recalled = 1
       WHERE app_id = ? AND gid = ? AND seq = ? AND online_only = 0 AND recalled = 0`,
    )
    for (const seq of seqs) {
      if (out.has(seq)) continue
      const done = g !== undefined && mark.run(this.#app, g.gid, seq).changes > 0
      if (done) this.#state.recalled(g.gid, seq)
      out.set(seq, done ? 'recalled' : 'not-found')
    }
    return out
  }

  async takeSendSlot(groupId: GroupId, second: number, cap: number): Promise<boolean> {
    return this.#state.takeSendSlot(groupId, second, cap)
  }

  async markAllRead(groupId: GroupId): Promise<void> {
    this.#state.markAllRead(groupId)
  }

  async placeReadSeq(groupId: GroupId, userId: UserId, unread: number): Promise<number | undefined> {
    const g = groupRow(this.#s, this.#app, groupId)
    return g === undefined ? undefined : this.#state.place(g.gid, userId, unread)
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
