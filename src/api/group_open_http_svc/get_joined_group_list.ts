/**
 * The groups a user belongs to, with the user's own read state in each (spec part 2 §14.1):
 * `SelfInfo.MsgSeq` is the read seq and `UnreadMsgNum` the badge of §13.5, both O(1) per group.
 */
import { TencentError } from '../../domain/codes.js'
import { command } from '../command.js'
import { f } from '../fields.js'
import { groupTypeFilter, nameList, renderBase, renderMember, viewOptions } from './group-views.js'

/** Largest page (§14.1.1); [U] beyond it 10004. */
const MAX_LIMIT = 5000
const flag = f.optional(f.int({ missing: 10004, min: 0, max: 1 }))

export const get_joined_group_list = command({
  service: 'group_open_http_svc',
  name: 'get_joined_group_list',
  perSecond: 200,
  request: {
    Member_Account: f.userId({ missing: 10004 }),
    WithHugeGroups: flag,
    WithNoActiveGroups: flag,
    // [U] 0 is "absent" (DOBYTE always sends it): every group.
    Limit: f.optional(f.int({ missing: 10004, max: MAX_LIMIT })),
    Offset: f.optional(f.int({ missing: 10004 })),
    // [U] DOBYTE sends the type as `Type`.
    GroupType: f.alias(['Type'], groupTypeFilter),
    ResponseFilter: f.optional(
      f.object({ missing: 10004 }, { GroupBaseInfoFilter: nameList(), SelfInfoFilter: nameList() }),
    ),
    SupportTopic: flag,
  },
  async run(req, { app, clock, read }) {
    // [U] Topics are Community only (§14.1.5); receiptd has none, so the answer has no topic fields.
    if (req.SupportTopic === 1 && req.GroupType !== 'Community') {
      throw new TencentError(10004, 'SupportTopic needs GroupType Community')
    }
    const { total, groups } = await read((tx) =>
      tx.groups.joinedGroups(req.Member_Account, {
        type: req.GroupType,
        withHuge: req.WithHugeGroups === 1,
        withInactive: req.WithNoActiveGroups === 1,
        offset: req.Offset ?? 0,
        limit: req.Limit === 0 ? undefined : req.Limit,
      }),
    )
    const view = viewOptions(app, clock)
    const base = req.ResponseFilter?.GroupBaseInfoFilter
    const self = req.ResponseFilter?.SelfInfoFilter
    // No filter at all: each item is just its GroupId (§14.1.3).
    const GroupIdList = groups.map(({ group, self: state }) => ({
      ...renderBase(group, base ?? [], view),
      ...(self !== undefined && { SelfInfo: renderMember(group.type, state, self, view, false) }),
    }))
    return { TotalCount: total, GroupIdList }
  },
})
