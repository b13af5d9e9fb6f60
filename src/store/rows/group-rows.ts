/**
 * Row shapes of `groups` and `group_messages` and their mapping to the domain, shared by both
 * engines, so what is stored and what is read back is decided once.
 */
import type { UserId } from '../../domain/accounts/user-id.js'
import type { GroupId } from '../../domain/groups/group-id.js'
import type { GroupType } from '../../domain/groups/group-types.js'
import type { Priority } from '../../domain/groups/limits.js'
import type { Group, ReceiptCounts, ReceiptPage, StoredGroupMessage } from '../groups.js'

export interface GroupRow {
  gid: number
  group_id: string
  type: string
  name: string
  owner_id: string | null
  max_members: number
  member_count: number
  last_seq: number
}

export const GROUP_COLUMNS = 'gid, group_id, type, name, owner_id, max_members, member_count, last_seq'

export function toGroup(r: GroupRow): Group {
  return {
    groupId: r.group_id as GroupId,
    type: r.type as GroupType,
    name: r.name,
    owner: (r.owner_id ?? undefined) as UserId | undefined,
    maxMembers: r.max_members,
    memberCount: r.member_count,
    lastSeq: r.last_seq,
  }
}

/**
 * CloudCustomData of a group message as stored: JSON text, as C2C messages keep theirs. A TEXT
 * column of PostgreSQL cannot hold U+0000 and SQLite's turns a lone surrogate into U+FFFD; the
 * JSON escapes of both survive either engine (migration 0014 brought SQLite's rows to this form).
 */
export const encodeCloudCustomData = (v: string | undefined): string | null =>
  v === undefined ? null : JSON.stringify(v)

export const decodeCloudCustomData = (stored: string | null): string | undefined =>
  stored === null ? undefined : (JSON.parse(stored) as string)

/** The columns `history` reads, with flags as each engine gives them. */
export interface GroupHistoryRow {
  seq: number
  sender: string
  random: number
  time: number
  body: string
  priority: string
  recalled: number | boolean
}

export const GROUP_HISTORY_COLUMNS = 'seq, sender, random, time, body, priority, recalled'

export const toStoredGroupMessage = (r: GroupHistoryRow): StoredGroupMessage => ({
  seq: r.seq,
  sender: r.sender as UserId,
  random: r.random,
  time: r.time,
  body: JSON.parse(r.body) as unknown,
  priority: r.priority as Priority,
  recalled: Boolean(r.recalled),
})

/** A receipt message's counts from its row: ReadNum + UnreadNum = |audience| (decision 8). */
export const toReceiptCounts = (r: { seq: number; read_count: number; audience: number }): ReceiptCounts => ({
  seq: r.seq,
  read: r.read_count,
  unread: r.audience - r.read_count,
})

/**
 * A detail page from up to `limit + 1` members in membership order: the one past the page only
 * says that another page follows, which continues after the page's last membership number.
 */
export function toReceiptPage(rows: readonly { no: number; user: UserId }[], limit: number): ReceiptPage {
  const page = rows.slice(0, limit)
  return {
    members: page.map((r) => r.user),
    next: rows.length > limit ? page[page.length - 1]!.no : undefined,
  }
}
