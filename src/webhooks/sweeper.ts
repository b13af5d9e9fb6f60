/**
 * Keeps the delivery log bounded (design.md decision 16): finished events (delivered, failed or
 * skipped) and their attempts are deleted once they are `retentionHours` old. The sweep runs beside
 * the dispatcher, in batches of `batch` events, each a short transaction of its own: requests that
 * arrive in between go in between, so a large first sweep (after an upgrade, or a lowered
 * retention) never holds the API up. It runs every `intervalMs`, and batch after batch while full
 * batches come back.
 */
import type { Clock } from '../domain/clock.js'
import type { Log } from '../log.js'
import type { DeliveryQueue } from '../store/deliveries.js'

export interface SweeperOptions {
  queue: Pick<DeliveryQueue, 'sweep'>
  clock: Clock
  log: Log
  retentionHours: number
  intervalMs: number
  batch: number
}

const HOUR_MS = 3_600_000

export class Sweeper {
  readonly #o: SweeperOptions
  #timer: NodeJS.Timeout | undefined
  #running: Promise<void> | undefined
  #stopped = true

  constructor(options: SweeperOptions) {
    this.#o = options
  }

  start(): void {
    this.#stopped = false
    this.#timer = setInterval(() => this.#kick(), this.#o.intervalMs).unref()
    this.#kick()
  }

  /** Stops sweeping; resolves once a batch in progress has committed. */
  async stop(): Promise<void> {
    this.#stopped = true
    clearInterval(this.#timer)
    await this.#running
  }

  #kick(): void {
    if (this.#stopped || this.#running !== undefined) return
    this.#running = this.#sweep().finally(() => (this.#running = undefined))
  }

  async #sweep(): Promise<void> {
    const { queue, clock, batch } = this.#o
    try {
      while (!this.#stopped) {
        const upTo = clock.nowMs() - this.#o.retentionHours * HOUR_MS
        if ((await queue.sweep(upTo, batch)) < batch) return
        // Let the requests that arrived meanwhile go first.
        await new Promise((resolve) => setImmediate(resolve))
      }
    } catch (e) {
      // The store failed (closing, disk full): the next interval tries again.
      this.#o.log.error({ err: e }, 'webhook delivery log could not be swept')
    }
  }
}
