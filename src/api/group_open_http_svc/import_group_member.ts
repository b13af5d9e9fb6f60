/**
 * Imports a group's members with their join times and read positions (spec part 2 §16.3):
 * `UnreadMsgNum` places the member's read seq so that exactly that many counting messages follow
 * it (§13.5.3), which is how a migration carries badges over. Per-member `Result`: 0 failed, 1
 * imported, 2 already a member (left as it is). No webhooks, no tips.
 */
import type { UserId } from '../../domain/accounts/user-id.js'
import { TencentError } from '../../domain/codes.js'
import { hasUnreadCounts } from '../../domain/groups/group-types.js'
import { command } from '../command.js'
import { f, own, type Json, type JsonObject } from '../fields.js'
import { lockGroup, groupId, memberItem } from './group-fields.js'

const MAX_MEMBERS = 300

interface ImportedMember {
  userId: UserId
  admin: boolean
  joinTime: number | undefined
  unread: number | undefined
}

const extra = {
  JoinTime: f.optional(f.int({ missing: 10004 })),
  UnreadMsgNum: f.optional(f.int({ missing: 10004 })),
}

function member(item: Json, at: string): ImportedMember {
  const { userId, admin } = memberItem(item, at)
  const o = item as JsonObject
  return {
    userId,
    admin,
    joinTime: extra.JoinTime.read(o, 'JoinTime'),
    unread: own(o, 'UnreadMsgNum') === undefined ? undefined : extra.UnreadMsgNum.read(o, 'UnreadMsgNum'),
  }
}

export const import_group_member = command({
  service: 'group_open_http_svc',
  name: 'import_group_member',
  perSecond: 200,
  request: {
    GroupId: groupId(),
    MemberList: f.array({ missing: 10004, minItems: 1, maxItems: MAX_MEMBERS, tooMany: 10005 }, member),
  },
  async run(req, { clock, transaction }) {
    const now = clock.nowSeconds()
    const MemberList = await transaction(async (tx) => {
      const group = await lockGroup(tx, req.GroupId)
      if (group.type === 'AVChatRoom')
        throw new TencentError(10007, 'AVChatRoom groups cannot import members')
      const known = await tx.accounts.existing(req.MemberList.map((m) => m.userId))
      const already = await tx.groups.members(
        req.GroupId,
        req.MemberList.map((m) => m.userId),
      )
      const results = []
      for (const m of req.MemberList) {
        if (already.has(m.userId)) {
          results.push({ Member_Account: m.userId, Result: 2 })
          continue
        }
        const joinTime = m.joinTime ?? now
        // [U] A JoinTime outside (CreateTime, now], or an account that is not imported: that member fails.
        if (!known.has(m.userId) || joinTime > now || joinTime < group.createdTime) {
          results.push({ Member_Account: m.userId, Result: 0 })
          continue
        }
        const role = m.admin ? 'Admin' : 'Member'
        // The cap is checked under the group's lock; [U] a member past it fails (Result 0).
        const max = group.maxMembers > 0 ? group.maxMembers : undefined
        const added = await tx.groups.addMembers(req.GroupId, [{ userId: m.userId, role }], joinTime, max)
        if (added.length === 0) {
          results.push({ Member_Account: m.userId, Result: 0 })
          continue
        }
        already.add(m.userId)
        // Joining leaves nothing unread; a count places the read seq (absent: 0 unread, [U]).
        if (m.unread !== undefined && m.unread > 0 && hasUnreadCounts(group.type)) {
          await tx.groups.placeReadSeq(req.GroupId, m.userId, m.unread)
        }
        results.push({ Member_Account: m.userId, Result: 1 })
      }
      return results
    })
    return { MemberList }
  },
})
