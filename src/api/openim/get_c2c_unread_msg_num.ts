/**
 * To_Account's C2C unread counts (spec §5.2): the total, and with Peer_Account (≤10) one count
 * per peer; a peer that is not an account is an `ErrorList` item with 70107. Counts are read from
 * counters, never counted at read time.
 */
import { checkUserId, type UserId } from '../../domain/accounts/user-id.js'
import { MAX_UNREAD_PEERS } from '../../domain/c2c/rules.js'
import { TencentError } from '../../domain/codes.js'
import { command } from '../command.js'
import { f } from '../fields.js'

export const get_c2c_unread_msg_num = command({
  service: 'openim',
  name: 'get_c2c_unread_msg_num',
  perSecond: 200,
  request: {
    To_Account: f.userId({ missing: 90003 }),
    // [U] More than 10 peers, or not an array: 90001, the only other code this API documents.
    Peer_Account: f.optional(
      f.array({ missing: 90001, maxItems: MAX_UNREAD_PEERS }, (v, at) => {
        if (typeof v !== 'string') throw new TencentError(60015, `${at} must be a string`)
        return v
      }),
    ),
  },
  async run(req, { read }) {
    const user = req.To_Account
    const peers = req.Peer_Account ?? []
    const ids = peers.flatMap((p) => {
      const c = checkUserId(p)
      return c.ok ? [c.userId] : []
    })
    const counts = await read((tx) => tx.c2c.unreadCounts(user, ids), 'one-statement')
    if (counts === undefined) throw new TencentError(90003)
    const AllC2CUnreadMsgNum = counts.total
    // [U] The total is sent in both modes; Tencent's SDK models make all three fields optional.
    if (req.Peer_Account === undefined || peers.length === 0) return { AllC2CUnreadMsgNum }
    const C2CUnreadMsgNumList: { Peer_Account: string; C2CUnreadMsgNum: number }[] = []
    const ErrorList: { Peer_Account: string; ErrorCode: number }[] = []
    for (const p of peers) {
      const n = counts.peers.get(p as UserId)
      if (n === undefined) ErrorList.push({ Peer_Account: p, ErrorCode: 70107 })
      else C2CUnreadMsgNumList.push({ Peer_Account: p, C2CUnreadMsgNum: n })
    }
    if (ErrorList.length === 0) return { AllC2CUnreadMsgNum, C2CUnreadMsgNumList }
    return { AllC2CUnreadMsgNum, C2CUnreadMsgNumList, ErrorList }
  },
})
