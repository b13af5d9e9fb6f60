/**
 * Changes a group's profile (spec part 2 §15.1): every change bumps InfoSeq and LastInfoTime; a
 * request that sets Name, Introduction, Notification or FaceUrl fires
 * Group.CallbackAfterGroupInfoChanged with those fields (§21.4). `MuteAllMember` (legacy
 * `ShutUpAllMember`) `On` lets only the owner, admins and app admins send.
 */
import { TencentError } from '../../domain/codes.js'
import * as L from '../../domain/groups/limits.js'
import type { GroupChange } from '../../store/groups.js'
import { groupEvents } from '../../webhooks/group-events.js'
import { command } from '../command.js'
import { f } from '../fields.js'
import { APPLY_OPTIONS, lockGroup, groupId, text } from './group-fields.js'

const onOff = f.optional(f.string({ missing: 10004 }))
const ignored = f.optional(f.int({ missing: 10004 }))

export const modify_group_base_info = command({
  service: 'group_open_http_svc',
  name: 'modify_group_base_info',
  perSecond: 200,
  request: {
    GroupId: groupId(),
    Name: f.optional(f.string({ missing: 10004, maxBytes: L.MAX_NAME_BYTES })),
    Introduction: text(L.MAX_INTRODUCTION_BYTES),
    Notification: text(L.MAX_NOTIFICATION_BYTES),
    FaceUrl: text(L.MAX_FACE_URL_BYTES),
    MaxMemberNum: f.optional(f.int({ missing: 10004, min: 1, max: L.MAX_GROUP_MEMBERS })),
    ApplyJoinOption: f.optional(f.string({ missing: 10004 })),
    MuteAllMember: f.alias(['ShutUpAllMember'], onOff),
    From_Account: f.optional(f.userId({ missing: 10004 })),
    // [U] Topic-community permissions: accepted and ignored (§15.1).
    EnablePermission: ignored,
    DefaultPermission: ignored,
  },
  async run(req, { caller, clock, transaction }) {
    if (req.ApplyJoinOption !== undefined && !APPLY_OPTIONS.includes(req.ApplyJoinOption)) {
      throw new TencentError(10004, `ApplyJoinOption must be one of ${APPLY_OPTIONS.join(', ')}`)
    }
    if (req.MuteAllMember !== undefined && req.MuteAllMember !== 'On' && req.MuteAllMember !== 'Off') {
      throw new TencentError(10004, 'MuteAllMember must be On or Off')
    }
    const change: GroupChange = {
      name: req.Name,
      introduction: req.Introduction,
      notification: req.Notification,
      faceUrl: req.FaceUrl,
      maxMembers: req.MaxMemberNum,
      applyJoinOption: req.ApplyJoinOption,
      muteAllMember: req.MuteAllMember === undefined ? undefined : req.MuteAllMember === 'On',
    }
    const told = Object.fromEntries(
      (['Name', 'Introduction', 'Notification', 'FaceUrl'] as const).flatMap((k) =>
        req[k] === undefined ? [] : [[k, req[k]!]],
      ),
    )
    await transaction(async (tx) => {
      const group = await lockGroup(tx, req.GroupId)
      // The cap is ignored for AVChatRoom (§15.1); [U] below the current member count it is 10004.
      if (group.type === 'AVChatRoom') change.maxMembers = undefined
      if (change.maxMembers !== undefined && change.maxMembers < group.memberCount) {
        throw new TencentError(10004, 'MaxMemberNum is below the current member count')
      }
      if (group.type === 'Community' && req.ApplyJoinOption !== undefined) {
        throw new TencentError(10004, 'Community groups have no ApplyJoinOption')
      }
      await tx.groups.updateGroup(req.GroupId, change, clock.nowSeconds())
      if (Object.keys(told).length > 0) {
        const g = { GroupId: group.groupId, Type: group.type }
        const operator = req.From_Account ?? caller
        await tx.outbox.enqueue(groupEvents.infoChanged(g, { operator, fields: told }, clock.nowMs()))
      }
    })
    return {}
  },
})
