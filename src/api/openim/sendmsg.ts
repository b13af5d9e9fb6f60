/**
 * Sends one C2C message, as the admin or on behalf of From_Account (spec §4.3), and records
 * C2C.CallbackAfterSendMsg (spec §7.4) in the same transaction unless ForbidCallbackControl says not to.
 */
import type { UserId } from '../../domain/accounts/user-id.js'
import { countsAsUnread } from '../../domain/c2c/rules.js'
import { TencentError } from '../../domain/codes.js'
import { afterSendMsg } from '../../webhooks/c2c-events.js'
import { command } from '../command.js'
import { f } from '../fields.js'
import { checkMessageSize, messageFields as m, newMessage, seqOrRandom } from './c2c-message.js'

export const sendmsg = command({
  service: 'openim',
  name: 'sendmsg',
  perSecond: 200,
  request: {
    SyncOtherMachine: m.SyncOtherMachine,
    From_Account: f.optional(f.userId({ missing: 90008 })),
    To_Account: f.userId({ missing: 90003 }),
    MsgLifeTime: m.MsgLifeTime,
    MsgSeq: m.MsgSeq,
    MsgRandom: m.MsgRandom,
    ForbidCallbackControl: f.optional(f.strings({ missing: 20001 })),
    SendMsgControl: m.SendMsgControl,
    MsgBody: m.MsgBody,
    CloudCustomData: m.CloudCustomData,
    SupportMessageExtension: m.SupportMessageExtension,
    OfflinePushInfo: m.OfflinePushInfo,
    IsNeedReadReceipt: m.IsNeedReadReceipt,
    // MsgTimeStamp (older SDKs) is not read: MsgTime is the server's time (spec §4.3).
  },
  async run(req, { caller, clock, transaction }) {
    checkMessageSize(req.MsgBody, req.CloudCustomData)
    const from = req.From_Account ?? (caller as UserId)
    const to = req.To_Account
    const msgTime = clock.nowSeconds()
    // [U] MsgLifeTime 0 is online-only: delivered to online devices, kept in no history (spec §4.4).
    const onlineOnly = req.MsgLifeTime === 0
    const noUnread = req.SendMsgControl?.includes('NoUnread') ?? false
    const message = newMessage({
      from,
      to,
      msgSeq: seqOrRandom(req.MsgSeq),
      msgRandom: req.MsgRandom,
      msgTime,
      body: req.MsgBody,
      cloudCustomData: req.CloudCustomData,
      needReadReceipt: req.IsNeedReadReceipt,
      syncOtherMachine: req.SyncOtherMachine,
      counted: countsAsUnread({ from, to, origin: 'send', noUnread, onlineOnly }),
    })
    const notify = !(req.ForbidCallbackControl?.includes('ForbidAfterSendMsgCallback') ?? false)
    return transaction(async (tx) => {
      const known = await tx.accounts.existing([from, to])
      if (!known.has(from)) throw new TencentError(90008)
      if (!known.has(to)) throw new TencentError(90012)
      // [U] A repeat in the same second with the same MsgRandom is the same message (spec §4.2):
      // it is answered with the first one's key and delivered once.
      const first = await tx.c2c.findSameSecond(from, to, message.msgRandom, msgTime)
      if (first !== undefined) return { MsgTime: msgTime, MsgKey: first }
      let unread: number
      if (onlineOnly) unread = await tx.c2c.unreadTotal(to)
      else {
        const added = await tx.c2c.addMessage(message)
        if (!added.added) return { MsgTime: msgTime, MsgKey: message.msgKey }
        unread = added.recipientUnreadTotal
      }
      if (notify) await tx.outbox.enqueue(afterSendMsg(message, onlineOnly, unread, clock.nowMs()))
      return { MsgTime: msgTime, MsgKey: message.msgKey }
    })
  },
})
