/**
 * Full profiles of up to 50 groups, each with its own `ErrorCode` (spec part 2 §14.2), and, unless
 * filtered out, every member with its read seq (`MsgSeq`, §13.5).
 */
import { checkGroupId } from '../../domain/groups/group-id.js'
import { TencentError } from '../../domain/codes.js'
import { command } from '../command.js'
import { f, type Json } from '../fields.js'
import { nameList, renderBase, renderMember, viewOptions } from './group-views.js'

const MAX_GROUPS = 50
const anyString = (v: Json, at: string) => {
  if (typeof v !== 'string') throw new TencentError(10004, `${at} must be a string`)
  return v
}

export const get_group_info = command({
  service: 'group_open_http_svc',
  name: 'get_group_info',
  perSecond: 200,
  request: {
    // [U] Empty or more than 50: 10004 (§14.2.5). A malformed id is reported in its own item.
    GroupIdList: f.array({ missing: 10004, minItems: 1, maxItems: MAX_GROUPS }, anyString),
    ResponseFilter: f.optional(
      f.object(
        { missing: 10004 },
        {
          GroupBaseInfoFilter: nameList(),
          MemberInfoFilter: nameList(),
          AppDefinedDataFilter_Group: nameList(),
          AppDefinedDataFilter_GroupMember: nameList(),
        },
      ),
    ),
  },
  async run(req, { app, clock, read }) {
    const filter = req.ResponseFilter
    const view = viewOptions(app, clock)
    const GroupInfo = await read(async (tx) => {
      const out: Record<string, unknown>[] = []
      for (const raw of req.GroupIdList) {
        const id = checkGroupId(raw)
        if (id === undefined) {
          out.push({ GroupId: raw, ErrorCode: 10015, ErrorInfo: 'invalid group ID' })
          continue
        }
        const group = await tx.groups.find(id)
        if (group === undefined) {
          out.push({ GroupId: raw, ErrorCode: 10010, ErrorInfo: 'this group does not exist' })
          continue
        }
        // No filter: every part; with one, each part only if its filter is there (§14.2.3).
        const item: Record<string, unknown> = {
          ...renderBase(group, filter === undefined ? undefined : (filter.GroupBaseInfoFilter ?? []), view),
          ErrorCode: 0,
          ErrorInfo: '',
        }
        if (filter === undefined || filter.GroupBaseInfoFilter !== undefined) {
          item.Appid = app.sdkAppId
          item.OnlineMemberNum = 0
        }
        // Group custom data is not kept yet: asked for, it is empty.
        if (filter === undefined || filter.AppDefinedDataFilter_Group !== undefined) item.AppDefinedData = []
        const wantsMembers = filter === undefined || filter.MemberInfoFilter !== undefined
        // AVChatRoom: base info only (§14.2.3).
        if (wantsMembers && group.type !== 'AVChatRoom') {
          const members = await tx.groups.memberStates(id, { offset: 0, limit: undefined })
          item.MemberList = members.map((m) => renderMember(group.type, m, filter?.MemberInfoFilter, view))
        }
        out.push(item)
      }
      return out
    })
    return { GroupInfo }
  },
})
