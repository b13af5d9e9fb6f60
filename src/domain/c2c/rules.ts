/**
 * The C2C rules of spec §4 and §5 where receiptd decides (design.md decisions 5, 6 and 13): which
 * messages count as unread, where a read report moves the read time, how long a message may be.
 * Pure functions; the store keeps the counters these rules define.
 */
import type { UserId } from '../accounts/user-id.js'
import type { MsgElement } from './msg-body.js'
import type { MsgKey } from './msg-key.js'

/** design.md decision 13: a C2C message over 12 KB is refused with 93000. */
export const MAX_MESSAGE_BYTES = 12 * 1024

/** batchsendmsg: at most 500 recipients (90011 beyond, spec §4.4). */
export const MAX_BATCH_RECIPIENTS = 500

/** get_c2c_unread_msg_num: at most 10 peers a call (spec §5.2). */
export const MAX_UNREAD_PEERS = 10

/** c2c_msg_read_receipt: at most 100 messages a call (design.md decision 7). */
export const MAX_RECEIPT_ITEMS = 100

/** [U] admin_getroammsg pages hold at most this many messages, whatever MaxCnt asks. */
export const MAX_ROAM_PAGE = 100

/** How a message entered the system; it decides whether it counts as unread (decision 6). */
export type Origin = 'send' | 'import-history' | 'import-realtime'

export interface NewMessage {
  from: UserId
  to: UserId
  msgSeq: number
  msgRandom: number
  msgTime: number
  msgKey: MsgKey
  body: MsgElement[]
  cloudCustomData: string
  needReadReceipt: boolean
  /** False with `SyncOtherMachine: 2`: the sender's own history does not show it (spec §4.3). */
  senderSees: boolean
  /** False once the recipient deleted the conversation with its history (recentcontact/delete). */
  recipientSees: boolean
  /** Whether the message counts as unread for its recipient while it is after the read time. */
  counted: boolean
  /** Why it does not count (undefined when it counts, or for a message stored before this was kept). */
  uncounted: UnreadExclusion | undefined
}

export interface StoredMessage extends NewMessage {
  recalled: boolean
  peerRead: boolean
}

/**
 * Why a message never counts as unread, whatever the read time (design.md decision 6); 'deleted':
 * it was still unread when its recipient deleted the conversation (recentcontact/delete, spec part 2
 * §17.2).
 */
export type UnreadExclusion = 'self' | 'import-history' | 'no-unread' | 'online-only' | 'deleted'

/**
 * design.md decision 6: a message counts unless sent to oneself, imported as history
 * (`SyncFromOldSystem: 2`), sent with `NoUnread`, or online-only (`MsgLifeTime: 0`). The reason is
 * kept with the message so an unread count can be explained later.
 */
export function unreadExclusion(m: {
  from: UserId
  to: UserId
  origin: Origin
  noUnread: boolean
  onlineOnly: boolean
}): UnreadExclusion | undefined {
  if (m.from === m.to) return 'self'
  if (m.origin === 'import-history') return 'import-history'
  if (m.noUnread) return 'no-unread'
  if (m.onlineOnly) return 'online-only'
  return undefined
}

/**
 * Why one stored message is not part of `reader`'s unread count of the conversation, given the
 * conversation's read time; empty when it is counted. The store's counters follow the same rule
 * (decisions 5, 6 and 14: the read time is inclusive).
 */
export type NotUnreadReason = 'own' | 'recalled' | 'before-read-time' | 'not-counted' | UnreadExclusion

export function notUnreadReasons(
  m: Pick<StoredMessage, 'from' | 'to' | 'counted' | 'uncounted' | 'recalled' | 'msgTime'>,
  reader: UserId,
  readTime: number,
): NotUnreadReason[] {
  const reasons: NotUnreadReason[] = []
  if (m.from === reader) reasons.push('own')
  // A message written before the reason was kept says only that it is not counted.
  else if (!m.counted) reasons.push(m.uncounted ?? 'not-counted')
  if (m.recalled) reasons.push('recalled')
  if (m.msgTime <= readTime) reasons.push('before-read-time')
  return reasons
}

/**
 * importmsg `SyncFromOldSystem` (spec §4.5): 2 is history (read); 5 is real time (unread); 1 is
 * the older SDKs' name for real time. Anything else is not a value Tencent defines.
 */
export function importOrigin(syncFromOldSystem: number): Origin | undefined {
  if (syncFromOldSystem === 2) return 'import-history'
  if (syncFromOldSystem === 5 || syncFromOldSystem === 1) return 'import-realtime'
  return undefined
}

/**
 * design.md decision 5: the read time asked for by admin_set_msg_read, absent → now, in the
 * future → now. Whether it moves is the store's compare (it never goes backwards).
 */
export function requestedReadTime(msgReadTime: number | undefined, nowSeconds: number): number {
  return msgReadTime === undefined || msgReadTime > nowSeconds ? nowSeconds : msgReadTime
}

/** What the 12 KB limit measures: the message as stored and delivered, in compact JSON. */
export function messageBytes(body: unknown, cloudCustomData: string | undefined): number {
  return Buffer.byteLength(JSON.stringify({ MsgBody: body, CloudCustomData: cloudCustomData ?? '' }), 'utf8')
}

/** The webhook ordering key of a conversation: its two UserIDs, sorted. */
export function conversationKey(a: UserId, b: UserId): string {
  return a < b ? `c2c:${a}:${b}` : `c2c:${b}:${a}`
}
