/**
 * Sends one C2C message, as the admin or on behalf of From_Account (spec §4.3). The app backend is
 * asked first (C2C.CallbackBeforeSendMsg, spec §7.4) and may forbid, drop or rewrite the message;
 * what it allows is stored, and C2C.CallbackAfterSendMsg records it in the same transaction, unless
 * ForbidCallbackControl turns either callback off.
 */
import type { UserId } from '../../domain/accounts/user-id.js'
import type { MsgElement } from '../../domain/c2c/msg-body.js'
import type { MsgKey } from '../../domain/c2c/msg-key.js'
import { unreadExclusion } from '../../domain/c2c/rules.js'
import { TencentError } from '../../domain/codes.js'
import type { ReadTx } from '../../store/store.js'
import { receives } from '../../webhooks/audience.js'
import { afterSendMsg } from '../../webhooks/c2c-events.js'
import { command } from '../command.js'
import { f } from '../fields.js'
import { checkMessageSize, messageFields as m, newMessage, recentOwners, seqOrRandom } from './c2c-message.js'

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
  async run(req, { app, caller, clock, read, transaction, webhooks }) {
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
      exclusion: unreadExclusion({ from, to, origin: 'send', noUnread, onlineOnly }),
    })
    const forbid = req.ForbidCallbackControl ?? []
    const skipBefore = forbid.includes('ForbidBeforeSendMsgCallback')
    /**
     * Everything that can refuse the send: run on a snapshot before the app is asked (design.md
     * decision 15), and again under the conversation lock in the transaction. A repeat answers the
     * first message's key.
     */
    const check = async (tx: ReadTx): Promise<MsgKey | undefined> => {
      const known = await tx.accounts.existing([from, to])
      if (!known.has(from)) throw new TencentError(90008)
      if (!known.has(to)) throw new TencentError(90012)
      // [U] A repeat in the same second with the same MsgRandom is the same message (spec §4.2):
      // it is answered with the first one's key and delivered once.
      return tx.c2c.findSameSecond(from, to, message.msgRandom, msgTime)
    }
    if (!skipBefore && webhooks.asks('C2C.CallbackBeforeSendMsg')) {
      const first = await read(check)
      if (first !== undefined) return { MsgTime: msgTime, MsgKey: first }
    }
    // Asked before the transaction: a transaction never waits on the network.
    const decision = await webhooks.beforeSend(
      'C2C.CallbackBeforeSendMsg',
      {
        From_Account: from,
        To_Account: to,
        MsgSeq: message.msgSeq,
        MsgRandom: message.msgRandom,
        MsgTime: msgTime,
        MsgKey: message.msgKey,
        OnlineOnlyFlag: onlineOnly ? 1 : 0,
        MsgBody: message.body,
        // As in the after-send body (spec §7.4): "" when the message has none.
        CloudCustomData: message.cloudCustomData,
      },
      { skip: skipBefore },
    )
    if (decision.action === 'reject') throw decision.error
    // ErrorCode 2 from the app: the sender is told it worked, and nothing is kept (spec §7.3).
    if (decision.action === 'drop') return { MsgTime: msgTime, MsgKey: message.msgKey }
    // [U] The app's replacement body is stored as given: it is the app backend's own data.
    const sent = {
      ...message,
      body: decision.MsgBody as MsgElement[],
      cloudCustomData: decision.CloudCustomData ?? message.cloudCustomData,
    }
    const notify = !forbid.includes('ForbidAfterSendMsgCallback')
    const answer = { MsgTime: msgTime, MsgKey: message.msgKey }
    if (onlineOnly) {
      return transaction(async (tx) => {
        // The lock keeps a concurrent repeat from being answered as new between check and event.
        await tx.c2c.lockConversations(from, [to])
        const first = await check(tx)
        if (first !== undefined) return { MsgTime: msgTime, MsgKey: first }
        const unread = await tx.c2c.unreadTotal(to)
        if (notify) await tx.outbox.enqueue(afterSendMsg(sent, onlineOnly, unread, clock.nowMs()))
        return answer
      })
    }
    // Without an event to record, the send is one statement (one round trip on PostgreSQL):
    // C2CStore.send checks under the conversation lock what `check` checked on the snapshot.
    const recorded = notify && receives(app, 'C2C.CallbackAfterSendMsg')
    return transaction(
      async (tx) => {
        const r = await tx.c2c.send(sent, recentOwners(sent, req.SendMsgControl))
        if ('sent' in r) {
          if (r.sent === 'unknown-sender') throw new TencentError(90008)
          if (r.sent === 'unknown-recipient') throw new TencentError(90012)
          return { MsgTime: msgTime, MsgKey: r.msgKey }
        }
        if (r.added && notify) {
          await tx.outbox.enqueue(afterSendMsg(sent, onlineOnly, r.recipientUnreadTotal, clock.nowMs()))
        }
        return answer
      },
      recorded ? undefined : 'one-statement',
    )
  },
})
