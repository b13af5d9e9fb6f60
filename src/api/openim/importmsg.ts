/**
 * Imports one C2C message with its original time (spec §4.5). `SyncFromOldSystem` 2 imports it as
 * read history; 5 (and the older SDKs' 1) counts it as unread. The first import of a MsgKey wins,
 * in either direction. Fires no webhook.
 */
import { UINT32_MAX } from '../../domain/c2c/msg-key.js'
import { unreadExclusion, importOrigin } from '../../domain/c2c/rules.js'
import { TencentError } from '../../domain/codes.js'
import { command } from '../command.js'
import { f } from '../fields.js'
import { checkMessageSize, messageFields as m, newMessage, seqOrRandom, storeMessage } from './c2c-message.js'

export const importmsg = command({
  service: 'openim',
  name: 'importmsg',
  perSecond: 200,
  request: {
    SyncFromOldSystem: f.int({ missing: 90030 }),
    From_Account: f.userId({ missing: 90008 }),
    To_Account: f.userId({ missing: 90003 }),
    MsgSeq: m.MsgSeq,
    MsgRandom: m.MsgRandom,
    MsgTimeStamp: f.int({ missing: 90006, max: UINT32_MAX }),
    MsgBody: m.MsgBody,
    CloudCustomData: m.CloudCustomData,
  },
  async run(req, { transaction }) {
    const origin = importOrigin(req.SyncFromOldSystem)
    if (origin === undefined) throw new TencentError(90030, 'SyncFromOldSystem must be 1, 2 or 5')
    checkMessageSize(req.MsgBody, req.CloudCustomData)
    const from = req.From_Account
    const to = req.To_Account
    const message = newMessage({
      from,
      to,
      msgSeq: seqOrRandom(req.MsgSeq),
      msgRandom: req.MsgRandom,
      msgTime: req.MsgTimeStamp,
      body: req.MsgBody,
      cloudCustomData: req.CloudCustomData,
      needReadReceipt: undefined,
      syncOtherMachine: undefined,
      exclusion: unreadExclusion({ from, to, origin, noUnread: false, onlineOnly: false }),
    })
    await transaction(async (tx) => {
      const known = await tx.accounts.existing([from, to])
      if (!known.has(from)) throw new TencentError(90008)
      if (!known.has(to)) throw new TencentError(90012)
      await storeMessage(tx, message, undefined)
    })
    return {}
  },
})
