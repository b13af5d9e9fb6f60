/**
 * Webhook benchmark, in one run (`npx tsx bench/webhooks.ts`):
 *  1. API throughput with webhooks off vs on. The API call is `openim/bench_event`, a command of
 *     this file that does what admin_set_msg_read does to the store: one account row written and one
 *     C2C.CallbackAfterMsgReport event recorded, in one transaction. "off": the app has no callback
 *     URL (events are recorded, then marked skipped by the dispatcher); "on": the app's callback is
 *     a local keep-alive receiver and every event is delivered while the load runs. account_import
 *     (no event) is measured beside them as the plain baseline.
 *  2. Deliveries per second from a recorded backlog: over 1,000 ordering keys, and on one key
 *     (strictly sequential).
 * The load generator and the receiver run in worker threads, so all three share the machine's cores.
 */
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import { command } from '../src/api/command.js'
import { commands as receiptdCommands } from '../src/api/commands.js'
import { f } from '../src/api/fields.js'
import { signUserSig } from '../src/auth/tls-sig-api-v2.js'
import {
  callbackDefaults,
  defaultGroupReceiptTypes,
  defaultLimits,
  defaults,
  type AppConfig,
} from '../src/config/config.js'
import { createLogger, startServer, type ReceiptdServer } from '../src/main.js'
import type { SqliteStore } from '../src/store/sqlite/sqlite-store.js'
import type { WebhookEvent } from '../src/webhooks/events.js'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64)
const KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e'
const OFF_APP = 1400000000
const ON_APP = 1400000001
const CONVERSATIONS = 1000
const undiciPath = createRequire(import.meta.url).resolve('undici')

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

/** A keep-alive receiver answering Tencent's OK at once; counts what it gets. */
const RECEIVER = `
const { parentPort } = require('node:worker_threads')
let count = 0
const server = require('node:http').createServer((req, res) => {
  req.resume()
  req.on('end', () => { count++; res.writeHead(200, { 'content-type': 'application/json' }).end('{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}') })
})
server.keepAliveTimeout = 60000
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }))
parentPort.on('message', () => parentPort.postMessage({ count }))
`

/** Closed-loop load: `connections` requests in flight for `ms`; counts answers with ErrorCode 0. */
const LOADGEN = `
const { parentPort, workerData: w } = require('node:worker_threads')
const { Pool } = require(w.undici)
const pool = new Pool(w.origin, { connections: w.connections, pipelining: 1 })
let ok = 0, failed = 0, i = 0
const until = Date.now() + w.ms
async function loop() {
  while (Date.now() < until) {
    const body = w.bodies[i++ % w.bodies.length]
    const res = await pool.request({ method: 'POST', path: w.path, headers: { 'content-type': 'application/json' }, body })
    const text = await res.body.text()
    if (res.statusCode === 200 && text.includes('"ErrorCode":0')) ok++; else failed++
  }
}
Promise.all(Array.from({ length: w.connections }, loop)).then(() => pool.close()).then(() => parentPort.postMessage({ ok, failed }))
`

function receiver(): Promise<{ port: number; count: () => Promise<number>; stop: () => Promise<number> }> {
  const worker = new Worker(RECEIVER, { eval: true })
  const ask = () =>
    new Promise<number>((resolve) => {
      worker.once('message', (m: { count: number }) => resolve(m.count))
      worker.postMessage('count')
    })
  return new Promise((resolve) =>
    worker.once('message', (m: { port: number }) =>
      resolve({ port: m.port, count: ask, stop: () => worker.terminate() }),
    ),
  )
}

function load(url: string, app: AppConfig, service: string, bodies: string[], ms: number) {
  const sig = signUserSig({
    sdkAppId: app.sdkAppId,
    secretKey: app.secretKey,
    identifier: 'administrator',
    expireSeconds: 86400,
    nowSeconds: Math.floor(Date.now() / 1000),
  })
  const path = `/v4/${service}?sdkappid=${app.sdkAppId}&identifier=administrator&usersig=${sig}&random=1&contenttype=json`
  const worker = new Worker(LOADGEN, {
    eval: true,
    workerData: { undici: undiciPath, origin: url, path, bodies, connections: CONNECTIONS, ms },
  })
  return new Promise<{ ok: number; failed: number }>((resolve) => worker.once('message', resolve))
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const eventBodies = Array.from({ length: CONVERSATIONS }, (_, i) =>
  JSON.stringify({ Report_Account: `u${i}`, Peer_Account: `p${i}` }),
)
const importBodies = Array.from({ length: CONVERSATIONS }, (_, i) => JSON.stringify({ UserID: `imp${i}` }))

/** Events of `app` not yet delivered, failed or skipped; read straight from the database. */
async function pending(r: ReceiptdServer, app: number): Promise<number> {
  const db = (r.store as SqliteStore).database
  return (
    db.prepare(`SELECT count(*) AS n FROM outbox WHERE app_id = ? AND status = 'pending'`).get(app) as {
      n: number
    }
  ).n
}

async function drained(r: ReceiptdServer, app: number): Promise<number> {
  const t0 = performance.now()
  while ((await pending(r, app)) > 0) await new Promise((res) => setTimeout(res, 20))
  return performance.now() - t0
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
    limits: { ...defaultLimits, ratePerSecond: 0 },
    groupReceiptTypes: defaultGroupReceiptTypes,
  })
  const apps = [app(OFF_APP, false), app(ON_APP, true)]
  const server = await startServer(
    {
      server: { ...defaults.server, port: 0 },
      store: { ...defaults.store, memory: true },
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
  const rate = (n: number, t: number) => Math.round(n / (t / 1000))
  const results: Record<string, unknown> = { seconds: SECONDS, connections: CONNECTIONS }
  try {
    await load(server.url, apps[1]!, 'im_open_login_svc/account_import', importBodies, 1000) // warm-up

    // Rounds alternate off and on, each after the backlog drained; medians damp a shared machine's noise.
    const base: number[] = []
    const off: number[] = []
    const on: number[] = []
    const during: number[] = []
    const backlog: number[] = []
    const drain: number[] = []
    let failed = 0
    for (let round = 0; round < ROUNDS; round++) {
      const b = await load(server.url, apps[1]!, 'im_open_login_svc/account_import', importBodies, ms)
      const f = await load(server.url, apps[0]!, 'openim/bench_event', eventBodies, ms)
      await drained(server, OFF_APP)
      const before = await rcv.count()
      const n = await load(server.url, apps[1]!, 'openim/bench_event', eventBodies, ms)
      during.push(rate((await rcv.count()) - before, ms))
      backlog.push(await pending(server, ON_APP))
      drain.push(Math.round(await drained(server, ON_APP)))
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

    // Deliveries per second from a backlog, nothing else running.
    const backlogRun = async (events: WebhookEvent[]) => {
      const start = await rcv.count()
      for (let i = 0; i < events.length; i += 1000) {
        const part = events.slice(i, i + 1000)
        await server.store.transaction(ON_APP, async (tx) => {
          for (const e of part) await tx.outbox.enqueue(e)
        })
      }
      const t0 = performance.now()
      while ((await rcv.count()) - start < events.length) await new Promise((res) => setTimeout(res, 5))
      return rate(events.length, performance.now() - t0)
    }
    const now = Math.floor(Date.now() / 1000)
    results.deliveries_per_s = {
      keys_1000: await backlogRun(
        Array.from({ length: 20_000 }, (_, i) => reportEvent(`b${i % CONVERSATIONS}`, 'x', now)),
      ),
      one_key: await backlogRun(Array.from({ length: 2_000 }, () => reportEvent('single', 'x', now))),
    }
  } finally {
    await server.close()
    await rcv.stop()
  }
  process.stdout.write(JSON.stringify(results, null, 2) + '\n')
}

await main()
