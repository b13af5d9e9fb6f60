/** `ClientIP` (spec §7.1): events written during a v4 request carry the caller's address. */
import { Api } from 'tls-sig-api-v2'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { command } from '../../src/api/command.js'
import { systemClock } from '../../src/domain/clock.js'
import { createV4Handler } from '../../src/gateway/handler.js'
import { LocalRateLimiter } from '../../src/gateway/rate-limit.js'
import { clientIp } from '../../src/gateway/server.js'
import { UserSigVerifier } from '../../src/gateway/usersig.js'
import { createLogger } from '../../src/main.js'
import { BeforeSendClient } from '../../src/webhooks/before-send.js'
import { CallbackHttp } from '../../src/webhooks/http-client.js'
import { sampleEvent } from '../helpers/events.js'
import { ADMIN, SAMPLE_KEY, SDK_APP_ID, testApp } from '../helpers/server.js'
import { openTestStore, TEST_STORE, type TestStore } from '../helpers/stores.js'

let t: TestStore
const http = new CallbackHttp({ connections: 1 })
beforeAll(async () => {
  t = await openTestStore(TEST_STORE)
})
afterAll(async () => {
  await t.close()
  await http.close()
})

/** A command that records one event, as the message commands do. */
const recordEvent = command({
  service: 'openim',
  name: 'record_event',
  perSecond: 0,
  request: {},
  async run(_req, ctx) {
    await ctx.transaction((tx) => tx.outbox.enqueue(sampleEvent('C2C.CallbackAfterMsgReport', 'k')))
    return {}
  },
})

it('stamps events with the address of the REST caller, IPv4-mapped addresses made plain', async () => {
  const handle = createV4Handler({
    apps: [testApp()],
    store: t.store,
    clock: systemClock,
    rateLimiter: new LocalRateLimiter(),
    verifier: new UserSigVerifier(),
    beforeSend: new BeforeSendClient({ http, clock: systemClock }),
    commands: new Map([['openim/record_event', recordEvent]]),
  })
  const sig = new Api(SDK_APP_ID, SAMPLE_KEY).genUserSig(ADMIN, 3600)
  const out = await handle({
    path: '/v4/openim/record_event',
    query: `sdkappid=${SDK_APP_ID}&identifier=${ADMIN}&usersig=${sig}`,
    body: Buffer.from('{}'),
    log: createLogger('silent'),
    clientIp: clientIp('::ffff:203.0.113.9'),
  })
  expect(out.envelope.ErrorCode).toBe(0)
  const claimed = await t.store.deliveryQueue.claim({
    owner: 'test',
    nowMs: Date.now(),
    leaseMs: 1000,
    limit: 10,
    wanted: () => true,
  })
  expect(claimed.map((e) => [e.clientIp, e.optPlatform])).toEqual([['203.0.113.9', 'RESTAPI']])
  expect(clientIp('::1')).toBe('::1')
})
