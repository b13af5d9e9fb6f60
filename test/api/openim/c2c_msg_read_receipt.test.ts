import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../../src/domain/clock.js'
import { startTestServer, testConfig, type TestServer } from '../../helpers/server.js'
import { importAccounts, nextRandom, outbox, roam, text, unread } from './c2c.js'

let server: TestServer
const clock = new ManualClock(1_708_676_941_000)

beforeAll(async () => {
  server = await startTestServer(testConfig(), { clock })
  await importAccounts(server, 'user1', 'user2')
})
afterAll(() => server.close())

/** user2 sends user1 a message; returns its MsgKey. */
const send = async (fields: Record<string, unknown> = {}) =>
  (
    await server.call('openim/sendmsg', {
      From_Account: 'user2',
      To_Account: 'user1',
      MsgRandom: nextRandom(),
      MsgBody: text('read me'),
      IsNeedReadReceipt: 1,
      ...fields,
    })
  ).MsgKey as string
const receipt = (items: unknown, fields: Record<string, unknown> = {}) =>
  server.call('openim/c2c_msg_read_receipt', {
    Operator_Account: 'user1',
    Peer_Account: 'user2',
    C2CMsgInfo: items,
    ...fields,
  })
const item = (MsgKey: string) => ({ From_Account: 'user2', To_Account: 'user1', MsgKey })
const peerRead = async () => {
  return Object.fromEntries((await roam(server, 'user2', 'user1')).map((m) => [m.MsgKey, m.IsPeerRead]))
}

describe('c2c_msg_read_receipt', () => {
  it('sets IsPeerRead, leaves unread counts alone, records no webhook, and repeats harmlessly', async () => {
    const key = await send()
    const events = (await outbox(server)).length
    for (let i = 0; i < 2; i++) {
      expect(await receipt([item(key), item(key)])).toEqual({
        ActionStatus: 'OK',
        ErrorInfo: '',
        ErrorCode: 0,
      })
    }
    expect((await peerRead())[key]).toBe(1)
    expect((await unread(server, 'user1')).AllC2CUnreadMsgNum).toBe(1)
    expect((await outbox(server)).length).toBe(events)
  })

  it('skips unknown keys and messages sent without IsNeedReadReceipt', async () => {
    const plain = await send({ IsNeedReadReceipt: 0 })
    const wanted = await send()
    expect(await receipt([item('1467329515_5675354_1708676941'), item(plain), item(wanted)])).toMatchObject({
      ErrorCode: 0,
    })
    expect(await peerRead()).toMatchObject({ [plain]: 0, [wanted]: 1 })
  })

  it('skips a recalled message', async () => {
    const key = await send()
    await server.call('openim/admin_msgwithdraw', { From_Account: 'user2', To_Account: 'user1', MsgKey: key })
    expect(await receipt([item(key)])).toMatchObject({ ErrorCode: 0 })
    expect((await peerRead())[key]).toBe(0)
  })

  it('accepts 100 items', async () => {
    const key = await send()
    expect(await receipt(new Array(100).fill(item(key)))).toMatchObject({ ErrorCode: 0 })
  })

  const ok = item('1_1_1')
  it.each([
    ['Operator_Account is missing', [ok], { Operator_Account: undefined }, 20001],
    ['Operator_Account is a number', [ok], { Operator_Account: 1 }, 60015],
    ['Peer_Account is missing', [ok], { Peer_Account: undefined }, 20001],
    [
      'Operator_Account is not an account',
      [{ ...ok, To_Account: 'ghost' }],
      { Operator_Account: 'ghost' },
      20003,
    ],
    ['Peer_Account is not an account', [{ ...ok, From_Account: 'ghost' }], { Peer_Account: 'ghost' }, 20003],
    ['C2CMsgInfo is missing', undefined, {}, 20001],
    ['C2CMsgInfo is empty', [], {}, 20001],
    ['C2CMsgInfo is an object', ok, {}, 20001],
    ['an item is a string', ['1_1_1'], {}, 20001],
    ['From_Account is not Peer_Account', [{ ...ok, From_Account: 'user1' }], {}, 20001],
    ['To_Account is not Operator_Account', [{ ...ok, To_Account: 'user2' }], {}, 20001],
    ['From_Account is missing', [{ To_Account: 'user1', MsgKey: '1_1_1' }], {}, 20001],
    ['To_Account is a number', [{ ...ok, To_Account: 1 }], {}, 60015],
    ['MsgKey is missing', [{ From_Account: 'user2', To_Account: 'user1' }], {}, 20001],
    ['MsgKey is malformed', [item('abc')], {}, 20001],
    ['MsgKey is a number', [{ ...ok, MsgKey: 1 }], {}, 20001],
    ['there are 101 items', new Array(101).fill(ok), {}, 20001],
    ['there are 10,000 items', new Array(10_000).fill(ok), {}, 20001],
  ])('answers the code when %s', async (_name, items, fields, code) => {
    const key = await send()
    // A valid item goes first where it keeps the request otherwise the same.
    const prepend = Array.isArray(items) && items.length > 0 && Object.keys(fields).length === 0
    const bad = prepend ? [item(key), ...items] : items
    expect(await receipt(bad, fields)).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: code })
    // Nothing is stored half-way: the valid first item was not acknowledged either.
    expect((await peerRead())[key]).toBe(0)
  })
})
