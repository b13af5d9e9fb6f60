/**
 * Prometheus metrics at `/metrics` (prom-client), one registry per server. Every label set is
 * bounded: commands are those of the command table and the not-implemented table (anything else
 * is `unknown`), codes are those of the registry (an app's own before-send codes are
 * `app-defined`), routes are route patterns, apps are the configured ones.
 *
 * Gauges that describe the store (outbox backlog, PostgreSQL pool) are read when scraped.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import { codes } from '../domain/codes.js'
import type { AccessRecord } from '../gateway/server.js'
import type { Store, StoreObserver } from '../store/store.js'

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]
const BATCH_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000]

export type DeliveryOutcome = 'delivered' | 'retry' | 'failed'

export class Metrics {
  readonly registry = new Registry()
  readonly #requests: Counter<'command' | 'code'>
  readonly #requestSeconds: Histogram<'command'>
  readonly #http: Counter<'route' | 'status'>
  readonly #batchSize: Histogram
  readonly #commitSeconds: Histogram
  readonly #deliveries: Counter<'command' | 'outcome'>
  readonly #deliverySeconds: Histogram<'outcome'>
  readonly #redisErrors: Counter

  constructor(store: Store) {
    const registers = [this.registry]
    collectDefaultMetrics({ register: this.registry, prefix: 'receiptd_' })
    this.#requests = new Counter({
      name: 'receiptd_v4_requests_total',
      help: 'v4 calls answered, by command (service/command) and ErrorCode',
      labelNames: ['command', 'code'],
      registers,
    })
    this.#requestSeconds = new Histogram({
      name: 'receiptd_v4_request_duration_seconds',
      help: 'Time from the request to its answer, by command',
      labelNames: ['command'],
      buckets: LATENCY_BUCKETS,
      registers,
    })
    this.#http = new Counter({
      name: 'receiptd_http_requests_total',
      help: 'Every HTTP request, by route (/v4, an /api pattern, /healthz, /metrics, unmatched, malformed) and status',
      labelNames: ['route', 'status'],
      registers,
    })
    this.#batchSize = new Histogram({
      name: 'receiptd_store_batch_size',
      help: 'Transactions committed together (SQLite group commit; 1 on PostgreSQL)',
      buckets: BATCH_BUCKETS,
      registers,
    })
    this.#commitSeconds = new Histogram({
      name: 'receiptd_store_commit_seconds',
      help: 'Time from BEGIN to the end of COMMIT of a batch or transaction',
      buckets: LATENCY_BUCKETS,
      registers,
    })
    this.#deliveries = new Counter({
      name: 'receiptd_webhook_deliveries_total',
      help: 'After-event webhook attempts, by callback command and outcome (delivered, retry, failed)',
      labelNames: ['command', 'outcome'],
      registers,
    })
    this.#deliverySeconds = new Histogram({
      name: 'receiptd_webhook_delivery_seconds',
      help: 'Time of one webhook attempt, by outcome',
      labelNames: ['outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    })
    this.#redisErrors = new Counter({
      name: 'receiptd_rate_limit_redis_errors_total',
      help: 'Rate-limit calls Redis did not answer (they were let through)',
      registers,
    })
    const backlog = async () => store.outboxBacklog()
    new Gauge({
      name: 'receiptd_outbox_pending',
      help: 'Webhook events waiting to be delivered, by app',
      labelNames: ['app'],
      registers,
      async collect() {
        this.reset()
        for (const b of await backlog()) this.set({ app: String(b.sdkAppId) }, b.pending)
      },
    })
    new Gauge({
      name: 'receiptd_outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest webhook event still waiting, by app',
      labelNames: ['app'],
      registers,
      async collect() {
        this.reset()
        const now = Date.now()
        for (const b of await backlog()) {
          this.set({ app: String(b.sdkAppId) }, Math.max(0, (now - b.oldestCreatedMs) / 1000))
        }
      },
    })
    const pool = store.poolStats?.bind(store)
    if (pool !== undefined) {
      new Gauge({
        name: 'receiptd_postgres_pool_connections',
        help: 'PostgreSQL pool connections, by state (total, idle, waiting: callers queued for one)',
        labelNames: ['state'],
        registers,
        collect() {
          const p = pool()
          this.set({ state: 'total' }, p.total)
          this.set({ state: 'idle' }, p.idle)
          this.set({ state: 'waiting' }, p.waiting)
        },
      })
    }
  }

  /** Called once per answered request. */
  answered(r: AccessRecord): void {
    this.#http.inc({ route: r.route, status: String(r.status) })
    if (r.route !== '/v4') return
    const command = r.command ?? 'unknown'
    this.#requests.inc({ command, code: codeLabel(r.code) })
    this.#requestSeconds.observe({ command }, r.ms / 1000)
  }

  readonly store: StoreObserver = {
    batch: (size, commitSeconds) => {
      this.#batchSize.observe(size)
      this.#commitSeconds.observe(commitSeconds)
    },
  }

  delivery(command: string, outcome: DeliveryOutcome, seconds: number): void {
    this.#deliveries.inc({ command, outcome })
    this.#deliverySeconds.observe({ outcome }, seconds)
  }

  redisError(): void {
    this.#redisErrors.inc()
  }
}

function codeLabel(code: number | undefined): string {
  if (code === undefined) return 'none'
  if (code === 0 || code in codes) return String(code)
  return 'app-defined'
}
