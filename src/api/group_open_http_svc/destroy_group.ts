/** Disbands a group with its messages and read state (spec §6.5); fires Group.CallbackAfterGroupDestroyed. */
import { groupEvents } from '../../webhooks/group-events.js'
import { command } from '../command.js'
import { lockGroup, groupId } from './group-fields.js'

export const destroy_group = command({
  service: 'group_open_http_svc',
  name: 'destroy_group',
  perSecond: 200,
  request: { GroupId: groupId() },
  async run(req, { clock, transaction }) {
    await transaction(async (tx) => {
      const group = await lockGroup(tx, req.GroupId)
      const members = await tx.groups.destroy(req.GroupId)
      const event = { owner: group.owner, name: group.name, members }
      await tx.outbox.enqueue(
        groupEvents.destroyed({ GroupId: group.groupId, Type: group.type }, event, clock.nowMs()),
      )
    })
    return {}
  },
})
