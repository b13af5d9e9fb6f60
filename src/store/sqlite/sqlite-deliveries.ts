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
import { chunks, placeholders, type Statements } from './statements.js'
import {
  LOG_COLUMNS,
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

const CLAIM = `SELECT id, app_id, command, body, client_ip, opt_platform, tries FROM outbox o
  WHERE status = 'pending' AND next_attempt_ms <= @now AND lease_until_ms <= @now
    AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.status = 'pending' AND p.app_id = o.app_id
                    AND p.ordering_key = o.ordering_key AND p.id < o.id)
  ORDER BY id LIMIT @limit`

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
      const skip = this.#s.get(`UPDATE outbox SET status = 'skipped', finished_ms = ? WHERE id = ?`)
      const claimed: ClaimedEvent[] = []
      for (const row of rows) {
        if (!r.wanted(row.app_id, row.command)) {
          skip.run(r.nowMs, row.id)
          // The next event of the key may now be due.
          this.#signal.mark()
          continue
        }
        lease.run(r.owner, r.nowMs + r.leaseMs, row.id)
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
      return claimed
    })
  }

  record(owner: string, eventId: number, a: Attempt, next: AfterAttempt): Promise<void> {
    return this.#run(() => {
      this.#s
        .get(
          `INSERT INTO webhook_attempts (outbox_id, attempt, started_ms, http_status, latency_ms, error, answer_code)
           VALUES (?, (SELECT count(*) + 1 FROM webhook_attempts WHERE outbox_id = ?), ?, ?, ?, ?, ?)`,
        )
        .run(
          eventId,
          eventId,
          a.startedMs,
          a.httpStatus ?? null,
          a.latencyMs,
          a.error ?? null,
          a.answerCode ?? null,
        )
      const moved = this.#s
        .get(
          `UPDATE outbox SET status = ?, tries = tries + 1, next_attempt_ms = ?, finished_ms = ?,
             lease_owner = NULL, lease_until_ms = 0
           WHERE id = ? AND lease_owner = ?`,
        )
        .run(
          next.status,
          next.status === 'pending' ? next.nextAttemptMs : 0,
          next.status === 'pending' ? null : next.nowMs,
          eventId,
          owner,
        )
      if (next.status !== 'pending' && moved.changes > 0) this.#signal.mark()
    })
  }

  release(owner: string, eventIds: readonly number[]): Promise<void> {
    return this.#run(() => {
      const free = this.#s.get(
        'UPDATE outbox SET lease_owner = NULL, lease_until_ms = 0 WHERE id = ? AND lease_owner = ?',
      )
      for (const id of eventIds) free.run(id, owner)
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
    const changed = this.#s
      .get(
        `UPDATE outbox SET status = 'pending', tries = 0, next_attempt_ms = ?, finished_ms = NULL,
           lease_owner = NULL, lease_until_ms = 0
         WHERE app_id = ? AND id = ? AND status != 'pending'`,
      )
      .run(nowMs, this.#app, id)
    if (changed.changes > 0) this.#signal.mark()
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
