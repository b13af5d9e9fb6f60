/**
 * The delivery concern on SQLite: the dispatcher's queue over all apps, and one app's delivery log.
 * Queue calls run as jobs of the store's group commit (never directly on the shared connection,
 * where they would land inside another batch's savepoint), so a claim's lease and an attempt's
 * record are committed before their promise resolves.
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
import { rehead } from './sqlite-heads.js'
import { chunks, placeholders, type Statements } from './statements.js'
import {
  DUE_COLUMNS,
  LOG_COLUMNS,
  toClaimed,
  toDeliveries,
  type AttemptRow,
  type DueRow,
  type LogRow,
} from '../rows/delivery-rows.js'

/** Tells listeners, after a commit, that the outbox changed. */
export class OutboxSignal {
  readonly #listeners = new Set<() => void>()
  #changed = false

  mark(): void {
    this.#changed = true
  }

  /** Called by the store after COMMIT. */
  flush(): void {
    if (!this.#changed) return
    this.#changed = false
    for (const l of this.#listeners) l()
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }
}

/** Runs `work` as a job of the group commit and resolves after COMMIT. */
export type RunInBatch = <T>(work: () => T) => Promise<T>

// Heads only (migration 0006): the scan never meets the events queued behind a key's head.
const CLAIM = `SELECT ${DUE_COLUMNS} FROM outbox
  WHERE status = 'pending' AND head = 1 AND next_attempt_ms <= @now AND lease_until_ms <= @now
  ORDER BY id LIMIT @limit`

/**
 * Moves a pending event out of `pending`: one `owner` still holds (a recorded attempt), or, with no
 * owner, one the claim reading it holds the write lock over (a skipped event).
 */
const FINISH = `UPDATE outbox SET status = @status, tries = tries + @tried, next_attempt_ms = 0, finished_ms = @now,
    head = 0, lease_owner = NULL, lease_until_ms = 0
  WHERE id = @id AND status = 'pending' AND (@owner IS NULL OR lease_owner = @owner)
  RETURNING app_id, ordering_key`

export class SqliteDeliveryQueue implements DeliveryQueue {
  readonly #s: Statements
  readonly #run: RunInBatch
  readonly #signal: OutboxSignal

  constructor(statements: Statements, run: RunInBatch, signal: OutboxSignal) {
    this.#s = statements
    this.#run = run
    this.#signal = signal
  }

  start(_owner: string): Promise<void> {
    // SQLite serves one receiptd: a lease still set was taken by a process that is gone.
    return this.#run(() => {
      this.#s
        .get(
          `UPDATE outbox SET lease_owner = NULL, lease_until_ms = 0 WHERE status = 'pending' AND lease_owner IS NOT NULL`,
        )
        .run()
    })
  }

  claim(r: ClaimRequest): Promise<ClaimedEvent[]> {
    return this.#run(() => {
      const rows = this.#s.get(CLAIM).all({ now: r.nowMs, limit: r.limit }) as DueRow[]
      const lease = this.#s.get('UPDATE outbox SET lease_owner = ?, lease_until_ms = ? WHERE id = ?')
      const claimed: ClaimedEvent[] = []
      for (const row of rows) {
        if (!r.wanted(row.app_id, row.command)) {
          this.#finish({ id: row.id, owner: null, status: 'skipped', tried: 0, now: r.nowMs })
          continue
        }
        lease.run(r.owner, r.nowMs + r.leaseMs, row.id)
        claimed.push(toClaimed(row))
      }
      return claimed
    })
  }

  record(owner: string, event: ClaimedEvent, a: Attempt, next: AfterAttempt): Promise<void> {
    const eventId = event.id
    return this.#run(() => {
      this.#s
        .get(
          // Not for an event already swept away (another owner finished it, and retention is short).
          `INSERT INTO webhook_attempts (outbox_id, attempt, started_ms, http_status, latency_ms, error, answer_code)
           SELECT @id, (SELECT count(*) + 1 FROM webhook_attempts WHERE outbox_id = @id),
             @started, @status, @latency, @error, @code
           WHERE EXISTS (SELECT 1 FROM outbox WHERE id = @id)`,
        )
        .run({
          id: eventId,
          started: a.startedMs,
          status: a.httpStatus ?? null,
          latency: a.latencyMs,
          error: a.error ?? null,
          code: a.answerCode ?? null,
        })
      if (next.status !== 'pending') {
        this.#finish({ id: eventId, owner, status: next.status, tried: 1, now: next.nowMs })
        return
      }
      this.#s
        .get(
          `UPDATE outbox SET tries = tries + 1, next_attempt_ms = ?, lease_owner = NULL, lease_until_ms = 0
           WHERE id = ? AND lease_owner = ?`,
        )
        .run(next.nextAttemptMs, eventId, owner)
    })
  }

  sweep(finishedUpToMs: number, limit: number): Promise<number> {
    return this.#run(
      () =>
        // Attempts go with their event (ON DELETE CASCADE).
        this.#s
          .get(
            `DELETE FROM outbox WHERE id IN (SELECT id FROM outbox
               WHERE finished_ms IS NOT NULL AND finished_ms <= ? ORDER BY finished_ms LIMIT ?)`,
          )
          .run(finishedUpToMs, limit).changes,
    )
  }

  #finish(f: { id: number; owner: string | null; status: string; tried: number; now: number }): void {
    const row = this.#s.get(FINISH).get(f) as { app_id: number; ordering_key: string } | undefined
    if (row === undefined) return
    rehead(this.#s, row.app_id, row.ordering_key)
    // The next event of the key may now be due.
    this.#signal.mark()
  }

  release(owner: string, eventIds: readonly number[]): Promise<void> {
    return this.#run(() => {
      const free = this.#s.get(
        'UPDATE outbox SET lease_owner = NULL, lease_until_ms = 0 WHERE id = ? AND lease_owner = ?',
      )
      for (const id of eventIds) free.run(id, owner)
    })
  }

  releaseOthers(owner: string, keep: readonly number[]): Promise<void> {
    return this.#run(() => {
      const held = this.#s
        .get("SELECT id FROM outbox WHERE lease_owner = ? AND status = 'pending'")
        .all(owner) as { id: number }[]
      const kept = new Set(keep)
      const free = this.#s.get('UPDATE outbox SET lease_owner = NULL, lease_until_ms = 0 WHERE id = ?')
      for (const { id } of held) if (!kept.has(id)) free.run(id)
    })
  }

  onChange(listener: () => void): () => void {
    return this.#signal.subscribe(listener)
  }
}

export class SqliteDeliveryLog implements DeliveryLog {
  readonly #s: Statements
  readonly #app: number
  readonly #signal: OutboxSignal

  constructor(statements: Statements, sdkAppId: number, signal: OutboxSignal) {
    this.#s = statements
    this.#app = sdkAppId
    this.#signal = signal
  }

  async list(f: DeliveryFilter): Promise<Delivery[]> {
    const where = ['app_id = @app']
    const params: Record<string, string | number> = { app: this.#app, limit: f.limit }
    if (f.command !== undefined) {
      where.push('command = @command')
      params.command = f.command
    }
    if (f.status !== undefined) {
      where.push('status = @status')
      params.status = f.status
    }
    if (f.beforeId !== undefined) {
      where.push('id < @before')
      params.before = f.beforeId
    }
    const rows = this.#s
      .get(`SELECT ${LOG_COLUMNS} FROM outbox WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT @limit`)
      .all(params) as LogRow[]
    return this.#withAttempts(rows)
  }

  async get(id: number): Promise<Delivery | undefined> {
    const row = this.#s
      .get(`SELECT ${LOG_COLUMNS} FROM outbox WHERE app_id = ? AND id = ?`)
      .get(this.#app, id) as LogRow | undefined
    return row === undefined ? undefined : this.#withAttempts([row])[0]
  }

  async requeue(id: number, nowMs: number): Promise<Delivery | undefined> {
    const row = this.#s
      .get(
        `UPDATE outbox SET status = 'pending', tries = 0, next_attempt_ms = ?, finished_ms = NULL,
           head = 0, lease_owner = NULL, lease_until_ms = 0
         WHERE app_id = ? AND id = ? AND status != 'pending'
         RETURNING ordering_key`,
      )
      .get(nowMs, this.#app, id) as { ordering_key: string } | undefined
    if (row !== undefined) {
      // An old event may now be the oldest pending of its key.
      rehead(this.#s, this.#app, row.ordering_key)
      this.#signal.mark()
    }
    return this.get(id)
  }

  #withAttempts(rows: LogRow[]): Delivery[] {
    const attempts: AttemptRow[] = []
    for (const part of chunks(rows.map((r) => r.id))) {
      const found = this.#s
        .get(
          `SELECT * FROM webhook_attempts WHERE outbox_id IN (${placeholders(part.length)}) ORDER BY outbox_id, attempt`,
        )
        .all(...part) as AttemptRow[]
      attempts.push(...found)
    }
    return toDeliveries(rows, attempts)
  }
}
