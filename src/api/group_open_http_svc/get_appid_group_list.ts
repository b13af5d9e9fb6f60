/**
 * Every GroupId of the app in creation order, 10,000 a page (spec part 2 §14.5); Tencent allows 1
 * call a second. `Next` is an opaque positive integer (an internal group number), 0 on the last page.
 */
import { command } from '../command.js'
import { f, own } from '../fields.js'
import { groupTypeFilter } from './group-views.js'

const MAX_LIMIT = 10_000

export const get_appid_group_list = command({
  service: 'group_open_http_svc',
  name: 'get_appid_group_list',
  perSecond: 1,
  request: {
    Limit: f.optional(f.int({ missing: 10004, min: 1, max: MAX_LIMIT })),
    Next: f.optional(f.int({ missing: 10004 })),
    // [U] TIMPHP-OLD paged with Offset; it counts when Next is absent (§14.5).
    Offset: f.optional(f.int({ missing: 10004 })),
    // BChatRoom is a type of old SDKs that no group here can have: accepted, and lists nothing.
    GroupType: {
      read: (body, name) =>
        own(body, name) === 'BChatRoom' ? ('BChatRoom' as const) : groupTypeFilter.read(body, name),
    },
  },
  async run(req, { read }) {
    const type = req.GroupType
    if (type === 'BChatRoom') return { TotalCount: 0, GroupIdList: [], Next: 0 }
    const page = await read((tx) =>
      tx.groups.groupIds({
        type,
        after: req.Next ?? 0,
        offset: req.Next === undefined ? (req.Offset ?? 0) : 0,
        limit: req.Limit ?? MAX_LIMIT,
      }),
    )
    return {
      TotalCount: page.total,
      GroupIdList: page.groupIds.map((GroupId) => ({ GroupId })),
      Next: page.next ?? 0,
    }
  },
})
