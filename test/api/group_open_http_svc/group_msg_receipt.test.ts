/** group_msg_receipt and get_group_msg_receipt_detail (spec §6.11, §6.13; design.md decisions 8–11). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../../helpers/server.js'
import { code, importAccounts, makeGroup, ok, outboxReader, send } from './helpers.js'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
  await makeGroup(server, 'r', 'owner', ['a', 'b', 'c'])
  await importAccounts(server, ['d'])
  await send(server, 'r', 'owner') // 1
  await send(server, 'r', 'a', {}) // 2, no receipt
})
afterAll(() => server.close())

const ack = (from: string, seqs: number[]) =>
  ok(server, 'group_msg_receipt', {
    GroupId: 'r',
    From_Account: from,
    MsgSeqList: seqs.map((s) => ({ MsgSeq: s })),
  })
const counts = async (seq: number) =>
  (
    (await ok(server, 'get_group_msg_receipt', { GroupId: 'r', MsgSeqList: [{ MsgSeq: seq }] }))
      .GroupMsgReceiptList as unknown[]
  )[0]
const detail = (seq: number, Filter: number, Count = 200, Cursor = '') =>
  server.call('group_open_http_svc/get_group_msg_receipt_detail', {
    GroupId: 'r',
    MsgSeq: seq,
    Filter,
    Cursor,
    Count,
  })

describe('group_msg_receipt', () => {
  it('records a read once and fires one Group.CallbackAfterReadReceipt as spec §7.8', async () => {
    const events = outboxReader(server)
    await events()
    await ack('a', [1, 2, 50])
    expect((await events()).map((e) => e.body)).toEqual([
      {
        CallbackCommand: 'Group.CallbackAfterReadReceipt',
        GroupId: 'r',
        Type: 'Public',
        GroupMsgReceiptList: [
          { MsgSeq: 1, ReadNum: 1, UnreadNum: 2, ReadReceiptMembers: [{ Member_Account: 'a' }] },
        ],
        EventTime: expect.any(Number),
      },
    ])
    await ack('a', [1])
    await ack('owner', [1]) // the sender's own message: ignored
    expect(await events()).toEqual([])
    expect(await counts(1)).toEqual({ Code: 0, MsgSeq: 1, ReadNum: 1, UnreadNum: 2 })
  })

  it('follows the audience rule through joins, leaves and rejoins', async () => {
    await ok(server, 'add_group_member', { GroupId: 'r', MemberList: [{ Member_Account: 'd' }] })
    await ack('d', [1]) // joined after message 1: not in its audience
    expect(await counts(1)).toEqual({ Code: 0, MsgSeq: 1, ReadNum: 1, UnreadNum: 2 })
    await ok(server, 'delete_group_member', { GroupId: 'r', MemberToDel_Account: ['a'] })
    expect(await counts(1)).toEqual({ Code: 0, MsgSeq: 1, ReadNum: 0, UnreadNum: 2 })
    await ok(server, 'add_group_member', { GroupId: 'r', MemberList: [{ Member_Account: 'a' }] })
    expect(await counts(1)).toEqual({ Code: 0, MsgSeq: 1, ReadNum: 0, UnreadNum: 2 })
    const unread = await detail(1, 1)
    expect(unread.UnreadList).toEqual([{ Unread_Account: 'b' }, { Unread_Account: 'c' }])
  })

  it('answers 10007 for a reader who is not a member and 10004 for more than 50 seqs', async () => {
    expect(
      await code(server, 'group_msg_receipt', {
        GroupId: 'r',
        From_Account: 'zed',
        MsgSeqList: [{ MsgSeq: 1 }],
      }),
    ).toBe(10007)
    const many = Array.from({ length: 51 }, (_, i) => ({ MsgSeq: i + 1 }))
    expect(
      await code(server, 'group_msg_receipt', { GroupId: 'r', From_Account: 'b', MsgSeqList: many }),
    ).toBe(10004)
    expect(await code(server, 'group_msg_receipt', { GroupId: 'r', MsgSeqList: [{ MsgSeq: 1 }] })).toBe(10004)
    expect(
      await code(server, 'group_msg_receipt', { GroupId: 'r', From_Account: 9, MsgSeqList: [{ MsgSeq: 1 }] }),
    ).toBe(60015)
    expect(
      await code(server, 'group_msg_receipt', {
        GroupId: 'q',
        From_Account: 'b',
        MsgSeqList: [{ MsgSeq: 1 }],
      }),
    ).toBe(10010)
  })
})

describe('get_group_msg_receipt_detail', () => {
  it('pages readers and non-readers with an opaque cursor, IsFinish and IsFinished', async () => {
    await ack('b', [1])
    const read = await detail(1, 0)
    expect(read).toEqual({
      ActionStatus: 'OK',
      ErrorCode: 0,
      ErrorInfo: '',
      MsgSeq: 1,
      Cursor: '0',
      IsFinish: 1,
      IsFinished: 1,
      ReadList: [{ Read_Account: 'b' }],
    })
    await makeGroup(server, 'r2', 'owner', ['m1', 'm2', 'm3'])
    await send(server, 'r2', 'owner')
    const p1 = await server.call('group_open_http_svc/get_group_msg_receipt_detail', {
      GroupId: 'r2',
      MsgSeq: 1,
      Filter: 1,
      Cursor: '',
      Count: 2,
    })
    expect(p1).toMatchObject({
      IsFinish: 0,
      IsFinished: 0,
      UnreadList: [{ Unread_Account: 'm1' }, { Unread_Account: 'm2' }],
    })
    expect(p1.Cursor).toMatch(/^\d+$/)
    const p2 = await server.call('group_open_http_svc/get_group_msg_receipt_detail', {
      GroupId: 'r2',
      MsgSeq: 1,
      Filter: 1,
      Cursor: p1.Cursor,
      Count: 2,
    })
    expect(p2).toMatchObject({
      IsFinish: 1,
      IsFinished: 1,
      Cursor: '0',
      UnreadList: [{ Unread_Account: 'm3' }],
    })
  })

  it('answers 10062 for a message without a receipt or an unknown seq', async () => {
    expect((await detail(2, 0)).ErrorCode).toBe(10062)
    expect((await detail(77, 1)).ErrorCode).toBe(10062)
  })

  it('reads Count above 200 as 200 and answers 10004 below 1, for a bad Filter, Cursor or missing field', async () => {
    expect((await detail(1, 0, 5000)).ErrorCode).toBe(0)
    expect((await detail(1, 0, 0)).ErrorCode).toBe(10004)
    expect((await detail(1, 2)).ErrorCode).toBe(10004)
    expect((await detail(1, 0, 10, 'abc')).ErrorCode).toBe(10004)
    for (const field of ['MsgSeq', 'Filter', 'Cursor', 'Count']) {
      const body: Record<string, unknown> = { GroupId: 'r', MsgSeq: 1, Filter: 0, Cursor: '', Count: 10 }
      delete body[field]
      expect(await code(server, 'get_group_msg_receipt_detail', body), field).toBe(10004)
    }
  })
})
