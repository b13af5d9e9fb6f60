/** Row shapes of `groups` and `group_members` and their mapping to the domain, shared by both engines. */
import type { UserId } from '../../domain/accounts/user-id.js'
import type { GroupId } from '../../domain/groups/group-id.js'
import type { GroupType } from '../../domain/groups/group-types.js'
import type { Group, MemberRole, MemberState, MsgFlag } from '../groups.js'

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
