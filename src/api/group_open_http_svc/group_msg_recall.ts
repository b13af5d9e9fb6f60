/**
 * Recalls up to 10 messages (spec §6.8), each with a `RetCode` in `RecallRetList`. A recalled
 * message keeps its seq but loses its receipt: the receipt APIs answer 10062 for it.
 */
import { MAX_RECALL_SEQS } from '../../domain/groups/limits.js'
import { groupEvents } from '../../webhooks/group-events.js'
import { command } from '../command.js'
import { lockGroup, groupId, seqList } from './group-fields.js'

export const group_msg_recall = command({
  service: 'group_open_http_svc',
  name: 'group_msg_recall',
  perSecond: 200,
  request: { GroupId: groupId(), MsgSeqList: seqList(MAX_RECALL_SEQS) },
  async run(req, { caller, clock, transaction }) {
    return transaction(async (tx) => {
      const group = await lockGroup(tx, req.GroupId)
      const outcome = await tx.groups.recall(req.GroupId, req.MsgSeqList)
      const done = [...outcome].flatMap(([seq, o]) => (o === 'recalled' ? [seq] : []))
      if (done.length > 0) {
        const g = { GroupId: group.groupId, Type: group.type }
        await tx.outbox.enqueue(groupEvents.recalled(g, { operator: caller, seqs: done }, clock.nowMs()))
      }
      // [U] An unknown, online-only or already recalled seq answers 10030 ("does not exist").
      const reported = new Set<number>()
      const RecallRetList = req.MsgSeqList.map((seq) => {
        const ok = outcome.get(seq) === 'recalled' && !reported.has(seq)
        reported.add(seq)
        return { MsgSeq: seq, RetCode: ok ? 0 : 10030 }
      })
      return { RecallRetList }
    })
  },
})
