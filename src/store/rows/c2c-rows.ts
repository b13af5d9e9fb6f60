/**
 * Row shape of `c2c_messages` and its mapping to the domain, shared by both engines: the columns
 * are the same, only flags differ in type (SQLite gives 0/1, PostgreSQL booleans).
 */
import type { UserId } from '../../domain/accounts/user-id.js'
import type { MsgKey } from '../../domain/c2c/msg-key.js'
import type { NewMessage, StoredMessage, UnreadExclusion } from '../../domain/c2c/rules.js'

type Flag = number | boolean

export interface MessageRow {
  from_id: string
  to_id: string
  msg_seq: number
  msg_random: number
  msg_time: number
  msg_key: string
  body: string
  cloud_custom_data: string
  need_receipt: Flag
  peer_read: Flag
  recalled: Flag
  counted: Flag
  sender_sees: Flag
  recipient_sees: Flag
  uncounted: string | null
}

/**
 * A new message's columns from msg_seq on, in table order: msg_seq, msg_random, msg_time, msg_key,
 * body, cloud_custom_data, need_receipt, counted, sender_sees, uncounted, recipient_sees. MsgBody and
 * CloudCustomData are JSON text on both engines, so any string a client sent (even a lone UTF-16
 * surrogate, which a TEXT value would replace) comes back unchanged. Flags are booleans,
 * which SQLite binds as 0/1.
 */
export function messageColumns(m: NewMessage): unknown[] {
  return [
    m.msgSeq,
    m.msgRandom,
    m.msgTime,
    m.msgKey,
    JSON.stringify(m.body),
    JSON.stringify(m.cloudCustomData),
    m.needReadReceipt,
    m.counted,
    m.senderSees,
    m.uncounted ?? null,
    m.recipientSees,
  ]
}

/** A conversation is stored once, under its two UserIDs in sorted order (design.md decision 4). */
export const pair = (a: UserId, b: UserId): [UserId, UserId] => (a < b ? [a, b] : [b, a])

export function toMessage(r: MessageRow): StoredMessage {
  return {
    from: r.from_id as UserId,
    to: r.to_id as UserId,
    msgSeq: r.msg_seq,
    msgRandom: r.msg_random,
    msgTime: r.msg_time,
    msgKey: r.msg_key as MsgKey,
    body: JSON.parse(r.body) as StoredMessage['body'],
    cloudCustomData: JSON.parse(r.cloud_custom_data) as string,
    needReadReceipt: Boolean(r.need_receipt),
    senderSees: Boolean(r.sender_sees),
    recipientSees: Boolean(r.recipient_sees),
    counted: Boolean(r.counted),
    uncounted: (r.uncounted ?? undefined) as UnreadExclusion | undefined,
    recalled: Boolean(r.recalled),
    peerRead: Boolean(r.peer_read),
  }
}
