/**
 * Sends a group message (spec §6.6): the next per-group MsgSeq, receipts with `NeedReadReceipt: 1`
 * (design.md decision 8), duplicates of the last 5 minutes answered with the first send's seq. The
 * app backend is asked first (Group.CallbackBeforeSendMsg, spec §7.7) and may forbid, drop or
 * rewrite the message; Group.CallbackAfterSendMsg is written with what is stored. Either callback
 * can be turned off per message with ForbidCallbackControl.
 */
import type { UserId } from '../../domain/accounts/user-id.js'
import type { GroupId } from '../../domain/groups/group-id.js'
import type { Group } from '../../store/groups.js'
import type { ReadTx, Tx } from '../../store/store.js'
import { TencentError } from '../../domain/codes.js'
import { receiptSupport } from '../../domain/groups/group-types.js'
import * as L from '../../domain/groups/limits.js'
import { checkMsgBody, contentHash } from '../../domain/groups/message-rules.js'
import { groupEvents } from '../../webhooks/group-events.js'
import { command } from '../command.js'
import { f, own, type Field, type Json } from '../fields.js'
import { groupId, listUserId } from './group-fields.js'

const flag = f.optional(f.int({ missing: 10004, min: 0, max: 1 }))
const msgBody: Field<Json> = {
  read(body, name) {
    const v = own(body, name)
    const why = v === undefined ? `${name} is missing` : checkMsgBody(v)
    if (why !== undefined) throw new TencentError(10004, why)
    return v!
  },
}
const strings = (item: Json, at: string) => {
  if (typeof item !== 'string') throw new TencentError(10004, `${at} must be a string`)
  return item
}
const priority: Field<L.Priority | undefined> = {
  read(body, name) {
    const v = f.optional(f.string({ missing: 10004 })).read(body, name)
    if (v !== undefined && !Object.hasOwn(L.PRIORITIES, v))
      throw new TencentError(10004, `${name} is not a priority`)
    return v as L.Priority | undefined
  },
}

export const send_group_msg = command({
  service: 'group_open_http_svc',
  name: 'send_group_msg',
  perSecond: 200,
  request: {
    GroupId: groupId(),
    Random: f.alias(['MsgRandom'], f.int({ missing: 10004, max: 0xffffffff })), // decision 3
    MsgBody: msgBody,
    From_Account: f.optional(f.userId({ missing: 10004 })),
    MsgPriority: priority,
    OnlineOnlyFlag: flag,
    SendMsgControl: f.optional(f.array({ missing: 10004 }, strings)),
    ForbidCallbackControl: f.optional(f.array({ missing: 10004 }, strings)),
    CloudCustomData: f.optional(f.string({ missing: 10004, allowEmpty: true })),
    // Decision 3: `[""]` means no target. A non-string is 60015 (spec §1.7).
    To_Account: f.optional(
      f.array({ missing: 10004 }, (v: Json, at) => (v === '' ? undefined : listUserId(v, at))),
    ),
    NeedReadReceipt: flag,
  },
  async run(req, { app, caller, clock, read, transaction, webhooks }) {
    if (Buffer.byteLength(JSON.stringify(req.MsgBody)) > L.MAX_GROUP_MSG_BODY_BYTES)
      throw new TencentError(80002)
    const onlineOnly = req.OnlineOnlyFlag === 1
    const wantsReceipt = req.NeedReadReceipt === 1
    if (onlineOnly && (req.SendMsgControl?.length ?? 0) > 0) {
      throw new TencentError(10004, 'SendMsgControl is not allowed with OnlineOnlyFlag 1')
    }
    if (onlineOnly && wantsReceipt) throw new TencentError(10061)
    const targets = [...new Set((req.To_Account ?? []).flatMap((u) => (u === undefined ? [] : [u])))]
    if (targets.length > L.MAX_TARGETS)
      throw new TencentError(10004, `To_Account lists more than ${L.MAX_TARGETS} members`)
    // [U] Decision 8 defines audiences for whole groups only; a targeted message cannot ask for receipts.
    if (targets.length > 0 && wantsReceipt)
      throw new TencentError(10004, 'targeted messages cannot have read receipts')
    const sender = req.From_Account ?? (caller as UserId)
    const gid = req.GroupId
    const forbid = req.ForbidCallbackControl ?? []
    const skipBefore = forbid.includes('ForbidBeforeSendMsgCallback')
    const bodyHash = contentHash(req.MsgBody)
    /**
     * Everything that can refuse the send or make it a repeat: run on a snapshot before the app is
     * asked (design.md decision 15), and again under the group lock in the transaction.
     */
    const check = async (tx: ReadTx, group: Group) => {
      // [U] Admins may speak in any group; anyone else must be a member (10007).
      if (!app.admins.includes(sender) && !(await tx.groups.members(gid, [sender])).has(sender)) {
        throw new TencentError(10007, `${sender} is not a member of the group`)
      }
      if (targets.length > 0 && (await tx.groups.members(gid, targets)).size !== targets.length) {
        throw new TencentError(10004, 'every To_Account must be a member of the group')
      }
      const dup = await tx.groups.findDuplicate(gid, {
        sender,
        random: req.Random,
        bodyHash,
        sinceTime: clock.nowSeconds() - L.DUPLICATE_WINDOW_SECONDS,
      })
      // [U] A duplicate is dropped; the caller gets the first send's seq and time, as a retry would want.
      if (dup !== undefined) return { dup, receipt: false }
      // [U] In a type without receipts (never, or switched off) the flag is dropped; the receipt APIs answer.
      const receipt = wantsReceipt && receiptSupport(group.type, app.groupReceiptTypes) === 'on'
      if (receipt && group.memberCount > app.limits.groupReceiptMaxMembers) throw new TencentError(10060)
      return { dup: undefined, receipt }
    }
    const muted = async (tx: ReadTx, group: Group) =>
      !app.admins.includes(sender) && (await isMuted(tx, group, sender, clock.nowSeconds()))
    const repeat = (dup: { seq: number; time: number }): SendOutcome => ({
      MsgTime: dup.time,
      MsgSeq: dup.seq,
      MsgDropReason: '',
    })
    let msgBody = req.MsgBody
    let cloudCustomData = req.CloudCustomData
    if (!skipBefore && webhooks.asks('Group.CallbackBeforeSendMsg')) {
      // A group that does not exist or a muted sender is refused, and reported, by the transaction
      // below without asking the app.
      const seen = await read(async (tx) => {
        const group = await tx.groups.find(gid)
        if (group === undefined) return undefined
        const checked = await check(tx, group)
        return (await muted(tx, group)) ? undefined : { group, ...checked }
      })
      if (seen?.dup !== undefined) return repeat(seen.dup)
      if (seen !== undefined) {
        // Asked before the transaction: a transaction never waits on the network.
        const decision = await webhooks.beforeSend('Group.CallbackBeforeSendMsg', {
          GroupId: seen.group.groupId,
          Type: seen.group.type,
          From_Account: sender,
          Operator_Account: caller,
          Random: req.Random,
          OnlineOnlyFlag: onlineOnly ? 1 : 0,
          MsgBody: req.MsgBody as unknown[],
          // As in the after-send body (spec §7.7): "" when the message has none.
          CloudCustomData: req.CloudCustomData ?? '',
          EventTime: clock.nowMs(),
        })
        if (decision.action === 'reject') throw decision.error
        // [U] ErrorCode 2: the sender is told it worked; nothing is stored, so no MsgSeq is used.
        if (decision.action === 'drop') return { MsgTime: clock.nowSeconds(), MsgSeq: 0, MsgDropReason: '' }
        // [U] The app's replacement body is stored as given: it is the app backend's own data.
        msgBody = decision.MsgBody as Json
        // The "" the app was shown for none stays none.
        const unchanged = decision.CloudCustomData === '' && req.CloudCustomData === undefined
        cloudCustomData = unchanged ? undefined : decision.CloudCustomData
      }
    }
    const notify = !forbid.includes('ForbidAfterSendMsgCallback')
    const e = { from: sender, operator: caller, random: req.Random, onlineOnly }
    const { refused, ...answer } = await transaction(async (tx): Promise<SendOutcome> => {
      const now = clock.nowSeconds()
      // Locked first: the checks hold until the send commits.
      const group = await tx.groups.lock(gid)
      // The group is gone: refused (10010) with Group.CallbackSendMsgException, `Type` "" (spec part 2 §21.2).
      if (group === undefined) {
        const failed = { ...e, body: msgBody, cloudCustomData, code: 10010, info: GONE_INFO }
        await tx.outbox.enqueue(groupEvents.sendFailed({ GroupId: gid, Type: '' }, failed, clock.nowMs()))
        return { MsgTime: now, MsgSeq: 0, MsgDropReason: '', refused: new TencentError(10010, GONE_INFO) }
      }
      const { dup, receipt } = await check(tx, group)
      if (dup !== undefined) return repeat(dup)
      const g = { GroupId: group.groupId, Type: group.type }
      // A muted sender is refused (10017) with Group.CallbackSendMsgException (spec part 2 §15.2, §21.2).
      if (await muted(tx, group)) {
        const failed = { ...e, body: msgBody, cloudCustomData, code: 10017, info: MUTED_INFO }
        await tx.outbox.enqueue(groupEvents.sendFailed(g, failed, clock.nowMs()))
        return { MsgTime: now, MsgSeq: 0, MsgDropReason: '', refused: new TencentError(10017, MUTED_INFO) }
      }
      const priority = req.MsgPriority ?? 'Normal'
      if (!(await takeSlot(tx, gid, now, priority, app.limits.groupMsgPerSecond))) {
        const failed = { ...e, body: msgBody, cloudCustomData, code: 10023, info: FREQ_CTRL_INFO }
        await tx.outbox.enqueue(groupEvents.sendFailed(g, failed, clock.nowMs()))
        return { MsgTime: now, MsgSeq: 0, MsgDropReason: 'MsgFreqCtrl' }
      }
      const { seq } = await tx.groups.appendMessage(gid, {
        sender,
        random: req.Random,
        time: now,
        body: msgBody,
        bodyHash,
        cloudCustomData,
        priority,
        onlineOnly,
        receipt,
        noUnread: req.SendMsgControl?.includes('NoUnread') === true,
        targets,
      })
      // Members' conversation lists move, except for online-only and NoLastMsg messages (spec §6.6).
      if (!onlineOnly && !(req.SendMsgControl ?? []).includes('NoLastMsg'))
        await tx.recent.touchGroup(gid, seq, now)
      const event = { ...e, seq, time: now, body: msgBody, cloudCustomData }
      if (notify) await tx.outbox.enqueue(groupEvents.sent(g, event, clock.nowMs()))
      return { MsgTime: now, MsgSeq: seq, MsgDropReason: '' }
    })
    // A refusal or a drop is committed with its event first, then answered (§22.2).
    if (refused !== undefined) throw refused
    if (answer.MsgDropReason === 'MsgFreqCtrl' && app.limits.groupFreqCtrlMode === 'error') {
      throw new TencentError(10023, FREQ_CTRL_INFO)
    }
    return answer
  },
})

/** Tencent's text for 10023 (spec part 2 §21.2). */
const FREQ_CTRL_INFO = 'msg count exceeds limit,please retry later'
const MUTED_INFO = 'the sender is muted in this group'
/** Tencent's text for 10010 as the real server writes it (spec part 2 §13.2). */
const GONE_INFO = 'this group does not exist'

type SendOutcome = { MsgTime: number; MsgSeq: number; MsgDropReason: string; refused?: TencentError }

/** Muted until later, or an ordinary member while the group mutes everyone (MuteAllMember On). */
async function isMuted(tx: ReadTx, group: Group, sender: UserId, now: number): Promise<boolean> {
  const [m] = await tx.groups.memberStates(group.groupId, { userIds: [sender], offset: 0, limit: 1 })
  if (m === undefined) return false
  return m.muteUntil > now || (group.muteAllMember && m.role === 'Member')
}

/**
 * One of the group's message slots of this second (spec part 2 §22.2): `perSecond` for Normal and
 * High, [U] three quarters of it for Low and Lowest, so they give way first; 0 is no limit.
 */
async function takeSlot(tx: Tx, gid: GroupId, now: number, priority: L.Priority, perSecond: number) {
  if (perSecond === 0) return true
  const cap = priority === 'Low' || priority === 'Lowest' ? Math.ceil((perSecond * 3) / 4) : perSecond
  return tx.groups.takeSendSlot(gid, now, cap)
}
