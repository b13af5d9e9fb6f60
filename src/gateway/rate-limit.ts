/**
 * Per app × command rate limits (spec §1.4): a token bucket holding one second of calls, refilled
 * continuously. Over the limit → 60007. Buckets live in this process; several instances each keep
 * their own.
 */
export interface RateLimiter {
  /** True when a call may proceed; false when the bucket is empty. */
  take(key: string, perSecond: number, nowMs: number): boolean
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
