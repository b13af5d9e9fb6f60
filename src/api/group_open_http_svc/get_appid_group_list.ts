/**
 * Every GroupId of the app in creation order, 10,000 a page (spec part 2 §14.5); Tencent allows 1
 * call a second. `Next` is an opaque positive integer (an internal group number), 0 on the last page.
 */
import { command } from '../command.js'
import { f } from '../fields.js'
import { groupTypeFilter } from './group-views.js'

const MAX_LIMIT = 10_000

export const get_appid_group_list = command({
  service: 'group_open_http_svc',
  name: 'get_appid_group_list',
  perSecond: 1,
  request: {
    Limit: f.optional(f.int({ missing: 10004, min: 1, max: MAX_LIMIT })),
    Next: f.optional(f.int({ missing: 10004 })),
    GroupType: groupTypeFilter,
  },
  async run(req, { read }) {
    const page = await read((tx) =>
      tx.groups.groupIds({ type: req.GroupType, after: req.Next ?? 0, limit: req.Limit ?? MAX_LIMIT }),
    )
    return {
      TotalCount: page.total,
      GroupIdList: page.groupIds.map((GroupId) => ({ GroupId })),
      Next: page.next ?? 0,
    }
  },
})
