import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../../src/domain/clock.js'
import { startTestServer, testConfig, type TestServer } from '../../helpers/server.js'
import { importAccounts, outbox, text, unread } from './c2c.js'

let server: TestServer
const T0 = 1_700_000_000
const clock = new ManualClock(T0 * 1000)

beforeAll(async () => {
  server = await startTestServer(testConfig(), { clock })
  await importAccounts(server, 'dramon1', 'dramon2', 'dramon3')
  // dramon2 sends dramon1 one message at each of T0, T0+10, T0+20.
  for (let i = 0; i < 3; i++) {
    clock.set((T0 + 10 * i) * 1000)
    await server.call('openim/sendmsg', {
      From_Account: 'dramon2',
      To_Account: 'dramon1',
      MsgRandom: i,
      MsgBody: text(`m${i}`),
    })
  }
  await server.call('openim/sendmsg', {
    From_Account: 'dramon3',
    To_Account: 'dramon1',
    MsgRandom: 9,
    MsgBody: text('x'),
  })
  clock.set((T0 + 100) * 1000)
})
afterAll(() => server.close())

const setRead = (fields: Record<string, unknown>) =>
  server.call('openim/admin_set_msg_read', { Report_Account: 'dramon1', Peer_Account: 'dramon2', ...fields })
const lastReport = async () => (await outbox(server, 'C2C.CallbackAfterMsgReport')).at(-1)

describe('admin_set_msg_read', () => {
  it('reads up to a past MsgReadTime sent as a string; later messages stay unread', async () => {
    expect(await setRead({ MsgReadTime: String(T0 + 10) })).toEqual({
      ActionStatus: 'OK',
      ErrorInfo: '',
      ErrorCode: 0,
    })
    expect(await unread(server, 'dramon1', ['dramon2', 'dramon3'])).toMatchObject({
      AllC2CUnreadMsgNum: 2,
      C2CUnreadMsgNumList: [
        { Peer_Account: 'dramon2', C2CUnreadMsgNum: 1 },
        { Peer_Account: 'dramon3', C2CUnreadMsgNum: 1 },
      ],
    })
    const event = (await lastReport())!
    expect(event.ordering_key).toBe('c2c:dramon1:dramon2')
    expect(JSON.stringify(event.body)).toBe(
      JSON.stringify({
        CallbackCommand: 'C2C.CallbackAfterMsgReport',
        Report_Account: 'dramon1',
        Peer_Account: 'dramon2',
        LastReadTime: T0 + 10,
        UnreadMsgNum: 2,
      }),
    )
  })

  it('never moves the read time back, and still records the event', async () => {
    const events = (await outbox(server)).length
    expect(await setRead({ MsgReadTime: T0 })).toMatchObject({ ErrorCode: 0 })
    expect((await unread(server, 'dramon1', ['dramon2'])).C2CUnreadMsgNumList).toEqual([
      { Peer_Account: 'dramon2', C2CUnreadMsgNum: 1 },
    ])
    expect((await outbox(server)).length).toBe(events + 1)
    expect((await lastReport())!.body).toMatchObject({ LastReadTime: T0 + 10, UnreadMsgNum: 2 })
  })

  it('treats a future MsgReadTime as now, so later messages count again', async () => {
    await setRead({ MsgReadTime: T0 + 10_000 })
    expect((await lastReport())!.body).toMatchObject({ LastReadTime: T0 + 100, UnreadMsgNum: 1 })
    clock.advanceSeconds(1)
    await server.call('openim/sendmsg', {
      From_Account: 'dramon2',
      To_Account: 'dramon1',
      MsgRandom: 50,
      MsgBody: text('new'),
    })
    expect((await unread(server, 'dramon1')).AllC2CUnreadMsgNum).toBe(2)
  })

  it('reads everything up to now without MsgReadTime', async () => {
    await setRead({ Peer_Account: 'dramon3' })
    await setRead({})
    expect((await unread(server, 'dramon1')).AllC2CUnreadMsgNum).toBe(0)
    expect((await lastReport())!.body).toMatchObject({ LastReadTime: clock.nowSeconds(), UnreadMsgNum: 0 })
  })

  it('succeeds for a conversation with no message', async () => {
    expect(
      await setRead({ Report_Account: 'dramon3', Peer_Account: 'dramon2', MsgReadTime: 5 }),
    ).toMatchObject({
      ErrorCode: 0,
    })
    expect((await lastReport())!.body).toMatchObject({ LastReadTime: 5, UnreadMsgNum: 0 })
  })

  it.each([
    ['Report_Account is missing', { Report_Account: undefined }, 90008],
    ['Report_Account is not an account', { Report_Account: 'ghost' }, 90008],
    ['Report_Account is a number', { Report_Account: 1 }, 60015],
    ['Peer_Account is missing', { Peer_Account: undefined }, 90003],
    ['Peer_Account is not an account', { Peer_Account: 'ghost' }, 90003],
    ['Peer_Account is an array', { Peer_Account: ['dramon2'] }, 60015],
    ['MsgReadTime is not a number', { MsgReadTime: 'yesterday' }, 90001],
    ['MsgReadTime is negative', { MsgReadTime: -1 }, 90001],
    ['MsgReadTime is a fraction', { MsgReadTime: 1.5 }, 90001],
  ])('answers the code when %s, and records nothing', async (_name, fields, code) => {
    const events = (await outbox(server)).length
    expect(await setRead(fields)).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: code })
    expect((await outbox(server)).length).toBe(events)
  })
})
