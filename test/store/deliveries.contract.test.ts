/**
 * The delivery contract (src/store/deliveries.ts) on every kind in STORES: only the head of an
 * ordering key is claimed, a lease keeps an event with one owner until it is recorded, released or
 * runs out, and the log shows every attempt. The last case writes and claims from many
 * transactions at once: each key's events must still be claimed once each, in id order.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AfterAttempt, ClaimRequest, DeliveryFilter } from '../../src/store/deliveries.js'
import type { Store } from '../../src/store/store.js'
import type { AfterEventCommand, WebhookEvent } from '../../src/webhooks/events.js'
import { reportEvents, sampleEvent } from '../helpers/events.js'
import { openTestStore, STORES, type TestStore } from '../helpers/stores.js'

const APP = 1400000000
const REPORT: AfterEventCommand = 'C2C.CallbackAfterMsgReport'
const attempt = { startedMs: 1, httpStatus: 200, latencyMs: 3.5, error: undefined, answerCode: 0 }
const delivered = (nowMs = 2000): AfterAttempt => ({ status: 'delivered', nowMs })
const all: DeliveryFilter = { command: undefined, status: undefined, beforeId: undefined, limit: 1000 }

describe.each(STORES)('%s delivery queue', (kind) => {
  let t: TestStore
  let store: Store

  beforeEach(async () => {
    t = await openTestStore(kind)
    store = t.store
  })
  afterEach(() => t.close())

  const write = (events: readonly WebhookEvent[]) =>
    store.transaction(APP, async (tx) => {
      for (const e of events) await tx.outbox.enqueue(e)
    })
  const claim = (owner: string, nowMs: number, over: Partial<ClaimRequest> = {}) =>
    store.deliveryQueue.claim({ owner, nowMs, leaseMs: 100, limit: 10, wanted: () => true, ...over })
  const log = () => store.transaction(APP, (tx) => tx.deliveries.list(all))
  const unread = (events: { body: string }[]) =>
    events.map((e) => (JSON.parse(e.body) as { UnreadMsgNum: number }).UnreadMsgNum)

  it('claims the oldest event of each key only, and nothing another owner holds', async () => {
    await write([...reportEvents('a', 2), ...reportEvents('b', 1)])
    const first = await claim('x', 1000)
    expect(first.map((e) => JSON.parse(e.body).Report_Account)).toEqual(['a', 'b'])
    expect(first[0]).toMatchObject({ sdkAppId: APP, command: REPORT, clientIp: '127.0.0.1', tries: 0 })
    expect(await claim('y', 1010)).toEqual([])
    await store.deliveryQueue.record('x', first[0]!, attempt, delivered())
    expect(unread(await claim('y', 1020))).toEqual([1])
  })

  it('lets another owner claim once a lease runs out; the late owner only logs its attempt', async () => {
    await write(reportEvents('a', 2))
    const [e] = await claim('x', 1000)
    expect(await claim('y', 1099)).toEqual([])
    expect((await claim('y', 1100)).map((c) => c.id)).toEqual([e!.id])
    await store.deliveryQueue.record('x', e!, attempt, delivered())
    expect((await log()).find((d) => d.id === e!.id)).toMatchObject({ status: 'pending' })
    await store.deliveryQueue.record('y', e!, attempt, delivered())
    const d = (await log()).find((x) => x.id === e!.id)!
    expect(d.status).toBe('delivered')
    expect(d.attempts.map((a) => a.attempt)).toEqual([1, 2])
    expect(d.attempts[0]).toMatchObject({ httpStatus: 200, latencyMs: 3.5, answerCode: 0 })
  })

  it('holds a key back while its head waits for a retry, and lets it go once the head fails for good', async () => {
    await write(reportEvents('a', 2))
    const [e] = await claim('x', 1000)
    const retry: AfterAttempt = { status: 'pending', nextAttemptMs: 5000 }
    await store.deliveryQueue.record('x', e!, { ...attempt, httpStatus: 500, error: 'HTTP 500' }, retry)
    expect(await claim('x', 4999)).toEqual([])
    const [again] = await claim('x', 5000)
    expect(again).toMatchObject({ id: e!.id, tries: 1 })
    await store.deliveryQueue.record('x', e!, attempt, { status: 'failed', nowMs: 5001 })
    expect(unread(await claim('x', 5002))).toEqual([1])
  })

  it('skips events the app no longer wants and claims what follows them', async () => {
    await write([sampleEvent('C2C.CallbackAfterSendMsg', 'a'), ...reportEvents('a', 1)])
    const got = await claim('x', 1000, { wanted: (_app, command) => command === REPORT })
    expect(got.map((e) => e.command)).toEqual([])
    expect((await claim('x', 1000, { wanted: (_app, c) => c === REPORT })).map((e) => e.command)).toEqual([
      REPORT,
    ])
    expect((await log()).map((d) => d.status)).toEqual(['pending', 'skipped'])
  })

  it('gives back only the leases the owner holds', async () => {
    await write([...reportEvents('a', 1), ...reportEvents('b', 1)])
    const [a, b] = await claim('x', 1000)
    await store.deliveryQueue.release('y', [a!.id])
    expect(await claim('y', 1001)).toEqual([])
    await store.deliveryQueue.release('x', [a!.id, b!.id])
    expect(await claim('y', 1002)).toHaveLength(2)
  })

  it('re-queues finished events only, with a fresh round of retries', async () => {
    await write(reportEvents('a', 2))
    const [e] = await claim('x', 1000)
    await store.deliveryQueue.record('x', e!, attempt, { status: 'failed', nowMs: 1001 })
    const again = await store.transaction(APP, (tx) => tx.deliveries.requeue(e!.id, 3000))
    expect(again).toMatchObject({ status: 'pending', nextAttemptMs: 3000, finishedMs: undefined })
    expect(await store.transaction(APP, (tx) => tx.deliveries.requeue(e!.id + 1, 3000))).toMatchObject({
      status: 'pending',
    })
    expect(await store.transaction(APP + 1, (tx) => tx.deliveries.requeue(e!.id, 3000))).toBeUndefined()
    expect(await claim('x', 2999)).toEqual([])
    expect(await claim('x', 3000)).toMatchObject([{ id: e!.id, tries: 0 }])
  })

  it('lists newest first, filtered and paged, and tells listeners after a commit', async () => {
    let told = 0
    const off = store.deliveryQueue.onChange(() => told++)
    await write([...reportEvents('a', 3), sampleEvent('C2C.CallbackAfterSendMsg', 'b')])
    off()
    expect(told).toBeGreaterThan(0)
    const ids = (await log()).map((d) => d.id)
    expect(ids).toEqual([...ids].sort((x, y) => y - x))
    const page = await store.transaction(APP, (tx) =>
      tx.deliveries.list({ ...all, command: REPORT, beforeId: ids[1], limit: 1 }),
    )
    expect(page.map((d) => d.id)).toEqual([ids[2]])
    expect(await store.transaction(APP, (tx) => tx.deliveries.get(ids[0]!))).toMatchObject({
      orderingKey: 'b',
      attempts: [],
    })
  })

  it('hands out each event once, in id order per key, while many transactions write and claim', async () => {
    const keys = ['k0', 'k1', 'k2']
    const writers = 8
    const rounds = 15
    let writing = true
    const write1 = async (w: number, r: number) =>
      write(
        keys
          .filter((_, i) => (w + r + i) % 2 === 0)
          .map((k) => sampleEvent(REPORT, k, { Report_Account: k, UnreadMsgNum: w * 1000 + r })),
      )
    const claimedPerKey = new Map<string, number[]>(keys.map((k) => [k, []]))
    const claimer = async (owner: string) => {
      for (;;) {
        const got = await claim(owner, Date.now(), { leaseMs: 60_000 })
        for (const e of got) {
          claimedPerKey.get(JSON.parse(e.body).Report_Account as string)!.push(e.id)
          await store.deliveryQueue.record(owner, e, attempt, delivered(Date.now()))
        }
        if (got.length === 0) {
          if (!writing && (await log()).every((d) => d.status !== 'pending')) return
          await new Promise((r) => setTimeout(r, 2))
        }
      }
    }
    const claimers = ['x', 'y', 'z'].map(claimer)
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let r = 0; r < rounds; r++) await write1(w, r)
      }),
    )
    writing = false
    await Promise.all(claimers)
    const rows = await log()
    for (const k of keys) {
      const ids = rows
        .filter((d) => d.orderingKey === k)
        .map((d) => d.id)
        .sort((a, b) => a - b)
      expect(claimedPerKey.get(k), k).toEqual(ids)
    }
    expect(rows.every((d) => d.status === 'delivered' && d.attempts.length === 1)).toBe(true)
  })
})
