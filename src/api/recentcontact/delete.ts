/**
 * Deletes one conversation from From_Account's list (spec part 2 §17.2); the peer's list is
 * untouched. In both modes that user's unread count of the conversation is cleared without a read
 * report (no C2C.CallbackAfterMsgReport) [U], so no hidden conversation keeps a badge in the totals;
 * with `ClearRamble: 1` the conversation's history also leaves that user's view. A conversation
 * that does not exist is deleted successfully [U]; the next message brings it back.
 */
import { checkUserId } from '../../domain/accounts/user-id.js'
import { TencentError } from '../../domain/codes.js'
import { checkGroupId } from '../../domain/groups/group-id.js'
import { command } from '../command.js'
import { f } from '../fields.js'

const C2C = 1

export const deleteConversation = command({
  service: 'recentcontact',
  name: 'delete',
  perSecond: 200,
  request: {
    From_Account: f.userId({ missing: 50002 }),
    // DOBYTE sends lower-case `type`, and the group id in To_Account (spec part 2 §24).
    Type: f.alias(['type'], f.int({ missing: 50002, min: 1, max: 2 })),
    To_Account: f.optional(f.string({ missing: 50002 })),
    ToGroupid: f.optional(f.string({ missing: 50002 })),
    ClearRamble: f.optional(f.int({ missing: 50002, max: 1 })),
  },
  async run(req, { transaction }) {
    const owner = req.From_Account
    const clearHistory = req.ClearRamble === 1
    if (req.Type === C2C) {
      if (req.To_Account === undefined) throw new TencentError(50002, 'To_Account is missing')
      const peer = checkUserId(req.To_Account)
      if (!peer.ok) throw new TencentError(50002, `To_Account ${peer.reason}`)
      await transaction(async (tx) => {
        if (!(await tx.accounts.existing([owner])).has(owner)) throw new TencentError(50001)
        await tx.recent.deleteC2C(owner, peer.userId, clearHistory)
      })
      return {}
    }
    const raw = req.ToGroupid ?? req.To_Account
    if (raw === undefined) throw new TencentError(50002, 'ToGroupid is missing')
    const groupId = checkGroupId(raw)
    if (groupId === undefined) throw new TencentError(50002, 'ToGroupid is not a valid group id')
    await transaction(async (tx) => {
      if (!(await tx.accounts.existing([owner])).has(owner)) throw new TencentError(50001)
      // [U] The group's newest message marks both what leaves the list and, with ClearRamble, what
      // leaves this user's history; the admin view (group_msg_get_simple) keeps every message.
      if (await tx.recent.deleteGroup(owner, groupId)) {
        // No unread left in the group, as set_unread_msg_num with 0 does: no read report either.
        await tx.groups.placeReadSeq(groupId, owner, 0)
      }
    })
    return {}
  },
})
