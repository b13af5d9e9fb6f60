/**
 * Silently recalls one sender's messages among the group's newest 1,000 (spec part 2 §15.5): each
 * becomes recalled as with group_msg_recall (out of unread counts, no receipt), with no webhook.
 */
import { command } from '../command.js'
import { f } from '../fields.js'
import { lockGroup, groupId } from './group-fields.js'

const WINDOW = 1000

export const delete_group_msg_by_sender = command({
  service: 'group_open_http_svc',
  name: 'delete_group_msg_by_sender',
  perSecond: 200,
  request: { GroupId: groupId(), Sender_Account: f.userId({ missing: 10004 }) },
  async run(req, { transaction }) {
    await transaction(async (tx) => {
      const group = await lockGroup(tx, req.GroupId)
      // AVChatRoom keeps no history: nothing to do, no error (§15.5).
      if (group.type === 'AVChatRoom') return
      const seqs = await tx.groups.seqsBySender(req.GroupId, req.Sender_Account, WINDOW)
      if (seqs.length > 0) await tx.groups.recall(req.GroupId, seqs)
    })
    return {}
  },
})
