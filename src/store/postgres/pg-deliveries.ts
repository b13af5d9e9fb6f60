/**
 * The delivery concern on PostgreSQL, where several instances' dispatchers share one outbox.
 *
 * A claim is one statement: `FOR UPDATE SKIP LOCKED` over the heads of the keys (the lowest
 * pending id of each, marked by `head`), leased with an expiry as they are found. Two instances
 * claiming at once skip each other's locked rows, and a row leased by a committed claim fails the
 * lease test when it is re-read, so an event is held by one dispatcher at a time. An instance that dies leaves its
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
import { lockKeys, promoteOldest, rehead } from './pg-heads.js'
import type { TxEffects } from './pg-outbox.js'
import type { Queryable } from './pg-store.js'
import {
  DUE_COLUMNS,
  LOG_COLUMNS,
  toClaimed,
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

// Heads only (migration 0006), leased in the statement that finds them: one round trip, and the
// scan never meets the events queued behind a key's head. A head another claimer has locked is
// skipped; one it leased and committed fails the due test when re-read under the lock.
const CLAIM = `UPDATE outbox SET lease_owner = $3, lease_until_ms = $1 + $4
  WHERE id IN (SELECT id FROM outbox
               WHERE status = 'pending' AND head AND next_attempt_ms <= $1 AND lease_until_ms <= $1
               ORDER BY id LIMIT $2
               FOR UPDATE SKIP LOCKED)
  RETURNING ${DUE_COLUMNS}`

export class PgDeliveryQueue implements DeliveryQueue {
  readonly #query: Queryable
  readonly #run: RunInTransaction
  readonly #signal: CommitSignal

  /** `query` runs one statement on its own (autocommit); `run` a transaction. */
  constructor(query: Queryable, run: RunInTransaction, signal: CommitSignal) {
    this.#query = query
    this.#run = run
    this.#signal = signal
  }

  async start(_owner: string): Promise<void> {
    // Each process claims under an owner of its own, so no lease can be known to be stale here:
    // one still running may belong to a live instance. Leases of dead instances run out.
  }

  async claim(r: ClaimRequest): Promise<ClaimedEvent[]> {
    const { rows } = await this.#query.query<DueRow>(CLAIM, [r.nowMs, r.limit, r.owner, r.leaseMs])
    const claimed: ClaimedEvent[] = []
    for (const row of rows.sort((a, b) => a.id - b.id)) {
      const event = toClaimed(row)
      if (r.wanted(event.sdkAppId, event.command)) claimed.push(event)
      else await this.#finish(r.owner, event, undefined, { status: 'skipped', nowMs: r.nowMs })
    }
    return claimed
  }

  async record(owner: string, event: ClaimedEvent, a: Attempt, next: AfterAttempt): Promise<void> {
    await this.#finish(owner, event, a, next)
  }

  /**
   * Logs `a` (when given) and moves the event if `owner` still holds it, under the key's lock: it
   * orders two instances recording one event (the first's lease ran out and the second claimed
   * it), so their attempts get numbers of their own, and it decides the key's next head.
   */
  async #finish(
    owner: string,
    event: ClaimedEvent,
    a: Attempt | undefined,
    next: AfterAttempt | { status: 'skipped'; nowMs: number },
  ): Promise<void> {
    const pending = next.status === 'pending'
    const moved = await this.#run(async (db) => {
      await lockKeys(db, event.sdkAppId, [event.orderingKey])
      const { rows } = await db.query<{ id: number }>(
        `WITH attempt AS (
           INSERT INTO webhook_attempts (outbox_id, attempt, started_ms, http_status, latency_ms, error, answer_code)
           SELECT $1, (SELECT count(*) + 1 FROM webhook_attempts WHERE outbox_id = $1), $6, $7, $8, $9, $10
           WHERE $11 AND EXISTS (SELECT 1 FROM outbox WHERE id = $1)
         )
         UPDATE outbox SET status = $3, tries = tries + $12, next_attempt_ms = $4, finished_ms = $5,
           head = head AND $3 = 'pending', lease_owner = NULL, lease_until_ms = 0
         WHERE id = $1 AND status = 'pending' AND lease_owner = $2
         RETURNING id`,
        [
          event.id,
          owner,
          next.status,
          pending ? next.nextAttemptMs : 0,
          pending ? null : next.nowMs,
          a?.startedMs ?? 0,
          a?.httpStatus ?? null,
          a?.latencyMs ?? 0,
          a?.error ?? null,
          a?.answerCode ?? null,
          a !== undefined,
          a === undefined ? 0 : 1,
        ],
      )
      if (rows.length === 0) return false
      if (!pending) await promoteOldest(db, event.sdkAppId, event.orderingKey)
      return true
    })
    // The next event of a finished one's key may now be due.
    if (moved && !pending) this.#signal.notify()
  }

  async sweep(finishedUpToMs: number, limit: number): Promise<number> {
    // Attempts go with their event (ON DELETE CASCADE); rows another sweeper holds are left to it.
    const r = await this.#query.query(
      `DELETE FROM outbox WHERE id IN (SELECT id FROM outbox
         WHERE finished_ms IS NOT NULL AND finished_ms <= $1 ORDER BY finished_ms LIMIT $2
         FOR UPDATE SKIP LOCKED)`,
      [finishedUpToMs, limit],
    )
    return r.rowCount ?? 0
  }

  async release(owner: string, eventIds: readonly number[]): Promise<void> {
    await this.#query.query(
      'UPDATE outbox SET lease_owner = NULL, lease_until_ms = 0 WHERE id = ANY($1::bigint[]) AND lease_owner = $2',
      [eventIds, owner],
    )
  }

  async releaseOthers(owner: string, keep: readonly number[]): Promise<void> {
    await this.#query.query(
      `UPDATE outbox SET lease_owner = NULL, lease_until_ms = 0
       WHERE lease_owner = $1 AND status = 'pending' AND NOT (id = ANY($2::bigint[]))`,
      [owner, keep],
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
    const { rows } = await this.#db.query<{ ordering_key: string }>(
      'SELECT ordering_key FROM outbox WHERE app_id = $1 AND id = $2',
      [this.#app, id],
    )
    if (rows.length === 0) return undefined
    const key = rows[0]!.ordering_key
    // The key's lock first, as every writer of heads takes it: the event may become the head.
    await lockKeys(this.#db, this.#app, [key])
    const changed = await this.#db.query(
      `UPDATE outbox SET status = 'pending', tries = 0, next_attempt_ms = $1, finished_ms = NULL,
         head = false, lease_owner = NULL, lease_until_ms = 0
       WHERE app_id = $2 AND id = $3 AND status != 'pending'`,
      [nowMs, this.#app, id],
    )
    if ((changed.rowCount ?? 0) > 0) {
      await rehead(this.#db, this.#app, key)
      this.#effects.outboxChanged = true
    }
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
