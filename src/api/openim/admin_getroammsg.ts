/**
 * One conversation's history as Operator_Account sees it (spec §4.6): messages sent with
 * `SyncOtherMachine: 2` are missing from the sender's view, recalled ones carry MsgFlagBits 8,
 * and IsPeerRead is the per-message receipt. Pages go from newest to oldest, each listed oldest
 * first; `LastMsgTime`/`LastMsgKey` name the oldest of the page, and a client continues with
 * `MaxTime = LastMsgTime` and `LastMsgKey` until `Complete` is 1.
 */
import { parseMsgKey, UINT32_MAX } from '../../domain/c2c/msg-key.js'
import { MAX_ROAM_PAGE, type StoredMessage } from '../../domain/c2c/rules.js'
import { TencentError } from '../../domain/codes.js'
import { command } from '../command.js'
import { f } from '../fields.js'

/** Recalled messages keep their place in history without their content [U]. */
const toWire = (m: StoredMessage) => ({
  From_Account: m.from,
  To_Account: m.to,
  MsgSeq: m.msgSeq,
  MsgRandom: m.msgRandom,
  MsgTimeStamp: m.msgTime,
  MsgFlagBits: m.recalled ? 8 : 0,
  IsPeerRead: m.peerRead ? 1 : 0,
  MsgKey: m.msgKey,
  MsgBody: m.recalled ? [] : m.body,
  CloudCustomData: m.recalled ? '' : m.cloudCustomData,
})

export const admin_getroammsg = command({
  service: 'openim',
  name: 'admin_getroammsg',
  perSecond: 200,
  request: {
    // Older SDKs send From_Account/To_Account (design.md decision 3).
    Operator_Account: f.alias(['From_Account'], f.userId({ missing: 90008 })),
    Peer_Account: f.alias(['To_Account'], f.userId({ missing: 90003 })),
    // [U] No code is documented for MaxCnt/MinTime/MaxTime/LastMsgKey; 90001, this API's parse code.
    MaxCnt: f.int({ missing: 90001, min: 1 }),
    MinTime: f.int({ missing: 90001, max: UINT32_MAX }),
    MaxTime: f.int({ missing: 90001, max: UINT32_MAX }),
    LastMsgKey: f.optional(f.string({ missing: 90001, allowEmpty: true })),
  },
  async run(req, { read }) {
    const viewer = req.Operator_Account
    const peer = req.Peer_Account
    const last =
      req.LastMsgKey === undefined || req.LastMsgKey === '' ? undefined : parseMsgKey(req.LastMsgKey)
    if (req.LastMsgKey && last === undefined) throw new TencentError(90001, 'LastMsgKey is not a MsgKey')
    const page = await read(async (tx) => {
      const known = await tx.accounts.existing([viewer, peer])
      if (!known.has(viewer)) throw new TencentError(90008, 'Operator_Account does not exist')
      if (!known.has(peer)) throw new TencentError(90003, 'Peer_Account does not exist')
      return tx.c2c.history({
        viewer,
        peer,
        minTime: req.MinTime,
        maxTime: req.MaxTime,
        before: last,
        limit: Math.min(req.MaxCnt, MAX_ROAM_PAGE),
      })
    })
    const oldest = page.messages.at(-1)
    return {
      Complete: page.more ? 0 : 1,
      MsgCnt: page.messages.length,
      LastMsgTime: oldest?.msgTime ?? 0,
      LastMsgKey: oldest?.msgKey ?? '',
      MsgList: page.messages.map(toWire).reverse(),
    }
  },
})
