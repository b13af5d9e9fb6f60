/**
 * Before-send callbacks are asked only for a request that would otherwise be stored (design.md
 * decision 15, issue 15 point 5): unknown accounts, a sender who is not a member and duplicates
 * are answered without asking the app, and the callback sees the MsgKey that is stored. Both
 * before-send bodies carry `CloudCustomData`, "" when the message has none, like the after-send
 * ones (spec §7.4, §7.7). Over HTTP with a real app backend.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { callbackDefaults } from '../../src/config/config.js'
import { ManualClock } from '../../src/domain/clock.js'
import { roam } from '../api/openim/c2c.js'
import { OK_ANSWER, Receiver, type Received } from '../helpers/receiver.js'
import { startTestServer, testApp, testConfig, type TestServer } from '../helpers/server.js'

const BEFORE_C2C = 'C2C.CallbackBeforeSendMsg'
const AFTER_C2C = 'C2C.CallbackAfterSendMsg'
const BEFORE_GROUP = 'Group.CallbackBeforeSendMsg'
const AFTER_GROUP = 'Group.CallbackAfterSendMsg'

let receiver: Receiver
let server: TestServer
const clock = new ManualClock(1_700_000_000_000)
const text = (t: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text: t } }]
const command = (r: Received) => r.query.get('CallbackCommand')

beforeAll(async () => {
  receiver = await Receiver.start()
  receiver.answer = (r) =>
    command(r)?.endsWith('BeforeSendMsg')
      ? { status: 200, body: JSON.stringify({ ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 }) }
      : { status: 200, body: OK_ANSWER }
  const callback = { ...callbackDefaults, url: `${receiver.url}/im`, token: undefined, retryBackoffMs: 50 }
  server = await startTestServer(testConfig([testApp({ callback })]), { clock })
  await server.call('im_open_login_svc/multiaccount_import', { Accounts: ['ann', 'ben', 'cat'] })
  const g = await server.call('group_open_http_svc/create_group', {
    GroupId: 'checked',
    Type: 'Public',
    Name: 'checked',
    Owner_Account: 'ann',
    MemberList: [{ Member_Account: 'ben' }],
  })
  expect(g.ErrorCode).toBe(0)
})
afterAll(async () => {
  await server.close()
  await receiver.close()
})
beforeEach(() => clock.advanceSeconds(1))

const asked = (cmd: string, random: number, field = 'MsgRandom') =>
  receiver.bodies(cmd).filter((b) => b[field] === random)

describe('sendmsg asks C2C.CallbackBeforeSendMsg only for a message it will store', () => {
  const send = (random: number, extra: Record<string, unknown> = {}) =>
    server.call('openim/sendmsg', {
      From_Account: 'ann',
      To_Account: 'ben',
      MsgRandom: random,
      MsgBody: text(`m${random}`),
      ...extra,
    })

  it('answers 90012 for an unknown To_Account without asking', async () => {
    expect(await send(101, { To_Account: 'nobody' })).toMatchObject({ ErrorCode: 90012 })
    expect(asked(BEFORE_C2C, 101)).toEqual([])
  })

  it('answers 90008 for an unknown From_Account without asking', async () => {
    expect(await send(102, { From_Account: 'nobody' })).toMatchObject({ ErrorCode: 90008 })
    expect(asked(BEFORE_C2C, 102)).toEqual([])
  })

  it('answers a repeat in the same second with the first MsgKey, asking once, with the stored key', async () => {
    const first = await send(103)
    const again = await send(103)
    expect(first.ErrorCode).toBe(0)
    expect(again).toMatchObject({ ErrorCode: 0, MsgKey: first.MsgKey })
    expect(asked(BEFORE_C2C, 103).map((b) => b.MsgKey)).toEqual([first.MsgKey])
    const stored = (await roam(server, 'ben', 'ann')).filter((m) => m.MsgRandom === 103)
    expect(stored.map((m) => m.MsgKey)).toEqual([first.MsgKey])
  })

  it('sends CloudCustomData "" in the before-send body as in the after-send body when there is none', async () => {
    expect((await send(104)).ErrorCode).toBe(0)
    await receiver.waitFor(() => asked(AFTER_C2C, 104).length > 0)
    expect(asked(BEFORE_C2C, 104)[0]).toMatchObject({ CloudCustomData: '' })
    expect(asked(AFTER_C2C, 104)[0]).toMatchObject({ CloudCustomData: '' })
  })
})

describe('send_group_msg asks Group.CallbackBeforeSendMsg only for a message it will store', () => {
  const send = (random: number, extra: Record<string, unknown> = {}) =>
    server.call('group_open_http_svc/send_group_msg', {
      GroupId: 'checked',
      From_Account: 'ann',
      Random: random,
      MsgBody: text(`g${random}`),
      ...extra,
    })

  it('answers 10007 for a sender who is not a member without asking', async () => {
    expect(await send(201, { From_Account: 'cat' })).toMatchObject({ ErrorCode: 10007 })
    expect(asked(BEFORE_GROUP, 201, 'Random')).toEqual([])
  })

  it('answers 10010 for no such group without asking', async () => {
    expect(await send(202, { GroupId: 'missing' })).toMatchObject({ ErrorCode: 10010 })
    expect(asked(BEFORE_GROUP, 202, 'Random')).toEqual([])
  })

  it('answers 10004 for a target who is not a member without asking', async () => {
    expect(await send(203, { To_Account: ['cat'] })).toMatchObject({ ErrorCode: 10004 })
    expect(asked(BEFORE_GROUP, 203, 'Random')).toEqual([])
  })

  it('answers a repeat with the first MsgSeq, asking once', async () => {
    const first = await send(204)
    const again = await send(204)
    expect(first.ErrorCode).toBe(0)
    expect(again).toMatchObject({ ErrorCode: 0, MsgSeq: first.MsgSeq })
    expect(asked(BEFORE_GROUP, 204, 'Random')).toHaveLength(1)
  })

  it('sends CloudCustomData "" in both bodies when there is none, and the given one otherwise', async () => {
    expect((await send(205)).ErrorCode).toBe(0)
    expect((await send(206, { CloudCustomData: 'cd' })).ErrorCode).toBe(0)
    await receiver.waitFor(() => asked(AFTER_GROUP, 206, 'Random').length > 0)
    expect(asked(BEFORE_GROUP, 205, 'Random')[0]).toMatchObject({ CloudCustomData: '' })
    expect(asked(AFTER_GROUP, 205, 'Random')[0]).toMatchObject({ CloudCustomData: '' })
    expect(asked(BEFORE_GROUP, 206, 'Random')[0]).toMatchObject({ CloudCustomData: 'cd' })
    expect(asked(AFTER_GROUP, 206, 'Random')[0]).toMatchObject({ CloudCustomData: 'cd' })
  })
})
