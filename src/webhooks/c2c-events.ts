/**
 * The C2C after-event webhooks (spec §7.4–§7.6), built from domain values. Keys are in the order
 * of Tencent's samples; every time is an integer in Unix seconds. Events of one conversation share
 * an ordering key so they are delivered in the order they happened.
 */
import type { UserId } from '../domain/accounts/user-id.js'
import { conversationKey, type NewMessage } from '../domain/c2c/rules.js'
import type { MsgKey } from '../domain/c2c/msg-key.js'
import type { WebhookEvent } from './events.js'

/** §7.4: fired by sendmsg only (not batchsendmsg, not importmsg), after delivery. */
export function afterSendMsg(
  m: NewMessage,
  onlineOnly: boolean,
  recipientUnreadTotal: number,
  createdMs: number,
): WebhookEvent {
  return {
    command: 'C2C.CallbackAfterSendMsg',
    orderingKey: conversationKey(m.from, m.to),
    createdMs,
    body: {
      CallbackCommand: 'C2C.CallbackAfterSendMsg',
      From_Account: m.from,
      To_Account: m.to,
      MsgSeq: m.msgSeq,
      MsgRandom: m.msgRandom,
      MsgTime: m.msgTime,
      MsgKey: m.msgKey,
      OnlineOnlyFlag: onlineOnly ? 1 : 0,
      SendMsgResult: 0,
      ErrorInfo: 'send msg succeed',
      UnreadMsgNum: recipientUnreadTotal,
      MsgBody: m.body,
      CloudCustomData: m.cloudCustomData,
    },
  }
}

/** §7.5: fired by every successful admin_set_msg_read (design.md decision 5). */
export function afterMsgReport(
  reader: UserId,
  peer: UserId,
  lastReadTime: number,
  readerUnreadTotal: number,
  createdMs: number,
): WebhookEvent {
  return {
    command: 'C2C.CallbackAfterMsgReport',
    orderingKey: conversationKey(reader, peer),
    createdMs,
    body: {
      CallbackCommand: 'C2C.CallbackAfterMsgReport',
      Report_Account: reader,
      Peer_Account: peer,
      LastReadTime: lastReadTime,
      UnreadMsgNum: readerUnreadTotal,
    },
  }
}

/** §7.6: fired by admin_msgwithdraw; UnreadMsgNum is the recipient's total after the recall. */
export function afterMsgWithDraw(
  from: UserId,
  to: UserId,
  msgKey: MsgKey,
  recipientUnreadTotal: number,
  createdMs: number,
): WebhookEvent {
  return {
    command: 'C2C.CallbackAfterMsgWithDraw',
    orderingKey: conversationKey(from, to),
    createdMs,
    body: {
      CallbackCommand: 'C2C.CallbackAfterMsgWithDraw',
      From_Account: from,
      To_Account: to,
      MsgKey: msgKey,
      UnreadMsgNum: recipientUnreadTotal,
    },
  }
}
