import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, testConfig, type TestServer } from '../../helpers/server.js'
import { api } from '../inspector/api.js'
import { makeGroup, ok as groupOk, send as sendGroup } from '../group_open_http_svc/helpers.js'
import { importAccounts, nextRandom, outbox, roam, text, unread } from './c2c.js'

let server: TestServer

const modifyC2C = (body: unknown) => server.call('openim/modify_c2c_msg', body)
const modifyGroup = (body: unknown) => server.call('openim/modify_group_msg', body)

async function sendC2C(from: string, to: string, extra: Record<string, unknown> = {}): Promise<string> {
  const r = await server.call('openim/sendmsg', {
    From_Account: from,
    To_Account: to,
    MsgRandom: nextRandom(),
    MsgBody: text('original'),
    ...extra,
  })
  expect(r.ErrorCode).toBe(0)
  return r.MsgKey as string
}

beforeAll(async () => {
  server = await startTestServer(testConfig())
})
afterAll(() => server.close())

describe('openim/modify_c2c_msg', () => {
  it('changes the content both sides see, as the doc sample, and nothing of the read state', async () => {
    await importAccounts(server, 'dramon1', 'dramon2')
    const key = await sendC2C('dramon1', 'dramon2', { CloudCustomData: 'kept', IsNeedReadReceipt: 1 })
    await server.call('openim/c2c_msg_read_receipt', {
      Operator_Account: 'dramon2',
      Peer_Account: 'dramon1',
      C2CMsgInfo: [{ From_Account: 'dramon1', To_Account: 'dramon2', MsgKey: key }],
    })
    const eventsBefore = (await outbox(server)).length
    const unreadBefore = await unread(server, 'dramon2')
    expect(
      await modifyC2C({
        From_Account: 'dramon1',
        To_Account: 'dramon2',
        MsgKey: key,
        MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hello' } }],
      }),
    ).toEqual({ ActionStatus: 'OK', ErrorInfo: 'succeed', ErrorCode: 0 })
    for (const [viewer, peer] of [
      ['dramon1', 'dramon2'],
      ['dramon2', 'dramon1'],
    ]) {
      expect(await roam(server, viewer!, peer!)).toMatchObject([
        { MsgKey: key, MsgBody: text('hello'), CloudCustomData: 'kept', IsPeerRead: 1 },
      ])
    }
    // The doc's sample body: CloudCustomData changes too.
    expect(
      await modifyC2C({
        From_Account: 'dramon1',
        To_Account: 'dramon2',
        MsgKey: key,
        MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hello' } }],
        CloudCustomData: 'your cloud custom data',
      }),
    ).toMatchObject({ ErrorCode: 0 })
    expect(await roam(server, 'dramon2', 'dramon1')).toMatchObject([
      { CloudCustomData: 'your cloud custom data' },
    ])
    expect(await unread(server, 'dramon2')).toEqual(unreadBefore)
    expect((await outbox(server)).length).toBe(eventsBefore)
  })

  it('answers 20026 for a key of no message, of the other direction, or of a recalled message', async () => {
    await importAccounts(server, 'mc_a', 'mc_b')
    const key = await sendC2C('mc_a', 'mc_b')
    const body = { MsgBody: text('x') }
    expect(
      await modifyC2C({ From_Account: 'mc_a', To_Account: 'mc_b', MsgKey: '1_2_3', ...body }),
    ).toMatchObject({
      ErrorCode: 20026,
    })
    expect(await modifyC2C({ From_Account: 'mc_b', To_Account: 'mc_a', MsgKey: key, ...body })).toMatchObject(
      {
        ErrorCode: 20026,
      },
    )
    await server.call('openim/admin_msgwithdraw', { From_Account: 'mc_a', To_Account: 'mc_b', MsgKey: key })
    expect(await modifyC2C({ From_Account: 'mc_a', To_Account: 'mc_b', MsgKey: key, ...body })).toMatchObject(
      {
        ErrorCode: 20026,
      },
    )
  })

  it('checks fields: 20001, 90003, 90012, 20003, 90007, 90002, 93000', async () => {
    await importAccounts(server, 'mc_c', 'mc_d')
    const key = await sendC2C('mc_c', 'mc_d', { CloudCustomData: 'x'.repeat(6000) })
    const base = { From_Account: 'mc_c', To_Account: 'mc_d', MsgKey: key }
    const cases: [Record<string, unknown>, number][] = [
      [base, 20001],
      [{ ...base, MsgKey: 'nope', MsgBody: text('x') }, 20001],
      [{ ...base, MsgKey: undefined, MsgBody: text('x') }, 20001],
      [{ ...base, From_Account: undefined, MsgBody: text('x') }, 20001],
      [{ ...base, To_Account: undefined, MsgBody: text('x') }, 90003],
      [{ ...base, To_Account: 'mc_none', MsgBody: text('x') }, 90012],
      [{ ...base, From_Account: 'mc_none', MsgBody: text('x') }, 20003],
      [{ ...base, MsgBody: 'text' }, 90007],
      [{ ...base, MsgBody: [{ MsgType: 'TIMNope' }] }, 90002],
      [{ ...base, CloudCustomData: 7 }, 20001],
      // The stored CloudCustomData counts with the new body.
      [{ ...base, MsgBody: text('y'.repeat(6500)) }, 93000],
    ]
    for (const [body, code] of cases) {
      expect(await modifyC2C(body), JSON.stringify(body).slice(0, 120)).toMatchObject({ ErrorCode: code })
    }
    expect(await roam(server, 'mc_c', 'mc_d')).toMatchObject([{ MsgBody: text('original') }])
    expect(await server.call('openim/modify_c2c_msg', {}, { rawBody: '[' })).toMatchObject({
      ErrorCode: 90001,
    })
  })
})

describe('openim/modify_group_msg', () => {
  it('changes the content group_msg_get_simple shows; receipts, seqs and unread stay', async () => {
    await makeGroup(server, 'mg_g', 'mg_owner', ['mg_m'])
    const seq = await sendGroup(server, 'mg_g', 'mg_owner')
    await groupOk(server, 'group_msg_receipt', {
      GroupId: 'mg_g',
      From_Account: 'mg_m',
      MsgSeqList: [{ MsgSeq: seq }],
    })
    const receiptsBefore = await groupOk(server, 'get_group_msg_receipt', {
      GroupId: 'mg_g',
      MsgSeqList: [{ MsgSeq: seq }],
    })
    const eventsBefore = (await outbox(server)).length
    // The doc's sample body, with this test's group.
    expect(
      await modifyGroup({
        GroupId: 'mg_g',
        MsgSeq: seq,
        MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hello' } }],
        CloudCustomData: 'your cloud custom data',
      }),
    ).toEqual({ ActionStatus: 'OK', ErrorInfo: 'succeed', ErrorCode: 0 })
    const simple = await groupOk(server, 'group_msg_get_simple', { GroupId: 'mg_g', ReqMsgNumber: 10 })
    expect(simple.RspMsgList).toMatchObject([{ MsgSeq: seq, MsgBody: text('hello') }])
    // group_msg_get_simple leaves CloudCustomData out; the app's export shows what is stored.
    expect(JSON.stringify(await api(server, 'GET', 'export'))).toContain('your cloud custom data')
    expect(
      await groupOk(server, 'get_group_msg_receipt', { GroupId: 'mg_g', MsgSeqList: [{ MsgSeq: seq }] }),
    ).toEqual(receiptsBefore)
    expect((await outbox(server)).length).toBe(eventsBefore)
    // A second send still gets the next seq.
    expect(await sendGroup(server, 'mg_g', 'mg_owner')).toBe(seq + 1)
  })

  it('answers 20026 for an unknown or recalled seq, 10010 for no group, 10007 on an AVChatRoom, 20001 with nothing to change', async () => {
    await makeGroup(server, 'mg_h', 'mg_owner2', [])
    const seq = await sendGroup(server, 'mg_h', 'mg_owner2', {})
    const body = { MsgBody: text('x') }
    expect(await modifyGroup({ GroupId: 'mg_h', MsgSeq: seq + 5, ...body })).toMatchObject({
      ErrorCode: 20026,
    })
    await groupOk(server, 'group_msg_recall', { GroupId: 'mg_h', MsgSeqList: [{ MsgSeq: seq }] })
    expect(await modifyGroup({ GroupId: 'mg_h', MsgSeq: seq, ...body })).toMatchObject({ ErrorCode: 20026 })
    expect(await modifyGroup({ GroupId: 'mg_none', MsgSeq: 1, ...body })).toMatchObject({ ErrorCode: 10010 })
    await groupOk(server, 'create_group', { GroupId: 'mg_live', Type: 'AVChatRoom', Name: 'l' })
    expect(await modifyGroup({ GroupId: 'mg_live', MsgSeq: 1, ...body })).toMatchObject({ ErrorCode: 10007 })
    expect(await modifyGroup({ GroupId: 'mg_h', MsgSeq: seq })).toMatchObject({ ErrorCode: 20001 })
    expect(await modifyGroup({ GroupId: 'mg_h', ...body })).toMatchObject({ ErrorCode: 20001 })
    expect(await modifyGroup({ GroupId: 'mg_h', MsgSeq: seq, MsgBody: {} })).toMatchObject({
      ErrorCode: 90007,
    })
    expect(
      await modifyGroup({ GroupId: 'mg_h', MsgSeq: seq, MsgBody: text('z'.repeat(13_000)) }),
    ).toMatchObject({
      ErrorCode: 80002,
    })
    expect(await server.call('group_open_http_svc/modify_group_msg', { GroupId: 'mg_h' })).toMatchObject({
      ErrorCode: 60009,
    })
  })
})
