/**
 * receiptd's own /api: the webhook delivery log and its retry, signed like /v4 (spec §1.6 codes),
 * answered in the v4 envelope.
 */
import { Api } from 'tls-sig-api-v2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callbackDefaults } from '../../src/config/config.js'
import { enqueue, reportEvents, sampleEvent } from '../helpers/events.js'
import { eventually, OK_ANSWER, Receiver } from '../helpers/receiver.js'
import {
  ADMIN,
  SAMPLE_KEY,
  SDK_APP_ID,
  startTestServer,
  testApp,
  testConfig,
  type TestServer,
} from '../helpers/server.js'

const OTHER_APP = 1400000001
let receiver: Receiver
let server: TestServer
let fail = true

beforeAll(async () => {
  receiver = await Receiver.start()
  receiver.answer = (r) =>
    fail && r.body.includes('"bad"') ? { status: 503 } : { status: 200, body: OK_ANSWER }
  const callback = { ...callbackDefaults, url: receiver.url, retries: 1, retryBackoffMs: 5 }
  server = await startTestServer(
    testConfig([testApp({ callback, admins: [ADMIN, 'ops'] }), testApp({ sdkAppId: OTHER_APP, callback })]),
    { dispatcher: { pollIntervalMs: 20 } },
  )
  await enqueue(server, SDK_APP_ID, [
    ...reportEvents('good', 3),
    sampleEvent('C2C.CallbackAfterMsgReport', 'bad', { Report_Account: 'bad' }),
    sampleEvent('Group.CallbackAfterReadReceipt', 'group'),
  ])
  await enqueue(server, OTHER_APP, reportEvents('elsewhere', 1))
  await eventually(async () => (await list('status=pending')).Deliveries.length === 0)
})
afterAll(async () => {
  await server.close()
  await receiver.close()
})

interface Page {
  ActionStatus: string
  ErrorCode: number
  ErrorInfo: string
  Deliveries: {
    Id: number
    Status: string
    CallbackCommand: string
    Body: { Report_Account?: string }
    Attempts: { HttpStatus: number | null; Error: string | null }[]
  }[]
  Cursor: string
  IsFinish: number
}

const sig = (id = ADMIN, app = SDK_APP_ID) => new Api(app, SAMPLE_KEY).genUserSig(id, 3600)
const auth = (app = SDK_APP_ID, id = ADMIN) => `sdkappid=${app}&identifier=${id}&usersig=${sig(id, app)}`

async function list(filters = '', app = SDK_APP_ID, query = auth(app)): Promise<Page> {
  const res = await fetch(`${server.url}/api/apps/${app}/webhooks/deliveries?${query}&${filters}`)
  expect(res.status).toBe(200)
  return (await res.json()) as Page
}

async function retry(
  id: number | string,
  query = auth(),
): Promise<Page & { Delivery: Page['Deliveries'][number] }> {
  const res = await fetch(`${server.url}/api/apps/${SDK_APP_ID}/webhooks/deliveries/${id}/retry?${query}`, {
    method: 'POST',
  })
  return (await res.json()) as Page & { Delivery: Page['Deliveries'][number] }
}

describe('GET /api/apps/<sdkAppId>/webhooks/deliveries', () => {
  it("lists the app's deliveries newest first, with every attempt", async () => {
    const page = await list()
    expect(page).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '', IsFinish: 1, Cursor: '0' })
    expect(page.Deliveries.map((d) => d.Status)).toEqual([
      'delivered',
      'failed',
      'delivered',
      'delivered',
      'delivered',
    ])
    const bad = page.Deliveries[1]!
    expect(bad.Body.Report_Account).toBe('bad')
    expect(bad.Attempts).toEqual([
      expect.objectContaining({ HttpStatus: 503, Error: 'HTTP status 503' }),
      expect.objectContaining({ HttpStatus: 503, Error: 'HTTP status 503' }),
    ])
  })

  it('filters by command and status', async () => {
    expect((await list('status=failed')).Deliveries.map((d) => d.Body.Report_Account)).toEqual(['bad'])
    expect((await list('command=Group.CallbackAfterReadReceipt')).Deliveries).toHaveLength(1)
    expect((await list('command=C2C.CallbackAfterMsgReport&status=delivered')).Deliveries).toHaveLength(3)
  })

  it('pages with limit and cursor', async () => {
    const first = await list('limit=2')
    expect(first.Deliveries).toHaveLength(2)
    expect(first.IsFinish).toBe(0)
    const second = await list(`limit=2&cursor=${first.Cursor}`)
    const third = await list(`limit=2&cursor=${second.Cursor}`)
    expect(third).toMatchObject({ IsFinish: 1, Cursor: '0' })
    const ids = [...first.Deliveries, ...second.Deliveries, ...third.Deliveries].map((d) => d.Id)
    expect(ids).toEqual((await list()).Deliveries.map((d) => d.Id))
  })

  it("never shows another app's deliveries", async () => {
    const other = await list('', OTHER_APP)
    expect(other.Deliveries.map((d) => d.Body.Report_Account)).toEqual(['elsewhere'])
  })

  it('answers 60002 for a bad filter', async () => {
    for (const f of ['status=lost', 'command=C2C.Nope', 'limit=0', 'limit=101', 'cursor=x']) {
      expect((await list(f)).ErrorCode).toBe(60002)
    }
  })

  it('checks the caller as /v4 does: 60012, 60006, 70002, 70009, 60010', async () => {
    expect((await list('', SDK_APP_ID, `identifier=${ADMIN}&usersig=${sig()}`)).ErrorCode).toBe(60012)
    expect((await list('', 1234, auth(1234))).ErrorCode).toBe(60006)
    // The query's app must be the path's app.
    expect((await list('', SDK_APP_ID, auth(OTHER_APP))).ErrorCode).toBe(60006)
    expect(
      (await list('', SDK_APP_ID, `sdkappid=${SDK_APP_ID}&identifier=${ADMIN}&usersig=`)).ErrorCode,
    ).toBe(70002)
    const foreign = new Api(SDK_APP_ID, 'b'.repeat(64)).genUserSig(ADMIN, 3600)
    expect(
      (await list('', SDK_APP_ID, `sdkappid=${SDK_APP_ID}&identifier=${ADMIN}&usersig=${foreign}`)).ErrorCode,
    ).toBe(70009)
    expect((await list('', SDK_APP_ID, auth(SDK_APP_ID, 'not-admin'))).ErrorCode).toBe(60010)
    expect((await list('', SDK_APP_ID, auth(SDK_APP_ID, 'ops'))).ErrorCode).toBe(0)
  })
})

describe('POST /api/apps/<sdkAppId>/webhooks/deliveries/<id>/retry', () => {
  it('sends a failed delivery again with a fresh round of retries', async () => {
    const bad = (await list('status=failed')).Deliveries[0]!
    fail = false
    const before = receiver.received.length
    const answer = await retry(bad.Id)
    expect(answer).toMatchObject({
      ActionStatus: 'OK',
      ErrorCode: 0,
      Delivery: { Id: bad.Id, Status: 'pending' },
    })
    await receiver.waitFor((r) => r.length > before)
    await eventually(async () => (await list('status=failed')).Deliveries.length === 0)
    const after = (await list()).Deliveries.find((d) => d.Id === bad.Id)!
    expect(after.Status).toBe('delivered')
    expect(after.Attempts.map((a) => a.HttpStatus)).toEqual([503, 503, 200])
  })

  it("answers 60009 for an unknown delivery or another app's", async () => {
    expect((await retry(999999)).ErrorCode).toBe(60009)
    expect((await retry('abc')).ErrorCode).toBe(60009)
    const elsewhere = (await list('', OTHER_APP)).Deliveries[0]!
    expect((await retry(elsewhere.Id)).ErrorCode).toBe(60009)
  })

  it('needs the admin UserSig', async () => {
    expect((await retry(1, auth(SDK_APP_ID, 'not-admin'))).ErrorCode).toBe(60010)
  })
})
