/**
 * Changes a member's role, message flag, name card or mute (spec part 2 §15.2), all or none. The
 * mute time is `MuteTime` (legacy `ShutUpTime`) seconds from now, or DOBYTE's absolute
 * `ShutUpUntil`; 4294967295 mutes for ever. `MsgFlag` never changes unread counting (§13.5.4).
 */
import { TencentError } from '../../domain/codes.js'
import type { MemberChange, MemberRole, MsgFlag } from '../../store/groups.js'
import { command } from '../command.js'
import { f } from '../fields.js'
import { lockGroup, groupId } from './group-fields.js'

const FOREVER = 4294967295
const MAX_NAME_CARD_BYTES = 50
const MSG_FLAGS: readonly MsgFlag[] = ['AcceptAndNotify', 'AcceptNotNotify', 'Discard']
const seconds = f.optional(f.int({ missing: 10004, max: FOREVER }))

export const modify_group_member_info = command({
  service: 'group_open_http_svc',
  name: 'modify_group_member_info',
  perSecond: 200,
  request: {
    GroupId: groupId(),
    Member_Account: f.userId({ missing: 10004 }),
    Role: f.optional(f.string({ missing: 10004 })),
    MsgFlag: f.optional(f.string({ missing: 10004 })),
    NameCard: f.optional(f.string({ missing: 10004, allowEmpty: true, maxBytes: MAX_NAME_CARD_BYTES })),
    MuteTime: f.alias(['ShutUpTime'], seconds),
    ShutUpUntil: seconds,
  },
  async run(req, { clock, transaction }) {
    if (req.Role !== undefined && req.Role !== 'Admin' && req.Role !== 'Member') {
      throw new TencentError(10004, 'Role must be Admin or Member')
    }
    if (req.MsgFlag !== undefined && !(MSG_FLAGS as readonly string[]).includes(req.MsgFlag)) {
      throw new TencentError(10004, `MsgFlag must be one of ${MSG_FLAGS.join(', ')}`)
    }
    const now = clock.nowSeconds()
    const mute =
      req.MuteTime !== undefined
        ? req.MuteTime === 0 || req.MuteTime === FOREVER
          ? req.MuteTime
          : now + req.MuteTime
        : req.ShutUpUntil
    const change: MemberChange = {
      role: req.Role as MemberRole | undefined,
      msgFlag: req.MsgFlag as MsgFlag | undefined,
      nameCard: req.NameCard,
      muteUntil: mute,
    }
    await transaction(async (tx) => {
      const group = await lockGroup(tx, req.GroupId)
      // [U] receiptd keeps no AVChatRoom member profiles; Work groups have no admins and no muting (§15.2).
      if (group.type === 'AVChatRoom')
        throw new TencentError(10007, 'AVChatRoom member profiles cannot be changed')
      if (group.type === 'Private' && (req.Role === 'Admin' || (mute !== undefined && mute !== 0))) {
        throw new TencentError(10007, 'Work groups have no admins and no muting')
      }
      const members = await tx.groups.memberStates(req.GroupId, {
        userIds: [req.Member_Account],
        offset: 0,
        limit: 1,
      })
      // [U] A target who is not a member: 10007.
      if (members.length === 0)
        throw new TencentError(10007, `${req.Member_Account} is not a member of the group`)
      if (req.Role !== undefined && members[0]!.role === 'Owner') {
        throw new TencentError(10004, "the owner's role changes only through change_group_owner")
      }
      await tx.groups.updateMember(req.GroupId, req.Member_Account, change)
    })
    return {}
  },
})
