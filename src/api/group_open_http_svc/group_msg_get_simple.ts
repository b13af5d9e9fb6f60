/**
 * Group history (spec §6.7): up to `ReqMsgNumber` messages with seq ≤ `ReqMsgSeq` (newest when
 * absent), newest first, in `RspMsgList`; the next page asks for the smallest seq − 1.
 */
import { TencentError } from '../../domain/codes.js'
import { hasHistory } from '../../domain/groups/group-types.js'
import { MAX_HISTORY_PAGE, PRIORITIES } from '../../domain/groups/limits.js'
import { command } from '../command.js'
import { f } from '../fields.js'
import { findGroup, groupId } from './group-fields.js'

export const group_msg_get_simple = command({
  service: 'group_open_http_svc',
  name: 'group_msg_get_simple',
  perSecond: 200,
  request: {
    GroupId: groupId(),
    ReqMsgNumber: f.int({ missing: 10004, min: 1 }),
    ReqMsgSeq: f.optional(f.int({ missing: 10004 })),
    WithRecalledMsg: f.optional(f.int({ missing: 10004, min: 0, max: 1 })),
  },
  async run(req, { read }) {
    return read(async (tx) => {
      const group = await findGroup(tx, req.GroupId)
      if (!hasHistory(group.type)) throw new TencentError(10007, `${group.type} groups keep no history`)
      const { messages, more } = await tx.groups.history(req.GroupId, {
        upTo: req.ReqMsgSeq ?? group.lastSeq,
        // [U] More than 20 is read as 20, like the detail API's Count.
        limit: Math.min(req.ReqMsgNumber, MAX_HISTORY_PAGE),
        withRecalled: req.WithRecalledMsg === 1,
      })
      const RspMsgList = messages.map((m) => ({
        From_Account: m.sender,
        // Spec §6.7: 2 marks a recalled message, whose body is not returned.
        IsPlaceMsg: m.recalled ? 2 : 0,
        IsSystemMsg: 0,
        MsgBody: m.recalled ? [] : m.body,
        MsgPriority: PRIORITIES[m.priority],
        MsgRandom: m.random,
        MsgSeq: m.seq,
        MsgTimeStamp: m.time,
      }))
      return { GroupId: group.groupId, IsFinished: more ? 0 : 1, RspMsgList }
    })
  },
})
