/**
 * Row shapes of `groups`, `group_members` and `group_messages` and their mapping to the domain,
 * shared by both engines, so what is stored and what is read back is decided once.
 */
import type { UserId } from '../../domain/accounts/user-id.js'
import type { GroupId } from '../../domain/groups/group-id.js'
import type { GroupType } from '../../domain/groups/group-types.js'
import type { Priority } from '../../domain/groups/limits.js'
import type {
  Group,
  MemberRole,
  MemberState,
  MsgFlag,
  ReceiptCounts,
  ReceiptPage,
  StoredGroupMessage,
} from '../groups.js'

export interface GroupRow {
  gid: number
  group_id: string
  type: string
  name: string
  owner_id: string | null
  max_members: number
  member_count: number
  last_seq: number
  created_time: number
  last_msg_time: number
  introduction: string
  notification: string
  face_url: string
  apply_join_option: string
  /** 0/1 on SQLite, a boolean on PostgreSQL. */
  mute_all_member: number | boolean
  info_seq: number
  last_info_time: number
}

const GROUP_COLUMN_NAMES = [
  'gid',
  'group_id',
  'type',
  'name',
  'owner_id',
  'max_members',
  'member_count',
  'last_seq',
  'created_time',
  'last_msg_time',
  'introduction',
  'notification',
  'face_url',
  'apply_join_option',
  'mute_all_member',
  'info_seq',
  'last_info_time',
]
export const GROUP_COLUMNS = GROUP_COLUMN_NAMES.join(', ')
/** The same columns of `groups` aliased `g`, for joins with `group_members`. */
export const G_COLUMNS = GROUP_COLUMN_NAMES.map((c) => `g.${c}`).join(', ')

export function toGroup(r: GroupRow): Group {
  return {
    groupId: r.group_id as GroupId,
    type: r.type as GroupType,
    name: r.name,
    owner: (r.owner_id ?? undefined) as UserId | undefined,
    maxMembers: r.max_members,
    memberCount: r.member_count,
    lastSeq: r.last_seq,
    createdTime: r.created_time,
    lastMsgTime: r.last_msg_time,
    introduction: r.introduction,
    notification: r.notification,
    faceUrl: r.face_url,
    applyJoinOption: r.apply_join_option,
    muteAllMember: Boolean(r.mute_all_member),
    infoSeq: r.info_seq,
    lastInfoTime: r.last_info_time,
  }
}

export interface MemberStateRow {
  member_no: number
  user_id: string
  role: string
  join_time: number
  read_seq: number
  unread: number
  msg_flag: string
  last_send_time: number
  name_card: string
  mute_until: number
}

/**
 * A membership's read state, `m` joined with its group `g`: unread is O(1) from the counters of
 * migration 0012 (unread = unread_base + counted - counted_base).
 */
export const MEMBER_STATE_COLUMNS = `m.member_no, m.user_id, m.role, m.join_time, m.read_seq,
  m.unread_base + g.counted - m.counted_base AS unread, m.msg_flag, m.last_send_time, m.name_card, m.mute_until`

export function toMemberState(r: MemberStateRow): MemberState {
  return {
    userId: r.user_id as UserId,
    role: r.role as MemberRole,
    joinTime: Number(r.join_time),
    readSeq: Number(r.read_seq),
    unread: Math.max(0, Number(r.unread)),
    msgFlag: r.msg_flag as MsgFlag,
    lastSendTime: Number(r.last_send_time),
    nameCard: r.name_card,
    muteUntil: Number(r.mute_until),
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
