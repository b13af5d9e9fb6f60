/**
 * Imports a group's history (spec part 2 §16.2): each accepted message takes the next MsgSeq like
 * a sent one, in ascending `SendTime`, and afterwards every member has read everything (Tencent:
 * "after an import, every member's unread count becomes 0"); import_group_member's `UnreadMsgNum`
 * or set_unread_msg_num place read positions after the last batch. Per-message `Result`s; no webhooks.
 */
import type { UserId } from '../../domain/accounts/user-id.js'
import { TencentError } from '../../domain/codes.js'
import * as L from '../../domain/groups/limits.js'
import { checkMsgBody, contentHash } from '../../domain/groups/message-rules.js'
import { command } from '../command.js'
import { f, own, type Json, type JsonObject } from '../fields.js'
import { lockGroup, groupId, listUserId } from './group-fields.js'

/** [U] Doc conflict, 7 or 20 a call (§16.2): the larger, so a client written for either works. */
const MAX_MESSAGES = 20

interface ImportedMessage {
  from: UserId
  sendTime: number
  random: number
  body: Json
}

const msgFields = {
  From_Account: f.userId({ missing: 10004 }),
  SendTime: f.int({ missing: 10004 }),
  Random: f.optional(f.int({ missing: 10004, max: 0xffffffff })),
}

function message(item: Json, at: string): ImportedMessage {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw new TencentError(10004, `${at} must be an object`)
  }
  const body = own(item, 'MsgBody')
  const why = body === undefined ? `${at}.MsgBody is missing` : checkMsgBody(body)
  if (why !== undefined) throw new TencentError(10004, why)
  const from = listUserId(own(item, 'From_Account'), `${at}.From_Account`)
  const v = (name: keyof typeof msgFields) => msgFields[name].read(item as JsonObject, name)
  return {
    from,
    sendTime: v('SendTime') as number,
    random: (v('Random') as number | undefined) ?? 0,
    body: body!,
  }
}

export const import_group_msg = command({
  service: 'group_open_http_svc',
  name: 'import_group_msg',
  perSecond: 200,
  request: {
    GroupId: groupId(),
    // Conversation lists are not kept yet, so the flag is accepted and changes nothing.
    RecentContactFlag: f.optional(f.int({ missing: 10004, min: 0, max: 1 })),
    MsgList: f.array({ missing: 10004, minItems: 1, maxItems: MAX_MESSAGES }, message),
  },
  async run(req, { clock, transaction }) {
    const now = clock.nowSeconds()
    const ImportMsgResult = await transaction(async (tx) => {
      const group = await lockGroup(tx, req.GroupId)
      if (group.type === 'AVChatRoom')
        throw new TencentError(10007, 'AVChatRoom groups have no history to import')
      const known = await tx.accounts.existing(req.MsgList.map((m) => m.from))
      // [U] Same-second messages are common in exports: a SendTime equal to the newest is accepted.
      let newest = Math.max(group.lastMsgTime, group.createdTime)
      let accepted = 0
      const results = []
      for (const m of req.MsgList) {
        const failed = (Result: number) => ({ MsgSeq: 0, MsgTime: m.sendTime, Result })
        if (m.sendTime >= now || m.sendTime < newest || !known.has(m.from)) {
          results.push(failed(10004))
          continue
        }
        if (Buffer.byteLength(JSON.stringify(m.body)) > L.MAX_GROUP_MSG_BODY_BYTES) {
          results.push(failed(80002))
          continue
        }
        const bodyHash = contentHash(m.body)
        const dup = await tx.groups.findDuplicate(req.GroupId, {
          sender: m.from,
          random: m.random,
          bodyHash,
          sinceTime: m.sendTime - L.DUPLICATE_WINDOW_SECONDS,
        })
        // [U] A duplicate answers the first copy's seq; nothing is stored twice.
        if (dup !== undefined) {
          results.push({ MsgSeq: dup.seq, MsgTime: dup.time, Result: 0 })
          continue
        }
        const { seq } = await tx.groups.appendMessage(req.GroupId, {
          sender: m.from,
          random: m.random,
          time: m.sendTime,
          body: m.body,
          bodyHash,
          cloudCustomData: undefined,
          priority: 'Normal',
          onlineOnly: false,
          receipt: false,
        })
        newest = m.sendTime
        accepted++
        results.push({ MsgSeq: seq, MsgTime: m.sendTime, Result: 0 })
      }
      if (accepted > 0) await tx.groups.markAllRead(req.GroupId)
      return results
    })
    return { ImportMsgResult }
  },
})
