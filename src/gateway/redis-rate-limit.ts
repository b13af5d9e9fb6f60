/**
 * Rate limits shared by every instance through Redis (`--redis`): the same token bucket as
 * `LocalRateLimiter`, one per app × command for the whole deployment, taken by one atomic Lua
 * script per call (one round trip). The script reads Redis's own clock, so clock skew between
 * instances cannot mint tokens; a bucket idle for a second is full again, so its key expires.
 *
 * When Redis does not answer (down, or slower than `timeoutMs`), calls are let through and a
 * warning is logged at most every 10 s: a rate limit is a quota, not a safety property, and an
 * outage of the limiter should not become an outage of the API.
 */
import { Redis } from 'ioredis'
import type { Logger } from 'pino'
import type { RateLimiter } from './rate-limit.js'

const TAKE = `
local rate = tonumber(ARGV[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or rate
local at = tonumber(b[2]) or now
tokens = math.min(rate, tokens + math.max(0, now - at) * rate / 1000)
local ok = 0
if tokens >= 1 then
  tokens = tokens - 1
  ok = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], 2000)
return ok
`

const WARN_EVERY_MS = 10_000

export interface RedisRateLimiterOptions {
  url: string
  logger: Logger
  /** Longest wait for Redis before the call is let through. */
  timeoutMs?: number
  /** Told about every call Redis did not answer (the metrics). */
  onError?: () => void
}

type WithTake = Redis & { rateTake(key: string, perSecond: number): Promise<number> }

export class RedisRateLimiter implements RateLimiter {
  readonly #redis: WithTake
  readonly #logger: Logger
  readonly #onError: () => void
  #lastWarnMs = 0

  constructor(options: RedisRateLimiterOptions) {
    this.#logger = options.logger
    this.#onError = options.onError ?? (() => undefined)
    const redis = new Redis(options.url, {
      // Fail fast instead of queueing while disconnected: the call is let through, not delayed.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.timeoutMs ?? 250,
    })
    redis.on('error', (e: Error) => this.#warn(e))
    redis.defineCommand('rateTake', { numberOfKeys: 1, lua: TAKE })
    this.#redis = redis as WithTake
  }

  /**
   * Resolves once connected, or after `waitMs` with a warning: receiptd starts either way, and
   * calls are limited from the moment Redis answers.
   */
  async ready(waitMs = 2_000): Promise<void> {
    if (this.#redis.status === 'ready') return
    const connected = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), waitMs)
      this.#redis.once('ready', () => {
        clearTimeout(timer)
        resolve(true)
      })
    })
    if (!connected) this.#warn(new Error(`no connection within ${waitMs} ms`))
  }

  async take(key: string, perSecond: number): Promise<boolean> {
    try {
      return (await this.#redis.rateTake(`receiptd:rate:${key}`, perSecond)) === 1
    } catch (e) {
      this.#onError()
      this.#warn(e as Error)
      return true
    }
  }

  async close(): Promise<void> {
    await this.#redis.quit().catch(() => this.#redis.disconnect())
  }

  #warn(e: Error): void {
    const now = Date.now()
    if (now - this.#lastWarnMs < WARN_EVERY_MS) return
    this.#lastWarnMs = now
    this.#logger.warn({ err: e.message }, 'Redis rate limiter unavailable: letting calls through')
  }
}
