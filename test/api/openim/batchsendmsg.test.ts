import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../../src/domain/clock.js'
import { startTestServer, testConfig, type TestServer } from '../../helpers/server.js'
import { importAccounts, nextRandom, outbox, text, unread } from './c2c.js'

let server: TestServer
const clock = new ManualClock(1_700_000_000_000)
const now = () => clock.nowSeconds()

beforeAll(async () => {
  server = await startTestServer(testConfig(), { clock })
  await importAccounts(server, 'alice', 'bob', 'carol')
})
afterAll(() => server.close())

const batch = (fields: Record<string, unknown>) =>
  server.call('openim/batchsendmsg', {
    From_Account: 'alice',
    To_Account: ['bob', 'carol'],
    MsgRandom: nextRandom(),
    MsgBody: text('hi all'),
    ...fields,
  })

describe('batchsendmsg', () => {
  it('sends one message under one MsgKey to every recipient, counted unread, with no webhook', async () => {
    const r = await batch({ MsgSeq: 128493, MsgRandom: 903762 })
    expect(r).toEqual({
      ActionStatus: 'OK',
      ErrorInfo: '',
      ErrorCode: 0,
      MsgKey: `128493_903762_${now()}`,
      MsgTime: now(),
    })
    expect((await unread(server, 'bob')).AllC2CUnreadMsgNum).toBe(1)
    expect((await unread(server, 'carol')).AllC2CUnreadMsgNum).toBe(1)
    expect(await outbox(server)).toEqual([])
  })

  it('answers SomeError with ErrorList 70107 for recipients that are not accounts', async () => {
    const r = await batch({ To_Account: ['bob', 'rong', '', 'bob'] })
    expect(r).toMatchObject({
      ActionStatus: 'SomeError',
      ErrorCode: 0,
      ErrorInfo: '',
      ErrorList: [
        { To_Account: 'rong', ErrorCode: 70107 },
        { To_Account: '', ErrorCode: 70107 },
      ],
    })
    expect(r.MsgKey).toMatch(/^\d+_\d+_\d+$/)
    expect((await unread(server, 'bob')).AllC2CUnreadMsgNum).toBe(2)
  })

  it('answers 90012 "invalid To_Account" when no recipient is an account', async () => {
    expect(await batch({ To_Account: ['rong', 'nobody'] })).toEqual({
      ActionStatus: 'FAIL',
      ErrorInfo: 'invalid To_Account',
      ErrorCode: 90012,
    })
  })

  it('does not count NoUnread or MsgLifeTime 0 messages', async () => {
    await batch({ SendMsgControl: ['NoUnread'] })
    await batch({ MsgLifeTime: 0 })
    expect((await unread(server, 'carol')).AllC2CUnreadMsgNum).toBe(1)
  })

  it.each([
    ['To_Account is missing', { To_Account: undefined }, 90003],
    ['To_Account is empty', { To_Account: [] }, 90003],
    ['To_Account is a string', { To_Account: 'bob' }, 90003],
    ['a recipient is a number', { To_Account: ['bob', 5] }, 60015],
    ['there are 501 recipients', { To_Account: new Array<string>(501).fill('bob') }, 90011],
    ['there are 10,000 recipients', { To_Account: new Array<string>(10_000).fill('bob') }, 90011],
    ['From_Account is not an account', { From_Account: 'nobody' }, 90008],
    ['MsgRandom is missing', { MsgRandom: undefined }, 90005],
    ['MsgSeq is over 32 bits', { MsgSeq: 2 ** 32 }, 90004],
    ['MsgBody is not an array', { MsgBody: 'hi' }, 90007],
    ['an element is malformed', { MsgBody: [{ MsgType: 'TIMFaceElem', MsgContent: { Index: 'x' } }] }, 90010],
    ['the message is over 12 KB', { MsgBody: text('😀'.repeat(3100)) }, 93000],
    ['SyncOtherMachine is not an integer', { SyncOtherMachine: [] }, 90031],
    ['MsgLifeTime is not an integer', { MsgLifeTime: 'forever' }, 90044],
  ])('answers the code when %s, and stores nothing', async (_name, fields, code) => {
    const before = [
      (await unread(server, 'bob')).AllC2CUnreadMsgNum,
      (await unread(server, 'carol')).AllC2CUnreadMsgNum,
    ]
    expect(await batch(fields)).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: code })
    expect([
      (await unread(server, 'bob')).AllC2CUnreadMsgNum,
      (await unread(server, 'carol')).AllC2CUnreadMsgNum,
    ]).toEqual(before)
  })
})
