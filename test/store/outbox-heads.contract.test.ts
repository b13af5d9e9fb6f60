/**
 * The delivery queue against a small reference model, on every kind in STORES: whatever mix of
 * writes, claims, attempts, re-queues, lease expiries and sweeps, a claim hands out exactly the
 * due oldest pending event of each key (the heads the store keeps marked, migration 0006), and a
 * sweep deletes exactly the events finished by its time, with their attempts.
 */
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ClaimedEvent, DeliveryStatus } from '../../src/store/deliveries.js'
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import type { Store } from '../../src/store/store.js'
import { reportEvents } from '../helpers/events.js'
import { openTestStore, STORES, type TestStore } from '../helpers/stores.js'

const APP = 1400000000
const LEASE_MS = 100
const attempt = { startedMs: 1, httpStatus: 200, latencyMs: 1, error: undefined, answerCode: 0 }

/** What the store should hold of one event. */
interface ModelEvent {
  id: number
  key: string
  status: DeliveryStatus
  dueMs: number
  leaseUntilMs: number
  finishedMs: number | undefined
  attempts: number
  /** Whether the claimer still holds it (a lease that ran out is still held until re-claimed). */
  leased: boolean
}

const newEvent: Omit<ModelEvent, 'id' | 'key'> = {
  status: 'pending',
  dueMs: 0,
  leaseUntilMs: 0,
  finishedMs: undefined,
  attempts: 0,
  leased: false,
}

const key = fc.constantFrom('a', 'b', 'c')
const step = fc.oneof(
  fc.record({ kind: fc.constant('write' as const), keys: fc.array(key, { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('claim' as const), limit: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('claim' as const), limit: fc.integer({ min: 1, max: 4 }) }),
  fc.record({
    kind: fc.constant('record' as const),
    pick: fc.nat(),
    outcome: fc.constantFrom('delivered' as const, 'failed' as const, 'retry' as const),
  }),
  fc.record({ kind: fc.constant('requeue' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 150 }) }),
  fc.record({ kind: fc.constant('sweep' as const), ageMs: fc.integer({ min: 0, max: 300 }) }),
)

describe.each(STORES)('%s outbox heads and sweeps', (kind) => {
  let t: TestStore
  let store: Store

  beforeEach(async () => {
    t = await openTestStore(kind)
    store = t.store
  })
  afterEach(() => t.close())

  const log = () =>
    store.transaction(APP, (tx) =>
      tx.deliveries.list({ command: undefined, status: undefined, beforeId: undefined, limit: 1000 }),
    )

  it('claims the due head of each key, and sweeps what finished in time, as the model says', async () => {
    let run = 0
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 40 }), async (steps) => {
        // Each run on keys of its own, later than every lease and retry of the runs before, whose
        // leftovers it skips first.
        const prefix = `r${++run}-`
        let now = run * 10_000_000
        for (let i = 0; (await log()).some((d) => d.status === 'pending'); i++) {
          expect(i, 'leftovers of earlier runs are all skipped').toBeLessThan(200)
          await store.deliveryQueue.claim({
            owner: 'x',
            nowMs: now,
            leaseMs: 1,
            limit: 1000,
            wanted: () => false,
          })
        }
        const model: ModelEvent[] = []
        const held: ClaimedEvent[] = []
        const mine = async () => (await log()).filter((d) => d.orderingKey.startsWith(prefix))
        for (const s of steps) {
          if (s.kind === 'write') {
            await store.transaction(APP, async (tx) => {
              for (const k of s.keys) await tx.outbox.enqueue(reportEvents(prefix + k, 1)[0]!)
            })
            // Ids grow in the order a transaction writes its events.
            const fresh = (await mine()).filter((d) => !model.some((m) => m.id === d.id))
            fresh.sort((x, y) => x.id - y.id)
            fresh.forEach((d, i) => {
              expect(d.orderingKey).toBe(prefix + s.keys[i]!)
              model.push({ ...newEvent, id: d.id, key: d.orderingKey })
            })
          } else if (s.kind === 'claim') {
            const heads = new Map<string, ModelEvent>()
            for (const m of model.filter((x) => x.status === 'pending')) {
              if ((heads.get(m.key)?.id ?? Infinity) > m.id) heads.set(m.key, m)
            }
            const expected = [...heads.values()]
              .filter((m) => m.dueMs <= now && m.leaseUntilMs <= now)
              .sort((x, y) => x.id - y.id)
              .slice(0, s.limit)
            const got = await store.deliveryQueue.claim({
              owner: 'x',
              nowMs: now,
              leaseMs: LEASE_MS,
              limit: s.limit,
              wanted: () => true,
            })
            expect(got.map((e) => e.id)).toEqual(expected.map((m) => m.id))
            for (const m of expected) Object.assign(m, { leaseUntilMs: now + LEASE_MS, leased: true })
            held.push(...got)
          } else if (s.kind === 'record' && held.length > 0) {
            const e = held.splice(s.pick % held.length, 1)[0]!
            const next =
              s.outcome === 'retry'
                ? { status: 'pending' as const, nextAttemptMs: now + 50 }
                : { status: s.outcome, nowMs: now }
            await store.deliveryQueue.record('x', e, attempt, next)
            // The attempt is logged while the event exists; it moves only while the owner holds it.
            const m = model.find((x) => x.id === e.id)
            if (m === undefined) continue
            m.attempts++
            if (m.status !== 'pending' || !m.leased) continue
            Object.assign(m, { leased: false, leaseUntilMs: 0 })
            if (s.outcome === 'retry') m.dueMs = now + 50
            else Object.assign(m, { status: s.outcome, finishedMs: now })
          } else if (s.kind === 'requeue' && model.length > 0) {
            // A finished event when there is one: re-queueing a pending one changes nothing.
            const finished = model.filter((x) => x.status !== 'pending')
            const from = finished.length > 0 ? finished : model
            const m = from[s.pick % from.length]!
            await store.transaction(APP, (tx) => tx.deliveries.requeue(m.id, now))
            if (m.status !== 'pending') {
              Object.assign(m, { status: 'pending', dueMs: now, leaseUntilMs: 0, leased: false })
              m.finishedMs = undefined
            }
          } else if (s.kind === 'tick') {
            now += s.ms
          } else if (s.kind === 'sweep') {
            const upTo = now - s.ageMs
            await store.deliveryQueue.sweep(upTo, 1000)
            for (let i = model.length - 1; i >= 0; i--) {
              const f = model[i]!.finishedMs
              if (f !== undefined && f <= upTo) model.splice(i, 1)
            }
          }
        }
        const rows = (await mine()).map((d) => [d.id, d.status, d.attempts.length])
        expect(rows.sort()).toEqual(model.map((m) => [m.id, m.status, m.attempts]).sort())
      }),
      { numRuns: kind === 'postgres' ? 15 : 40 },
    )
  })

  it('sweeps finished events oldest first, a batch at a time, never a pending one', async () => {
    await store.transaction(APP, async (tx) => {
      for (const e of [...reportEvents('s1', 3), ...reportEvents('s2', 2)]) await tx.outbox.enqueue(e)
    })
    const finish = async (key: string, at: number, status: 'delivered' | 'failed') => {
      const got = await store.deliveryQueue.claim({
        owner: 'x',
        nowMs: at,
        leaseMs: LEASE_MS,
        limit: 10,
        wanted: () => true,
      })
      const e = got.find((c) => c.orderingKey === key)!
      await store.deliveryQueue.release(
        'x',
        got.filter((c) => c !== e).map((c) => c.id),
      )
      await store.deliveryQueue.record('x', e, attempt, { status, nowMs: at })
      return e
    }
    const first = await finish('s1', 10, 'delivered')
    await finish('s1', 20, 'delivered')
    await finish('s1', 30, 'failed')
    await finish('s2', 40, 'delivered')
    const statuses = async () => (await log()).map((d) => `${d.orderingKey}:${d.status}`)
    expect(await statuses()).toEqual([
      's2:pending',
      's2:delivered',
      's1:failed',
      's1:delivered',
      's1:delivered',
    ])
    expect(await store.deliveryQueue.sweep(25, 1)).toBe(1)
    expect(await store.deliveryQueue.sweep(25, 5)).toBe(1)
    expect(await store.deliveryQueue.sweep(25, 5)).toBe(0)
    expect(await statuses()).toEqual(['s2:pending', 's2:delivered', 's1:failed'])
    expect(await store.deliveryQueue.sweep(1_000_000, 100)).toBe(2)
    expect(await statuses()).toEqual(['s2:pending'])
    // An attempt that ends after its event was swept (another owner finished it) is dropped quietly.
    await store.deliveryQueue.record('y', first, attempt, { status: 'delivered', nowMs: 50 })
    if (store instanceof SqliteStore) {
      const attempts = store.database.prepare('SELECT count(*) AS n FROM webhook_attempts').get()
      expect(attempts).toEqual({ n: 0 })
    }
  })
})
