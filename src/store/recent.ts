/**
 * The conversation-list concern of the store (spec part 2 §17): per user, one entry per C2C peer,
 * moved by every stored message (O(1) per message), and one per group they belong to that has a
 * message, whose time is its newest message's. Also the per-user deletion of a conversation, with
 * its effects on unread counts and on the deleting side's history.
 */
import type { UserId } from '../domain/accounts/user-id.js'
import type { GroupId } from '../domain/groups/group-id.js'

export interface RecentEntry {
  kind: 'c2c' | 'group'
  /** The peer's UserID or the GroupId. */
  id: string
  /** Unix seconds of the conversation's newest message. */
  msgTime: number
  pinned: boolean
}

export interface RecentQuery {
  owner: UserId
  /** Only pinned (true) or only ordinary (false) entries; undefined for both. */
  pinned: boolean | undefined
  /** Entries with `msgTime` at or after this, in ascending (msgTime, id, kind) order ... */
  fromTime: number
  /** ... skipping this many of them first. */
  skip: number
  limit: number
}

/** What a read-only snapshot may ask of the conversation list. */
export interface RecentReads {
  list(query: RecentQuery): Promise<RecentEntry[]>
}

export interface RecentStore extends RecentReads {
  /**
   * A C2C message was stored at `msgTime`: `owners` (the recipient, and the sender unless the
   * message is hidden from them) get the entry for the other side, moved to `msgTime` if later.
   */
  touchC2C(from: UserId, to: UserId, owners: readonly UserId[], msgTime: number): Promise<void>
  /**
   * Group message `seq` was stored at `msgTime` and moves the lists (not online only, not sent with
   * NoLastMsg): every member's entry for the group shows it.
   */
  touchGroup(groupId: GroupId, seq: number, msgTime: number): Promise<void>
  /**
   * Deletes `owner`'s C2C conversation with `peer`: the entry goes, the messages from `peer` unread
   * by `owner` stop counting (no read report), and with `clearHistory` the conversation's messages
   * leave `owner`'s history (the peer keeps them).
   */
  deleteC2C(owner: UserId, peer: UserId, clearHistory: boolean): Promise<void>
  /**
   * Hides `owner`'s conversation of `groupId` until a newer message; false when there is no such
   * group or `owner` is not a member (nothing to delete).
   */
  deleteGroup(owner: UserId, groupId: GroupId): Promise<boolean>
  /**
   * Pins or unpins an entry of `owner`'s list (spec part 2 §17.1: no REST API does; clients and the
   * emulator do). False when there is no such C2C entry, or `owner` is not a member of the group.
   */
  setPinned(owner: UserId, kind: RecentEntry['kind'], id: string, pinned: boolean): Promise<boolean>
}
