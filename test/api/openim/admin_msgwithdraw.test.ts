import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../../src/domain/clock.js'
import { startTestServer, testConfig, type TestServer } from '../../helpers/server.js'
import { importAccounts, nextRandom, outbox, text, unread } from './c2c.js'

let server: TestServer
const clock = new ManualClock(1_700_000_000_000)

beforeAll(async () => {
  server = await startTestServer(testConfig(), { clock })
  await importAccounts(server, 'jared', 'Jonh')
})
afterAll(() => server.close())

const send = async () =>
  (
    await server.call('openim/sendmsg', {
      From_Account: 'jared',
      To_Account: 'Jonh',
      MsgRandom: nextRandom(),
      MsgBody: text('oops'),
    })
  ).MsgKey as string
const withdraw = (fields: Record<string, unknown>) =>
  server.call('openim/admin_msgwithdraw', { From_Account: 'jared', To_Account: 'Jonh', ...fields })

describe('admin_msgwithdraw', () => {
  it('recalls an unread message, lowers the count and records C2C.CallbackAfterMsgWithDraw', async () => {
    const [a, b] = [await send(), await send()]
    expect((await unread(server, 'Jonh')).AllC2CUnreadMsgNum).toBe(2)
    expect(await withdraw({ MsgKey: a })).toEqual({ ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 })
    expect((await unread(server, 'Jonh')).AllC2CUnreadMsgNum).toBe(1)
    const event = (await outbox(server, 'C2C.CallbackAfterMsgWithDraw')).at(-1)!
    expect(event.ordering_key).toBe('c2c:Jonh:jared')
    expect(JSON.stringify(event.body)).toBe(
      JSON.stringify({
        CallbackCommand: 'C2C.CallbackAfterMsgWithDraw',
        From_Account: 'jared',
        To_Account: 'Jonh',
        MsgKey: a,
        UnreadMsgNum: 1,
      }),
    )
    expect(b).not.toBe(a)
  })

  it('leaves the count alone when the recalled message was already read', async () => {
    const key = await send()
    clock.advanceSeconds(1)
    await server.call('openim/admin_set_msg_read', { Report_Account: 'Jonh', Peer_Account: 'jared' })
    expect(await withdraw({ MsgKey: key })).toMatchObject({ ErrorCode: 0 })
    expect((await unread(server, 'Jonh')).AllC2CUnreadMsgNum).toBe(0)
  })

  it('answers 20023 for a second recall and 20022 for no such message', async () => {
    const key = await send()
    await withdraw({ MsgKey: key })
    expect(await withdraw({ MsgKey: key })).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 20023 })
    expect(await withdraw({ MsgKey: '1_2_3' })).toMatchObject({ ErrorCode: 20022 })
    // The key names a message from jared to Jonh; the other direction has none.
    expect(await withdraw({ From_Account: 'Jonh', To_Account: 'jared', MsgKey: await send() })).toMatchObject(
      {
        ErrorCode: 20022,
      },
    )
  })

  it('answers 90008 / 90003 when From_Account / To_Account is not an account, and recalls nothing', async () => {
    const key = await send()
    const events = (await outbox(server)).length
    expect(await withdraw({ From_Account: 'nobody', MsgKey: key })).toMatchObject({
      ActionStatus: 'FAIL',
      ErrorCode: 90008,
    })
    expect(await withdraw({ To_Account: 'nobody', MsgKey: key })).toMatchObject({
      ActionStatus: 'FAIL',
      ErrorCode: 90003,
    })
    expect(await withdraw({ From_Account: 'nobody', To_Account: 'nobody', MsgKey: key })).toMatchObject({
      ErrorCode: 90008,
    })
    expect(await outbox(server)).toHaveLength(events)
    expect(await withdraw({ MsgKey: key })).toMatchObject({ ErrorCode: 0 })
  })

  it.each([
    ['From_Account is missing', { From_Account: undefined }, 90008],
    ['From_Account is a number', { From_Account: 1 }, 60015],
    ['To_Account is missing', { To_Account: undefined }, 90003],
    ['MsgKey is missing', { MsgKey: undefined }, 90054],
    ['MsgKey is malformed', { MsgKey: '1_2' }, 90054],
    ['MsgKey has leading zeros', { MsgKey: '01_2_3' }, 90054],
    ['MsgKey is over 32 bits', { MsgKey: '4294967296_1_1' }, 90054],
    ['MsgKey is a number', { MsgKey: 123 }, 90054],
  ])('answers the code when %s', async (_name, fields, code) => {
    const events = (await outbox(server)).length
    expect(await withdraw({ MsgKey: '1_1_1', ...fields })).toMatchObject({
      ActionStatus: 'FAIL',
      ErrorCode: code,
    })
    expect((await outbox(server)).length).toBe(events)
  })
})
