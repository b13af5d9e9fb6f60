/**
 * Read and unread counts of group messages (spec §6.12, seed get_group_msg_receipt): one
 * `GroupMsgReceiptList` item per requested seq, `Code` 10062 for a seq with no receipt (unknown,
 * recalled, or sent without `NeedReadReceipt: 1`). Counts are O(1) per seq at any group size.
 */
import { MAX_RECEIPT_QUERY_SEQS } from '../../domain/groups/limits.js'
import { command } from '../command.js'
import { groupId, receiptGroup, seqList } from './group-fields.js'

export const get_group_msg_receipt = command({
  service: 'group_open_http_svc',
  name: 'get_group_msg_receipt',
  perSecond: 200,
  request: { GroupId: groupId(), MsgSeqList: seqList(MAX_RECEIPT_QUERY_SEQS) },
  async run(req, { app, read }) {
    const found = await read((tx) => tx.groupReceipts.counts(req.GroupId, req.MsgSeqList), 'one-statement')
    receiptGroup(found?.group, app)
    const counts = found!.counts
    const GroupMsgReceiptList = req.MsgSeqList.map((seq) => {
      const c = counts.get(seq)
      // [U] A failed item carries zero counts beside its Code.
      if (c === undefined) return { Code: 10062, MsgSeq: seq, ReadNum: 0, UnreadNum: 0 }
      return { Code: 0, MsgSeq: seq, ReadNum: c.read, UnreadNum: c.unread }
    })
    return { GroupMsgReceiptList }
  },
})
