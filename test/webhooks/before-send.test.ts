/**
 * Before-send callbacks (spec §7.3, §7.4, §7.7) against a real receiver: each answer the spec
 * defines, and every way of failing under both timeout policies.
 */
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  callbackDefaults,
  type AppConfig,
  type CallbackConfig,
  type TimeoutPolicy,
} from '../../src/config/config.js'
import { systemClock } from '../../src/domain/clock.js'
import { createLogger } from '../../src/main.js'
import {
  BeforeSendClient,
  type BeforeSendDecision,
  type C2CBeforeSendFields,
  type GroupBeforeSendFields,
} from '../../src/webhooks/before-send.js'
import { CallbackHttp } from '../../src/webhooks/http-client.js'
import { Receiver, type Answer } from '../helpers/receiver.js'
import { testApp } from '../helpers/server.js'

const C2C = 'C2C.CallbackBeforeSendMsg'
const GROUP = 'Group.CallbackBeforeSendMsg'
const TOKEN = 'e10adc3949ba59abbe56e057f20f883e'

const c2cFields: C2CBeforeSendFields = {
  From_Account: 'jared',
  To_Account: 'Jonh',
  MsgSeq: 48374,
  MsgRandom: 2837546,
  MsgTime: 1557481126,
  MsgKey: '48374_2837546_1557481126',
  OnlineOnlyFlag: 0,
  MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'red packet' } }],
  CloudCustomData: 'your cloud custom data',
}

const groupFields: GroupBeforeSendFields = {
  GroupId: '@TGS#2J4SZEAEL',
  Type: 'Public',
  From_Account: 'jared',
  Operator_Account: 'admin',
  Random: 123456,
  OnlineOnlyFlag: 0,
  MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } }],
}

let receiver: Receiver
let http: CallbackHttp
const client = () => new BeforeSendClient({ http, clock: systemClock })
const log = createLogger('silent')

beforeAll(async () => {
  receiver = await Receiver.start()
  http = new CallbackHttp({ connections: 4 })
})
afterAll(async () => {
  await http.close()
  await receiver.close()
})

const app = (over: Partial<CallbackConfig> = {}): AppConfig =>
  testApp({
    callback: {
      ...callbackDefaults,
      url: `${receiver.url}/cb`,
      token: TOKEN,
      beforeSendTimeoutMs: 200,
      ...over,
    },
  })

function ask(
  a: AppConfig,
  answer: Answer | (() => Answer | Promise<Answer>),
  command: typeof C2C | typeof GROUP = C2C,
  skip = false,
) {
  receiver.answer = typeof answer === 'function' ? answer : () => answer
  const hook = client().forRequest({ app: a, clientIp: '10.0.0.7', log })
  return command === C2C
    ? hook.beforeSend(C2C, c2cFields, { skip })
    : hook.beforeSend(GROUP, groupFields, { skip })
}

const json = (o: unknown): Answer => ({ status: 200, body: JSON.stringify(o) })
const OK = { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 }
const unchanged = (via: string) => ({
  action: 'send',
  MsgBody: c2cFields.MsgBody,
  CloudCustomData: c2cFields.CloudCustomData,
  via,
})
/** `[code, info]` of a reject; any other decision as it is, so a mismatch shows it. */
const rejected = (d: BeforeSendDecision): unknown[] =>
  d.action === 'reject' ? [d.error.code, d.error.info] : [d]

describe('asking', () => {
  it('POSTs the C2C fields after CallbackCommand, with Tencent query parameters and Sign', async () => {
    const before = receiver.received.length
    expect(await ask(app(), json(OK))).toEqual(unchanged('allowed'))
    const r = receiver.received[before]!
    expect(r.path).toBe('/cb')
    expect(r.contentType).toBe('application/json')
    expect(Object.fromEntries(r.query)).toMatchObject({
      SdkAppid: '1400000000',
      CallbackCommand: C2C,
      contenttype: 'json',
      ClientIP: '10.0.0.7',
      OptPlatform: 'RESTAPI',
    })
    const time = r.query.get('RequestTime')!
    expect(r.query.get('Sign')).toBe(
      createHash('sha256')
        .update(TOKEN + time)
        .digest('hex'),
    )
    expect(r.body).toBe(JSON.stringify({ CallbackCommand: C2C, ...c2cFields }))
  })

  it('does not ask when ForbidCallbackControl skips it, the command is off, or the app has no callback', async () => {
    const before = receiver.received.length
    expect(await ask(app(), json(OK), C2C, true)).toEqual(unchanged('not-asked'))
    expect(await ask(app({ commands: ['C2C.CallbackAfterSendMsg'] }), json(OK))).toEqual(
      unchanged('not-asked'),
    )
    const bare = client().forRequest({ app: testApp(), clientIp: '1.2.3.4', log })
    expect(await bare.beforeSend(C2C, c2cFields)).toEqual(unchanged('not-asked'))
    expect(receiver.received.length).toBe(before)
  })
})

describe('answers (spec §7.3)', () => {
  it('ErrorCode 0 with MsgBody and CloudCustomData replaces them', async () => {
    const MsgBody = [{ MsgType: 'TIMTextElem', MsgContent: { Text: '*** packet' } }]
    expect(await ask(app(), json({ ...OK, MsgBody, CloudCustomData: 'changed' }))).toEqual({
      action: 'send',
      MsgBody,
      CloudCustomData: 'changed',
      via: 'modified',
    })
    expect(await ask(app(), json({ ...OK, CloudCustomData: '' }))).toMatchObject({
      MsgBody: c2cFields.MsgBody,
      CloudCustomData: '',
      via: 'modified',
    })
  })

  it('ErrorCode 1 forbids: 20006 for C2C, 10016 for groups', async () => {
    const forbid = json({ ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 1 })
    expect(rejected(await ask(app(), forbid))[0]).toBe(20006)
    expect(rejected(await ask(app(), forbid, GROUP))[0]).toBe(10016)
  })

  it('ErrorCode 2 drops the message silently', async () => {
    expect(await ask(app(), json({ ...OK, ErrorCode: 2 }))).toEqual({ action: 'drop' })
    expect(await ask(app(), json({ ...OK, ErrorCode: 2 }), GROUP)).toEqual({ action: 'drop' })
  })

  it("passes a custom code in the command's range through with the app's ErrorInfo", async () => {
    for (const code of [120001, 125000, 130000]) {
      expect(
        rejected(await ask(app(), json({ ActionStatus: 'FAIL', ErrorInfo: 'no ads', ErrorCode: code }))),
      ).toEqual([code, 'no ads'])
    }
    for (const code of [10100, 10200]) {
      expect(
        rejected(
          await ask(app(), json({ ActionStatus: 'FAIL', ErrorInfo: 'muted', ErrorCode: code }), GROUP),
        ),
      ).toEqual([code, 'muted'])
    }
  })
})

describe.each<TimeoutPolicy>(['deliver', 'reject'])('a failed callback under timeoutPolicy %s', (policy) => {
  const expected = policy === 'deliver' ? unchanged('callback-failed') : [80003, expect.any(String)]
  const outcome = (d: BeforeSendDecision) => (policy === 'deliver' ? d : rejected(d))
  const a = () => app({ timeoutPolicy: policy })

  it('no answer within beforeSendTimeoutMs', async () => {
    let answered = false
    let release: () => void = () => {}
    const held = new Promise<Answer>((resolve) => {
      release = () => {
        answered = true
        resolve(json(OK))
      }
    })
    const d = await ask(a(), () => held)
    // The decision came while the receiver still held the request.
    expect(answered).toBe(false)
    expect(outcome(d)).toEqual(expected)
    release()
  })

  it('a status other than 200', async () => {
    expect(outcome(await ask(a(), { status: 502, body: JSON.stringify(OK) }))).toEqual(expected)
  })

  it('an answer that is not JSON', async () => {
    expect(outcome(await ask(a(), { status: 200, body: 'OK' }))).toEqual(expected)
  })

  it('an unreachable URL', async () => {
    const down = await Receiver.start()
    await down.down()
    expect(outcome(await ask(app({ timeoutPolicy: policy, url: down.url }), json(OK)))).toEqual(expected)
  })

  it('an answer outside the protocol: no ErrorCode, an unknown code, a group code for C2C, a bad MsgBody', async () => {
    for (const body of [
      { ActionStatus: 'OK' },
      { ...OK, ErrorCode: 3 },
      { ...OK, ErrorCode: 10100 },
      { ...OK, MsgBody: 'text' },
      { ...OK, MsgBody: [] },
      { ...OK, CloudCustomData: 7 },
      [OK],
    ]) {
      expect(outcome(await ask(a(), json(body)))).toEqual(expected)
    }
  })
})
