/**
 * Bounded disk (design.md decision 16): under sustained load, with the clock moving on, the outbox
 * and the attempt log hold what finished within `webhooks.retentionHours` and what is still
 * pending, never everything ever written; an app with no callback writes nothing at all.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { callbackDefaults, type Config } from '../../src/config/config.js'
import { ManualClock } from '../../src/domain/clock.js'
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import { eventually, Receiver } from '../helpers/receiver.js'
import {
  ADMIN,
  SDK_APP_ID,
  startTestServer,
  testApp,
  testConfig,
  type TestServer,
} from '../helpers/server.js'

const QUIET_APP = 1400000001
const ROUND_MINUTES = 10
const USERS = 8

let receiver: Receiver | undefined
let server: TestServer | undefined

afterEach(async () => {
  await server?.close()
  await receiver?.close()
  server = receiver = undefined
})

async function start(retentionHours: number, clock: ManualClock): Promise<TestServer> {
  receiver = await Receiver.start()
  const config: Config = testConfig([
    testApp({ callback: { ...callbackDefaults, url: receiver.url, retries: 0 } }),
    testApp({ sdkAppId: QUIET_APP, callback: undefined }),
  ])
  return startTestServer(
    { ...config, webhooks: { ...config.webhooks, retentionHours } },
    { clock, dispatcher: { pollIntervalMs: 20, sweep: { intervalMs: 20, batch: 25 } } },
  )
}

/** Rows of the outbox (by status) and of the attempt log, read straight from the store. */
async function sizes(s: TestServer): Promise<{ pending: number; finished: number; attempts: number }> {
  const sql = `SELECT (SELECT count(*) FROM outbox WHERE status = 'pending') AS pending,
    (SELECT count(*) FROM outbox WHERE status <> 'pending') AS finished,
    (SELECT count(*) FROM webhook_attempts) AS attempts`
  const pgSql = sql.replace(/count\(\*\)/g, 'count(*)::int')
  type Row = { pending: number; finished: number; attempts: number }
  if (s.receiptd.store.kind === 'sqlite') {
    return (s.receiptd.store as SqliteStore).database.prepare(sql).get() as Row
  }
  return (await s.sql<Row>(pgSql))[0]!
}

/** One round of load: every user reads every peer, on both apps; each read is one event on SDK_APP_ID. */
async function round(s: TestServer): Promise<void> {
  await Promise.all(
    [SDK_APP_ID, QUIET_APP].flatMap((sdkAppId) => {
      const app = s.receiptd.apps.find((a) => a.sdkAppId === sdkAppId)!
      return Array.from({ length: USERS }, async (_, i) => {
        const r = await s.call(
          'openim/admin_set_msg_read',
          { Report_Account: `u${i}`, Peer_Account: `u${(i + 1) % USERS}` },
          { sdkAppId, usersig: s.sig(ADMIN, app) },
        )
        expect(r.ErrorCode).toBe(0)
      })
    }),
  )
}

async function importUsers(s: TestServer): Promise<void> {
  for (const sdkAppId of [SDK_APP_ID, QUIET_APP]) {
    const app = s.receiptd.apps.find((a) => a.sdkAppId === sdkAppId)!
    const r = await s.call(
      'im_open_login_svc/multiaccount_import',
      { Accounts: Array.from({ length: USERS }, (_, i) => `u${i}`) },
      { sdkAppId, usersig: s.sig(ADMIN, app) },
    )
    expect(r.ErrorCode).toBe(0)
  }
}

describe('the delivery log under sustained load', () => {
  it('keeps what finished within retentionHours and deletes the rest, in batches beside the API', async () => {
    const clock = new ManualClock(Date.now())
    server = await start(1, clock)
    await importUsers(server)
    const rounds = 20
    // Rounds within the last hour stay, plus the one the sweep has not reached yet.
    const kept = (60 / ROUND_MINUTES + 1) * USERS
    const seen: number[] = []
    for (let r = 1; r <= rounds; r++) {
      await round(server)
      const s = server
      // Delivered before the clock moves on: a jump past the lease would send an event in flight again.
      await eventually(async () => (await sizes(s)).pending === 0)
      clock.advanceSeconds(ROUND_MINUTES * 60)
      await eventually(async () => (await sizes(s)).finished <= kept)
      const now = await sizes(server)
      expect(now.attempts).toBe(now.finished)
      seen.push(now.finished)
    }
    expect(receiver!.received).toHaveLength(rounds * USERS)
    // Bounded: the last rounds hold no more than the hour's worth, whatever was written before.
    expect(Math.max(...seen.slice(10))).toBeLessThanOrEqual(kept)
    expect(seen.at(-1)).toBeGreaterThanOrEqual((60 / ROUND_MINUTES - 1) * USERS)
    const log = await server.receiptd.store.transaction(QUIET_APP, (tx) =>
      tx.deliveries.list({ command: undefined, status: undefined, beforeId: undefined, limit: 10 }),
    )
    expect(log).toEqual([])
  })

  it('keeps nothing finished with retentionHours 0', async () => {
    const clock = new ManualClock(Date.now())
    server = await start(0, clock)
    await importUsers(server)
    for (let r = 0; r < 5; r++) await round(server)
    const s = server
    await eventually(async () => {
      const now = await sizes(s)
      return now.pending === 0 && now.finished === 0 && now.attempts === 0
    })
    expect(receiver!.received).toHaveLength(5 * USERS)
  })
})
