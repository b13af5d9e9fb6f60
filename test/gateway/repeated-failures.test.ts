/**
 * One cause failing every request (a full disk, a lost database) is logged once with its stack and
 * then counted, not logged per request (issue 11 point 5); each request still gets its service's
 * internal-error code.
 */
import { Api } from 'tls-sig-api-v2'
import { afterAll, expect, it } from 'vitest'
import { command } from '../../src/api/command.js'
import { systemClock } from '../../src/domain/clock.js'
import { createV4Handler } from '../../src/gateway/handler.js'
import { LocalRateLimiter } from '../../src/gateway/rate-limit.js'
import { UserSigVerifier } from '../../src/gateway/usersig.js'
import type { Log } from '../../src/log.js'
import { RepeatLog } from '../../src/logging/repeat-log.js'
import type { Store } from '../../src/store/store.js'
import { BeforeSendClient } from '../../src/webhooks/before-send.js'
import { CallbackHttp } from '../../src/webhooks/http-client.js'
import { ADMIN, SAMPLE_KEY, SDK_APP_ID, testApp } from '../helpers/server.js'

const http = new CallbackHttp({ connections: 1 })
afterAll(() => http.close())

/** A store whose every write fails the way SQLite does when the disk is full. */
const fullDisk = {
  transaction: () =>
    Promise.reject(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })),
} as unknown as Store

const write = command({
  service: 'openim',
  name: 'write_something',
  perSecond: 0,
  request: {},
  async run(_req, ctx) {
    await ctx.transaction(async () => undefined)
    return {}
  },
})

function recordingLog(lines: { level: string; fields: unknown; msg: string }[]): Log {
  const at =
    (level: string) =>
    (fields: unknown, msg = '') =>
      lines.push({ level, fields, msg })
  const log = { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') }
  return { ...log, child: () => log } as unknown as Log
}

it('logs a failure that repeats on every request once, then once per interval with a count', async () => {
  const lines: { level: string; fields: unknown; msg: string }[] = []
  const log = recordingLog(lines)
  const repeats = new RepeatLog(log, 60_000)
  const handle = createV4Handler({
    apps: [testApp()],
    store: fullDisk,
    clock: systemClock,
    rateLimiter: new LocalRateLimiter(),
    verifier: new UserSigVerifier(),
    beforeSend: new BeforeSendClient({ http, clock: systemClock }),
    commands: new Map([['openim/write_something', write]]),
    repeats,
  })
  const sig = new Api(SDK_APP_ID, SAMPLE_KEY).genUserSig(ADMIN, 3600)
  const codes: number[] = []
  for (let i = 0; i < 50; i++) {
    const out = await handle({
      path: '/v4/openim/write_something',
      query: `sdkappid=${SDK_APP_ID}&identifier=${ADMIN}&usersig=${sig}`,
      body: Buffer.from('{}'),
      log,
    })
    codes.push(out.envelope.ErrorCode)
  }
  expect(new Set(codes)).toEqual(new Set([91000]))
  expect(lines.filter((l) => l.level === 'error')).toHaveLength(1)
  repeats.flush()
  const summary = lines.slice(1)
  expect(summary).toHaveLength(1)
  expect(JSON.stringify(summary[0])).toContain('49')
})
