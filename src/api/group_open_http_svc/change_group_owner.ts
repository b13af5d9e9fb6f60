/** Hands a group to another member (spec part 2 §15.3); the previous owner becomes a member. */
import { TencentError } from '../../domain/codes.js'
import { command } from '../command.js'
import { f } from '../fields.js'
import { lockGroup, groupId } from './group-fields.js'

export const change_group_owner = command({
  service: 'group_open_http_svc',
  name: 'change_group_owner',
  perSecond: 200,
  request: {
    GroupId: groupId(),
    NewOwner_Account: f.userId({ missing: 10004 }),
    From_Account: f.optional(f.userId({ missing: 10004 })),
  },
  async run(req, { clock, transaction }) {
    await transaction(async (tx) => {
      const group = await lockGroup(tx, req.GroupId)
      if (group.type === 'AVChatRoom')
        throw new TencentError(10007, 'AVChatRoom groups have no owner to change')
      // [U] The owner already: success, nothing changes.
      if (group.owner === req.NewOwner_Account) return
      if (!(await tx.accounts.existing([req.NewOwner_Account])).has(req.NewOwner_Account)) {
        throw new TencentError(10019, `${req.NewOwner_Account} is not imported`)
      }
      // [U] A new owner who is not a member: 10004 (§15.3).
      if (!(await tx.groups.changeOwner(req.GroupId, req.NewOwner_Account, clock.nowSeconds()))) {
        throw new TencentError(10004, `${req.NewOwner_Account} is not a member of the group`)
      }
    })
    return {}
  },
})
