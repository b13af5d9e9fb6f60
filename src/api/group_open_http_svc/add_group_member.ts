/**
 * Adds up to 300 members (spec §6.3), each with a `Result`: 0 not added (not imported), 1 added,
 * 2 already a member. A new membership sees only later messages (design.md decision 8).
 * Group.CallbackAfterGroupFull fires when the call fills the group or is refused because it would
 * pass the cap (spec part 2 §21.3), at most once a call.
 */
import type { UserId } from '../../domain/accounts/user-id.js'
import { TencentError } from '../../domain/codes.js'
import { MAX_ADD_MEMBERS } from '../../domain/groups/limits.js'
import { groupEvents } from '../../webhooks/group-events.js'
import { command } from '../command.js'
import { f } from '../fields.js'
import { lockGroup, groupId, memberItem } from './group-fields.js'

export const add_group_member = command({
  service: 'group_open_http_svc',
  name: 'add_group_member',
  perSecond: 200,
  request: {
    GroupId: groupId(),
    Silence: f.optional(f.int({ missing: 10004, min: 0, max: 1 })),
    MemberList: f.array(
      { missing: 10004, minItems: 1, maxItems: MAX_ADD_MEMBERS, tooMany: 10005 },
      memberItem,
    ),
  },
  async run(req, { caller, clock, transaction }) {
    const wanted = req.MemberList.map((m) => m.userId)
    const result = await transaction(async (tx) => {
      const group = await lockGroup(tx, req.GroupId)
      if (group.type === 'AVChatRoom') throw new TencentError(10007, 'AVChatRoom members join by themselves')
      const known = await tx.accounts.existing(wanted)
      const before = await tx.groups.members(req.GroupId, wanted)
      const fresh = [...new Set(wanted)].filter((u) => known.has(u) && !before.has(u))
      const full = groupEvents.full({ GroupId: group.groupId, Type: group.type }, clock.nowMs())
      // [U] A call that would pass MaxMemberCount adds no one (10014) rather than some; the event
      // commits, then the refusal is answered.
      if (group.maxMembers > 0 && group.memberCount + fresh.length > group.maxMembers) {
        await tx.outbox.enqueue(full)
        return { known, added: new Set<UserId>(), refused: true }
      }
      const added = await tx.groups.addMembers(
        req.GroupId,
        req.MemberList.filter((m) => fresh.includes(m.userId)).map((m) => ({
          userId: m.userId,
          role: m.admin ? ('Admin' as const) : ('Member' as const),
        })),
        clock.nowSeconds(),
      )
      if (added.length > 0) {
        const g = { GroupId: group.groupId, Type: group.type }
        await tx.outbox.enqueue(groupEvents.joined(g, { operator: caller, members: added }, clock.nowMs()))
        if (group.maxMembers > 0 && group.memberCount + added.length >= group.maxMembers)
          await tx.outbox.enqueue(full)
      }
      return { known, added: new Set<UserId>(added), refused: false }
    })
    if (result.refused) throw new TencentError(10014)
    // A UserID listed twice is added once; the repeat finds a member, as a second call would.
    const reported = new Set<UserId>()
    const MemberList = wanted.map((u) => {
      let Result = 2
      if (!result.known.has(u)) Result = 0
      else if (result.added.has(u) && !reported.has(u)) Result = 1
      reported.add(u)
      return { Member_Account: u, Result }
    })
    return { MemberList }
  },
})
