/**
 * `/metrics` after traffic: request counts by command and code moved by exactly what was sent,
 * latency histograms per command, store batches, outbox backlog per app, webhook deliveries by
 * outcome, and (on PostgreSQL) the pool. Also the "not implemented" answers of design.md decision 17.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { commands } from '../../src/api/commands.js'
import { notImplemented } from '../../src/api/not-implemented.js'
import { callbackDefaults } from '../../src/config/config.js'
import { Receiver } from '../helpers/receiver.js'
import { SDK_APP_ID, startTestServer, testApp, testConfig, type TestServer } from '../helpers/server.js'
import { TEST_STORE } from '../helpers/stores.js'

let server: TestServer
let receiver: Receiver

beforeAll(async () => {
  receiver = await Receiver.start()
  server = await startTestServer(
    testConfig([testApp({ callback: { ...callbackDefaults, url: receiver.url, retries: 0 } })]),
  )
})
afterAll(async () => {
  await server.close()
  await receiver.down()
})

/** `name{labels} value` lines of the exposition, as a map. */
async function scrape(): Promise<Map<string, number>> {
  const res = await fetch(`${server.url}/metrics`)
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
  const out = new Map<string, number>()
  for (const line of (await res.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const i = line.lastIndexOf(' ')
    out.set(line.slice(0, i), Number(line.slice(i + 1)))
  }
  return out
}

const value = (m: Map<string, number>, key: string) => m.get(key) ?? 0

describe('/metrics', () => {
  it('counts requests by command and code, and their latency, after traffic', async () => {
    const before = await scrape()
    for (let i = 0; i < 3; i++) {
      expect((await server.call('im_open_login_svc/account_import', { UserID: `m${i}` })).ErrorCode).toBe(0)
    }
    expect((await server.call('im_open_login_svc/account_import', {}, { usersig: 'bad' })).ErrorCode).toBe(
      70003,
    )
    expect((await server.call('no_such/thing', {})).ErrorCode).toBe(60009)
    const after = await scrape()
    const ok = 'receiptd_v4_requests_total{command="im_open_login_svc/account_import",code="0"}'
    expect(value(after, ok) - value(before, ok)).toBe(3)
    const bad = 'receiptd_v4_requests_total{command="im_open_login_svc/account_import",code="70003"}'
    expect(value(after, bad) - value(before, bad)).toBe(1)
    const unknown = 'receiptd_v4_requests_total{command="unknown",code="60009"}'
    expect(value(after, unknown) - value(before, unknown)).toBe(1)
    const count = 'receiptd_v4_request_duration_seconds_count{command="im_open_login_svc/account_import"}'
    expect(value(after, count) - value(before, count)).toBe(4)
    const http = 'receiptd_http_requests_total{route="/v4",status="200"}'
    expect(value(after, http) - value(before, http)).toBe(5)
    expect(value(after, 'receiptd_store_batch_size_count')).toBeGreaterThan(
      value(before, 'receiptd_store_batch_size_count'),
    )
    expect(value(after, 'receiptd_store_commit_seconds_count')).toBeGreaterThan(0)
  })

  it('shows the outbox backlog per app and deliveries by outcome', async () => {
    receiver.answer = () => 'hang'
    await server.call('im_open_login_svc/multiaccount_import', { Accounts: ['w1', 'w2'] })
    await server.call('openim/sendmsg', {
      From_Account: 'w1',
      To_Account: 'w2',
      MsgRandom: 1,
      MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } }],
    })
    const waiting = await scrape()
    expect(value(waiting, `receiptd_outbox_pending{app="${SDK_APP_ID}"}`)).toBeGreaterThanOrEqual(1)
    expect(
      value(waiting, `receiptd_outbox_oldest_pending_age_seconds{app="${SDK_APP_ID}"}`),
    ).toBeGreaterThanOrEqual(0)
    receiver.answer = () => ({ status: 500 })
    let after = await scrape()
    for (let i = 0; i < 100 && value(after, `receiptd_outbox_pending{app="${SDK_APP_ID}"}`) > 0; i++) {
      await new Promise((r) => setTimeout(r, 100))
      after = await scrape()
    }
    expect(value(after, `receiptd_outbox_pending{app="${SDK_APP_ID}"}`)).toBe(0)
    const failed = 'receiptd_webhook_deliveries_total{command="C2C.CallbackAfterSendMsg",outcome="failed"}'
    expect(value(after, failed)).toBeGreaterThanOrEqual(1)
    expect(value(after, 'receiptd_webhook_delivery_seconds_count{outcome="failed"}')).toBeGreaterThanOrEqual(
      1,
    )
  })

  it.runIf(TEST_STORE === 'postgres')('shows the PostgreSQL pool', async () => {
    const m = await scrape()
    expect(m.has('receiptd_postgres_pool_connections{state="total"}')).toBe(true)
    expect(m.has('receiptd_postgres_pool_connections{state="waiting"}')).toBe(true)
  })
})

describe('commands receiptd does not implement', () => {
  it('are never in the command table', () => {
    for (const key of notImplemented) expect(commands.has(key)).toBe(false)
  })

  it('answer 60009 saying so, while a misspelt path keeps the plain 60009', async () => {
    const r = await server.call('group_open_http_svc/send_broadcast_msg', { GroupIdList: ['g'] })
    expect(r).toEqual({
      ActionStatus: 'FAIL',
      ErrorCode: 60009,
      ErrorInfo: 'receiptd does not implement group_open_http_svc/send_broadcast_msg yet',
    })
    expect((await server.call('sns/friend_get', {})).ErrorInfo).toMatch(/does not implement sns\/friend_get/)
    const typo = await server.call('group_open_http_svc/send_broadcast_msgs', {})
    expect(typo.ErrorCode).toBe(60009)
    expect(typo.ErrorInfo).toMatch(/^unknown API/)
    const m = await scrape()
    expect(
      m.get('receiptd_v4_requests_total{command="group_open_http_svc/send_broadcast_msg",code="60009"}'),
    ).toBe(1)
  })
})
