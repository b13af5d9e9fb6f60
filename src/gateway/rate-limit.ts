/**
 * Per app × command rate limits (spec §1.4): a token bucket holding one second of calls, refilled
 * continuously. Over the limit → 60007. `LocalRateLimiter` keeps the buckets in this process, so
 * several instances each keep their own; `RedisRateLimiter` (redis-rate-limit.ts) shares one
 * bucket per app × command among all of them.
 */
export interface RateLimiter {
  /**
   * True when a call may proceed; false when the bucket is empty. A shared limiter answers with a
   * promise; the local one answers at once, so the common path never waits a turn.
   */
  take(key: string, perSecond: number, nowMs: number): boolean | Promise<boolean>
  close?(): Promise<void>
}

interface Bucket {
  tokens: number
  updatedMs: number
}

export class LocalRateLimiter implements RateLimiter {
  readonly #buckets = new Map<string, Bucket>()

  take(key: string, perSecond: number, nowMs: number): boolean {
    let b = this.#buckets.get(key)
    if (b === undefined) {
      b = { tokens: perSecond, updatedMs: nowMs }
      this.#buckets.set(key, b)
    }
    const elapsed = Math.max(0, nowMs - b.updatedMs)
    b.tokens = Math.min(perSecond, b.tokens + (elapsed * perSecond) / 1000)
    b.updatedMs = nowMs
    if (b.tokens < 1) return false
    b.tokens -= 1
    return true
  }
}
