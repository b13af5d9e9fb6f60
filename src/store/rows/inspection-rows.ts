/**
 * Row shapes of the inspection reads and their mapping to `store/inspection.ts`, shared by both
 * engines: counters may come back as strings or numbers, flags as 0/1 or booleans.
 */
import type { UserId } from '../../domain/accounts/user-id.js'
import type { Priority } from '../../domain/groups/limits.js'
import type { Account, ConversationView, GroupMemberView, GroupMessageView } from '../inspection.js'
import { decodeCloudCustomData } from './group-rows.js'

type Flag = number | boolean

export interface AccountRow {
  user_id: UserId
  nick: string | null
  face_url: string | null
  created_time: number
}

export const toAccount = (r: AccountRow): Account => ({
  userId: r.user_id,
  nick: r.nick ?? undefined,
  faceUrl: r.face_url ?? undefined,
  createdTime: Number(r.created_time),
})

export interface ConversationRow {
  peer: UserId
  read_time: number
  unread: number
  peer_read_time: number
}

export const toConversation = (r: ConversationRow): ConversationView => ({
  peer: r.peer,
  readTime: Number(r.read_time),
  unread: Number(r.unread),
  peerReadTime: Number(r.peer_read_time),
})

export interface MemberViewRow {
  member_no: number
  user_id: UserId
  role: string
  join_time: number
  join_seq: number
  read_seq: number
  unread: number
}

export const toMember = (r: MemberViewRow): GroupMemberView => ({
  memberNo: Number(r.member_no),
  userId: r.user_id,
  role: r.role,
  joinTime: Number(r.join_time),
  joinSeq: Number(r.join_seq),
  readSeq: Number(r.read_seq),
  unread: Math.max(0, Number(r.unread)),
})

export const GROUP_MESSAGE_COLUMNS =
  'seq, sender, random, time, body, priority, cloud_custom_data, online_only, recalled, receipt, audience, read_count'

export interface GroupMessageRow {
  seq: number
  sender: UserId
  random: number
  time: number
  body: string
  priority: Priority
  cloud_custom_data: string | null
  online_only: Flag
  recalled: Flag
  receipt: Flag
  audience: number
  read_count: number
}

export const toGroupMessage = (r: GroupMessageRow): GroupMessageView => ({
  seq: Number(r.seq),
  sender: r.sender,
  random: Number(r.random),
  time: Number(r.time),
  body: JSON.parse(r.body) as unknown,
  priority: r.priority,
  cloudCustomData: decodeCloudCustomData(r.cloud_custom_data),
  onlineOnly: Boolean(r.online_only),
  recalled: Boolean(r.recalled),
  receipt: Boolean(r.receipt),
  audience: r.receipt ? Number(r.audience) : 0,
  readCount: r.receipt ? Number(r.read_count) : 0,
})
