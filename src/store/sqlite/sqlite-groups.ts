/** GroupStore on SQLite: groups, memberships and messages (spec §6.2–§6.9). */
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
import { unreadFrom } from '../../domain/read-state/interval-nodes.js'
import {
  encodeCloudCustomData,
  GROUP_HISTORY_COLUMNS,
  toGroup,
  toStoredGroupMessage,
  type GroupHistoryRow,
} from '../rows/group-rows.js'
import { groupRow, memberRow } from './sqlite-group-rows.js'
import type { Statements } from './statements.js'

export class SqliteGroups implements GroupStore {
  readonly #s: Statements
  readonly #app: number

  constructor(statements: Statements, sdkAppId: number) {
    this.#s = statements
    this.#app = sdkAppId
  }

  async createGroup(group: NewGroup, members: readonly NewMember[]) {
    const existing = groupRow(this.#s, this.#app, group.groupId)
    if (existing !== undefined) {
      return { created: false as const, owner: (existing.owner_id ?? undefined) as UserId | undefined }
    }
    this.#s
      .get(
        `INSERT INTO groups (app_id, group_id, type, name, owner_id, max_members, created_time)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        this.#app,
        group.groupId,
        group.type,
        group.name,
        group.owner ?? null,
        group.maxMembers,
        group.createdTime,
      )
    await this.addMembers(group.groupId, members, group.createdTime)
    return { created: true as const }
  }

  async find(groupId: GroupId): Promise<Group | undefined> {
    const r = groupRow(this.#s, this.#app, groupId)
    return r && toGroup(r)
  }

  async destroy(groupId: GroupId): Promise<UserId[]> {
    const g = groupRow(this.#s, this.#app, groupId)
    if (g === undefined) return []
    const members = this.#s
      .get('SELECT user_id FROM group_members WHERE app_id = ? AND gid = ? ORDER BY member_no')
      .pluck()
      .all(this.#app, g.gid) as UserId[]
    for (const table of [
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

  async addMembers(groupId: GroupId, members: readonly NewMember[], joinTime: number): Promise<UserId[]> {
    const g = groupRow(this.#s, this.#app, groupId)
    if (g === undefined) return []
    const fresh = [...new Map(members.map((m) => [m.userId, m])).values()].filter(
      (m) => memberRow(this.#s, this.#app, g.gid, m.userId) === undefined,
    )
    if (fresh.length === 0) return []
    // Membership numbers are allocated atomically; they order pages and bound audiences.
    const { first } = this.#s
      .get(
        `UPDATE groups SET next_member_no = next_member_no + ?, member_count = member_count + ?
         WHERE app_id = ? AND gid = ? RETURNING next_member_no - ? AS first`,
      )
      .get(fresh.length, fresh.length, this.#app, g.gid, fresh.length) as { first: number }
    const insert = this.#s.get(
      `INSERT INTO group_members (app_id, gid, member_no, user_id, role, join_seq, join_time)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    const gap = this.#s.get(
      'INSERT INTO group_unread_gaps (app_id, gid, member_no, lo, hi, node) VALUES (?, ?, ?, ?, ?, ?)',
    )
    const unread = unreadFrom(g.last_seq)
    fresh.forEach((m, i) => {
      insert.run(this.#app, g.gid, first + i, m.userId, m.role, g.last_seq, joinTime)
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
    // The one place a MsgSeq is made: atomic, per group, from 1, no gaps or repeats (spec §6.6).
    const next = this.#s
      .get(
        `UPDATE groups SET last_seq = last_seq + 1 WHERE app_id = ? AND gid = ?
         RETURNING last_seq, next_member_no, member_count`,
      )
      .get(this.#app, g.gid) as { last_seq: number; next_member_no: number; member_count: number }
    const senderIsMember = memberRow(this.#s, this.#app, g.gid, m.sender) !== undefined
    const audience = m.receipt ? next.member_count - (senderIsMember ? 1 : 0) : 0
    this.#s
      .get(
        `INSERT INTO group_messages (app_id, gid, seq, sender, random, time, body, body_hash,
           cloud_custom_data, priority, online_only, receipt, member_bound, audience)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
      )
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

  async history(
    groupId: GroupId,
    q: { upTo: number; limit: number; withRecalled: boolean },
  ): Promise<{ messages: StoredGroupMessage[]; more: boolean }> {
    const g = groupRow(this.#s, this.#app, groupId)
    if (g === undefined) return { messages: [], more: false }
    const rows = this.#s
      .get(
        `SELECT ${GROUP_HISTORY_COLUMNS} FROM group_messages
         WHERE app_id = ? AND gid = ? AND seq <= ? AND online_only = 0 AND (? OR recalled = 0)
         ORDER BY seq DESC LIMIT ?`,
      )
      .all(this.#app, g.gid, q.upTo, q.withRecalled ? 1 : 0, q.limit + 1) as GroupHistoryRow[]
    return { messages: rows.slice(0, q.limit).map(toStoredGroupMessage), more: rows.length > q.limit }
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
      out.set(seq, done ? 'recalled' : 'not-found')
    }
    return out
  }

  async setUnread(groupId: GroupId, userId: UserId, unread: number): Promise<boolean> {
    const g = groupRow(this.#s, this.#app, groupId)
    if (g === undefined) return false
    return (
      this.#s
        .get(
          `UPDATE group_members SET unread = ?, unread_seq = ?
           WHERE app_id = ? AND gid = ? AND user_id = ?`,
        )
        .run(unread, g.last_seq, this.#app, g.gid, userId).changes > 0
    )
  }
}
