import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, testApp, testConfig, type TestServer } from '../../helpers/server.js'
import { code, makeGroup, ok, send } from './helpers.js'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer(testConfig([testApp({ groupReceiptTypes: ['Private', 'Public'] })]))
  // The seed's sample: one reader, six unread, in an 8-member group (sender excluded).
  await makeGroup(server, 'seed', 'owner', ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7'])
  for (let i = 0; i < 2; i++) await send(server, 'seed', 'owner')
  await ok(server, 'group_msg_receipt', {
    GroupId: 'seed',
    From_Account: 'u1',
    MsgSeqList: [{ MsgSeq: 1 }, { MsgSeq: 2 }],
  })
  await send(server, 'seed', 'owner', {})
})
afterAll(() => server.close())

describe('get_group_msg_receipt', () => {
  it('answers the seed sample: ReadNum 1 and UnreadNum 6 per seq', async () => {
    const r = await ok(server, 'get_group_msg_receipt', {
      GroupId: 'seed',
      MsgSeqList: [{ MsgSeq: 1 }, { MsgSeq: 2 }],
    })
    expect(r).toEqual({
      ActionStatus: 'OK',
      ErrorCode: 0,
      ErrorInfo: '',
      GroupMsgReceiptList: [
        { Code: 0, MsgSeq: 1, ReadNum: 1, UnreadNum: 6 },
        { Code: 0, MsgSeq: 2, ReadNum: 1, UnreadNum: 6 },
      ],
    })
  })

  it('answers per-item Code 10062 for unknown seqs and messages sent without a receipt', async () => {
    const r = await ok(server, 'get_group_msg_receipt', {
      GroupId: 'seed',
      MsgSeqList: [{ MsgSeq: 3 }, { MsgSeq: 99 }, { MsgSeq: 1 }],
    })
    expect(r.GroupMsgReceiptList).toEqual([
      { Code: 10062, MsgSeq: 3, ReadNum: 0, UnreadNum: 0 },
      { Code: 10062, MsgSeq: 99, ReadNum: 0, UnreadNum: 0 },
      { Code: 0, MsgSeq: 1, ReadNum: 1, UnreadNum: 6 },
    ])
  })

  it('answers 10004 for a missing, empty or malformed MsgSeqList', async () => {
    for (const body of [
      { GroupId: 'seed' },
      { GroupId: 'seed', MsgSeqList: [] },
      { GroupId: 'seed', MsgSeqList: 1 },
      { GroupId: 'seed', MsgSeqList: [{ Seq: 1 }] },
      { GroupId: 'seed', MsgSeqList: [{ MsgSeq: -1 }] },
      { GroupId: 'seed', MsgSeqList: Array.from({ length: 101 }, (_, i) => ({ MsgSeq: i })) },
    ]) {
      expect(await code(server, 'get_group_msg_receipt', body)).toBe(10004)
    }
  })

  it('answers 10004 without GroupId, 10015 for a malformed one, 10010 for an unknown one', async () => {
    const l = [{ MsgSeq: 1 }]
    expect(await code(server, 'get_group_msg_receipt', { MsgSeqList: l })).toBe(10004)
    expect(await code(server, 'get_group_msg_receipt', { GroupId: 'a\u0001b', MsgSeqList: l })).toBe(10015)
    expect(await code(server, 'get_group_msg_receipt', { GroupId: 'x'.repeat(48), MsgSeqList: l })).toBe(
      10015,
    )
    expect(await code(server, 'get_group_msg_receipt', { GroupId: 'nope', MsgSeqList: l })).toBe(10010)
  })

  it('answers 10007 for AVChatRoom and Community, 10059 for a type the app switched off', async () => {
    await ok(server, 'create_group', { GroupId: 'live', Type: 'AVChatRoom', Name: 'live' })
    await ok(server, 'create_group', { GroupId: '@TGS#_community', Type: 'Community', Name: 'c' })
    await ok(server, 'create_group', { GroupId: 'meet', Type: 'Meeting', Name: 'meet' })
    const l = [{ MsgSeq: 1 }]
    expect(await code(server, 'get_group_msg_receipt', { GroupId: 'live', MsgSeqList: l })).toBe(10007)
    expect(await code(server, 'get_group_msg_receipt', { GroupId: '@TGS#_community', MsgSeqList: l })).toBe(
      10007,
    )
    expect(await code(server, 'get_group_msg_receipt', { GroupId: 'meet', MsgSeqList: l })).toBe(10059)
  })

  it('answers 10011 for a body that is not JSON', async () => {
    const r = await server.call('group_open_http_svc/get_group_msg_receipt', undefined, { rawBody: '{' })
    expect(r.ErrorCode).toBe(10011)
  })
})
