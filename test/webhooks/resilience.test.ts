/**
 * The dispatcher against a receiver that misbehaves (issue: "never in the API's way"): down then
 * up loses nothing and keeps each conversation in order; a slow receiver does not hold an API
 * answer. Assertions are about order of events, never about speed.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { callbackDefaults } from '../../src/config/config.js'
import { enqueue, reportEvents } from '../helpers/events.js'
import { eventually, Receiver } from '../helpers/receiver.js'
import { SDK_APP_ID, startTestServer, testApp, testConfig, type TestServer } from '../helpers/server.js'

let receiver: Receiver | undefined
let server: TestServer | undefined

afterEach(async () => {
  await server?.close()
  await receiver?.close()
  server = receiver = undefined
})

async function start(r: Receiver, over: Partial<typeof callbackDefaults> = {}): Promise<TestServer> {
  return startTestServer(
    testConfig([
      testApp({ callback: { ...callbackDefaults, url: r.url, retries: 20, retryBackoffMs: 5, ...over } }),
    ]),
    { dispatcher: { pollIntervalMs: 20 } },
  )
}

/** `UnreadMsgNum` of each delivery of conversation `key`, in arrival order. */
const arrivals = (r: Receiver, key: string) =>
  r
    .bodies()
    .filter((b) => b.Report_Account === key)
    .map((b) => b.UnreadMsgNum)

describe('receiver down, then up', () => {
  it('delivers every event once it is back, each conversation in the order recorded', async () => {
    receiver = await Receiver.start()
    server = await start(receiver)
    await receiver.down()
    const keys = ['alice', 'bob', 'carol']
    // Interleaved across keys, one transaction per round, as concurrent requests would write them.
    for (let i = 0; i < 6; i++) {
      await enqueue(
        server,
        SDK_APP_ID,
        keys.flatMap((k) => reportEvents(k, 6).slice(i, i + 1)),
      )
    }
    // Each conversation's first event has been tried (and refused) at least twice.
    await eventually(async () => {
      const log = await server!.receiptd.store.transaction(SDK_APP_ID, (tx) =>
        tx.deliveries.list({ command: undefined, status: 'pending', beforeId: undefined, limit: 100 }),
      )
      const heads = log.filter((d) => d.attempts.length >= 2)
      return heads.length === keys.length
    })
    expect(receiver.received).toHaveLength(0)

    await receiver.up()
    await receiver.waitFor((r) => r.length >= 18)
    for (const k of keys) expect(arrivals(receiver, k)).toEqual([0, 1, 2, 3, 4, 5])
  })

  it('keeps a conversation in order while its first event is answered 500 and retried', async () => {
    receiver = await Receiver.start()
    let failures = 3
    receiver.answer = (r) => {
      const b = JSON.parse(r.body) as { Report_Account: string; UnreadMsgNum: number }
      if (b.Report_Account === 'dora' && b.UnreadMsgNum === 0 && failures-- > 0) return { status: 500 }
      return { status: 200, body: '{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}' }
    }
    server = await start(receiver)
    await enqueue(server, SDK_APP_ID, [...reportEvents('dora', 4), ...reportEvents('eve', 4)])
    await receiver.waitFor((r) => r.filter((x) => x.body.includes('"dora"')).length === 4 + 3)
    await receiver.waitFor((r) => r.filter((x) => x.body.includes('"eve"')).length === 4)
    expect(arrivals(receiver, 'dora')).toEqual([0, 0, 0, 0, 1, 2, 3])
    expect(arrivals(receiver, 'eve')).toEqual([0, 1, 2, 3])
  })
})

describe('receiver slow (5 s)', () => {
  it('answers an API call while a delivery is still waiting for the receiver', async () => {
    receiver = await Receiver.start()
    let finished = false
    let release: () => void = () => {}
    receiver.answer = () =>
      new Promise((resolve) => {
        const answer = () => {
          finished = true
          resolve({ status: 200, body: '{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}' })
        }
        const timer = setTimeout(answer, 5000)
        release = () => {
          clearTimeout(timer)
          answer()
        }
      })
    // An attempt limit above the receiver's delay: the dispatcher really waits the 5 s.
    server = await start(receiver, { afterEventTimeoutMs: 10_000 })
    await enqueue(server, SDK_APP_ID, reportEvents('slow', 1))
    await receiver.waitFor((r) => r.length === 1)

    const answer = await server.call('im_open_login_svc/account_import', { UserID: 'while-slow' })
    expect(answer.ErrorCode).toBe(0)
    expect(finished).toBe(false)
    release()
  })
})
