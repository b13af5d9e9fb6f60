/**
 * Removes members (spec §6.4); removing a non-member succeeds. Each leaves the audience of every
 * message it was in, with its reads (design.md decision 8). Fires Group.CallbackAfterMemberExit.
 */
import { TencentError } from '../../domain/codes.js'
import { MAX_DELETE_MEMBERS } from '../../domain/groups/limits.js'
import { groupEvents } from '../../webhooks/group-events.js'
import { command } from '../command.js'
import { f } from '../fields.js'
import { lockGroup, groupId, listUserId } from './group-fields.js'

export const delete_group_member = command({
  service: 'group_open_http_svc',
  name: 'delete_group_member',
  perSecond: 200,
  request: {
    GroupId: groupId(),
    Silence: f.optional(f.int({ missing: 10004, min: 0, max: 1 })),
    Reason: f.optional(f.string({ missing: 10004, allowEmpty: true })),
    MemberToDel_Account: f.array({ missing: 10004, minItems: 1, maxItems: MAX_DELETE_MEMBERS }, listUserId),
  },
  async run(req, { caller, clock, transaction }) {
    await transaction(async (tx) => {
      const group = await lockGroup(tx, req.GroupId)
      // Spec §6.4: not for AVChatRoom, answered 10004.
      if (group.type === 'AVChatRoom') throw new TencentError(10004, 'AVChatRoom members cannot be deleted')
      // [U] Tencent refuses to remove the owner; the code is undocumented, receiptd answers 10004.
      if (group.owner !== undefined && req.MemberToDel_Account.includes(group.owner)) {
        throw new TencentError(10004, 'the group owner cannot be deleted')
      }
      const removed = await tx.groups.removeMembers(req.GroupId, req.MemberToDel_Account)
      if (removed.length > 0) {
        const g = { GroupId: group.groupId, Type: group.type }
        await tx.outbox.enqueue(groupEvents.exited(g, { operator: caller, members: removed }, clock.nowMs()))
      }
    })
    return {}
  },
})
