/**
 * Operator_Account acknowledges messages Peer_Account sent them, by MsgKey (spec §5.3): sets
 * IsPeerRead, leaves unread counts alone, fires no webhook. The checks are design.md decision 7:
 * items not from Peer to Operator, malformed keys and more than 100 items are 20001; keys of no
 * message, or of a message that asked for no receipt, are skipped; repeats change nothing.
 */
import { parseMsgKey, type MsgKey } from '../../domain/c2c/msg-key.js'
import { MAX_RECEIPT_ITEMS } from '../../domain/c2c/rules.js'
import { TencentError } from '../../domain/codes.js'
import { command } from '../command.js'
import { f, own, type Json } from '../fields.js'

function receiptItem(v: Json, at: string): { from: string; to: string; msgKey: MsgKey } {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new TencentError(20001, `${at} must be an object`)
  }
  const [from, to, key] = [own(v, 'From_Account'), own(v, 'To_Account'), own(v, 'MsgKey')]
  if (from === undefined || to === undefined)
    throw new TencentError(20001, `${at} needs From_Account and To_Account`)
  if (typeof from !== 'string' || typeof to !== 'string') {
    throw new TencentError(60015, `${at}.From_Account and To_Account must be strings`)
  }
  const parsed = typeof key === 'string' ? parseMsgKey(key) : undefined
  if (parsed === undefined) throw new TencentError(20001, `${at}.MsgKey is not a MsgKey`)
  return { from, to, msgKey: parsed.msgKey }
}

export const c2c_msg_read_receipt = command({
  service: 'openim',
  name: 'c2c_msg_read_receipt',
  // [U] No rate is documented for this API; Tencent's usual 200/s (spec §1.4).
  perSecond: 200,
  request: {
    Operator_Account: f.userId({ missing: 20001 }),
    Peer_Account: f.userId({ missing: 20001 }),
    C2CMsgInfo: f.array({ missing: 20001, minItems: 1, maxItems: MAX_RECEIPT_ITEMS }, receiptItem),
  },
  async run(req, { transaction }) {
    const reader = req.Operator_Account
    const peer = req.Peer_Account
    for (const [i, item] of req.C2CMsgInfo.entries()) {
      if (item.from !== peer || item.to !== reader) {
        throw new TencentError(
          20001,
          `C2CMsgInfo[${i}]: From_Account must be Peer_Account and To_Account must be Operator_Account`,
        )
      }
    }
    const keys = req.C2CMsgInfo.map((i) => i.msgKey)
    const acked = await transaction((tx) => tx.c2c.ackReceipts(reader, peer, keys), 'one-statement')
    // [U] 20003 is this API's "sender or recipient does not exist" (spec §5.3).
    if (acked === 'unknown-account') throw new TencentError(20003)
    return {}
  },
})
