/**
 * Webhook benchmark, in one run (`npx tsx bench/webhooks.ts`; on PostgreSQL with
 * RECEIPTD_BENCH_DATABASE_URL=postgres://…, in a schema of its own dropped at the end):
 *  1. API throughput with webhooks off vs on. The API call is `openim/bench_event`, a command of
 *     this file that does what admin_set_msg_read does to the store: one account row written and one
 *     C2C.CallbackAfterMsgReport event recorded, in one transaction. "off": the app has no callback
 *     URL, so the event is not written at all; "on": the app's callback is a local keep-alive
 *     receiver and every event is delivered while the load runs. account_import (no event) is
 *     measured beside them as the plain baseline.
 *  2. Deliveries per second from a recorded backlog: over 1,000 ordering keys, and on one key
 *     (strictly sequential) with 1,000 pending.
 *  3. A backlog of 100,000 events on one key (issue 11: one busy group starving its webhooks):
 *     how fast that key drains, and the API's p99 at a fixed request rate with that backlog
 *     draining beside it, against the same load with an empty outbox.
 * The load generators and the receiver run in worker threads (bench/webhooks-load.ts).
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { command } from '../src/api/command.js'
import { commands as receiptdCommands } from '../src/api/commands.js'
import { f } from '../src/api/fields.js'
import {
  callbackDefaults,
  defaultGroupReceiptTypes,
  defaultLimits,
  defaults,
  type AppConfig,
  type Config,
} from '../src/config/config.js'
import { createLogger, startServer, type ReceiptdServer } from '../src/main.js'
import type { WebhookEvent } from '../src/webhooks/events.js'
import { closedLoop, openLoop, percentile, receiver } from './webhooks-load.js'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64)
/** Requests per second of the fixed-rate load that measures API latency beside a backlog. */
const RATE = Number(process.env.BENCH_RATE ?? 500)
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 100_000)
const DATABASE_URL = process.env.RECEIPTD_BENCH_DATABASE_URL
const KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e'
const OFF_APP = 1400000000
const ON_APP = 1400000001
const CONVERSATIONS = 1000

const bench_event = command({
  service: 'openim',
  name: 'bench_event',
  perSecond: 0,
  request: { Report_Account: f.userId({ missing: 90008 }), Peer_Account: f.userId({ missing: 90003 }) },
  async run(req, { clock, transaction }) {
    await transaction(async (tx) => {
      await tx.accounts.importAccounts(
        [{ userId: req.Report_Account, nick: undefined, faceUrl: undefined }],
        clock.nowSeconds(),
      )
      await tx.outbox.enqueue(reportEvent(req.Report_Account, req.Peer_Account, clock.nowSeconds()))
    })
    return {}
  },
})

function reportEvent(reader: string, peer: string, time: number): WebhookEvent {
  return {
    command: 'C2C.CallbackAfterMsgReport',
    orderingKey: `c2c:${reader}:${peer}`,
    body: {
      CallbackCommand: 'C2C.CallbackAfterMsgReport',
      Report_Account: reader,
      Peer_Account: peer,
      LastReadTime: time,
      UnreadMsgNum: 0,
    },
    createdMs: Date.now(),
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const rate = (n: number, ms: number) => Math.round(n / (ms / 1000))
const round2 = (x: number) => Math.round(x * 100) / 100
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const eventBodies = Array.from({ length: CONVERSATIONS }, (_, i) =>
  JSON.stringify({ Report_Account: `u${i}`, Peer_Account: `p${i}` }),
)
const importBodies = Array.from({ length: CONVERSATIONS }, (_, i) => JSON.stringify({ UserID: `imp${i}` }))

function storeConfig(): { store: Config['store']; drop: () => Promise<void> } {
  if (DATABASE_URL === undefined) {
    return { store: { ...defaults.store, memory: true }, drop: async () => undefined }
  }
  const schema = `receiptd_bench_${randomBytes(4).toString('hex')}`
  return {
    store: {
      ...defaults.store,
      databaseUrl: DATABASE_URL,
      postgres: { ...defaults.store.postgres, schema },
    },
    drop: async () => {
      const c = new pg.Client({ connectionString: DATABASE_URL })
      await c.connect()
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
      await c.end()
    },
  }
}

async function main(): Promise<void> {
  const rcv = await receiver()
  const app = (sdkAppId: number, on: boolean): AppConfig => ({
    sdkAppId,
    secretKey: KEY,
    admins: ['administrator'],
    callback: on
      ? { ...callbackDefaults, url: `http://127.0.0.1:${rcv.port}/im`, token: 'bench-token' }
      : undefined,
    limits: { ...defaultLimits, ratePerSecond: 0, groupMsgPerSecond: 0 },
    groupReceiptTypes: defaultGroupReceiptTypes,
  })
  const apps = [app(OFF_APP, false), app(ON_APP, true)]
  const { store, drop } = storeConfig()
  const server: ReceiptdServer = await startServer(
    {
      server: { ...defaults.server, port: 0 },
      store,
      log: { level: 'silent' },
      redis: { url: undefined },
      webhooks: defaults.webhooks,
      apps,
      configFile: undefined,
    },
    {
      logger: createLogger('silent'),
      commands: new Map([...receiptdCommands, ['openim/bench_event', bench_event]]),
    },
  )
  const ms = SECONDS * 1000
  const results: Record<string, unknown> = {
    store: server.store.kind,
    seconds: SECONDS,
    connections: CONNECTIONS,
  }
  // Every event written for ON_APP so far; all of them have been delivered once the receiver has this many.
  let written = 0
  const drained = async () => {
    const t0 = performance.now()
    while ((await rcv.count()) < written) await sleep(20)
    return performance.now() - t0
  }
  const record = async (events: WebhookEvent[]) => {
    for (let i = 0; i < events.length; i += 1000) {
      const part = events.slice(i, i + 1000)
      await server.store.transaction(ON_APP, async (tx) => {
        for (const e of part) await tx.outbox.enqueue(e)
      })
    }
    written += events.length
  }
  const closed = (a: AppConfig, cmd: string, bodies: string[], time: number) =>
    closedLoop(server.url, a, cmd, bodies, { ms: time, connections: CONNECTIONS })
  try {
    await closed(apps[1]!, 'im_open_login_svc/account_import', importBodies, 1000) // warm-up

    // 1. Rounds alternate off and on, each after the backlog drained; medians damp a shared machine's noise.
    const base: number[] = []
    const off: number[] = []
    const on: number[] = []
    const during: number[] = []
    const backlog: number[] = []
    const drain: number[] = []
    let failed = 0
    for (let round = 0; round < ROUNDS; round++) {
      const b = await closed(apps[1]!, 'im_open_login_svc/account_import', importBodies, ms)
      const f = await closed(apps[0]!, 'openim/bench_event', eventBodies, ms)
      const before = await rcv.count()
      const n = await closed(apps[1]!, 'openim/bench_event', eventBodies, ms)
      written += n.ok
      const got = await rcv.count()
      during.push(rate(got - before, ms))
      backlog.push(written - got)
      drain.push(Math.round(await drained()))
      base.push(rate(b.ok, ms))
      off.push(rate(f.ok, ms))
      on.push(rate(n.ok, ms))
      failed += b.failed + f.failed + n.failed
    }
    results.api = {
      rounds: { account_import: base, bench_event_webhooks_off: off, bench_event_webhooks_on: on },
      account_import: median(base),
      bench_event_webhooks_off: median(off),
      bench_event_webhooks_on: median(on),
      on_vs_off: Math.round((median(on) / median(off)) * 1000) / 1000,
      failed_requests: failed,
      delivered_while_loaded_per_s: median(during),
      backlog_at_end: median(backlog),
      backlog_drain_ms: median(drain),
    }

    // 2. Deliveries per second from a backlog, nothing else running.
    const now = Math.floor(Date.now() / 1000)
    // From the first event recorded to the last delivered.
    const drainRate = async (events: WebhookEvent[]) => {
      const t0 = performance.now()
      await record(events)
      await drained()
      return rate(events.length, performance.now() - t0)
    }
    results.deliveries_per_s = {
      keys_1000: await drainRate(
        Array.from({ length: 20_000 }, (_, i) => reportEvent(`b${i % CONVERSATIONS}`, 'x', now)),
      ),
      one_key_1000_pending: await drainRate(
        Array.from({ length: 1_000 }, () => reportEvent('single', 'x', now)),
      ),
    }

    // 3. One key with BACKLOG pending: its drain rate, and API latency beside it.
    const latency = async () => {
      const r = await openLoop(server.url, apps[1]!, 'openim/bench_event', eventBodies, {
        ms,
        rate: RATE,
        connections: CONNECTIONS,
      })
      written += r.latencies.length
      return { p50: percentile(r.latencies, 50), p99: percentile(r.latencies, 99), failed: r.failed }
    }
    const empty = await latency()
    await drained()
    const t0 = performance.now()
    await record(Array.from({ length: BACKLOG }, () => reportEvent('hot', 'x', now)))
    const recordMs = performance.now() - t0
    const c0 = await rcv.count()
    const t1 = performance.now()
    const beside = await latency()
    const c1 = await rcv.count()
    const t2 = performance.now()
    await sleep(ms)
    const c2 = await rcv.count()
    const t3 = performance.now()
    results.backlog = {
      events_on_one_key: BACKLOG,
      recorded_in_ms: Math.round(recordMs),
      api_rate_per_s: RATE,
      api_empty_outbox: { p50_ms: round2(empty.p50), p99_ms: round2(empty.p99), failed: empty.failed },
      api_with_backlog: { p50_ms: round2(beside.p50), p99_ms: round2(beside.p99), failed: beside.failed },
      p99_backlog_vs_empty: round2(beside.p99 / empty.p99),
      hot_key_per_s_beside_api: rate(c1 - c0, t2 - t1),
      hot_key_per_s_alone: rate(c2 - c1, t3 - t2),
    }
  } finally {
    await server.close()
    await rcv.stop()
    await drop()
  }
  process.stdout.write(JSON.stringify(results, null, 2) + '\n')
  const b = results.backlog as Record<string, number> | undefined
  const d = results.deliveries_per_s as Record<string, number> | undefined
  if (b && d) {
    process.stdout.write(
      [
        `targets (issue 11, ${server.store.kind}):`,
        `  one hot key, ${BACKLOG} pending: ${b.hot_key_per_s_alone} events/s alone, ${b.hot_key_per_s_beside_api} beside the API (target >= 400)`,
        `  1,000 keys: ${d.keys_1000} events/s (target >= 5,000)`,
        `  API p99 at ${RATE} req/s with the backlog: ${b.p99_backlog_vs_empty}x the empty outbox's (target <= 1.5)`,
      ].join('\n') + '\n',
    )
  }
}

await main()
