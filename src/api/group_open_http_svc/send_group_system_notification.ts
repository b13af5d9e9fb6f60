/**
 * A group system notification (spec part 2 §15.4): not a group message, so no MsgSeq, no history,
 * no unread and no per-group limit. receiptd has no client connections to deliver it to yet, so
 * it checks the request and answers OK; [U] recipients who are not members are skipped.
 */
import { TencentError } from '../../domain/codes.js'
import { command } from '../command.js'
import { f } from '../fields.js'
import { findGroup, groupId, listUserId } from './group-fields.js'

const MAX_RECIPIENTS = 500

export const send_group_system_notification = command({
  service: 'group_open_http_svc',
  name: 'send_group_system_notification',
  perSecond: 200,
  request: {
    GroupId: groupId(),
    ToMembers_Account: f.optional(
      f.array({ missing: 10004, maxItems: MAX_RECIPIENTS, tooMany: 10005 }, listUserId),
    ),
    Content: f.string({ missing: 10004 }),
    TopicId: f.optional(f.string({ missing: 10004 })),
  },
  async run(req, { read }) {
    await read(async (tx) => {
      const group = await findGroup(tx, req.GroupId)
      // [U] An AVChatRoom notification goes to everyone: a recipient list is 10004.
      if (group.type === 'AVChatRoom' && (req.ToMembers_Account?.length ?? 0) > 0) {
        throw new TencentError(10004, 'AVChatRoom notifications go to every member')
      }
    })
    return {}
  },
})
