/**
 * Sees commits of other instances on the same PostgreSQL, for live views: while at least one
 * listener is retained it asks every `intervalMs` for the cluster's next transaction id (one
 * cheap query that reads no table), and reports a change when it moved. A transaction id is taken
 * only by a transaction that writes, so reads (and idle dispatcher polls) do not count; writes of
 * other apps or databases do, which makes a live view fetch again for nothing now and then.
 *
 * A new holder is told when the watch has a baseline: a commit made between `retain` and the
 * first answer would otherwise be taken as the baseline itself and never reported.
 */
import type pg from 'pg'

export const WATCH_INTERVAL_MS = 250

export class PgChangeWatch {
  readonly #pool: pg.Pool
  readonly #changed: () => void
  readonly #intervalMs: number
  #holders = 0
  #timer: NodeJS.Timeout | undefined
  #last: string | undefined
  #busy = false
  #waiting: (() => void)[] = []

  constructor(pool: pg.Pool, changed: () => void, intervalMs = WATCH_INTERVAL_MS) {
    this.#pool = pool
    this.#changed = changed
    this.#intervalMs = intervalMs
  }

  /** `watching` is called once every commit from then on will be reported. */
  retain(watching: () => void = () => {}): void {
    if (this.#holders++ === 0) {
      this.#last = undefined
      this.#timer = setInterval(() => void this.#poll(), this.#intervalMs)
      this.#timer.unref()
      void this.#poll()
    }
    if (this.#last === undefined) this.#waiting.push(watching)
    else watching()
  }

  release(): void {
    if (this.#holders > 0 && --this.#holders === 0) this.stop()
  }

  stop(): void {
    clearInterval(this.#timer)
    this.#timer = undefined
    this.#holders = 0
    this.#waiting = []
  }

  async #poll(): Promise<void> {
    if (this.#busy) return
    this.#busy = true
    try {
      const { rows } = await this.#pool.query<{ next: string }>(
        'SELECT txid_snapshot_xmax(txid_current_snapshot())::text AS next',
      )
      const next = rows[0]?.next
      if (this.#last !== undefined && next !== this.#last) this.#changed()
      this.#last = next
      for (const watching of this.#waiting.splice(0)) watching()
    } catch {
      // The database is away: /healthz says so; the watch tries again on the next tick.
    } finally {
      this.#busy = false
    }
  }
}
