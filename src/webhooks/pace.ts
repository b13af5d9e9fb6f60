/**
 * API first: how many after-event deliveries may start now. receiptd runs the API and the
 * dispatcher on one event loop and one machine; while the API keeps that loop busy, deliveries are
 * held down to a floor and the outbox (durable) absorbs the difference, then drains at full speed
 * once the API leaves room. Measured every `sampleMs` from the event loop's utilization: above
 * `busy`, the allowed rate halves (from what was actually delivered); below it, it doubles, up to
 * no limit at all.
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks'

export interface PaceOptions {
  /** Deliveries per second always allowed, however busy the API is. */
  floorPerSecond: number
  /** Event-loop utilization (0–1) above which the API counts as busy. */
  busy: number
  sampleMs: number
}

export const defaultPace: PaceOptions = { floorPerSecond: 200, busy: 0.85, sampleMs: 100 }

export class Pace {
  readonly #o: PaceOptions
  /** Allowed deliveries per second; Infinity while the API leaves room. */
  #rate = Infinity
  #tokens = 0
  #started = 0
  #last: EventLoopUtilization
  #lastSampleMs: number
  readonly #timer: NodeJS.Timeout

  constructor(options: PaceOptions = defaultPace) {
    this.#o = options
    this.#last = performance.eventLoopUtilization()
    this.#lastSampleMs = performance.now()
    this.#timer = setInterval(() => this.#sample(), options.sampleMs).unref()
  }

  /** How many of `wanted` deliveries may start now; the caller starts that many. */
  take(wanted: number): number {
    if (this.#rate === Infinity) {
      this.#started += wanted
      return wanted
    }
    const n = Math.min(wanted, Math.floor(this.#tokens))
    this.#tokens -= n
    this.#started += n
    return n
  }

  /** Milliseconds until one more delivery may start. */
  get waitMs(): number {
    return this.#rate === Infinity ? 0 : Math.ceil(1000 / this.#rate)
  }

  stop(): void {
    clearInterval(this.#timer)
  }

  #sample(): void {
    const now = performance.now()
    const elu = performance.eventLoopUtilization()
    const busy = performance.eventLoopUtilization(elu, this.#last).utilization > this.#o.busy
    const seconds = (now - this.#lastSampleMs) / 1000
    const achieved = this.#started / seconds
    this.#last = elu
    this.#lastSampleMs = now
    this.#started = 0
    if (busy) this.#rate = Math.max(this.#o.floorPerSecond, Math.min(this.#rate, achieved) / 2)
    else if (this.#rate !== Infinity) this.#rate = this.#rate * 2 > 1e6 ? Infinity : this.#rate * 2
    // Tokens for the next sample period, never banked beyond it.
    this.#tokens = this.#rate === Infinity ? 0 : (this.#rate * this.#o.sampleMs) / 1000
  }
}
