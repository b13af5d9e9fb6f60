/**
 * Recalls one C2C message, with no time limit (spec §4.7): 90008 / 90003 when From_Account /
 * To_Account is not an imported account, 20022 when there is no such message, 20023 when it was
 * recalled before. An unread recalled message leaves the recipient's counts
 * (design.md decision 6); C2C.CallbackAfterMsgWithDraw is recorded with the new total (spec §7.6).
 */
import { parseMsgKey } from '../../domain/c2c/msg-key.js'
import { TencentError } from '../../domain/codes.js'
import { afterMsgWithDraw } from '../../webhooks/c2c-events.js'
import { command } from '../command.js'
import { f } from '../fields.js'

export const admin_msgwithdraw = command({
  service: 'openim',
  name: 'admin_msgwithdraw',
  perSecond: 200,
  request: {
    From_Account: f.userId({ missing: 90008 }),
    To_Account: f.userId({ missing: 90003 }),
    MsgKey: f.string({ missing: 90054 }),
  },
  async run(req, { clock, transaction }) {
    const key = parseMsgKey(req.MsgKey)
    if (key === undefined) throw new TencentError(90054)
    await transaction(async (tx) => {
      const known = await tx.accounts.existing([req.From_Account, req.To_Account])
      if (!known.has(req.From_Account)) throw new TencentError(90008)
      if (!known.has(req.To_Account)) throw new TencentError(90003)
      const r = await tx.c2c.withdraw(req.From_Account, req.To_Account, key.msgKey)
      if (!r.withdrawn) throw new TencentError(r.reason === 'not-found' ? 20022 : 20023)
      await tx.outbox.enqueue(
        afterMsgWithDraw(req.From_Account, req.To_Account, key.msgKey, r.recipientUnreadTotal, clock.nowMs()),
      )
    })
    return {}
  },
})
