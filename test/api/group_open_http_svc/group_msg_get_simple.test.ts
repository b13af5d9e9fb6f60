/** group_msg_get_simple, group_msg_recall and set_unread_msg_num (spec §6.7–§6.9). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../../helpers/server.js'
import { code, makeGroup, ok, outboxReader, send } from './helpers.js'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
  await makeGroup(server, 'h', 'owner', ['a', 'b'])
  for (let i = 0; i < 5; i++)
    await send(server, 'h', i % 2 ? 'a' : 'b', { NeedReadReceipt: 1, MsgPriority: 'High' })
  await send(server, 'h', 'a', { OnlineOnlyFlag: 1 })
})
afterAll(() => server.close())

describe('group_msg_get_simple', () => {
  it('lists RspMsgList newest first and pages by ReqMsgSeq; online-only messages are not kept', async () => {
    const r = await ok(server, 'group_msg_get_simple', { GroupId: 'h', ReqMsgNumber: 3 })
    expect(r.GroupId).toBe('h')
    expect(r.IsFinished).toBe(0)
    const list = r.RspMsgList as Record<string, unknown>[]
    expect(list.map((m) => m.MsgSeq)).toEqual([5, 4, 3])
    expect(list[0]).toEqual({
      From_Account: 'b',
      IsPlaceMsg: 0,
      IsSystemMsg: 0,
      MsgBody: expect.any(Array),
      MsgPriority: 1,
      MsgRandom: expect.any(Number),
      MsgSeq: 5,
      MsgTimeStamp: expect.any(Number),
    })
    const next = await ok(server, 'group_msg_get_simple', { GroupId: 'h', ReqMsgNumber: 3, ReqMsgSeq: 2 })
    expect((next.RspMsgList as { MsgSeq: number }[]).map((m) => m.MsgSeq)).toEqual([2, 1])
    expect(next.IsFinished).toBe(1)
  })

  it('answers 10004 for a missing or bad ReqMsgNumber, 10007 for AVChatRoom, 10010 for no group', async () => {
    expect(await code(server, 'group_msg_get_simple', { GroupId: 'h' })).toBe(10004)
    expect(await code(server, 'group_msg_get_simple', { GroupId: 'h', ReqMsgNumber: 0 })).toBe(10004)
    await ok(server, 'create_group', { GroupId: 'live', Type: 'AVChatRoom', Name: 'l' })
    expect(await code(server, 'group_msg_get_simple', { GroupId: 'live', ReqMsgNumber: 1 })).toBe(10007)
    expect(await code(server, 'group_msg_get_simple', { GroupId: 'x', ReqMsgNumber: 1 })).toBe(10010)
  })
})

describe('group_msg_recall', () => {
  it('answers RetCode per seq, hides recalled messages, ends their receipts, fires Group.CallbackAfterRecallMsg', async () => {
    const events = outboxReader(server)
    await events()
    const r = await ok(server, 'group_msg_recall', {
      GroupId: 'h',
      MsgSeqList: [{ MsgSeq: 2 }, { MsgSeq: 6 }, { MsgSeq: 99 }],
    })
    expect(r.RecallRetList).toEqual([
      { MsgSeq: 2, RetCode: 0 },
      { MsgSeq: 6, RetCode: 10030 },
      { MsgSeq: 99, RetCode: 10030 },
    ])
    expect((await events()).map((e) => e.body)).toEqual([
      {
        CallbackCommand: 'Group.CallbackAfterRecallMsg',
        GroupId: 'h',
        Type: 'Public',
        Operator_Account: 'administrator',
        MsgSeqList: [{ MsgSeq: 2 }],
        EventTime: expect.any(Number),
      },
    ])
    const again = await ok(server, 'group_msg_recall', { GroupId: 'h', MsgSeqList: [{ MsgSeq: 2 }] })
    expect(again.RecallRetList).toEqual([{ MsgSeq: 2, RetCode: 10030 }])
    const hist = await ok(server, 'group_msg_get_simple', { GroupId: 'h', ReqMsgNumber: 20 })
    expect((hist.RspMsgList as { MsgSeq: number }[]).map((m) => m.MsgSeq)).toEqual([5, 4, 3, 1])
    const all = await ok(server, 'group_msg_get_simple', {
      GroupId: 'h',
      ReqMsgNumber: 20,
      WithRecalledMsg: 1,
    })
    expect((all.RspMsgList as Record<string, unknown>[])[3]).toMatchObject({
      MsgSeq: 2,
      IsPlaceMsg: 2,
      MsgBody: [],
    })
    const receipt = await ok(server, 'get_group_msg_receipt', { GroupId: 'h', MsgSeqList: [{ MsgSeq: 2 }] })
    expect(receipt.GroupMsgReceiptList).toEqual([{ Code: 10062, MsgSeq: 2, ReadNum: 0, UnreadNum: 0 }])
  })

  it('answers 10004 for an empty list or more than 10 seqs', async () => {
    expect(await code(server, 'group_msg_recall', { GroupId: 'h', MsgSeqList: [] })).toBe(10004)
    const many = Array.from({ length: 11 }, (_, i) => ({ MsgSeq: i + 1 }))
    expect(await code(server, 'group_msg_recall', { GroupId: 'h', MsgSeqList: many })).toBe(10004)
  })
})

describe('set_unread_msg_num', () => {
  it('accepts a member; 10007 for a non-member; no effect but OK for ChatRoom', async () => {
    await ok(server, 'set_unread_msg_num', { GroupId: 'h', Member_Account: 'a', UnreadMsgNum: 1000 })
    expect(
      await code(server, 'set_unread_msg_num', { GroupId: 'h', Member_Account: 'zed', UnreadMsgNum: 1 }),
    ).toBe(10007)
    await ok(server, 'create_group', { GroupId: 'room', Type: 'ChatRoom', Name: 'r' })
    await ok(server, 'set_unread_msg_num', { GroupId: 'room', Member_Account: 'zed', UnreadMsgNum: 1 })
  })

  it('answers 10004 for missing fields and 60015 for a non-string Member_Account', async () => {
    expect(await code(server, 'set_unread_msg_num', { GroupId: 'h', Member_Account: 'a' })).toBe(10004)
    expect(await code(server, 'set_unread_msg_num', { GroupId: 'h', UnreadMsgNum: 1 })).toBe(10004)
    expect(
      await code(server, 'set_unread_msg_num', { GroupId: 'h', Member_Account: 'a', UnreadMsgNum: -1 }),
    ).toBe(10004)
    expect(
      await code(server, 'set_unread_msg_num', { GroupId: 'h', Member_Account: 1, UnreadMsgNum: 1 }),
    ).toBe(60015)
  })
})
