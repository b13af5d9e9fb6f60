/**
 * The group concerns of the store (spec §6): groups and their memberships and messages, and the
 * group read state behind the receipt APIs. Counts are kept current on every write so reading them
 * is O(1) at any group size; member lists page in membership order (design.md "Read state at scale").
 *
 * Implementations must allocate MsgSeq per group from 1 with no gaps or repeats under concurrent
 * sends (an atomic `UPDATE … SET last_seq = last_seq + 1 … RETURNING`), and move counters only by
 * atomic increments.
 */
import type { UserId } from '../domain/accounts/user-id.js'
import type { GroupId } from '../domain/groups/group-id.js'
import type { GroupType } from '../domain/groups/group-types.js'
import type { Priority } from '../domain/groups/limits.js'
import type { SeqRange } from '../domain/read-state/seq-ranges.js'

export interface Group {
  groupId: GroupId
  type: GroupType
  name: string
  owner: UserId | undefined
  /** 0: no limit (AVChatRoom). */
  maxMembers: number
  memberCount: number
  /** The newest MsgSeq; 0 before the first message. */
  lastSeq: number
}

export interface NewGroup {
  groupId: GroupId
  type: GroupType
  name: string
  owner: UserId | undefined
  maxMembers: number
  createdTime: number
}

export interface NewMember {
  userId: UserId
  role: 'Owner' | 'Admin' | 'Member'
}

export interface NewGroupMessage {
  sender: UserId
  random: number
  time: number
  body: unknown
  bodyHash: string
  cloudCustomData: string | undefined
  priority: Priority
  onlineOnly: boolean
  /** Sent with `NeedReadReceipt: 1` in a group whose type has receipts. */
  receipt: boolean
}

export interface StoredGroupMessage {
  seq: number
  sender: UserId
  random: number
  time: number
  body: unknown
  priority: Priority
  recalled: boolean
}

export type RecallOutcome = 'recalled' | 'not-found'

/** What a read-only snapshot may ask of the group concern. */
export interface GroupReads {
  /** One statement. */
  find(groupId: GroupId): Promise<Group | undefined>
  /** The subset of `userIds` that are members now. */
  members(groupId: GroupId, userIds: readonly UserId[]): Promise<Set<UserId>>
  /** A message from `sender` with the same Random and body at or after `sinceTime`, if any. */
  findDuplicate(
    groupId: GroupId,
    q: { sender: UserId; random: number; bodyHash: string; sinceTime: number },
  ): Promise<{ seq: number; time: number } | undefined>
  /** Stored messages with seq ≤ `upTo`, newest first; online-only messages are never listed. */
  history(
    groupId: GroupId,
    q: { upTo: number; limit: number; withRecalled: boolean },
  ): Promise<{ messages: StoredGroupMessage[]; more: boolean }>
}

export interface GroupStore extends GroupReads {
  /** Creates the group with its first members (join seq 0); `taken` with the holder's owner when the id is in use. */
  createGroup(
    group: NewGroup,
    members: readonly NewMember[],
  ): Promise<{ created: true } | { created: false; owner: UserId | undefined }>
  /** Deletes the group, its members, messages and read state; returns who the members were. */
  destroy(groupId: GroupId): Promise<UserId[]>
  /** Adds new memberships seeing messages after the current last seq; returns those added, in order. */
  addMembers(groupId: GroupId, members: readonly NewMember[], joinTime: number): Promise<UserId[]>
  /**
   * Ends memberships: each leaves every message audience it was in, with its reads
   * (design.md decision 8). Returns those who were members.
   */
  removeMembers(groupId: GroupId, userIds: readonly UserId[]): Promise<UserId[]>
  /**
   * Stores a message under the next MsgSeq. A receipt message's audience is fixed here: the members
   * now, minus the sender.
   */
  appendMessage(groupId: GroupId, message: NewGroupMessage): Promise<{ seq: number }>
  recall(groupId: GroupId, seqs: readonly number[]): Promise<Map<number, RecallOutcome>>
  /** Sets a member's unread count (set_unread_msg_num); false when `userId` is not a member. */
  setUnread(groupId: GroupId, userId: UserId, unread: number): Promise<boolean>
}

/** Counts of one receipt message: ReadNum + UnreadNum = |audience| (design.md decision 8). */
export interface ReceiptCounts {
  seq: number
  read: number
  unread: number
}

export interface GroupCounts {
  group: Group
  counts: Map<number, ReceiptCounts>
}

export interface ReceiptPage {
  members: UserId[]
  /** The membership number to continue after, or undefined when this page is the last. */
  next: number | undefined
}

/** What a read-only snapshot may ask of the group read state. */
export interface GroupReceiptReads {
  /**
   * The group, and counts per seq, absent for seqs with no receipt (unknown, recalled, sent
   * without one); undefined when there is no such group. One statement.
   */
  counts(groupId: GroupId, seqs: readonly number[]): Promise<GroupCounts | undefined>
  /**
   * One page of the audience of message `seq` who have (`read`) or have not read it, in membership
   * order after membership number `after`; undefined when the message has no receipt.
   */
  members(
    groupId: GroupId,
    seq: number,
    q: { read: boolean; after: number; limit: number },
  ): Promise<ReceiptPage | undefined>
}

export interface GroupReceiptStore extends GroupReceiptReads {
  /**
   * Records that `reader` has read `seqs` (a member's acknowledgement, spec §6.11). Seqs outside
   * the reader's membership, unknown seqs, the reader's own messages and messages without receipts
   * change nothing; repeats are idempotent. Returns the receipt messages whose counts moved.
   * `not-member` when `reader` is not a member. One statement.
   */
  acknowledge(
    groupId: GroupId,
    reader: UserId,
    seqs: readonly SeqRange[],
  ): Promise<ReceiptCounts[] | 'not-member'>
}
