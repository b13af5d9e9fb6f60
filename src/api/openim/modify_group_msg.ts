/**
 * Overwrites the content of one stored group message (spec part 2 §18.2; the path is in `openim`):
 * `MsgBody` and/or `CloudCustomData`, whatever is sent. Seq, time, sender, receipts, read state,
 * `NextMsgSeq` and `LastMsgTime` do not change; group_msg_get_simple shows the new content; no
 * webhook fires [U]. Group facts keep the group codes (10015, 10010 [U]); AVChatRoom keeps no history,
 * so it answers 10007 [U code].
 */
import { TencentError } from '../../domain/codes.js'
import { MAX_GROUP_MSG_BODY_BYTES } from '../../domain/groups/limits.js'
import { lockGroup, groupId } from '../group_open_http_svc/group-fields.js'
import { command } from '../command.js'
import { f } from '../fields.js'
import { messageFields as m } from './c2c-message.js'

export const modify_group_msg = command({
  service: 'openim',
  name: 'modify_group_msg',
  perSecond: 200,
  request: {
    GroupId: groupId(),
    MsgSeq: f.int({ missing: 20001, max: 0xffffffff }),
    MsgBody: f.optional(f.msgBody({ missing: 90002 })),
    CloudCustomData: m.CloudCustomData,
    // Topics are not kept (README): a TopicId is checked and names no other message store.
    TopicId: f.optional(f.string({ missing: 20001 })),
  },
  async run(req, { transaction }) {
    if (req.MsgBody === undefined && req.CloudCustomData === undefined) {
      throw new TencentError(20001, 'nothing to modify: send MsgBody or CloudCustomData')
    }
    if (
      req.MsgBody !== undefined &&
      Buffer.byteLength(JSON.stringify(req.MsgBody)) > MAX_GROUP_MSG_BODY_BYTES
    ) {
      throw new TencentError(80002)
    }
    await transaction(async (tx) => {
      const group = await lockGroup(tx, req.GroupId)
      if (group.type === 'AVChatRoom') throw new TencentError(10007, 'an AVChatRoom keeps no message history')
      const stored = await tx.edits.groupMessage(req.GroupId, req.MsgSeq)
      // [U] 20026 as modify_c2c_msg: unknown, recalled, or online only (kept in no history).
      if (stored === undefined || stored.recalled || stored.onlineOnly) throw new TencentError(20026)
      const content = {
        body: req.MsgBody ?? stored.body,
        cloudCustomData: req.CloudCustomData ?? stored.cloudCustomData,
      }
      if (!(await tx.edits.setGroupContent(req.GroupId, req.MsgSeq, content))) throw new TencentError(20026)
    })
    return { successInfo: 'succeed' }
  },
})
