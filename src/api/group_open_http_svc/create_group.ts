/**
 * Creates a group with its owner and first members (spec §6.2). The app backend is asked first
 * (Group.CallbackBeforeCreateGroup, spec part 2 §21.1) and may refuse (10016 or its own code);
 * Group.CallbackAfterCreateGroup is written with the group.
 */
import type { UserId } from '../../domain/accounts/user-id.js'
import { TencentError } from '../../domain/codes.js'
import * as L from '../../domain/groups/limits.js'
import type { NewMember } from '../../store/groups.js'
import { groupEvents } from '../../webhooks/group-events.js'
import { command } from '../command.js'
import { f } from '../fields.js'
import { checkApplyJoinOption, customGroupId, newGroupFields, newGroupId } from './new-group.js'
import { memberItem } from './group-fields.js'

export const create_group = command({
  service: 'group_open_http_svc',
  name: 'create_group',
  perSecond: 200,
  request: {
    ...newGroupFields,
    MemberList: f.optional(
      f.array({ missing: 10004, maxItems: L.MAX_CREATE_MEMBERS, tooMany: 10005 }, memberItem),
    ),
  },
  async run(req, { caller, clock, read, transaction, webhooks }) {
    checkApplyJoinOption(req.ApplyJoinOption)
    const list = req.MemberList ?? []
    if (req.Type === 'AVChatRoom' && list.length > 0) {
      throw new TencentError(10007, 'AVChatRoom groups cannot be created with a MemberList')
    }
    const custom = customGroupId(req)
    const owner = req.Owner_Account
    const members: NewMember[] = owner === undefined ? [] : [{ userId: owner, role: 'Owner' }]
    for (const m of list)
      if (m.userId !== owner) members.push({ userId: m.userId, role: m.admin ? 'Admin' : 'Member' })
    // [U] AVChatRoom has no member limit (spec §6.1); 0 stands for none.
    const maxMembers = req.Type === 'AVChatRoom' ? 0 : (req.MaxMemberCount ?? L.MAX_GROUP_MEMBERS)
    const ids = [...new Set(members.map((m) => m.userId))]
    if (maxMembers > 0 && ids.length > maxMembers) throw new TencentError(10014)
    if (webhooks.asks('Group.CallbackBeforeCreateGroup')) {
      // Asked before the transaction, which never waits on the network; the counts need one read.
      // [U] CreateGroupNum counts the owner's groups of this type (the operator's without an owner).
      const owned = await read((tx) => tx.groups.ownedGroups((owner ?? caller) as UserId))
      const decision = await webhooks.beforeSend('Group.CallbackBeforeCreateGroup', {
        Operator_Account: caller,
        Owner_Account: owner ?? '',
        Type: req.Type,
        Name: req.Name,
        CreateGroupNum: owned[req.Type] ?? 0,
        CreatedGroupNum: owned,
        MemberList: ids.filter((u) => u !== owner).map((u) => ({ Member_Account: u })),
        EventTime: clock.nowMs(),
      })
      if (decision.action === 'reject') throw decision.error
    }
    const groupId = await transaction(async (tx) => {
      const known = await tx.accounts.existing(ids)
      // [U] Spec §6.2 says members must be imported without naming a code; 10019 is the group family's.
      const unknown = ids.find((id) => !known.has(id))
      if (unknown !== undefined) throw new TencentError(10019, `${unknown} is not imported`)
      const id = await newGroupId(tx, req.Type, custom)
      const now = clock.nowSeconds()
      const group = {
        groupId: id,
        type: req.Type,
        name: req.Name,
        owner,
        maxMembers,
        createdTime: now,
        introduction: req.Introduction,
        notification: req.Notification,
        faceUrl: req.FaceUrl,
        applyJoinOption: req.ApplyJoinOption,
      }
      const r = await tx.groups.createGroup(group, members)
      // [U] 10025 when the id is already the same owner's group, 10021 when someone else's (spec §6.2).
      if (!r.created) throw new TencentError(owner !== undefined && r.owner === owner ? 10025 : 10021)
      const event = {
        operator: caller,
        owner,
        name: req.Name,
        members: ids.filter((u) => u !== owner) as UserId[],
      }
      await tx.outbox.enqueue(groupEvents.created({ GroupId: id, Type: req.Type }, event, clock.nowMs()))
      return id
    })
    return { GroupId: groupId }
  },
})
