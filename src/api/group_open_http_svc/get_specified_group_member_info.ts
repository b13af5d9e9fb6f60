/**
 * Named members of a group with their read state (spec part 2 §14.3.6): the member objects of
 * get_group_member_info for up to 50 accounts; accounts that are not members are left out.
 */
import { TencentError } from '../../domain/codes.js'
import { command } from '../command.js'
import { f } from '../fields.js'
import { findGroup, groupId, listUserId } from './group-fields.js'
import { nameList, renderMember, roleFilter, viewOptions } from './group-views.js'

const MAX_ACCOUNTS = 50

export const get_specified_group_member_info = command({
  service: 'group_open_http_svc',
  name: 'get_specified_group_member_info',
  perSecond: 200,
  request: {
    GroupId: groupId(),
    Member_List_Account: f.array({ missing: 10004, minItems: 1, maxItems: MAX_ACCOUNTS }, listUserId),
    MemberInfoFilter: nameList(),
    MemberRoleFilter: roleFilter,
    AppDefinedDataFilter_GroupMember: nameList(),
  },
  async run(req, { app, clock, read }) {
    return read(async (tx) => {
      const group = await findGroup(tx, req.GroupId)
      if (group.type === 'AVChatRoom') throw new TencentError(10007, 'AVChatRoom groups have no member list')
      const members = await tx.groups.memberStates(req.GroupId, {
        userIds: [...new Set(req.Member_List_Account)],
        roles: req.MemberRoleFilter,
        offset: 0,
        limit: undefined,
      })
      const view = viewOptions(app, clock)
      // [U] OnlineStatus (an Ultimate feature) is always "Offline": receiptd has no connections.
      const online = req.MemberInfoFilter?.includes('OnlineStatus') === true
      const MemberList = members.map((m) => ({
        ...renderMember(group.type, m, req.MemberInfoFilter, view),
        ...(online && { OnlineStatus: 'Offline' }),
      }))
      return { MemberList }
    })
  },
})
