/** Each named account's role in a group, or `NotMember` (spec part 2 §14.4), in request order. */
import { TencentError } from '../../domain/codes.js'
import { command } from '../command.js'
import { f } from '../fields.js'
import { findGroup, groupId, listUserId } from './group-fields.js'

/** 500 accounts a call; [U] beyond it 10005, "too many accounts". */
const MAX_ACCOUNTS = 500

export const get_role_in_group = command({
  service: 'group_open_http_svc',
  name: 'get_role_in_group',
  perSecond: 200,
  request: {
    GroupId: groupId(),
    User_Account: f.array(
      { missing: 10004, minItems: 1, maxItems: MAX_ACCOUNTS, tooMany: 10005 },
      listUserId,
    ),
  },
  async run(req, { read }) {
    return read(async (tx) => {
      const group = await findGroup(tx, req.GroupId)
      if (group.type === 'AVChatRoom') throw new TencentError(10007, 'AVChatRoom groups have no roles')
      const members = await tx.groups.memberStates(req.GroupId, {
        userIds: [...new Set(req.User_Account)],
        offset: 0,
        limit: undefined,
      })
      const roles = new Map(members.map((m) => [m.userId, m.role]))
      const UserIdList = req.User_Account.map((u) => ({
        Member_Account: u,
        Role: roles.get(u) ?? 'NotMember',
      }))
      return { UserIdList }
    })
  },
})
