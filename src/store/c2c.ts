/**
 * The C2C concern of the store: one-to-one messages and both read mechanisms (spec §4, §5).
 *
 * Unread counts are counters kept current on every write, per conversation and per user, so
 * reading one is O(1) (design.md "Read state at scale"). Each method is one atomic step of the
 * rules in `domain/c2c/rules.ts`; an implementation for a concurrent engine takes the reader's
 * conversation row lock before it counts (markRead) and changes counters only with
 * `x = x + d` updates, so concurrent writers never lose an increment.
 */
import type { UserId } from '../domain/accounts/user-id.js'
import type { MsgKey, MsgKeyParts } from '../domain/c2c/msg-key.js'
import type { NewMessage, StoredMessage } from '../domain/c2c/rules.js'

export type AddOutcome =
  | { added: true; recipientUnreadTotal: number }
  /** A message with the same MsgKey is already in the conversation (either direction): the first wins. */
  | { added: false }

/** What sendmsg's store step did (`C2CStore.send`). */
export type SendOutcome =
  | { sent: 'unknown-sender' }
  | { sent: 'unknown-recipient' }
  /** A message from the same sender to the same recipient, same second, same MsgRandom: its key. */
  | { sent: 'same-second'; msgKey: MsgKey }
  | AddOutcome

export type WithdrawOutcome =
  | { withdrawn: true; recipientUnreadTotal: number }
  | { withdrawn: false; reason: 'not-found' | 'already-recalled' }

export interface ReadOutcome {
  /** The read time after the call (it never goes backwards). */
  readTime: number
  readerUnreadTotal: number
}

export interface HistoryQuery {
  /** Whose view of the conversation: messages they received, and those they sent that they see. */
  viewer: UserId
  peer: UserId
  minTime: number
  maxTime: number
  /** Only messages ordered before this position (time, then MsgSeq, then MsgRandom). */
  before: MsgKeyParts | undefined
  limit: number
}

export interface HistoryPage {
  /** Newest first. */
  messages: StoredMessage[]
  /** More messages in range come before the last one returned. */
  more: boolean
}

export interface UnreadCounts {
  total: number
  /** Only peers that are accounts. */
  peers: Map<UserId, number>
}

/** What a read-only snapshot may ask of the C2C concern. */
export interface C2CReads {
  /** The message `from` sent `to` in the same second with the same MsgRandom (sendmsg dedup, spec §4.2). */
  findSameSecond(from: UserId, to: UserId, msgRandom: number, msgTime: number): Promise<MsgKey | undefined>
  unreadTotal(user: UserId): Promise<number>
  /**
   * `user`'s unread total and the unread count of each conversation with those of `peers` that are
   * accounts (0 for no conversation); undefined when `user` is not an account. One statement.
   */
  unreadCounts(user: UserId, peers: readonly UserId[]): Promise<UnreadCounts | undefined>
  history(query: HistoryQuery): Promise<HistoryPage>
}

export interface C2CStore extends C2CReads {
  /**
   * Stores a message. When `counted` and its time is after the recipient's read time of the
   * conversation, the recipient's conversation and total counters go up by one.
   */
  addMessage(message: NewMessage): Promise<AddOutcome>
  /**
   * sendmsg's checks and write as one step: the sender and then the recipient must be accounts, a
   * message the sender sent the recipient in the same second with the same MsgRandom is the same
   * message (spec §4.2), and otherwise `addMessage` and the conversation list entries of
   * `recentOwners` moved to the message (`RecentStore.touchC2C`). The checks run under the
   * conversation's lock (`lockConversations`), so a concurrent repeat cannot slip in between.
   * One statement on PostgreSQL.
   */
  send(message: NewMessage, recentOwners: readonly UserId[]): Promise<SendOutcome>
  /**
   * Until commit, keeps every other transaction that locks one of these conversations (`user` with
   * each of `peers`) waiting here, so a duplicate looked for after it (`findSameSecond`) cannot be
   * stored by another send meanwhile (spec §4.2).
   */
  lockConversations(user: UserId, peers: readonly UserId[]): Promise<void>
  /** Marks a message recalled; an unread counted message leaves the recipient's counters. */
  withdraw(from: UserId, to: UserId, msgKey: MsgKey): Promise<WithdrawOutcome>
  /**
   * Moves `reader`'s read time of the conversation with `peer` forward to `upTo` (never back) and
   * recounts that conversation: only messages after `upTo` stay unread (design.md decision 5).
   */
  markRead(reader: UserId, peer: UserId, upTo: number): Promise<ReadOutcome>
  /**
   * Sets IsPeerRead on the messages `peer` sent `reader` with these keys that asked for a receipt
   * and are not recalled; other keys are skipped (design.md decision 7). Returns how many changed,
   * or `unknown-account` (and changes nothing) when either is not an account. One statement.
   */
  ackReceipts(reader: UserId, peer: UserId, msgKeys: readonly MsgKey[]): Promise<number | 'unknown-account'>
}
