/**
 * The delivery concern on PostgreSQL, where several instances' dispatchers share one outbox.
 *
 * A claim is one short transaction: `FOR UPDATE SKIP LOCKED` over the heads of the keys (the
 * lowest pending id of each), then a lease with an expiry. Two instances claiming at once skip
 * each other's locked rows, and a row leased by a committed claim fails the lease test when it is
 * re-read, so an event is held by one dispatcher at a time. An instance that dies leaves its
 * leases to run out; the others' polls claim the events then. Commit signals stay in the process
 * (a dispatcher hears of its own instance's events, records and re-queues) rather than NOTIFY,
 * whose commit-time lock would serialize every transaction that writes an event; other instances
 * find what they were not told of by polling.
 */
import type {
  AfterAttempt,
  Attempt,
  ClaimedEvent,
  ClaimRequest,
  Delivery,
  DeliveryFilter,
  DeliveryLog,
  DeliveryQueue,
} from '../deliveries.js'
import type { TxEffects } from './pg-outbox.js'
import type { Queryable } from './pg-store.js'
import {
  LOG_COLUMNS,
  toDeliveries,
  type AttemptRow,
  type DueRow,
  type LogRow,
} from '../rows/delivery-rows.js'

/** Tells this process's listeners that a committed transaction changed the outbox. */
export class CommitSignal {
  readonly #listeners = new Set<() => void>()

  notify(): void {
    for (const l of this.#listeners) l()
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }
}

/** Runs `fn` in a transaction of its own on a pooled connection; resolves after COMMIT. */
export type RunInTransaction = <T>(fn: (db: Queryable) => Promise<T>) => Promise<T>

// Only a key's head qualifies, so an event whose predecessor is leased, waiting for a retry or
// locked by another claimer is never handed out ahead of it.
const CLAIM = `SELECT id, app_id, command, body, client_ip, opt_platform, tries FROM outbox o
  WHERE status = 'pending' AND next_attempt_ms <= $1 AND lease_until_ms <= $1
    AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.status = 'pending' AND p.app_id = o.app_id
                    AND p.ordering_key = o.ordering_key AND p.id < o.id)
  ORDER BY id LIMIT $2
  FOR UPDATE OF o SKIP LOCKED`

export class PgDeliveryQueue implements DeliveryQueue {
  readonly #run: RunInTransaction
  readonly #signal: CommitSignal

  constructor(run: RunInTransaction, signal: CommitSignal) {
    this.#run = run
    this.#signal = signal
  }

  async start(_owner: string): Promise<void> {
    // Each process claims under an owner of its own, so no lease can be known to be stale here:
    // one still running may belong to a live instance. Leases of dead instances run out.
  }

  async claim(r: ClaimRequest): Promise<ClaimedEvent[]> {
    const { claimed, skipped } = await this.#run(async (db) => {
      const { rows } = await db.query<DueRow>(CLAIM, [r.nowMs, r.limit])
      const claimed: ClaimedEvent[] = []
      const skipped: number[] = []
      for (const row of rows) {
        if (!r.wanted(row.app_id, row.command)) {
          skipped.push(row.id)
          continue
        }
        claimed.push({
          id: row.id,
          sdkAppId: row.app_id,
          command: row.command,
          body: row.body,
          clientIp: row.client_ip,
          optPlatform: row.opt_platform,
          tries: row.tries,
        })
      }
      if (claimed.length > 0) {
        await db.query(
          'UPDATE outbox SET lease_owner = $1, lease_until_ms = $2 WHERE id = ANY($3::bigint[])',
          [r.owner, r.nowMs + r.leaseMs, claimed.map((e) => e.id)],
        )
      }
      if (skipped.length > 0) {
        await db.query(
          `UPDATE outbox SET status = 'skipped', finished_ms = $1 WHERE id = ANY($2::bigint[])`,
          [r.nowMs, skipped],
        )
      }
      return { claimed, skipped }
    })
    // The next event of a skipped one's key may now be due.
    if (skipped.length > 0) this.#signal.notify()
    return claimed
  }

  async record(owner: string, eventId: number, a: Attempt, next: AfterAttempt): Promise<void> {
    const moved = await this.#run(async (db) => {
      // The row lock orders two instances recording one event (the first's lease ran out and the
      // second claimed it), so their attempts get numbers of their own.
      const { rows } = await db.query<{ lease_owner: string | null }>(
        'SELECT lease_owner FROM outbox WHERE id = $1 FOR UPDATE',
        [eventId],
      )
      await db.query(
        `INSERT INTO webhook_attempts (outbox_id, attempt, started_ms, http_status, latency_ms, error, answer_code)
         VALUES ($1, (SELECT count(*) + 1 FROM webhook_attempts WHERE outbox_id = $1), $2, $3, $4, $5, $6)`,
        [eventId, a.startedMs, a.httpStatus ?? null, a.latencyMs, a.error ?? null, a.answerCode ?? null],
      )
      if (rows[0]?.lease_owner !== owner) return false
      await db.query(
        `UPDATE outbox SET status = $2, tries = tries + 1, next_attempt_ms = $3, finished_ms = $4,
           lease_owner = NULL, lease_until_ms = 0
         WHERE id = $1`,
        [
          eventId,
          next.status,
          next.status === 'pending' ? next.nextAttemptMs : 0,
          next.status === 'pending' ? null : next.nowMs,
        ],
      )
      return true
    })
    if (moved && next.status !== 'pending') this.#signal.notify()
  }

  async release(owner: string, eventIds: readonly number[]): Promise<void> {
    await this.#run((db) =>
      db.query(
        'UPDATE outbox SET lease_owner = NULL, lease_until_ms = 0 WHERE id = ANY($1::bigint[]) AND lease_owner = $2',
        [eventIds, owner],
      ),
    )
  }

  onChange(listener: () => void): () => void {
    return this.#signal.subscribe(listener)
  }
}

export class PgDeliveryLog implements DeliveryLog {
  readonly #db: Queryable
  readonly #app: number
  readonly #effects: TxEffects

  constructor(db: Queryable, sdkAppId: number, effects: TxEffects) {
    this.#db = db
    this.#app = sdkAppId
    this.#effects = effects
  }

  async list(f: DeliveryFilter): Promise<Delivery[]> {
    const params: unknown[] = [this.#app, f.limit]
    const where = ['app_id = $1']
    const add = (sql: string, value: unknown) => {
      params.push(value)
      where.push(sql.replace('?', `$${params.length}`))
    }
    if (f.command !== undefined) add('command = ?', f.command)
    if (f.status !== undefined) add('status = ?', f.status)
    if (f.beforeId !== undefined) add('id < ?', f.beforeId)
    const { rows } = await this.#db.query<LogRow>(
      `SELECT ${LOG_COLUMNS} FROM outbox WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $2`,
      params,
    )
    return this.#withAttempts(rows)
  }

  async get(id: number): Promise<Delivery | undefined> {
    const { rows } = await this.#db.query<LogRow>(
      `SELECT ${LOG_COLUMNS} FROM outbox WHERE app_id = $1 AND id = $2`,
      [this.#app, id],
    )
    return rows.length === 0 ? undefined : (await this.#withAttempts(rows))[0]
  }

  async requeue(id: number, nowMs: number): Promise<Delivery | undefined> {
    const changed = await this.#db.query(
      `UPDATE outbox SET status = 'pending', tries = 0, next_attempt_ms = $1, finished_ms = NULL,
         lease_owner = NULL, lease_until_ms = 0
       WHERE app_id = $2 AND id = $3 AND status != 'pending'`,
      [nowMs, this.#app, id],
    )
    if ((changed.rowCount ?? 0) > 0) this.#effects.outboxChanged = true
    return this.get(id)
  }

  async #withAttempts(rows: LogRow[]): Promise<Delivery[]> {
    const { rows: attempts } = await this.#db.query<AttemptRow>(
      'SELECT * FROM webhook_attempts WHERE outbox_id = ANY($1::bigint[]) ORDER BY outbox_id, attempt',
      [rows.map((r) => r.id)],
    )
    return toDeliveries(rows, attempts)
  }
}
