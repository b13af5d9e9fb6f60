/**
 * Bodies of the group after-event callbacks (spec §7.7–§7.9), built once so every command writes
 * them the same way. `EventTime` is an integer in milliseconds everywhere (spec §7.7, §7.8).
 *
 * The spec gives the send and read-receipt payloads. [U] For join, exit, create, destroy and recall
 * it gives only the command names; their fields follow Tencent's callback pages as mirrored by the
 * DOOCS SDK models (`AfterNewMemberJoinCallback`, `AfterMemberExitCallback`,
 * `AfterCreateGroupCallback`, `AfterGroupDestroyedCallback`, `AfterRecallMsgCallback`), each with
 * `EventTime` added as in the documented ones.
 */
import type { AfterEventCommand, WebhookEvent } from './events.js'

interface GroupRef {
  GroupId: string
  Type: string
}

const members = (ids: readonly string[]) => ids.map((id) => ({ Member_Account: id }))

function event(
  command: AfterEventCommand,
  group: GroupRef,
  fields: Record<string, unknown>,
  ms: number,
): WebhookEvent {
  return {
    command,
    orderingKey: `group:${group.GroupId}`,
    body: { CallbackCommand: command, GroupId: group.GroupId, Type: group.Type, ...fields, EventTime: ms },
    createdMs: ms,
  }
}

export const groupEvents = {
  created: (
    g: GroupRef,
    e: { operator: string; owner: string | undefined; name: string; members: readonly string[] },
    ms: number,
  ) =>
    event(
      'Group.CallbackAfterCreateGroup',
      g,
      {
        Operator_Account: e.operator,
        Owner_Account: e.owner ?? '',
        Name: e.name,
        MemberList: members(e.members),
      },
      ms,
    ),

  destroyed: (
    g: GroupRef,
    e: { owner: string | undefined; name: string; members: readonly string[] },
    ms: number,
  ) =>
    event(
      'Group.CallbackAfterGroupDestroyed',
      g,
      { Owner_Account: e.owner ?? '', Name: e.name, MemberList: members(e.members) },
      ms,
    ),

  /** [U] REST additions are invitations made by the admin: `JoinType: "Invited"`. */
  joined: (g: GroupRef, e: { operator: string; members: readonly string[] }, ms: number) =>
    event(
      'Group.CallbackAfterNewMemberJoin',
      g,
      { JoinType: 'Invited', Operator_Account: e.operator, NewMemberList: members(e.members) },
      ms,
    ),

  /** REST deletions are removals by the admin: `ExitType: "Kicked"`. */
  exited: (g: GroupRef, e: { operator: string; members: readonly string[] }, ms: number) =>
    event(
      'Group.CallbackAfterMemberExit',
      g,
      { ExitType: 'Kicked', Operator_Account: e.operator, ExitMemberList: members(e.members) },
      ms,
    ),

  sent: (
    g: GroupRef,
    e: {
      from: string
      operator: string
      random: number
      seq: number
      time: number
      onlineOnly: boolean
      body: unknown
      cloudCustomData: string | undefined
    },
    ms: number,
  ) =>
    event(
      'Group.CallbackAfterSendMsg',
      g,
      {
        From_Account: e.from,
        Operator_Account: e.operator,
        Random: e.random,
        MsgSeq: e.seq,
        MsgTime: e.time,
        OnlineOnlyFlag: e.onlineOnly ? 1 : 0,
        MsgBody: e.body,
        // Spec §7.7 lists it, as §7.4 does for C2C: "" when the message has none.
        CloudCustomData: e.cloudCustomData ?? '',
      },
      ms,
    ),

  /** Decision 10: one event per call that changed something; `ReadReceiptMembers` is this call's reader. */
  readReceipt: (
    g: GroupRef,
    e: { reader: string; counts: readonly { seq: number; read: number; unread: number }[] },
    ms: number,
  ) =>
    event(
      'Group.CallbackAfterReadReceipt',
      g,
      {
        GroupMsgReceiptList: e.counts.map((c) => ({
          MsgSeq: c.seq,
          ReadNum: c.read,
          UnreadNum: c.unread,
          ReadReceiptMembers: members([e.reader]),
        })),
      },
      ms,
    ),

  /** [U] Spec §6.8 leaves open whether REST recalls fire it; receiptd does, for the seqs recalled. */
  recalled: (g: GroupRef, e: { operator: string; seqs: readonly number[] }, ms: number) =>
    event(
      'Group.CallbackAfterRecallMsg',
      g,
      { Operator_Account: e.operator, MsgSeqList: e.seqs.map((s) => ({ MsgSeq: s })) },
      ms,
    ),

  /** A send that was refused after it was parsed (spec part 2 §21.2): the message as submitted. */
  sendFailed: (
    g: GroupRef,
    e: {
      from: string
      operator: string
      random: number
      onlineOnly: boolean
      body: unknown
      cloudCustomData: string | undefined
      code: number
      info: string
    },
    ms: number,
  ) =>
    event(
      'Group.CallbackSendMsgException',
      g,
      {
        From_Account: e.from,
        Operator_Account: e.operator,
        Random: e.random,
        OnlineOnlyFlag: e.onlineOnly ? 1 : 0,
        MsgBody: e.body,
        ...(e.cloudCustomData === undefined ? {} : { CloudCustomData: e.cloudCustomData }),
        ErrorCode: e.code,
        ErrorInfo: e.info,
      },
      ms,
    ),

  /** modify_group_base_info set Name, Introduction, Notification or FaceUrl (spec part 2 §21.4): those it set. */
  infoChanged: (g: GroupRef, e: { operator: string; fields: Record<string, string> }, ms: number) =>
    event('Group.CallbackAfterGroupInfoChanged', g, { Operator_Account: e.operator, ...e.fields }, ms),

  /** The group is full (spec part 2 §21.3): only `GroupId` and `EventTime`, no `Type`. */
  full: (g: GroupRef, ms: number): WebhookEvent => {
    const e = event('Group.CallbackAfterGroupFull', g, {}, ms)
    const { Type: _type, ...body } = e.body
    return { ...e, body: { ...body, CallbackCommand: 'Group.CallbackAfterGroupFull' } }
  },
}
