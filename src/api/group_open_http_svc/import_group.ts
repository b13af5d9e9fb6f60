/**
 * Imports a group's profile from another system (spec part 2 §16.1): create_group's fields plus
 * `CreateTime`; the owner joins at that time. No webhooks, no tips; members come with
 * import_group_member, messages with import_group_msg.
 */
import { TencentError } from '../../domain/codes.js'
import * as L from '../../domain/groups/limits.js'
import type { NewMember } from '../../store/groups.js'
import { command } from '../command.js'
import { f } from '../fields.js'
import { checkApplyJoinOption, customGroupId, newGroupFields, newGroupId } from './new-group.js'

/** import_group's member caps and default (§16.1): 6000, Community 100,000; 2000 when absent. */
const MAX_IMPORTED_MEMBERS = 6000
const DEFAULT_IMPORTED_MEMBERS = 2000

export const import_group = command({
  service: 'group_open_http_svc',
  name: 'import_group',
  perSecond: 200,
  request: {
    ...newGroupFields,
    CreateTime: f.optional(f.int({ missing: 10004 })),
    SupportTopic: f.optional(f.int({ missing: 10004, min: 0, max: 1 })),
  },
  async run(req, { clock, transaction }) {
    if (req.Type === 'AVChatRoom') throw new TencentError(10007, 'AVChatRoom groups cannot be imported')
    checkApplyJoinOption(req.ApplyJoinOption)
    const cap = req.Type === 'Community' ? L.MAX_GROUP_MEMBERS : MAX_IMPORTED_MEMBERS
    if ((req.MaxMemberCount ?? 0) > cap)
      throw new TencentError(10004, `MaxMemberCount must be at most ${cap}`)
    if (req.SupportTopic === 1 && req.Type !== 'Community')
      throw new TencentError(10004, 'SupportTopic is for Community groups only')
    const now = clock.nowSeconds()
    // [U] A CreateTime in the future is a bad parameter (§16.1).
    if (req.CreateTime !== undefined && req.CreateTime > now)
      throw new TencentError(10004, 'CreateTime is in the future')
    const custom = customGroupId(req)
    const owner = req.Owner_Account
    const members: NewMember[] = owner === undefined ? [] : [{ userId: owner, role: 'Owner' }]
    const createdTime = req.CreateTime ?? now
    const groupId = await transaction(async (tx) => {
      // [U] An owner who is not imported: 10019, as in create_group.
      if (owner !== undefined && !(await tx.accounts.existing([owner])).has(owner)) {
        throw new TencentError(10019, `${owner} is not imported`)
      }
      const id = await newGroupId(tx, req.Type, custom)
      const r = await tx.groups.createGroup(
        {
          groupId: id,
          type: req.Type,
          name: req.Name,
          owner,
          maxMembers: req.MaxMemberCount ?? DEFAULT_IMPORTED_MEMBERS,
          createdTime,
          introduction: req.Introduction,
          notification: req.Notification,
          faceUrl: req.FaceUrl,
          applyJoinOption: req.ApplyJoinOption,
        },
        members,
      )
      // §16.1: an id already in use is 10021, whoever holds it.
      if (!r.created) throw new TencentError(10021)
      return id
    })
    return { GroupId: groupId }
  },
})
