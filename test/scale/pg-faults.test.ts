/**
 * PostgreSQL faults under load (issue 10): two receiptd processes on a throwaway cluster of their
 * own, C2C sends through both, and the database's backends terminated, the server stopped
 * immediately and started, restarted fast, stopped with no traffic, and frozen with SIGSTOP. After
 * each: both processes alive, every answered write stored, every committed event delivered once
 * and in order per conversation. It also measures how soon the instances serve again after the
 * database accepts connections, and how long a request takes to be answered while it is frozen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postgresBin, ThrowawayCluster } from '../helpers/pg-cluster.js'
import { Receiver } from '../helpers/receiver.js'
import { TEST_STORE, withClient } from '../helpers/stores.js'
import { expectArrivalsMatch, settledOutbox } from './deliveries.js'
import { call, startInstances, stopInstances, type Instance } from './instances.js'

const SCHEMA = 'receiptd_faults'
const USERS = Array.from({ length: 8 }, (_, i) => `f${i}`)
const PAIRS = Array.from({ length: USERS.length / 2 }, (_, i) => [USERS[2 * i]!, USERS[2 * i + 1]!] as const)
/** The defaults, written out: the answer time while frozen is measured against them. */
const STATEMENT_TIMEOUT_MS = 5000
const ACQUIRE_TIMEOUT_MS = 5000
/** No request may take longer than this, whatever the database does. */
const REQUEST_BOUND_MS = STATEMENT_TIMEOUT_MS + ACQUIRE_TIMEOUT_MS + 2000

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

interface Sent {
  from: string
  to: string
  msgKey: string
}

describe.skipIf(TEST_STORE !== 'postgres' || postgresBin() === undefined)(
  'PostgreSQL faults under load, two instances',
  { timeout: 90_000 },
  () => {
    let cluster: ThrowawayCluster
    let receiver: Receiver
    let instances: Instance[] = []
    const answered: Sent[] = []
    const figures: string[] = []
    let random = 1

    beforeAll(async () => {
      cluster = (await ThrowawayCluster.create())!
      receiver = await Receiver.start()
      instances = await startInstances(2, cluster.url, SCHEMA, {
        callback: {
          url: receiver.url,
          commands: ['C2C.CallbackAfterSendMsg'],
          retries: 10,
          retryBackoffMs: 100,
        },
        webhooks: { pollIntervalMs: 200 },
        postgres: { statementTimeoutMs: STATEMENT_TIMEOUT_MS, acquireTimeoutMs: ACQUIRE_TIMEOUT_MS },
      })
      const r = await call(instances[0]!.url, 'im_open_login_svc/multiaccount_import', { Accounts: USERS })
      expect(r).toMatchObject({ ErrorCode: 0 })
    }, 120_000)

    afterAll(async () => {
      await stopInstances(instances)
      await receiver?.close()
      await cluster?.destroy()
      if (figures.length > 0)
        process.stderr.write(`\n  pg-faults figures:\n    ${figures.join('\n    ')}\n\n`)
    })

    /** One sendmsg; the envelope, or undefined when no answer came within REQUEST_BOUND_MS. */
    async function send(instance: Instance, [from, to]: readonly [string, string]) {
      const started = performance.now()
      try {
        const r = await Promise.race([
          call(instance.url, 'openim/sendmsg', {
            From_Account: from,
            To_Account: to,
            MsgRandom: random++,
            MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `m${random}` } }],
          }),
          sleep(REQUEST_BOUND_MS).then(() => undefined),
        ])
        if (r?.ErrorCode === 0) answered.push({ from, to, msgKey: r.MsgKey as string })
        return { r, ms: performance.now() - started }
      } catch {
        return { r: undefined, ms: performance.now() - started }
      }
    }

    /** Bounded load: one sender per conversation, through both instances in turn. */
    function startLoad() {
      let stopped = false
      const codes = new Map<number, number>()
      let unanswered = 0
      const loops = PAIRS.map(async (pair, w) => {
        for (let i = 0; !stopped; i++) {
          const { r } = await send(instances[(w + i) % instances.length]!, pair)
          if (r === undefined) unanswered++
          else codes.set(r.ErrorCode as number, (codes.get(r.ErrorCode as number) ?? 0) + 1)
          await sleep(20)
        }
      })
      return {
        async stop() {
          stopped = true
          await Promise.all(loops)
          return { codes, unanswered }
        },
      }
    }

    /** Milliseconds until every instance has stored a message again; fails after 30 s. */
    async function recovery(since: number): Promise<number> {
      const done = await Promise.all(
        instances.map(async (instance, n) => {
          while (performance.now() - since < 30_000) {
            const { r } = await send(instance, PAIRS[0]!)
            if (r?.ErrorCode === 0) return performance.now() - since
            await sleep(50)
          }
          throw new Error(`instance ${n} did not serve again within 30 s: ${instance.stderr()}`)
        }),
      )
      return Math.max(...done)
    }

    async function expectAllWell(): Promise<void> {
      for (const i of instances) {
        expect({ exit: i.child.exitCode, signal: i.child.signalCode }, i.stderr()).toEqual({
          exit: null,
          signal: null,
        })
      }
      await recovery(performance.now())
      const stored = await withClient(cluster.url, SCHEMA, async (c) => {
        const { rows } = await c.query<{ k: string }>(
          "SELECT from_id || '|' || to_id || '|' || msg_key AS k FROM c2c_messages",
        )
        return new Set(rows.map((r) => r.k))
      })
      const missing = answered.filter((a) => !stored.has(`${a.from}|${a.to}|${a.msgKey}`))
      expect(missing).toEqual([])
      const rows = await settledOutbox(cluster.url, SCHEMA, 30_000)
      expect(rows.filter((r) => r.attempts !== 1)).toEqual([])
      expectArrivalsMatch(receiver.received, rows)
    }

    it('survives every backend being terminated under load', async () => {
      const load = startLoad()
      await sleep(800)
      expect(await cluster.terminateBackends()).toBeGreaterThan(0)
      await sleep(800)
      const { unanswered, codes } = await load.stop()
      expect(unanswered).toBe(0)
      expect(codes.get(0)).toBeGreaterThan(0)
      await expectAllWell()
    })

    it('survives an immediate stop and a start under load, and serves again soon after', async () => {
      const load = startLoad()
      await sleep(800)
      await cluster.stopImmediate()
      await sleep(1500)
      const health = await fetch(`${instances[0]!.url}/healthz`)
      expect(health.status).toBe(503)
      await cluster.start()
      const ms = await recovery(performance.now())
      figures.push(`immediate stop: serving ${ms.toFixed(0)} ms after the database accepted connections`)
      expect(ms).toBeLessThan(5000)
      await sleep(500)
      const { unanswered } = await load.stop()
      expect(unanswered).toBe(0)
      await expectAllWell()
    })

    it('survives a fast restart under load, and serves again soon after', async () => {
      const load = startLoad()
      await sleep(800)
      await cluster.restartFast()
      const ms = await recovery(performance.now())
      figures.push(`fast restart: serving ${ms.toFixed(0)} ms after the database accepted connections`)
      expect(ms).toBeLessThan(5000)
      await sleep(500)
      const { unanswered } = await load.stop()
      expect(unanswered).toBe(0)
      await expectAllWell()
    })

    it('survives an immediate stop with no traffic at all', async () => {
      await cluster.stopImmediate()
      await sleep(2000)
      for (const i of instances) expect((await fetch(`${i.url}/healthz`)).status).toBe(503)
      await cluster.start()
      await expectAllWell()
    })

    it('answers within the statement timeout while the database is frozen, and recovers on thaw', async () => {
      const load = startLoad()
      await sleep(800)
      await cluster.freeze()
      const frozenAt = performance.now()
      try {
        const [probe, healthMs] = await Promise.all([
          send(instances[0]!, PAIRS[0]!),
          (async () => {
            for (;;) {
              const res = await fetch(`${instances[1]!.url}/healthz`)
              if (res.status === 503) return performance.now() - frozenAt
              await sleep(100)
            }
          })(),
        ])
        figures.push(
          `frozen: sendmsg answered ${probe.r?.ErrorCode} in ${probe.ms.toFixed(0)} ms; /healthz 503 after ${healthMs.toFixed(0)} ms`,
        )
        expect(probe.r?.ErrorCode).toBe(91000)
        expect(probe.ms).toBeLessThan(Math.max(STATEMENT_TIMEOUT_MS, ACQUIRE_TIMEOUT_MS) + 1500)
        expect(healthMs).toBeLessThan(2500)
      } finally {
        cluster.thaw()
      }
      const ms = await recovery(performance.now())
      figures.push(`thawed: serving ${ms.toFixed(0)} ms after SIGCONT`)
      const { unanswered } = await load.stop()
      expect(unanswered).toBe(0)
      await expectAllWell()
    })
  },
)
