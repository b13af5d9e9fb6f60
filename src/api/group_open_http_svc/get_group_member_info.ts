/**
 * A group's members with each one's read seq (`MsgSeq`) and, when asked, unread count (spec part 2
 * §14.3, §13.5), in join order. `MemberNum` is the whole group's, not the page's.
 */
import { TencentError } from '../../domain/codes.js'
import { command } from '../command.js'
import { f } from '../fields.js'
import { findGroup, groupId } from './group-fields.js'
import { nameList, renderMember, roleFilter, viewOptions } from './group-views.js'

/** [U] Doc conflict (§14.3.1): up to 6000 a page, 10004 beyond; Community batches up to 100. */
const MAX_LIMIT = 6000
const MAX_COMMUNITY_LIMIT = 100

export const get_group_member_info = command({
  service: 'group_open_http_svc',
  name: 'get_group_member_info',
  perSecond: 200,
  request: {
    GroupId: groupId(),
    MemberInfoFilter: nameList(),
    MemberRoleFilter: roleFilter,
    AppDefinedDataFilter_GroupMember: nameList(),
    // [U] 0 or absent: every member (DOBYTE always sends `"Limit":0`).
    Limit: f.optional(f.int({ missing: 10004, max: MAX_LIMIT })),
    Offset: f.optional(f.int({ missing: 10004 })),
    Next: f.optional(f.string({ missing: 10004, allowEmpty: true })),
  },
  async run(req, { app, clock, read }) {
    const community = { offset: 0, limit: req.Limit === 0 ? undefined : req.Limit }
    return read(async (tx) => {
      const group = await findGroup(tx, req.GroupId)
      // [U] AVChatRoom members are not listed (§14.3.3): 10007, the family's "not for this type".
      if (group.type === 'AVChatRoom') throw new TencentError(10007, 'AVChatRoom groups have no member list')
      const isCommunity = group.type === 'Community'
      if (isCommunity) {
        // Community pages by an opaque `Next` (here the index of the next member); Offset is ignored.
        const next = req.Next ?? ''
        if (next !== '' && !/^\d{1,15}$/.test(next)) throw new TencentError(10004, 'Next is not a cursor')
        if ((req.Limit ?? 0) > MAX_COMMUNITY_LIMIT)
          throw new TencentError(10004, `Limit must be at most ${MAX_COMMUNITY_LIMIT} for Community groups`)
        community.offset = next === '' ? 0 : Number(next)
        community.limit = req.Limit || MAX_COMMUNITY_LIMIT
      }
      const offset = isCommunity ? community.offset : (req.Offset ?? 0)
      const limit = community.limit
      // One more than a Community page, to know whether it is the last.
      const found = await tx.groups.memberStates(req.GroupId, {
        roles: req.MemberRoleFilter,
        offset,
        limit: limit === undefined ? undefined : limit + (isCommunity ? 1 : 0),
      })
      const members = limit === undefined ? found : found.slice(0, limit)
      const view = viewOptions(app, clock)
      const MemberList = members.map((m) => renderMember(group.type, m, req.MemberInfoFilter, view))
      const answer: Record<string, unknown> = { MemberNum: group.memberCount, MemberList }
      if (isCommunity) answer.Next = found.length > members.length ? String(offset + members.length) : ''
      return answer
    })
  },
})
