/**
 * The inspection concern: what the inspection API and the console read (issue 16), and the few
 * maintenance writes that put a drifted counter back (`MaintenanceStore`, a concern of its own). Listings page by key (an account id, a peer,
 * a membership number, a seq, a message position), so every call is O(page) at any size; only the
 * recount of one group reads that group's whole read state.
 *
 * What counts is not decided here: the C2C recount is the store's own rule (the one markRead
 * applies), and the group recount is done from raw rows by `domain/read-state/recount.ts`.
 */
import type { UserId } from '../domain/accounts/user-id.js'
import type { MsgKeyParts } from '../domain/c2c/msg-key.js'
import type { StoredMessage } from '../domain/c2c/rules.js'
import type { GroupId } from '../domain/groups/group-id.js'
import type { Priority } from '../domain/groups/limits.js'
import type { Group } from './groups.js'

export interface Account {
  userId: UserId
  nick: string | undefined
  faceUrl: string | undefined
  createdTime: number
}

export interface AccountTotals {
  /** The stored C2C unread total (what get_c2c_unread_msg_num answers). */
  c2cUnread: number
  conversations: number
  groups: number
}

/** One side's view of a conversation. */
export interface ConversationView {
  peer: UserId
  /** The owner's read time of the conversation (0: never read). */
  readTime: number
  /** The owner's stored unread counter. */
  unread: number
  /** The peer's read time: messages the owner sent at or before it are read by the peer. */
  peerReadTime: number
}

export interface Page<T> {
  items: T[]
  /** More items follow the last one. */
  more: boolean
}

export interface GroupMemberView {
  /** Membership number: orders members and pages them. */
  memberNo: number
  userId: UserId
  role: string
  joinTime: number
  /** The group's last seq when the member joined: earlier messages are not in its audiences. */
  joinSeq: number
  /** The member's read seq (spec part 2 §13.5). */
  readSeq: number
  /** Counting messages after the read seq, whatever the group's type. */
  unread: number
}

export interface GroupMessageView {
  seq: number
  sender: UserId
  random: number
  time: number
  body: unknown
  priority: Priority
  cloudCustomData: string | undefined
  onlineOnly: boolean
  recalled: boolean
  /** Sent with NeedReadReceipt in a type that has receipts. */
  receipt: boolean
  /** Stored counters of a receipt message (0 otherwise). */
  audience: number
  readCount: number
}

/** A stored counter that differs from its recount from the messages and read state. */
export interface C2CDrift {
  owner: UserId
  peer: UserId
  stored: number
  recounted: number
}

export interface TotalDrift {
  user: UserId
  stored: number
  /** The sum of the user's stored conversation counters. */
  recounted: number
}

/** Everything the recount of one group's receipt counters needs, read in one snapshot. */
export interface GroupReadState {
  group: Group
  members: { memberNo: number; userId: UserId }[]
  /** Every membership's read ranges. */
  ranges: { memberNo: number; lo: number; hi: number }[]
  receiptMessages: { seq: number; sender: UserId; memberBound: number; audience: number; readCount: number }[]
}

export interface InspectionReads {
  /** Accounts whose UserID starts with `prefix`, in UserID order after `after`. */
  accounts(q: { prefix: string; after: UserId | undefined; limit: number }): Promise<Page<Account>>
  account(userId: UserId): Promise<Account | undefined>
  accountTotals(userId: UserId): Promise<AccountTotals>
  /**
   * `owner`'s conversations in peer order after `after`: every pair in which either side has a
   * conversation row (a counted message received or a read reported).
   */
  conversations(
    owner: UserId,
    q: { after: UserId | undefined; limit: number },
  ): Promise<Page<ConversationView>>
  conversation(owner: UserId, peer: UserId): Promise<ConversationView>
  /** Messages between `a` and `b` in both directions, oldest first after `after`. */
  messages(
    a: UserId,
    b: UserId,
    q: { after: MsgKeyParts | undefined; limit: number },
  ): Promise<Page<StoredMessage>>
  /** The messages of `peer` to `reader` that make up the unread count: the store's own recount. */
  recountConversation(reader: UserId, peer: UserId): Promise<number>
  /** Groups whose GroupId starts with `prefix`, in GroupId order after `after`. */
  groups(q: { prefix: string; after: GroupId | undefined; limit: number }): Promise<Page<Group>>
  groupMembers(groupId: GroupId, q: { after: number; limit: number }): Promise<Page<GroupMemberView>>
  /** Messages newest first, with seq below `before`. */
  groupMessages(groupId: GroupId, q: { before: number; limit: number }): Promise<Page<GroupMessageView>>
  groupMessage(groupId: GroupId, seq: number): Promise<GroupMessageView | undefined>
  /** Conversations whose stored counter differs from the recount, in key order after `after`. */
  c2cDrift(q: { after: { owner: UserId; peer: UserId } | undefined; limit: number }): Promise<Page<C2CDrift>>
  /** Users whose stored total differs from the sum of their conversation counters. */
  totalDrift(q: { after: UserId | undefined; limit: number }): Promise<Page<TotalDrift>>
  /** GroupIds in order after `after`, for walking every group. */
  groupIds(q: { after: GroupId | undefined; limit: number }): Promise<Page<GroupId>>
  groupReadState(groupId: GroupId): Promise<GroupReadState | undefined>
  /** Every C2C message of the app, by conversation then time, after `after` (for export). */
  allMessages(q: { after: MessagePosition | undefined; limit: number }): Promise<Page<StoredMessage>>
  /** Every C2C read time set, by reader then peer, after `after` (for export). */
  readTimes(q: {
    after: { owner: UserId; peer: UserId } | undefined
    limit: number
  }): Promise<Page<{ owner: UserId; peer: UserId; readTime: number }>>
}

/** A C2C message's place in the app: its conversation (sorted pair), then time, seq, random. */
export type MessagePosition = [lo: string, hi: string, msgTime: number, msgSeq: number, msgRandom: number]

/** The writes of a repair after a recount. */
export interface MaintenanceStore {
  /**
   * Sets the conversation's counter to the recount and moves the owner's total by the difference,
   * atomically with any concurrent writer. Returns the counter before and after.
   */
  repairConversation(owner: UserId, peer: UserId): Promise<{ before: number; after: number }>
  /** Sets the user's total to the sum of their conversation counters. */
  repairTotal(user: UserId): Promise<{ before: number; after: number }>
  /**
   * Sets a receipt message's audience and read counters, and the group's member count, to the
   * given recount, unless a write changed them since they were read (then false: recount again).
   */
  repairGroupCounters(
    groupId: GroupId,
    fix: {
      memberCount: { expected: number; value: number } | undefined
      messages: {
        seq: number
        expected: { audience: number; readCount: number }
        audience: number
        readCount: number
      }[]
    },
  ): Promise<boolean>
}
