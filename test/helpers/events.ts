/**
 * Realistic after-event bodies, one per callback command, as spec §7 and Tencent's samples show
 * them (field order included), and a way to record them in a running receiptd's outbox the way a
 * command does: inside a store transaction.
 */
import type { AfterEventCommand, WebhookEvent } from '../../src/webhooks/events.js'
import type { TestServer } from './server.js'

const MSG_BODY = [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'red packet' } }]

export const sampleBodies: Record<AfterEventCommand, Record<string, unknown>> = {
  // The seed page, verbatim (spec §7.5).
  'C2C.CallbackAfterMsgReport': {
    CallbackCommand: 'C2C.CallbackAfterMsgReport',
    Report_Account: 'jared',
    Peer_Account: 'Jonh',
    LastReadTime: 1614754606,
    UnreadMsgNum: 7,
  },
  'C2C.CallbackAfterSendMsg': {
    CallbackCommand: 'C2C.CallbackAfterSendMsg',
    From_Account: 'jared',
    To_Account: 'Jonh',
    MsgSeq: 48374,
    MsgRandom: 2837546,
    MsgTime: 1557481126,
    MsgKey: '48374_2837546_1557481126',
    OnlineOnlyFlag: 0,
    MsgBody: MSG_BODY,
    CloudCustomData: 'your cloud custom data',
    SendMsgResult: 0,
    ErrorInfo: 'send msg succeed',
    UnreadMsgNum: 7,
  },
  'C2C.CallbackAfterMsgWithDraw': {
    CallbackCommand: 'C2C.CallbackAfterMsgWithDraw',
    From_Account: 'jared',
    To_Account: 'Jonh',
    MsgKey: '48374_2837546_1557481126',
    UnreadMsgNum: 7,
  },
  'Group.CallbackAfterSendMsg': {
    CallbackCommand: 'Group.CallbackAfterSendMsg',
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    From_Account: 'jared',
    Operator_Account: 'admin',
    Random: 2565324491,
    MsgSeq: 123,
    MsgTime: 1490686222,
    OnlineOnlyFlag: 0,
    MsgBody: MSG_BODY,
    CloudCustomData: 'your cloud custom data',
    EventTime: 1670574414123,
  },
  // spec §7.8, with EventTime an integer as the field table says.
  'Group.CallbackAfterReadReceipt': {
    CallbackCommand: 'Group.CallbackAfterReadReceipt',
    GroupId: '@TGS#2TTV7VSII',
    Type: 'Public',
    GroupMsgReceiptList: [
      { MsgSeq: 1, ReadNum: 1, UnreadNum: 6, ReadReceiptMembers: [{ Member_Account: 'user0' }] },
      { MsgSeq: 2, ReadNum: 1, UnreadNum: 6, ReadReceiptMembers: [{ Member_Account: 'user0' }] },
    ],
    EventTime: 1670574414123,
  },
  'Group.CallbackAfterRecallMsg': {
    CallbackCommand: 'Group.CallbackAfterRecallMsg',
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    Operator_Account: 'admin',
    MsgSeqList: [{ MsgSeq: 123 }],
    EventTime: 1670574414123,
  },
  'Group.CallbackAfterNewMemberJoin': {
    CallbackCommand: 'Group.CallbackAfterNewMemberJoin',
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    JoinType: 'Apply',
    Operator_Account: 'leckie',
    NewMemberList: [{ Member_Account: 'jared' }, { Member_Account: 'tommy' }],
    EventTime: 1670574414123,
  },
  'Group.CallbackAfterMemberExit': {
    CallbackCommand: 'Group.CallbackAfterMemberExit',
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    ExitType: 'Kicked',
    Operator_Account: 'leckie',
    ExitMemberList: [{ Member_Account: 'jared' }],
    EventTime: 1670574414123,
  },
  'Group.CallbackAfterCreateGroup': {
    CallbackCommand: 'Group.CallbackAfterCreateGroup',
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    Operator_Account: 'leckie',
    Owner_Account: 'leckie',
    Name: 'MyFirstGroup',
    MemberList: [{ Member_Account: 'bob' }, { Member_Account: 'peter' }],
    EventTime: 1670574414123,
  },
  'Group.CallbackAfterGroupDestroyed': {
    CallbackCommand: 'Group.CallbackAfterGroupDestroyed',
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    Owner_Account: 'leckie',
    Name: 'MyFirstGroup',
    MemberList: [{ Member_Account: 'bob' }, { Member_Account: 'peter' }],
    EventTime: 1670574414123,
  },
  // spec part 2 §21.5, verbatim.
  'Profile.CallbackPortraitSet': {
    CallbackCommand: 'Profile.CallbackPortraitSet',
    Operator_Account: 'id1',
    From_Account: 'id1',
    EventTime: 1656921052497,
    ProfileItem: [{ Tag: 'Tag_Profile_IM_Nick', Value: 'nick1' }],
  },
  // Spec part 2 §21.2's sample.
  'Group.CallbackSendMsgException': {
    CallbackCommand: 'Group.CallbackSendMsgException',
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    From_Account: 'jared',
    Operator_Account: 'admin',
    Random: 123456,
    OnlineOnlyFlag: 1,
    MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'red packet' } }],
    CloudCustomData: 'your cloud custom data',
    ErrorCode: 10023,
    ErrorInfo: 'msg count exceeds limit,please retry later',
    EventTime: 1670574414123,
  },
  // Spec part 2 §21.4's sample.
  'Group.CallbackAfterGroupInfoChanged': {
    CallbackCommand: 'Group.CallbackAfterGroupInfoChanged',
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    Operator_Account: 'leckie',
    Notification: 'NewNotification',
    EventTime: 1670574414123,
  },
  // Spec part 2 §21.3's sample.
  'Group.CallbackAfterGroupFull': {
    CallbackCommand: 'Group.CallbackAfterGroupFull',
    GroupId: '@TGS#2J4SZEAEL',
    EventTime: 1670574414123,
  },
}

/** An event of `command` with the sample body, `extra` fields overriding it. */
export function sampleEvent(
  command: AfterEventCommand,
  orderingKey: string,
  extra: Record<string, unknown> = {},
): WebhookEvent {
  return {
    command,
    orderingKey,
    body: { ...sampleBodies[command], ...extra, CallbackCommand: command },
    createdMs: Date.now(),
  }
}

/** Records events in one transaction of `sdkAppId`, as a command would. */
export function enqueue(
  server: TestServer,
  sdkAppId: number,
  events: readonly WebhookEvent[],
): Promise<void> {
  return server.receiptd.store.transaction(sdkAppId, async (tx) => {
    for (const e of events) await tx.outbox.enqueue(e)
  })
}

/** Report events of one conversation, numbered in `UnreadMsgNum` so order is visible. */
export function reportEvents(key: string, count: number): WebhookEvent[] {
  return Array.from({ length: count }, (_, i) =>
    sampleEvent('C2C.CallbackAfterMsgReport', key, { Report_Account: key, UnreadMsgNum: i }),
  )
}
