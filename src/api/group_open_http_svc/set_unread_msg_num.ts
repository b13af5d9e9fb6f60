/**
 * Sets a member's unread count for the group (spec §6.9): the member's read seq is placed so that
 * exactly that many counting messages follow it, capped at the messages there are (spec part 2
 * §13.5.3). ChatRoom and AVChatRoom keep no unread counts: accepted with no effect, as Tencent does.
 */
import { TencentError } from '../../domain/codes.js'
import { hasUnreadCounts } from '../../domain/groups/group-types.js'
import { command } from '../command.js'
import { f } from '../fields.js'
import { lockGroup, groupId } from './group-fields.js'

export const set_unread_msg_num = command({
  service: 'group_open_http_svc',
  name: 'set_unread_msg_num',
  perSecond: 200,
  request: {
    GroupId: groupId(),
    Member_Account: f.userId({ missing: 10004 }),
    UnreadMsgNum: f.int({ missing: 10004 }),
  },
  async run(req, { transaction }) {
    await transaction(async (tx) => {
      const group = await lockGroup(tx, req.GroupId)
      if (!hasUnreadCounts(group.type)) return
      // [U] A Member_Account that is not a member: 10007, as for the other member-scoped calls.
      if ((await tx.groups.placeReadSeq(req.GroupId, req.Member_Account, req.UnreadMsgNum)) === undefined) {
        throw new TencentError(10007, `${req.Member_Account} is not a member of the group`)
      }
    })
    return {}
  },
})
