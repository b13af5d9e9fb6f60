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
  createdTime: number
  /** Time of the newest stored message; 0 when there is none. */
  lastMsgTime: number
  introduction: string
  notification: string
  faceUrl: string
  applyJoinOption: string
  muteAllMember: boolean
  /** Bumped on every change of the group's info (spec part 2 §13.4). */
  infoSeq: number
  lastInfoTime: number
}

export interface NewGroup {
  groupId: GroupId
  type: GroupType
  name: string
  owner: UserId | undefined
  maxMembers: number
  createdTime: number
  introduction?: string
  notification?: string
  faceUrl?: string
  applyJoinOption?: string
}

export type MemberRole = 'Owner' | 'Admin' | 'Member'

/** What a member's client does with the group's messages (spec part 2 §13.5.4). */
export type MsgFlag = 'AcceptAndNotify' | 'AcceptNotNotify' | 'Discard'

export interface NewMember {
  userId: UserId
  role: MemberRole
}

/**
 * A membership with its read position (spec part 2 §13.5): `readSeq` is the newest seq it has
 * read, `unread` the counting messages after it (not recalled, not NoUnread, not targeted at
 * someone else, not its own). Stores report `unread` for every type; the API reports 0 for the
 * types without unread counts.
 */
export interface MemberState {
  userId: UserId
  role: MemberRole
  joinTime: number
  readSeq: number
  unread: number
  msgFlag: MsgFlag
  /** Time of the member's newest message in the group; 0 if never. */
  lastSendTime: number
  nameCard: string
  /** 0: not muted; else the Unix second the mute ends. */
  muteUntil: number
}

/** Fields of modify_group_base_info; undefined leaves a field as it is. */
export interface GroupChange {
  name?: string
  introduction?: string
  notification?: string
  faceUrl?: string
  maxMembers?: number
  applyJoinOption?: string
  muteAllMember?: boolean
}

/** Fields of modify_group_member_info; undefined leaves a field as it is. */
export interface MemberChange {
  role?: MemberRole
  msgFlag?: MsgFlag
  nameCard?: string
  muteUntil?: number
}

/** Which members `memberStates` lists, in membership order. */
export interface MemberQuery {
  /** Only these members (in membership order, not the list's). */
  userIds?: readonly UserId[]
  roles?: readonly MemberRole[]
  offset: number
  /** undefined: every member from `offset`. */
  limit: number | undefined
}

/** Which of a user's groups `joinedGroups` lists (get_joined_group_list, spec part 2 §14.1). */
export interface JoinedQuery {
  /** undefined: every type. */
  type: GroupType | undefined
  /** AVChatRoom groups are left out unless asked for. */
  withHuge: boolean
  /** Private groups without a message yet ("not activated") are left out unless asked for. */
  withInactive: boolean
  offset: number
  limit: number | undefined
}

export interface JoinedGroup {
  group: Group
  self: MemberState
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
  /** Sent with `SendMsgControl: ["NoUnread"]`: it counts as unread for nobody. */
  noUnread?: boolean
  /** A targeted message (`To_Account`) counts as unread only for these members; absent: everyone. */
  targets?: readonly UserId[]
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
  /** Members with their read state, in membership order; unread is O(1) per member. */
  memberStates(groupId: GroupId, q: MemberQuery): Promise<MemberState[]>
  /** How many groups of each type `userId` owns now (Group.CallbackBeforeCreateGroup, spec part 2 §21.1). */
  ownedGroups(userId: UserId): Promise<Partial<Record<GroupType, number>>>
  /** The groups `userId` is a member of, by join time then GroupId, with the total before paging. */
  joinedGroups(userId: UserId, q: JoinedQuery): Promise<{ total: number; groups: JoinedGroup[] }>
  /**
   * GroupIds of the app in creation order, from internal number `after` on (exclusive), with the
   * total of `type` (or of all types); `next` is the number to continue after, undefined at the end.
   */
  groupIds(q: {
    type: GroupType | undefined
    after: number
    /** Groups to skip after `after` (the legacy `Offset` paging). */
    offset?: number
    limit: number
  }): Promise<{ total: number; groupIds: GroupId[]; next: number | undefined }>
}

export interface GroupStore extends GroupReads {
  /**
   * The group, locked until commit: membership changes, sends and destruction of it wait, so every
   * check read after it (existence, members, member count, duplicates) still holds when the
   * write that follows commits. A command whose check decides a write on a group starts here.
   */
  lock(groupId: GroupId): Promise<Group | undefined>
  /** Creates the group with its first members (join seq 0); `taken` with the holder's owner when the id is in use. */
  createGroup(
    group: NewGroup,
    members: readonly NewMember[],
  ): Promise<{ created: true } | { created: false; owner: UserId | undefined }>
  /** Deletes the group, its members, messages and read state; returns who the members were. */
  destroy(groupId: GroupId): Promise<UserId[]>
  /**
   * Adds new memberships seeing messages after the current last seq; returns those added, in order.
   * With `max`, only as many as keep the group at or under `max` members, decided under the group's
   * lock so concurrent additions cannot pass it together.
   */
  addMembers(
    groupId: GroupId,
    members: readonly NewMember[],
    joinTime: number,
    max?: number,
  ): Promise<UserId[]>
  /** Changes the group's profile; any change bumps InfoSeq and sets LastInfoTime (spec part 2 §15.1). */
  updateGroup(groupId: GroupId, change: GroupChange, time: number): Promise<void>
  /** Changes one membership's fields; false when `userId` is not a member (spec part 2 §15.2). */
  updateMember(groupId: GroupId, userId: UserId, change: MemberChange): Promise<boolean>
  /**
   * Makes member `userId` the owner and the previous owner, if any, a member (spec part 2 §15.3);
   * false when `userId` is not a member.
   */
  changeOwner(groupId: GroupId, userId: UserId, time: number): Promise<boolean>
  /** Seqs of `sender`'s stored, unrecalled messages among the group's newest `window` seqs. */
  seqsBySender(groupId: GroupId, sender: UserId, window: number): Promise<number[]>
  /** Every member has read everything: read seqs at the newest message, no unread (import_group_msg). */
  markAllRead(groupId: GroupId): Promise<void>
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
  /**
   * Takes one of the group's `cap` message slots of second `second` (spec part 2 §22); false when
   * they are all taken. Atomic with the transaction: a rollback gives the slot back.
   */
  takeSendSlot(groupId: GroupId, second: number, cap: number): Promise<boolean>
  recall(groupId: GroupId, seqs: readonly number[]): Promise<Map<number, RecallOutcome>>
  /**
   * Places a member's read seq so that exactly `unread` counting messages follow it, or as many as
   * there are (set_unread_msg_num, import_group_member; spec part 2 §13.5.3). Returns the member's
   * unread count after, or undefined when `userId` is not a member.
   */
  placeReadSeq(groupId: GroupId, userId: UserId, unread: number): Promise<number | undefined>
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
