/**
 * Overwrites the content of one stored C2C message (spec part 2 §18.1): `MsgBody` and/or
 * `CloudCustomData`, whatever is sent; the rest stays as it was. Both sides' histories show the new
 * content (the message is stored once); a side that hid it keeps it hidden. Key, time, read state,
 * unread counts and `IsPeerRead` do not change, and no webhook fires (none is documented) [U].
 */
import { parseMsgKey } from '../../domain/c2c/msg-key.js'
import { TencentError } from '../../domain/codes.js'
import { command } from '../command.js'
import { f } from '../fields.js'
import { checkMessageSize, messageFields as m } from './c2c-message.js'

export const modify_c2c_msg = command({
  service: 'openim',
  name: 'modify_c2c_msg',
  perSecond: 200,
  request: {
    // [U] The page lists no code for From_Account; 20001 "invalid request packet", 20003 unknown.
    From_Account: f.userId({ missing: 20001 }),
    To_Account: f.userId({ missing: 90003 }),
    MsgKey: f.string({ missing: 20001 }),
    MsgBody: f.optional(f.msgBody({ missing: 90002 })),
    CloudCustomData: m.CloudCustomData,
  },
  async run(req, { transaction }) {
    const key = parseMsgKey(req.MsgKey)
    if (key === undefined) throw new TencentError(20001, 'MsgKey is not a MsgKey')
    if (req.MsgBody === undefined && req.CloudCustomData === undefined) {
      throw new TencentError(20001, 'nothing to modify: send MsgBody or CloudCustomData')
    }
    const from = req.From_Account
    const to = req.To_Account
    await transaction(async (tx) => {
      const known = await tx.accounts.existing([from, to])
      if (!known.has(from)) throw new TencentError(20003, 'From_Account is not an account')
      if (!known.has(to)) throw new TencentError(90012)
      const stored = await tx.edits.c2cMessage(from, to, key.msgKey)
      // [U] 20026, the code of the web SDK's modifyMessage: also for a recalled message.
      if (stored === undefined || stored.recalled) throw new TencentError(20026)
      const content = {
        body: req.MsgBody ?? stored.body,
        cloudCustomData: req.CloudCustomData ?? stored.cloudCustomData,
      }
      checkMessageSize(content.body as Parameters<typeof checkMessageSize>[0], content.cloudCustomData)
      if (!(await tx.edits.setC2CContent(from, to, key.msgKey, content))) throw new TencentError(20026)
    })
    return { successInfo: 'succeed' }
  },
})
