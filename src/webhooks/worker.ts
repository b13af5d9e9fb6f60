/**
 * The after-event dispatcher (design.md decision 12, style §5): claims committed outbox events,
 * signs and POSTs them over a keep-alive pool, records every attempt, and retries with exponential
 * backoff within the app's bound. It runs beside the API and shares nothing with a request but the
 * store's group commit, where its claims and records are short synchronous jobs: whatever a receiver
 * does (down, slow, 500s, garbage), no API answer waits for it.
 *
 * Order: the queue hands out at most one event per ordering key at a time, oldest first, so the
 * events of a conversation or a group arrive in order while different keys go out in parallel.
 * Durability: an event is leased before it is sent and moved only after its attempt is recorded;
 * one sent when the process died is sent again after the restart, or on PostgreSQL by another
 * instance once the lease has run out (at least once).
 */
import { hostname } from 'node:os'
import { randomBytes } from 'node:crypto'
import { MAX_RETRY_BACKOFF_MS, type AppConfig, type CallbackConfig } from '../config/config.js'
import type { Clock } from '../domain/clock.js'
import type { Log } from '../log.js'
import type { AfterAttempt, Attempt, ClaimedEvent, DeliveryQueue } from '../store/deliveries.js'
import type { AfterEventCommand } from './events.js'
import type { CallbackHttp, PostOutcome } from './http-client.js'
import { defaultPace, Pace, type PaceOptions } from './pace.js'
import { callbackUrl } from './sign.js'
import { receives } from './audience.js'
import { Sweeper } from './sweeper.js'

export interface DispatcherOptions {
  queue: DeliveryQueue
  apps: readonly AppConfig[]
  http: CallbackHttp
  clock: Clock
  log: Log
  /** Deliveries in flight at once, over all apps and keys. */
  concurrency?: number
  /** How often to look for due events without being told: other instances' events, expired leases. */
  pollIntervalMs?: number
  /** How long a claim holds an event; well above the longest attempt. */
  leaseMs?: number
  /** How deliveries give way to a busy API. */
  pace?: PaceOptions
  /** Hours finished events stay in the delivery log (`webhooks.retentionHours`); 0 keeps none. */
  retentionHours?: number
  /** How the delivery log is swept: every `intervalMs`, `batch` events per transaction. */
  sweep?: { intervalMs: number; batch: number }
  /** Told about every attempt made (the metrics). */
  onAttempt?: (command: AfterEventCommand, outcome: 'delivered' | 'retry' | 'failed', seconds: number) => void
}

/** While claims keep failing, how often it is logged. */
const CLAIM_FAILURE_LOG_MS = 10_000

/** Longest wait between tries to record an attempt while the store is away. */
const RECORD_RETRY_MAX_MS = 1000

/** [U] Small enough that one batch is about a millisecond of store work. */
const defaultSweep = { intervalMs: 1000, batch: 200 }

/** Wait before retry `n` (1-based): base, 2×base, 4×base … capped. */
export function backoffMs(cb: Pick<CallbackConfig, 'retryBackoffMs'>, n: number): number {
  return Math.min(cb.retryBackoffMs * 2 ** Math.min(n - 1, 30), MAX_RETRY_BACKOFF_MS)
}

export class Dispatcher {
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`
  readonly #o: Required<DispatcherOptions>
  readonly #apps: Map<number, AppConfig>
  readonly #inFlight = new Map<number, { abort: AbortController; done: Promise<void> }>()
  #pumping = false
  /** Claims failed in a row, and when that was last logged. */
  #claimFailures = 0
  #claimLoggedMs = 0
  /** A claim failed: it may still have leased events (committed after its answer was lost). */
  #unsureOfLeases = false
  #again = false
  #stopped = true
  #poll: NodeJS.Timeout | undefined
  #wake: { at: number; timer: NodeJS.Timeout } | undefined
  #unsubscribe: (() => void) | undefined
  #pace: Pace | undefined
  readonly #sweeper: Sweeper

  constructor(options: DispatcherOptions) {
    this.#o = {
      concurrency: 64,
      pollIntervalMs: 1000,
      leaseMs: 60_000,
      pace: defaultPace,
      retentionHours: 72,
      sweep: defaultSweep,
      onAttempt: () => undefined,
      ...options,
    }
    this.#apps = new Map(options.apps.map((a) => [a.sdkAppId, a]))
    this.#sweeper = new Sweeper({
      queue: this.#o.queue,
      clock: this.#o.clock,
      log: this.#o.log,
      retentionHours: this.#o.retentionHours,
      ...this.#o.sweep,
    })
  }

  async start(): Promise<void> {
    await this.#o.queue.start(this.owner)
    this.#stopped = false
    this.#pace = new Pace(this.#o.pace)
    this.#unsubscribe = this.#o.queue.onChange(() => this.#kick())
    this.#poll = setInterval(() => this.#kick(), this.#o.pollIntervalMs).unref()
    this.#kick()
    this.#sweeper.start()
  }

  /**
   * Stops claiming, cuts attempts in flight short and gives their leases back, unrecorded: they
   * are sent again by the next start, or at once by another instance sharing the store.
   */
  async stop(): Promise<void> {
    if (this.#stopped) return
    this.#stopped = true
    this.#unsubscribe?.()
    clearInterval(this.#poll)
    this.#pace?.stop()
    if (this.#wake) clearTimeout(this.#wake.timer)
    await this.#sweeper.stop()
    const aborted = [...this.#inFlight.keys()]
    for (const f of this.#inFlight.values()) f.abort.abort()
    await Promise.all([...this.#inFlight.values()].map((f) => f.done))
    if (aborted.length > 0) await this.#o.queue.release(this.owner, aborted)
  }

  #wanted = (sdkAppId: number, command: AfterEventCommand): boolean =>
    receives(this.#apps.get(sdkAppId), command)

  #kick(): void {
    if (this.#stopped) return
    if (this.#pumping) {
      this.#again = true
      return
    }
    void this.#pump()
  }

  async #pump(): Promise<void> {
    this.#pumping = true
    try {
      if (this.#unsureOfLeases) {
        await this.#o.queue.releaseOthers(this.owner, [...this.#inFlight.keys()])
        this.#unsureOfLeases = false
      }
      do {
        this.#again = false
        while (!this.#stopped && this.#inFlight.size < this.#o.concurrency) {
          const limit = this.#pace!.take(this.#o.concurrency - this.#inFlight.size)
          if (limit === 0) {
            this.#wakeAt(this.#o.clock.nowMs() + this.#pace!.waitMs)
            break
          }
          const events = await this.#o.queue.claim({
            owner: this.owner,
            nowMs: this.#o.clock.nowMs(),
            leaseMs: this.#o.leaseMs,
            limit,
            wanted: this.#wanted,
          })
          for (const e of events) this.#send(e)
          // Fewer than asked for: nothing else is due. What becomes due later (a commit, a record,
          // a retry's time) kicks the pump again.
          if (events.length < limit) break
        }
      } while (this.#again && !this.#stopped)
      if (this.#claimFailures > 0) {
        this.#o.log.info({ failures: this.#claimFailures }, 'webhook dispatcher claims events again')
        this.#claimFailures = 0
      }
    } catch (e) {
      // The store failed (database away, closing, disk full): the poll tries again. Logged on the
      // first failure and then once per interval, not on every poll of an outage.
      this.#unsureOfLeases = true
      const nowMs = this.#o.clock.nowMs()
      if (this.#claimFailures++ === 0 || nowMs - this.#claimLoggedMs >= CLAIM_FAILURE_LOG_MS) {
        this.#claimLoggedMs = nowMs
        this.#o.log.error(
          { err: e, failures: this.#claimFailures },
          'webhook dispatcher could not claim events',
        )
      }
    } finally {
      this.#pumping = false
    }
  }

  #send(e: ClaimedEvent): void {
    const abort = new AbortController()
    const done = this.#attempt(e, abort.signal)
      .catch((err: unknown) =>
        this.#o.log.error({ err, event: e.id }, 'webhook attempt could not be recorded'),
      )
      .finally(() => {
        this.#inFlight.delete(e.id)
        this.#kick()
      })
    this.#inFlight.set(e.id, { abort, done })
  }

  async #attempt(e: ClaimedEvent, signal: AbortSignal): Promise<void> {
    // wanted() admitted it, so the app and its callback exist.
    const app = this.#apps.get(e.sdkAppId)!
    const cb = app.callback!
    const { clock } = this.#o
    const startedMs = clock.nowMs()
    const url = callbackUrl({
      url: cb.url,
      token: cb.token,
      sdkAppId: app.sdkAppId,
      command: e.command,
      clientIp: e.clientIp,
      optPlatform: e.optPlatform,
      nowSeconds: clock.nowSeconds(),
    })
    const out = await this.#o.http.post(url, e.body, cb.afterEventTimeoutMs, signal)
    if (signal.aborted) return
    const tries = e.tries + 1
    const nowMs = clock.nowMs()
    // Spec §7.3: the answer of an after-event is logged, never acted on.
    const next: AfterAttempt =
      out.error === undefined
        ? { status: 'delivered', nowMs }
        : tries > cb.retries
          ? { status: 'failed', nowMs }
          : { status: 'pending', nextAttemptMs: nowMs + backoffMs(cb, tries) }
    await this.#record(
      e,
      {
        startedMs,
        httpStatus: out.httpStatus,
        latencyMs: out.latencyMs,
        error: out.error,
        answerCode: answerCode(out),
      },
      next,
    )
    this.#o.onAttempt(e.command, next.status === 'pending' ? 'retry' : next.status, out.latencyMs / 1000)
    if (next.status === 'pending') this.#wakeAt(next.nextAttemptMs)
    if (next.status === 'failed') {
      this.#o.log.warn(
        { event: e.id, command: e.command, tries, error: out.error },
        'webhook delivery failed',
      )
    }
  }

  /**
   * Records an attempt that was made. While the store is away (a database restart or failover) it
   * is tried again until it succeeds or the dispatcher stops: the event's lease still holds, so
   * nobody sends it meanwhile, and once recorded it is not sent a second time.
   */
  async #record(e: ClaimedEvent, attempt: Attempt, next: AfterAttempt): Promise<void> {
    for (let waitMs = 100; ; waitMs = Math.min(waitMs * 2, RECORD_RETRY_MAX_MS)) {
      try {
        await this.#o.queue.record(this.owner, e, attempt, next)
        return
      } catch (err) {
        if (this.#stopped) throw err
        if (waitMs === 100)
          this.#o.log.warn({ err, event: e.id }, 'webhook attempt not recorded yet; retrying')
        await new Promise((r) => setTimeout(r, waitMs))
      }
    }
  }

  /**
   * Keeps one timer, for the earliest retry; a later one is found when that timer fires or by the
   * poll, so a retry may start up to `pollIntervalMs` after it is due.
   */
  #wakeAt(atMs: number): void {
    if (this.#stopped || (this.#wake !== undefined && this.#wake.at <= atMs)) return
    if (this.#wake) clearTimeout(this.#wake.timer)
    const timer = setTimeout(
      () => {
        this.#wake = undefined
        this.#kick()
      },
      Math.max(0, atMs - this.#o.clock.nowMs()),
    ).unref()
    this.#wake = { at: atMs, timer }
  }
}

function answerCode(out: PostOutcome): number | undefined {
  const a = out.answer as { ErrorCode?: unknown } | undefined
  return typeof a === 'object' && a !== null && Number.isInteger(a.ErrorCode)
    ? (a.ErrorCode as number)
    : undefined
}
