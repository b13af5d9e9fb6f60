/**
 * Sends one C2C message to up to 500 recipients under one MsgKey (spec §4.4). Unknown recipients
 * are per-item `ErrorList` entries (70107) with `ActionStatus: "SomeError"`; none delivered is
 * 90012. Fires no webhook.
 */
import type { UserId } from '../../domain/accounts/user-id.js'
import { checkUserId } from '../../domain/accounts/user-id.js'
import { unreadExclusion, MAX_BATCH_RECIPIENTS } from '../../domain/c2c/rules.js'
import { TencentError } from '../../domain/codes.js'
import { command } from '../command.js'
import { f } from '../fields.js'
import { checkMessageSize, messageFields as m, newMessage, seqOrRandom, storeMessage } from './c2c-message.js'

export const batchsendmsg = command({
  service: 'openim',
  name: 'batchsendmsg',
  perSecond: 200,
  request: {
    SyncOtherMachine: m.SyncOtherMachine,
    From_Account: f.optional(f.userId({ missing: 90008 })),
    To_Account: f.array(
      { missing: 90003, minItems: 1, maxItems: MAX_BATCH_RECIPIENTS, tooMany: 90011 },
      (v, at) => {
        if (typeof v !== 'string') throw new TencentError(60015, `${at} must be a string`)
        return v
      },
    ),
    MsgLifeTime: m.MsgLifeTime,
    MsgSeq: m.MsgSeq,
    MsgRandom: m.MsgRandom,
    SendMsgControl: m.SendMsgControl,
    MsgBody: m.MsgBody,
    CloudCustomData: m.CloudCustomData,
    SupportMessageExtension: m.SupportMessageExtension,
    OfflinePushInfo: m.OfflinePushInfo,
    IsNeedReadReceipt: m.IsNeedReadReceipt,
  },
  async run(req, { caller, clock, transaction }) {
    checkMessageSize(req.MsgBody, req.CloudCustomData)
    const from = req.From_Account ?? (caller as UserId)
    const msgTime = clock.nowSeconds()
    const msgSeq = seqOrRandom(req.MsgSeq)
    const onlineOnly = req.MsgLifeTime === 0
    const noUnread = req.SendMsgControl?.includes('NoUnread') ?? false
    // [U] A repeated recipient receives the message once and is reported once.
    const targets = [...new Set(req.To_Account)]
    const ids = targets.flatMap((t) => {
      const c = checkUserId(t)
      return c.ok ? [c.userId] : []
    })
    return transaction(async (tx) => {
      const known = await tx.accounts.existing([from, ...ids])
      if (!known.has(from)) throw new TencentError(90008)
      const ErrorList: { To_Account: string; ErrorCode: number }[] = []
      let msgKey: string | undefined
      // Before the duplicate checks below, so a concurrent repeat cannot be stored in between.
      await tx.c2c.lockConversations(
        from,
        targets.filter((t) => known.has(t as UserId)).map((t) => t as UserId),
      )
      for (const raw of targets) {
        const to = raw as UserId
        if (!known.has(to)) {
          ErrorList.push({ To_Account: raw, ErrorCode: 70107 })
          continue
        }
        const message = newMessage({
          from,
          to,
          msgSeq,
          msgRandom: req.MsgRandom,
          msgTime,
          body: req.MsgBody,
          cloudCustomData: req.CloudCustomData,
          needReadReceipt: req.IsNeedReadReceipt,
          syncOtherMachine: req.SyncOtherMachine,
          exclusion: unreadExclusion({ from, to, origin: 'send', noUnread, onlineOnly }),
        })
        msgKey = message.msgKey
        const repeat = await tx.c2c.findSameSecond(from, to, req.MsgRandom, msgTime)
        if (repeat === undefined && !onlineOnly) await storeMessage(tx, message, req.SendMsgControl)
      }
      if (msgKey === undefined) throw new TencentError(90012)
      if (ErrorList.length === 0) return { MsgKey: msgKey, MsgTime: msgTime }
      return { actionStatus: 'SomeError' as const, MsgKey: msgKey, MsgTime: msgTime, ErrorList }
    })
  },
})
