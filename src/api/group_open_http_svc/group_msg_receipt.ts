/**
 * A member acknowledges up to 50 group messages (spec §6.11, design.md decision 10). Not a member:
 * 10007. Own messages, unknown seqs and messages without receipts are ignored; repeats are
 * idempotent. A call that moved any count fires one Group.CallbackAfterReadReceipt (spec §7.8).
 */
import { TencentError } from '../../domain/codes.js'
import { MAX_RECEIPT_SEQS } from '../../domain/groups/limits.js'
import { toRanges } from '../../domain/read-state/seq-ranges.js'
import { receives } from '../../webhooks/audience.js'
import { groupEvents } from '../../webhooks/group-events.js'
import { command } from '../command.js'
import { f } from '../fields.js'
import { groupId, receiptGroup, seqList } from './group-fields.js'

export const group_msg_receipt = command({
  service: 'group_open_http_svc',
  name: 'group_msg_receipt',
  perSecond: 200,
  request: {
    GroupId: groupId(),
    From_Account: f.userId({ missing: 10004 }),
    MsgSeqList: seqList(MAX_RECEIPT_SEQS),
  },
  async run(req, { app, clock, read, transaction }) {
    // The group's type decides before anything is written; a group destroyed in between leaves
    // the reader no membership (10007). Both steps are one statement each when no event is
    // recorded: two round trips on PostgreSQL.
    const group = receiptGroup(await read((tx) => tx.groups.find(req.GroupId), 'one-statement'), app)
    const recorded = receives(app, 'Group.CallbackAfterReadReceipt')
    await transaction(
      async (tx) => {
        const moved = await tx.groupReceipts.acknowledge(
          req.GroupId,
          req.From_Account,
          toRanges(req.MsgSeqList),
        )
        if (moved === 'not-member')
          throw new TencentError(10007, `${req.From_Account} is not a member of the group`)
        if (moved.length > 0) {
          const g = { GroupId: group.groupId, Type: group.type }
          const event = groupEvents.readReceipt(g, { reader: req.From_Account, counts: moved }, clock.nowMs())
          await tx.outbox.enqueue(event)
        }
      },
      recorded ? undefined : 'one-statement',
    )
    return {}
  },
})
