/**
 * The console's live feed (issue 16 §3): `GET /api/apps/<id>/events` sends `change` after a commit
 * that may have changed the app, including, on PostgreSQL, a commit made by another instance on
 * the same database; it is refused like every /api call without a UserSig. By design the event
 * follows within 0.1 s (one instance) or 0.35 s (another instance); the bound here is loose on
 * purpose, as a shared machine can be slow: speed is for benchmarks, not for tests.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createLogger, startServer, type ReceiptdServer } from '../../../src/main.js'
import { TEST_STORE } from '../../helpers/stores.js'
import { SDK_APP_ID, startTestServer, type TestServer } from '../../helpers/server.js'
import { auth } from './api.js'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.close())

/** Reads server-sent events from `url` until `until` returns true for the events so far. */
async function listen(url: string) {
  const abort = new AbortController()
  const res = await fetch(url, { signal: abort.signal })
  expect(res.headers.get('content-type')).toContain('text/event-stream')
  const reader = res.body!.getReader()
  const seen: string[] = []
  let text = ''
  const pump = (async () => {
    const decoder = new TextDecoder()
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }))
      if (done) return
      text += decoder.decode(value, { stream: true })
      for (let i = text.indexOf('\n\n'); i >= 0; i = text.indexOf('\n\n')) {
        const event = /^event: (.*)$/m.exec(text.slice(0, i))?.[1]
        if (event !== undefined) seen.push(event)
        text = text.slice(i + 2)
      }
    }
  })()
  const waitFor = async (event: string, ms: number) => {
    const start = Date.now()
    const before = seen.filter((e) => e === event).length
    return async () => {
      while (seen.filter((e) => e === event).length <= before) {
        if (Date.now() - start > ms)
          throw new Error(`no ${event} event within ${ms} ms (saw ${seen.join(', ')})`)
        await new Promise((r) => setTimeout(r, 10))
      }
      return Date.now() - start
    }
  }
  return {
    seen,
    waitFor,
    close: async () => {
      abort.abort()
      await pump
    },
  }
}

const EVENT_WAIT_MS = 10_000

const eventsUrl = (s: { url: string }) => `${s.url}/api/apps/${SDK_APP_ID}/events?${auth(server)}`

it('sends change after a read report, and nothing is open without a UserSig', async () => {
  const refused = await fetch(
    `${server.url}/api/apps/${SDK_APP_ID}/events?sdkappid=${SDK_APP_ID}&identifier=administrator`,
  )
  expect(((await refused.json()) as { ErrorCode: number }).ErrorCode).toBe(70002)

  await server.call('im_open_login_svc/multiaccount_import', { Accounts: ['ev_a', 'ev_b'] })
  const feed = await listen(eventsUrl(server))
  await (
    await feed.waitFor('ready', 2000)
  )()
  const changed = await feed.waitFor('change', EVENT_WAIT_MS)
  await server.call('openim/admin_set_msg_read', { Report_Account: 'ev_a', Peer_Account: 'ev_b' })
  await changed()
  await feed.close()
})

it.runIf(TEST_STORE === 'postgres')(
  'sends change for a commit made by another instance on the same database',
  async () => {
    // A second instance on the same schema, as a load balancer would have beside the first.
    const other: ReceiptdServer = await startServer(server.config, { logger: createLogger('silent') })
    try {
      const feed = await listen(eventsUrl(server))
      await (
        await feed.waitFor('ready', 2000)
      )()
      const changed = await feed.waitFor('change', EVENT_WAIT_MS)
      const sig = server.sig()
      const res = await fetch(
        `${other.url}/v4/im_open_login_svc/account_import?sdkappid=${SDK_APP_ID}&identifier=administrator&usersig=${sig}&random=1&contenttype=json`,
        { method: 'POST', body: JSON.stringify({ UserID: 'from_other_instance' }) },
      )
      expect(((await res.json()) as { ErrorCode: number }).ErrorCode).toBe(0)
      await changed()
      await feed.close()
    } finally {
      await other.close()
    }
  },
)
