/**
 * Group admin (spec part 2 §15): modify_group_base_info (with Group.CallbackAfterGroupInfoChanged),
 * modify_group_member_info (role, MsgFlag, name card, mute), change_group_owner,
 * send_group_system_notification and delete_group_msg_by_sender, over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../../helpers/server.js'
import { code, importAccounts, makeGroup, ok, outboxReader, send, text } from './helpers.js'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.close())

const plain = { NeedReadReceipt: 0 }
const info = async (groupId: string, fields: string[]) =>
  (
    (
      await ok(server, 'get_group_info', {
        GroupIdList: [groupId],
        ResponseFilter: { GroupBaseInfoFilter: fields },
      })
    ).GroupInfo as Record<string, unknown>[]
  )[0]!
const member = async (groupId: string, user: string) =>
  (
    (await ok(server, 'get_specified_group_member_info', { GroupId: groupId, Member_List_Account: [user] }))
      .MemberList as Record<string, unknown>[]
  )[0]!

describe('modify_group_base_info', () => {
  it('changes the profile, bumps InfoSeq, and tells the app only of the four text fields it set', async () => {
    await makeGroup(server, 'mb_1', 'mb_o', ['mb_a'])
    const events = outboxReader(server)
    await events()
    await ok(server, 'modify_group_base_info', {
      GroupId: 'mb_1',
      Notification: 'NewNotification',
      MaxMemberNum: 500,
      ShutUpAllMember: 'On',
    })
    expect(
      await info('mb_1', ['Notification', 'MaxMemberNum', 'MuteAllMember', 'InfoSeq', 'Name']),
    ).toMatchObject({
      Notification: 'NewNotification',
      MaxMemberNum: 500,
      MuteAllMember: 'On',
      InfoSeq: 1,
      Name: 'mb_1',
    })
    expect((await events()).map((e) => e.body)).toEqual([
      {
        CallbackCommand: 'Group.CallbackAfterGroupInfoChanged',
        GroupId: 'mb_1',
        Type: 'Public',
        Operator_Account: 'administrator',
        Notification: 'NewNotification',
        EventTime: expect.any(Number),
      },
    ])
    await ok(server, 'modify_group_base_info', { GroupId: 'mb_1', ApplyJoinOption: 'FreeAccess' })
    expect(await events()).toEqual([])
    // MuteAllMember On: ordinary members may not send (10017), the owner and app admins may.
    expect(
      await code(server, 'send_group_msg', {
        GroupId: 'mb_1',
        From_Account: 'mb_a',
        Random: 1,
        MsgBody: text('x'),
      }),
    ).toBe(10017)
    expect(await send(server, 'mb_1', 'mb_o', plain)).toBe(1)
    const c = (body: Record<string, unknown>) =>
      code(server, 'modify_group_base_info', { GroupId: 'mb_1', ...body })
    expect(await c({ Name: 'x'.repeat(31) })).toBe(10004)
    expect(await c({ MaxMemberNum: 1 })).toBe(10004)
    expect(await c({ MuteAllMember: 'Maybe' })).toBe(10004)
    expect(await c({ ApplyJoinOption: 'Anyone' })).toBe(10004)
    expect(await code(server, 'modify_group_base_info', { GroupId: 'mb_none', Name: 'n' })).toBe(10010)
  })
})

describe('modify_group_member_info', () => {
  it('sets role, MsgFlag, NameCard and a mute that blocks sending; MsgFlag leaves unread alone', async () => {
    await makeGroup(server, 'mm_1', 'mm_o', ['mm_a', 'mm_b'])
    await ok(server, 'modify_group_member_info', {
      GroupId: 'mm_1',
      Member_Account: 'mm_a',
      Role: 'Admin',
      MsgFlag: 'Discard',
      NameCard: 'Ann',
    })
    await send(server, 'mm_1', 'mm_o', plain)
    expect(await member('mm_1', 'mm_a')).toMatchObject({
      Role: 'Admin',
      MsgFlag: 'Discard',
      NameCard: 'Ann',
      MuteUntil: 0,
    })
    const unread = await ok(server, 'get_group_member_info', {
      GroupId: 'mm_1',
      MemberInfoFilter: ['UnreadMsgNum'],
    })
    expect(unread.MemberList).toContainEqual({ Member_Account: 'mm_a', UnreadMsgNum: 1 })

    await ok(server, 'modify_group_member_info', { GroupId: 'mm_1', Member_Account: 'mm_b', ShutUpTime: 600 })
    expect((await member('mm_1', 'mm_b')).MuteUntil).toBeGreaterThan(Math.floor(Date.now() / 1000))
    const events = outboxReader(server)
    await events()
    const body = { GroupId: 'mm_1', From_Account: 'mm_b', Random: 5, MsgBody: text('hello') }
    expect(await code(server, 'send_group_msg', body)).toBe(10017)
    expect((await events()).map((e) => e.body)).toEqual([
      expect.objectContaining({
        CallbackCommand: 'Group.CallbackSendMsgException',
        From_Account: 'mm_b',
        ErrorCode: 10017,
      }),
    ])
    await ok(server, 'modify_group_member_info', { GroupId: 'mm_1', Member_Account: 'mm_b', MuteTime: 0 })
    expect(await send(server, 'mm_1', 'mm_b', plain)).toBe(2)
    await ok(server, 'modify_group_member_info', {
      GroupId: 'mm_1',
      Member_Account: 'mm_b',
      MuteTime: 4294967295,
    })
    expect((await member('mm_1', 'mm_b')).MuteUntil).toBe(4294967295)

    const c = (body: Record<string, unknown>) =>
      code(server, 'modify_group_member_info', { GroupId: 'mm_1', ...body })
    expect(await c({ Member_Account: 'mm_a', Role: 'Owner' })).toBe(10004)
    expect(await c({ Member_Account: 'mm_o', Role: 'Member' })).toBe(10004)
    expect(await c({ Member_Account: 'mm_a', MsgFlag: 'Loud' })).toBe(10004)
    expect(await c({ Member_Account: 'mm_a', NameCard: 'x'.repeat(51) })).toBe(10004)
    expect(await c({ Member_Account: 'mm_stranger', NameCard: 'x' })).toBe(10007)
    expect(await c({ NameCard: 'x' })).toBe(10004)
    await makeGroup(server, 'mm_work', 'mm_o', ['mm_a'], 'Private')
    expect(
      await code(server, 'modify_group_member_info', {
        GroupId: 'mm_work',
        Member_Account: 'mm_a',
        Role: 'Admin',
      }),
    ).toBe(10007)
  })
})

describe('change_group_owner', () => {
  it('makes a member the owner and the old owner a member', async () => {
    await makeGroup(server, 'co_1', 'co_o', ['co_a'])
    await importAccounts(server, ['co_x'])
    await ok(server, 'change_group_owner', { GroupId: 'co_1', NewOwner_Account: 'co_a' })
    const roles = await ok(server, 'get_role_in_group', { GroupId: 'co_1', User_Account: ['co_o', 'co_a'] })
    expect(roles.UserIdList).toEqual([
      { Member_Account: 'co_o', Role: 'Member' },
      { Member_Account: 'co_a', Role: 'Owner' },
    ])
    expect(await info('co_1', ['Owner_Account', 'InfoSeq'])).toMatchObject({
      Owner_Account: 'co_a',
      InfoSeq: 1,
    })
    await ok(server, 'change_group_owner', { GroupId: 'co_1', NewOwner_Account: 'co_a' })
    expect(await code(server, 'change_group_owner', { GroupId: 'co_1', NewOwner_Account: 'co_x' })).toBe(
      10004,
    )
    expect(await code(server, 'change_group_owner', { GroupId: 'co_1', NewOwner_Account: 'co_ghost' })).toBe(
      10019,
    )
    expect(await code(server, 'change_group_owner', { GroupId: 'co_1' })).toBe(10004)
    await ok(server, 'create_group', { GroupId: 'co_live', Type: 'AVChatRoom', Name: 'l' })
    expect(await code(server, 'change_group_owner', { GroupId: 'co_live', NewOwner_Account: 'co_a' })).toBe(
      10007,
    )
  })
})

describe('send_group_system_notification', () => {
  it('answers OK without a seq, and checks its fields', async () => {
    await makeGroup(server, 'sn_1', 'sn_o', ['sn_a'])
    await ok(server, 'send_group_system_notification', { GroupId: 'sn_1', Content: 'Hello World' })
    await ok(server, 'send_group_system_notification', {
      GroupId: 'sn_1',
      ToMembers_Account: ['sn_a', 'nobody'],
      Content: 'x',
    })
    expect(await info('sn_1', ['NextMsgSeq'])).toMatchObject({ NextMsgSeq: 1 })
    expect(await code(server, 'send_group_system_notification', { GroupId: 'sn_1' })).toBe(10004)
    const many = Array.from({ length: 501 }, (_, i) => `u${i}`)
    expect(
      await code(server, 'send_group_system_notification', {
        GroupId: 'sn_1',
        ToMembers_Account: many,
        Content: 'x',
      }),
    ).toBe(10005)
    expect(await code(server, 'send_group_system_notification', { GroupId: 'sn_none', Content: 'x' })).toBe(
      10010,
    )
  })
})

describe('delete_group_msg_by_sender', () => {
  it("recalls one sender's messages silently: out of history, unread counts and receipts", async () => {
    await makeGroup(server, 'ds_1', 'ds_o', ['ds_a', 'ds_b'])
    await send(server, 'ds_1', 'ds_a') // 1, with a receipt
    await send(server, 'ds_1', 'ds_o', plain) // 2
    await send(server, 'ds_1', 'ds_a', plain) // 3
    const events = outboxReader(server)
    await events()
    await ok(server, 'delete_group_msg_by_sender', { GroupId: 'ds_1', Sender_Account: 'ds_a' })
    expect(await events()).toEqual([])
    const states = await ok(server, 'get_group_member_info', {
      GroupId: 'ds_1',
      MemberInfoFilter: ['UnreadMsgNum'],
    })
    expect(states.MemberList).toEqual([
      { Member_Account: 'ds_o', UnreadMsgNum: 0 },
      { Member_Account: 'ds_a', UnreadMsgNum: 0 },
      { Member_Account: 'ds_b', UnreadMsgNum: 1 },
    ])
    const history = await ok(server, 'group_msg_get_simple', { GroupId: 'ds_1', ReqMsgNumber: 10 })
    expect((history.RspMsgList as { MsgSeq: number }[]).map((m) => m.MsgSeq)).toEqual([2])
    const receipt = await ok(server, 'get_group_msg_receipt', {
      GroupId: 'ds_1',
      MsgSeqList: [{ MsgSeq: 1 }],
    })
    expect(receipt.GroupMsgReceiptList).toMatchObject([{ MsgSeq: 1, Code: 10062 }])
    await ok(server, 'delete_group_msg_by_sender', { GroupId: 'ds_1', Sender_Account: 'ds_nobody' })
    expect(await code(server, 'delete_group_msg_by_sender', { GroupId: 'ds_1' })).toBe(10004)
    expect(
      await code(server, 'delete_group_msg_by_sender', { GroupId: 'ds_none', Sender_Account: 'a' }),
    ).toBe(10010)
  })
})

describe('Group.CallbackAfterGroupFull', () => {
  it('fires when add_group_member fills the group and when it is refused for a full group', async () => {
    await importAccounts(server, ['gf_o', 'gf_a', 'gf_b'])
    await ok(server, 'create_group', {
      GroupId: 'gf_1',
      Type: 'Public',
      Name: 'f',
      Owner_Account: 'gf_o',
      MaxMemberCount: 2,
    })
    const events = outboxReader(server)
    await events()
    await ok(server, 'add_group_member', { GroupId: 'gf_1', MemberList: [{ Member_Account: 'gf_a' }] })
    const full = {
      CallbackCommand: 'Group.CallbackAfterGroupFull',
      GroupId: 'gf_1',
      EventTime: expect.any(Number),
    }
    expect((await events()).map((e) => e.body)).toEqual([
      expect.objectContaining({ CallbackCommand: 'Group.CallbackAfterNewMemberJoin' }),
      full,
    ])
    expect(
      await code(server, 'add_group_member', { GroupId: 'gf_1', MemberList: [{ Member_Account: 'gf_b' }] }),
    ).toBe(10014)
    expect((await events()).map((e) => e.body)).toEqual([full])
  })
})

describe('Group.CallbackSendMsgException', () => {
  it('reports a send to a group that does not exist with 10010 and an empty Type', async () => {
    const events = outboxReader(server)
    await events()
    const r = await server.call('group_open_http_svc/send_group_msg', {
      GroupId: 'se_none',
      Random: 3,
      MsgBody: text('x'),
    })
    expect(r).toEqual({ ActionStatus: 'FAIL', ErrorCode: 10010, ErrorInfo: 'this group does not exist' })
    expect((await events()).map((e) => e.body)).toEqual([
      {
        CallbackCommand: 'Group.CallbackSendMsgException',
        GroupId: 'se_none',
        Type: '',
        From_Account: 'administrator',
        Operator_Account: 'administrator',
        Random: 3,
        OnlineOnlyFlag: 0,
        MsgBody: text('x'),
        ErrorCode: 10010,
        ErrorInfo: 'this group does not exist',
        EventTime: expect.any(Number),
      },
    ])
  })
})
