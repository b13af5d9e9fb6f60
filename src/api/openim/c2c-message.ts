/**
 * Fields shared by sendmsg, batchsendmsg and importmsg (spec §4.3–§4.5), each with its code,
 * and the step from decoded wire fields to a domain message. Where Tencent documents no code for
 * a malformed optional field, 20001 "invalid request packet" answers [U].
 */
import type { UserId } from '../../domain/accounts/user-id.js'
import type { MsgElement } from '../../domain/c2c/msg-body.js'
import { formatMsgKey, randomUint32, UINT32_MAX } from '../../domain/c2c/msg-key.js'
import {
  MAX_MESSAGE_BYTES,
  messageBytes,
  type NewMessage,
  type UnreadExclusion,
} from '../../domain/c2c/rules.js'
import { TencentError } from '../../domain/codes.js'
import type { AddOutcome } from '../../store/c2c.js'
import type { Tx } from '../../store/store.js'
import { f } from '../fields.js'

export const messageFields = {
  // [U] SyncOtherMachine: 1 and 2 are Tencent's values; 0 is sent by SDKs as "not set".
  SyncOtherMachine: f.optional(f.int({ missing: 90031, max: 2 })),
  MsgLifeTime: f.optional(f.int({ missing: 90044 })),
  MsgSeq: f.optional(f.int({ missing: 90004, max: UINT32_MAX })),
  MsgRandom: f.int({ missing: 90005, max: UINT32_MAX }),
  SendMsgControl: f.optional(f.strings({ missing: 20001 })),
  MsgBody: f.msgBody({ missing: 90002 }),
  CloudCustomData: f.optional(f.string({ missing: 20001, allowEmpty: true })),
  SupportMessageExtension: f.optional(f.int({ missing: 20001, max: 1 })),
  // Stored by Tencent for offline push; receiptd pushes nothing, so it is checked and dropped.
  OfflinePushInfo: f.optional(f.object({ missing: 20001 }, {})),
  IsNeedReadReceipt: f.optional(f.int({ missing: 20001, max: 1 })),
}

/** design.md decision 13: the message, as stored, over 12 KB → 93000. */
export function checkMessageSize(body: MsgElement[], cloudCustomData: string | undefined): void {
  const bytes = messageBytes(body, cloudCustomData)
  if (bytes > MAX_MESSAGE_BYTES) {
    throw new TencentError(93000, `the message is ${bytes} bytes; at most ${MAX_MESSAGE_BYTES} are allowed`)
  }
}

export interface MessageInput {
  from: UserId
  to: UserId
  msgSeq: number
  msgRandom: number
  msgTime: number
  body: MsgElement[]
  cloudCustomData: string | undefined
  needReadReceipt: number | undefined
  syncOtherMachine: number | undefined
  /** Why the message never counts as unread; undefined when it counts. */
  exclusion: UnreadExclusion | undefined
}

export function newMessage(i: MessageInput): NewMessage {
  return {
    from: i.from,
    to: i.to,
    msgSeq: i.msgSeq,
    msgRandom: i.msgRandom,
    msgTime: i.msgTime,
    msgKey: formatMsgKey(i),
    body: i.body,
    cloudCustomData: i.cloudCustomData ?? '',
    needReadReceipt: i.needReadReceipt === 1,
    senderSees: i.syncOtherMachine !== 2,
    recipientSees: true,
    counted: i.exclusion === undefined,
    uncounted: i.exclusion,
  }
}

/** An absent MsgSeq is filled with a random number (spec §4.2). */
export const seqOrRandom = (msgSeq: number | undefined): number => msgSeq ?? randomUint32()

/**
 * The owners of the conversation-list entries a stored message moves (spec part 2 §17.1): the
 * recipient's, and the sender's unless the message is hidden from them (`SyncOtherMachine: 2`);
 * none with `SendMsgControl: ["NoLastMsg"]` (spec §4.3).
 */
export function recentOwners(message: NewMessage, sendMsgControl: readonly string[] | undefined): UserId[] {
  if ((sendMsgControl ?? []).includes('NoLastMsg')) return []
  return message.senderSees ? [message.to, message.from] : [message.to]
}

/** Stores a message and moves the conversation-list entries it moves (`recentOwners`). */
export async function storeMessage(
  tx: Tx,
  message: NewMessage,
  sendMsgControl: readonly string[] | undefined,
): Promise<AddOutcome> {
  const added = await tx.c2c.addMessage(message)
  const owners = recentOwners(message, sendMsgControl)
  if (added.added && owners.length > 0) {
    await tx.recent.touchC2C(message.from, message.to, owners, message.msgTime)
  }
  return added
}
