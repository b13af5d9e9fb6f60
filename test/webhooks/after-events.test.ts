/**
 * After-event callbacks against a real receiver: Tencent's request form (spec §7.1, §7.2), bodies
 * byte for byte, the answers of spec §7.3, retries and the delivery log.
 */
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callbackDefaults, type CallbackConfig } from '../../src/config/config.js'
import type { Delivery } from '../../src/store/deliveries.js'
import { afterEventCommands } from '../../src/webhooks/events.js'
import { enqueue, sampleBodies, sampleEvent } from '../helpers/events.js'
import { eventually, Receiver } from '../helpers/receiver.js'
import {
  ADMIN,
  SDK_APP_ID,
  startTestServer,
  testApp,
  testConfig,
  type TestServer,
} from '../helpers/server.js'

const TOKEN = 'xxxxyyyy'
const NO_TOKEN_APP = 1400000001
const NO_CALLBACK_APP = 1400000002

let receiver: Receiver
let server: TestServer

const callback = (over: Partial<CallbackConfig> = {}): CallbackConfig => ({
  ...callbackDefaults,
  url: `${receiver.url}/im`,
  retries: 2,
  retryBackoffMs: 5,
  ...over,
})

beforeAll(async () => {
  receiver = await Receiver.start()
  server = await startTestServer(
    testConfig([
      testApp({ callback: callback({ token: TOKEN }) }),
      testApp({
        sdkAppId: NO_TOKEN_APP,
        callback: callback({ commands: ['C2C.CallbackAfterMsgReport'], url: `${receiver.url}/other?x=1` }),
      }),
      testApp({ sdkAppId: NO_CALLBACK_APP, callback: undefined }),
    ]),
    { dispatcher: { pollIntervalMs: 50 } },
  )
})
afterAll(async () => {
  await server.close()
  await receiver.close()
})

const log = (sdkAppId: number): Promise<Delivery[]> =>
  server.receiptd.store.transaction(sdkAppId, (tx) =>
    tx.deliveries.list({ command: undefined, status: undefined, beforeId: undefined, limit: 100 }),
  )

const settled = async (sdkAppId: number, count: number) =>
  eventually(async () => {
    const l = await log(sdkAppId)
    return l.length >= count && l.every((d) => d.status !== 'pending')
  })

describe('after-event callbacks, request form (spec §7.1, §7.2)', () => {
  it('POSTs every command with the query of spec §7.1, a valid Sign and the body byte for byte', async () => {
    const before = receiver.received.length
    await enqueue(
      server,
      SDK_APP_ID,
      afterEventCommands.map((c, i) => sampleEvent(c, `key-${i}`)),
    )
    await receiver.waitFor((r) => r.length === before + afterEventCommands.length)
    const got = receiver.received.slice(before)
    for (const command of afterEventCommands) {
      const r = got.find((x) => x.query.get('CallbackCommand') === command)!
      expect(r.method).toBe('POST')
      expect(r.path).toBe('/im')
      expect(r.contentType).toBe('application/json')
      expect([...r.query.keys()]).toEqual([
        'SdkAppid',
        'CallbackCommand',
        'contenttype',
        'ClientIP',
        'OptPlatform',
        'Sign',
        'RequestTime',
      ])
      expect(r.query.get('SdkAppid')).toBe(String(SDK_APP_ID))
      expect(r.query.get('contenttype')).toBe('json')
      expect(r.query.get('ClientIP')).toBe('127.0.0.1')
      expect(r.query.get('OptPlatform')).toBe('RESTAPI')
      const time = r.query.get('RequestTime')!
      expect(time).toMatch(/^\d{10}$/)
      expect(Math.abs(Number(time) - Date.now() / 1000)).toBeLessThan(600)
      expect(r.query.get('Sign')).toBe(
        createHash('sha256')
          .update(TOKEN + time)
          .digest('hex'),
      )
      expect(r.body).toBe(JSON.stringify(sampleBodies[command]))
    }
  })

  it('sends LastReadTime in seconds and EventTime in milliseconds, both JSON integers', async () => {
    const report = receiver.bodies('C2C.CallbackAfterMsgReport').at(-1)!
    expect(Number.isInteger(report.LastReadTime)).toBe(true)
    expect(report.LastReadTime).toBeLessThan(1e10)
    const receipt = receiver.bodies('Group.CallbackAfterReadReceipt').at(-1)!
    expect(Number.isInteger(receipt.EventTime)).toBe(true)
    expect(receipt.EventTime).toBeGreaterThan(1e12)
    expect(receiver.received.find((r) => r.body.includes('"EventTime":"'))).toBeUndefined()
  })

  it('sends no Sign or RequestTime without a token, and keeps the query of the configured URL', async () => {
    const before = receiver.received.length
    await enqueue(server, NO_TOKEN_APP, [sampleEvent('C2C.CallbackAfterMsgReport', 'nt')])
    await receiver.waitFor((r) => r.length > before)
    const r = receiver.received[before]!
    expect(r.path).toBe('/other')
    expect([...r.query.keys()]).toEqual([
      'x',
      'SdkAppid',
      'CallbackCommand',
      'contenttype',
      'ClientIP',
      'OptPlatform',
    ])
    expect(r.query.get('SdkAppid')).toBe(String(NO_TOKEN_APP))
  })

  it('writes no event of a request that nobody will receive: a command not listed, or no callback', async () => {
    const call = async (sdkAppId: number, path: string, body: unknown) => {
      const app = server.receiptd.apps.find((a) => a.sdkAppId === sdkAppId)!
      const r = await server.call(path, body, { sdkAppId, usersig: server.sig(ADMIN, app) })
      expect(r.ErrorCode, path).toBe(0)
    }
    const send = { From_Account: 'w1', To_Account: 'w2', MsgRandom: 1, MsgBody: [] as unknown[] }
    send.MsgBody.push({ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } })
    const read = { Report_Account: 'w2', Peer_Account: 'w1' }
    const before = (await log(NO_TOKEN_APP)).length
    for (const app of [NO_TOKEN_APP, NO_CALLBACK_APP]) {
      await call(app, 'im_open_login_svc/multiaccount_import', { Accounts: ['w1', 'w2'] })
      await call(app, 'openim/sendmsg', send)
      await call(app, 'openim/admin_set_msg_read', read)
    }
    // NO_TOKEN_APP lists C2C.CallbackAfterMsgReport alone; NO_CALLBACK_APP has no callback at all.
    const written = (await log(NO_TOKEN_APP)).slice(0, -before || undefined)
    expect(written.map((d) => d.command)).toEqual(['C2C.CallbackAfterMsgReport'])
    expect(await log(NO_CALLBACK_APP)).toEqual([])
    await settled(NO_TOKEN_APP, before + 1)
  })

  it('marks skipped, and never sends, events written before the app stopped wanting them', async () => {
    const before = receiver.received.length
    // Written straight to the store, as by an earlier config: the gateway writes no such event.
    await enqueue(server, NO_TOKEN_APP, [sampleEvent('C2C.CallbackAfterMsgWithDraw', 'off')])
    await enqueue(server, NO_CALLBACK_APP, [sampleEvent('C2C.CallbackAfterMsgReport', 'none')])
    await settled(NO_TOKEN_APP, 1)
    await settled(NO_CALLBACK_APP, 1)
    expect((await log(NO_TOKEN_APP))[0]).toMatchObject({ status: 'skipped', attempts: [] })
    expect((await log(NO_CALLBACK_APP))[0]).toMatchObject({ status: 'skipped', attempts: [] })
    expect(receiver.received.length).toBe(before)
  })
})

describe('after-event answers (spec §7.3)', () => {
  it('retries a 500, a non-JSON 200 and a refused connection, then records the event failed', async () => {
    receiver.answer = (r) => {
      const who = (JSON.parse(r.body) as { Report_Account: string }).Report_Account
      if (who === 'e500') return { status: 500, body: 'oops' }
      if (who === 'garbage') return { status: 200, body: '<html>' }
      return { status: 200, body: '{"ActionStatus":"FAIL","ErrorInfo":"no","ErrorCode":1}' }
    }
    const sent = Date.now()
    await enqueue(server, SDK_APP_ID, [
      sampleEvent('C2C.CallbackAfterMsgReport', 'a-500', { Report_Account: 'e500' }),
      sampleEvent('C2C.CallbackAfterMsgReport', 'a-garbage', { Report_Account: 'garbage' }),
      sampleEvent('C2C.CallbackAfterMsgReport', 'a-code1', { Report_Account: 'code1' }),
    ])
    await settled(SDK_APP_ID, afterEventCommands.length + 3)
    const [code1, garbage, e500] = (await log(SDK_APP_ID)).slice(0, 3)
    expect(e500).toMatchObject({ status: 'failed' })
    // retries: 2 → three attempts in all.
    expect(e500!.attempts.map((a) => [a.attempt, a.httpStatus, a.error])).toEqual([
      [1, 500, 'HTTP status 500'],
      [2, 500, 'HTTP status 500'],
      [3, 500, 'HTTP status 500'],
    ])
    for (const a of e500!.attempts) {
      expect(a.startedMs).toBeGreaterThanOrEqual(sent - 1)
      expect(a.latencyMs).toBeGreaterThanOrEqual(0)
    }
    expect(garbage).toMatchObject({ status: 'failed' })
    expect(garbage!.attempts[0]).toMatchObject({ httpStatus: 200, error: 'the answer is not JSON: "<html>"' })
    // An after-event answer is logged, not acted on: ErrorCode 1 is still delivered.
    expect(code1).toMatchObject({ status: 'delivered', attempts: [{ httpStatus: 200, answerCode: 1 }] })
    expect(code1!.attempts[0]!.error).toBeUndefined()
    receiver.answer = () => ({ status: 200, body: '{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}' })
  })

  it('records a refused connection as an attempt without a status', async () => {
    const closed = await Receiver.start()
    await closed.down()
    const s = await startTestServer(
      testConfig([testApp({ callback: { ...callback(), url: closed.url, retries: 0 } })]),
      { dispatcher: { pollIntervalMs: 50 } },
    )
    try {
      await s.receiptd.store.transaction(SDK_APP_ID, (tx) =>
        tx.outbox.enqueue(sampleEvent('C2C.CallbackAfterMsgReport', 'refused')),
      )
      let d: Delivery | undefined
      await eventually(async () => {
        d = await s.receiptd.store.transaction(SDK_APP_ID, (tx) => tx.deliveries.get(1))
        return d?.status === 'failed'
      })
      // retries: 0 is Tencent's behaviour: one attempt.
      expect(d!.attempts).toHaveLength(1)
      expect(d!.attempts[0]!.httpStatus).toBeUndefined()
      expect(d!.attempts[0]!.error).toMatch(/ECONNREFUSED/)
    } finally {
      await s.close()
    }
  })
})
