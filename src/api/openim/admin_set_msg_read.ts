/**
 * Marks Report_Account's C2C conversation with Peer_Account read up to MsgReadTime (spec §5.1):
 * absent or in the future → now; never backwards (design.md decision 5). Every success records
 * C2C.CallbackAfterMsgReport with the read time after the call and the reader's total (spec §7.5).
 */
import { UINT32_MAX } from '../../domain/c2c/msg-key.js'
import { requestedReadTime } from '../../domain/c2c/rules.js'
import { TencentError } from '../../domain/codes.js'
import { afterMsgReport } from '../../webhooks/c2c-events.js'
import { command } from '../command.js'
import { f } from '../fields.js'

export const admin_set_msg_read = command({
  service: 'openim',
  name: 'admin_set_msg_read',
  perSecond: 200,
  request: {
    // [U] 90008 and 90003 name From_Account/To_Account in Tencent's table; they answer for the
    // reader and the peer here (spec §5.1).
    Report_Account: f.userId({ missing: 90008 }),
    Peer_Account: f.userId({ missing: 90003 }),
    // String in the docs; SDKs also send a number (design.md decision 2).
    // [U] No documented code for a malformed MsgReadTime; 90001 until observed otherwise.
    MsgReadTime: f.optional(f.int({ missing: 90001, max: UINT32_MAX })),
  },
  async run(req, { clock, transaction }) {
    const reader = req.Report_Account
    const peer = req.Peer_Account
    const upTo = requestedReadTime(req.MsgReadTime, clock.nowSeconds())
    await transaction(async (tx) => {
      const known = await tx.accounts.existing([reader, peer])
      if (!known.has(reader)) throw new TencentError(90008, 'Report_Account does not exist')
      if (!known.has(peer)) throw new TencentError(90003, 'Peer_Account does not exist')
      const r = await tx.c2c.markRead(reader, peer, upTo)
      await tx.outbox.enqueue(afterMsgReport(reader, peer, r.readTime, r.readerUnreadTotal, clock.nowMs()))
    })
    return {}
  },
})
