/**
 * What several instances delivered, compared with what the shared outbox recorded: every event
 * finished as delivered, and each ordering key's requests at the receiver are its events in id
 * order, each sent once per recorded attempt, plus once more for an attempt that was in flight
 * when its instance was killed (sent, never recorded).
 */
import { expect } from 'vitest'
import type { Received } from '../helpers/receiver.js'
import { withClient } from '../helpers/stores.js'

export interface OutboxState {
  id: number
  ordering_key: string
  body: string
  status: string
  lease_owner: string | null
  lease_until_ms: number
  attempts: number
  /** When the first recorded attempt started; null before any. */
  first_started_ms: number | null
}

export function outboxState(url: string, schema: string): Promise<OutboxState[]> {
  return withClient(url, schema, async (c) => {
    const { rows } = await c.query<OutboxState>(
      `SELECT o.id::int, o.ordering_key, o.body, o.status, o.lease_owner, o.lease_until_ms::float8 AS lease_until_ms,
         count(a.attempt)::int AS attempts, min(a.started_ms)::float8 AS first_started_ms
       FROM outbox o LEFT JOIN webhook_attempts a ON a.outbox_id = o.id
       GROUP BY o.id ORDER BY o.id`,
    )
    return rows
  })
}

/** Polls until no event is pending; answers the final state. */
export async function settledOutbox(url: string, schema: string, ms = 60_000): Promise<OutboxState[]> {
  const until = Date.now() + ms
  for (;;) {
    const rows = await outboxState(url, schema)
    if (rows.every((r) => r.status !== 'pending')) return rows
    if (Date.now() > until) {
      throw new Error(`${rows.filter((r) => r.status === 'pending').length} events still pending`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** `unrecorded`: events whose attempt was cut off by a kill. */
export function expectArrivalsMatch(
  received: readonly Received[],
  rows: readonly OutboxState[],
  unrecorded: ReadonlySet<number> = new Set(),
): void {
  expect(rows.filter((r) => r.status !== 'delivered')).toEqual([])
  const keyOf = new Map<string, string>()
  for (const r of rows) {
    expect(keyOf.get(r.body) ?? r.ordering_key, 'one body, one key').toBe(r.ordering_key)
    keyOf.set(r.body, r.ordering_key)
  }
  const got = new Map<string, string[]>()
  for (const r of received) {
    const key = keyOf.get(r.body)
    expect(key, `a request for no recorded event: ${r.body}`).toBeDefined()
    got.set(key!, [...(got.get(key!) ?? []), r.body])
  }
  const want = new Map<string, string[]>()
  for (const r of rows) {
    const times = r.attempts + (unrecorded.has(r.id) ? 1 : 0)
    want.set(r.ordering_key, [...(want.get(r.ordering_key) ?? []), ...Array<string>(times).fill(r.body)])
  }
  expect(got.size).toBe(want.size)
  for (const [key, bodies] of want) expect(got.get(key), `arrivals of ${key}`).toEqual(bodies)
}
