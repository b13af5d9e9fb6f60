/**
 * Before-send callbacks as the send commands use them, over HTTP with a real app backend: allow,
 * rewrite, forbid, drop, a custom code, ForbidCallbackControl, and what is stored and reported after.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { callbackDefaults } from '../../src/config/config.js'
import { roam } from '../api/openim/c2c.js'
import { Receiver, OK_ANSWER, type Received } from '../helpers/receiver.js'
import { startTestServer, testApp, testConfig, type TestServer } from '../helpers/server.js'

const BEFORE_C2C = 'C2C.CallbackBeforeSendMsg'
const AFTER_C2C = 'C2C.CallbackAfterSendMsg'
const BEFORE_GROUP = 'Group.CallbackBeforeSendMsg'
const AFTER_GROUP = 'Group.CallbackAfterSendMsg'

let receiver: Receiver
let server: TestServer
/** How the app backend answers before-send callbacks in the current test. */
let beforeAnswer: Record<string, unknown> = { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 }

const text = (t: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text: t } }]
const command = (r: Received) => r.query.get('CallbackCommand')

beforeAll(async () => {
  receiver = await Receiver.start()
  receiver.answer = (r) =>
    command(r)?.endsWith('BeforeSendMsg')
      ? { status: 200, body: JSON.stringify(beforeAnswer) }
      : { status: 200, body: OK_ANSWER }
  const callback = { ...callbackDefaults, url: `${receiver.url}/im`, token: undefined, retryBackoffMs: 50 }
  server = await startTestServer(testConfig([testApp({ callback })]))
  await server.call('im_open_login_svc/multiaccount_import', { Accounts: ['alice', 'bob'] })
  const g = await server.call('group_open_http_svc/create_group', {
    GroupId: 'talk',
    Type: 'Public',
    Name: 'talk',
    Owner_Account: 'alice',
    MemberList: [{ Member_Account: 'bob' }],
  })
  expect(g.ErrorCode).toBe(0)
})
afterAll(async () => {
  await server.close()
  await receiver.close()
})
beforeEach(() => {
  beforeAnswer = { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 }
})

const history = () => roam(server, 'bob', 'alice')

const sendC2C = (random: number, extra: Record<string, unknown> = {}) =>
  server.call('openim/sendmsg', {
    From_Account: 'alice',
    To_Account: 'bob',
    MsgRandom: random,
    MsgBody: text(`m${random}`),
    ...extra,
  })

describe('sendmsg with C2C.CallbackBeforeSendMsg', () => {
  it('asks first with the message fields, stores it, then reports it after', async () => {
    const r = await sendC2C(1, { CloudCustomData: 'cc' })
    expect(r.ErrorCode).toBe(0)
    await receiver.waitFor((all) =>
      all.some((x) => command(x) === AFTER_C2C && JSON.parse(x.body).MsgRandom === 1),
    )
    const before = receiver.bodies(BEFORE_C2C).find((b) => b.MsgRandom === 1)!
    expect(before).toMatchObject({
      From_Account: 'alice',
      To_Account: 'bob',
      MsgKey: r.MsgKey,
      MsgBody: text('m1'),
    })
    expect((await history()).some((m) => m.MsgRandom === 1)).toBe(true)
  })

  it('stores and reports the body the app backend rewrote', async () => {
    beforeAnswer = { ErrorCode: 0, MsgBody: text('rewritten'), CloudCustomData: 'from app' }
    expect((await sendC2C(2)).ErrorCode).toBe(0)
    const stored = (await history()).find((m) => m.MsgRandom === 2)!
    expect(stored.MsgBody).toEqual(text('rewritten'))
    expect(stored.CloudCustomData).toBe('from app')
    await receiver.waitFor((all) =>
      all.some((x) => command(x) === AFTER_C2C && JSON.parse(x.body).MsgRandom === 2),
    )
    expect(receiver.bodies(AFTER_C2C).find((b) => b.MsgRandom === 2)!.MsgBody).toEqual(text('rewritten'))
  })

  it('answers 20006 when the app forbids, and stores nothing', async () => {
    beforeAnswer = { ErrorCode: 1, ErrorInfo: 'no' }
    expect((await sendC2C(3)).ErrorCode).toBe(20006)
    expect((await history()).some((m) => m.MsgRandom === 3)).toBe(false)
  })

  it("passes the app's own code through with its ErrorInfo", async () => {
    beforeAnswer = { ErrorCode: 120005, ErrorInfo: 'blocked by policy' }
    expect(await sendC2C(4)).toMatchObject({ ErrorCode: 120005, ErrorInfo: 'blocked by policy' })
  })

  it('tells the sender success and stores nothing when the app drops the message', async () => {
    beforeAnswer = { ErrorCode: 2 }
    expect((await sendC2C(5)).ErrorCode).toBe(0)
    expect((await history()).some((m) => m.MsgRandom === 5)).toBe(false)
  })

  it('does not ask when ForbidCallbackControl forbids the before-send callback', async () => {
    beforeAnswer = { ErrorCode: 1 }
    const r = await sendC2C(6, { ForbidCallbackControl: ['ForbidBeforeSendMsgCallback'] })
    expect(r.ErrorCode).toBe(0)
    expect(receiver.bodies(BEFORE_C2C).some((b) => b.MsgRandom === 6)).toBe(false)
  })
})

describe('send_group_msg with Group.CallbackBeforeSendMsg', () => {
  const sendGroup = (random: number, extra: Record<string, unknown> = {}) =>
    server.call('group_open_http_svc/send_group_msg', {
      GroupId: 'talk',
      From_Account: 'alice',
      Random: random,
      MsgBody: text(`g${random}`),
      ...extra,
    })
  const groupHistory = async () =>
    (await server.call('group_open_http_svc/group_msg_get_simple', { GroupId: 'talk', ReqMsgNumber: 20 }))
      .RspMsgList as { MsgRandom: number; MsgBody: unknown }[] | undefined

  it('asks with the group type and stores the rewritten body', async () => {
    beforeAnswer = { ErrorCode: 0, MsgBody: text('edited') }
    expect((await sendGroup(11)).ErrorCode).toBe(0)
    const before = receiver.bodies(BEFORE_GROUP).find((b) => b.Random === 11)!
    expect(before).toMatchObject({
      GroupId: 'talk',
      Type: 'Public',
      From_Account: 'alice',
      MsgBody: text('g11'),
    })
    expect(Number.isInteger(before.EventTime)).toBe(true)
    expect((await groupHistory())!.find((m) => m.MsgRandom === 11)!.MsgBody).toEqual(text('edited'))
    await receiver.waitFor((all) =>
      all.some((x) => command(x) === AFTER_GROUP && JSON.parse(x.body).Random === 11),
    )
    expect(receiver.bodies(AFTER_GROUP).find((b) => b.Random === 11)!.MsgBody).toEqual(text('edited'))
  })

  it('answers 10016 when the app forbids, and uses no MsgSeq', async () => {
    const seqBefore = ((await groupHistory()) ?? []).length
    beforeAnswer = { ErrorCode: 1 }
    expect((await sendGroup(12)).ErrorCode).toBe(10016)
    beforeAnswer = { ErrorCode: 0 }
    const next = await sendGroup(13)
    expect(next.MsgSeq).toBe(seqBefore + 1)
  })

  it('skips the after-send callback when ForbidCallbackControl says so', async () => {
    const r = await sendGroup(14, { ForbidCallbackControl: ['ForbidAfterSendMsgCallback'] })
    expect(r.ErrorCode).toBe(0)
    await sendGroup(15)
    await receiver.waitFor((all) =>
      all.some((x) => command(x) === AFTER_GROUP && JSON.parse(x.body).Random === 15),
    )
    expect(receiver.bodies(AFTER_GROUP).some((b) => b.Random === 14)).toBe(false)
  })
})
