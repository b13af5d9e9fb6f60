import { request as httpRequest } from 'node:http'
import { constants, deflateSync, inflateSync } from 'node:zlib'
import { Api } from 'tls-sig-api-v2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/domain/clock.js'
import {
  ADMIN,
  SAMPLE_KEY,
  SDK_APP_ID,
  startTestServer,
  testApp,
  testConfig,
  type TestServer,
} from '../helpers/server.js'

const IMPORT = 'im_open_login_svc/account_import'
const OTHER_APP = 1400000001
const OTHER_KEY = 'a'.repeat(64)

let server: TestServer
const clock = new ManualClock()

beforeAll(async () => {
  server = await startTestServer(
    testConfig([
      testApp({ admins: [ADMIN, 'ops'] }),
      testApp({
        sdkAppId: OTHER_APP,
        secretKey: OTHER_KEY,
        limits: { ...testApp().limits, ratePerSecond: 3 },
      }),
    ]),
    { clock },
  )
})
afterAll(() => server.close())

const officialSig = (identifier: string, opts: { app?: number; key?: string; expire?: number } = {}) =>
  new Api(opts.app ?? SDK_APP_ID, opts.key ?? SAMPLE_KEY).genUserSig(identifier, opts.expire ?? 86400)

const query = (parts: Record<string, string | undefined>) =>
  Object.entries(parts)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join('&')

describe('gateway codes, in the order of spec §1.6', () => {
  it('answers OK to a UserSig made by the official tls-sig-api-v2 package', async () => {
    const r = await server.call(IMPORT, { UserID: 'u1' }, { usersig: officialSig(ADMIN) })
    expect(r).toEqual({ ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 })
  })

  it('answers 60009 for an unknown command, service or path shape', async () => {
    for (const path of ['im_open_login_svc/no_such_command', 'no_such_service/account_import', 'openim']) {
      expect((await server.call(path, {})).ErrorCode).toBe(60009)
    }
  })

  it('answers 60009 before looking at the query', async () => {
    expect((await server.call('x/y', {}, { query: 'sdkappid=%zz' })).ErrorCode).toBe(60009)
  })

  it('answers 60002 for a malformed query string', async () => {
    const sig = officialSig(ADMIN)
    for (const q of [
      `sdkappid=${SDK_APP_ID}&identifier=%E0%A4%A&usersig=${sig}`,
      `sdkappid=${SDK_APP_ID}&sdkappid=${OTHER_APP}&identifier=${ADMIN}&usersig=${sig}`,
      query({ sdkappid: String(SDK_APP_ID), identifier: ADMIN, usersig: sig, random: 'abc' }),
      query({ sdkappid: String(SDK_APP_ID), identifier: ADMIN, usersig: sig, contenttype: 'xml' }),
    ]) {
      expect((await server.call(IMPORT, { UserID: 'u1' }, { query: q })).ErrorCode).toBe(60002)
    }
  })

  it('answers 60012 without sdkappid and 60006 for a bad or unknown one', async () => {
    const sig = officialSig(ADMIN)
    expect(
      (await server.call(IMPORT, {}, { query: query({ identifier: ADMIN, usersig: sig }) })).ErrorCode,
    ).toBe(60012)
    expect((await server.call(IMPORT, {}, { query: query({ sdkappid: '', usersig: sig }) })).ErrorCode).toBe(
      60012,
    )
    for (const id of ['abc', '-1', '1400000000.5', '99999999999', '1234']) {
      const q = query({ sdkappid: id, identifier: ADMIN, usersig: sig })
      expect((await server.call(IMPORT, {}, { query: q })).ErrorCode).toBe(60006)
    }
  })

  it('answers 70002 for an empty usersig and 70003 for one that does not decode', async () => {
    expect((await server.call(IMPORT, {}, { usersig: '' })).ErrorCode).toBe(70002)
    expect(
      (await server.call(IMPORT, {}, { query: query({ sdkappid: String(SDK_APP_ID), identifier: ADMIN }) }))
        .ErrorCode,
    ).toBe(70002)
    for (const bad of ['garbage', 'eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy', officialSig(ADMIN).slice(0, 40)]) {
      expect((await server.call(IMPORT, {}, { usersig: bad })).ErrorCode).toBe(70003)
    }
  })

  it('answers 70003 to the re-packed admin UserSig of issue 11, and to the UserSig it was made from', async () => {
    // An app backend signs whatever user id it is given; the official library signs this one.
    const hostile = `${ADMIN}\nTLS.sdkappid:${SDK_APP_ID}\nTLS.time:1\nTLS.expire:4000000000\nTLS.userbuf:AAAA`
    const signed = officialSig(hostile)
    const inner = JSON.parse(
      inflateSync(
        Buffer.from(signed.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '='), 'base64'),
      ).toString(),
    ) as Record<string, string | number>
    // The same HMAC input, split differently: an admin UserSig expiring in 2096.
    const forged = deflateSync(
      Buffer.from(
        JSON.stringify({
          'TLS.ver': '2.0',
          'TLS.identifier': ADMIN,
          'TLS.sdkappid': SDK_APP_ID,
          'TLS.time': 1,
          'TLS.expire': 4000000000,
          'TLS.userbuf': `AAAA\nTLS.sdkappid:${SDK_APP_ID}\nTLS.time:${inner['TLS.time']}\nTLS.expire:86400`,
          'TLS.sig': inner['TLS.sig'],
        }),
      ),
    )
      .toString('base64')
      .replace(/\+/g, '*')
      .replace(/\//g, '-')
      .replace(/=/g, '_')
    expect((await server.call(IMPORT, { UserID: 'forged' }, { usersig: forged })).ErrorCode).toBe(70003)
    const asHostile = await server.call(IMPORT, {}, { identifier: hostile, usersig: signed })
    expect(asHostile.ErrorCode).toBe(70003)
  })

  it('answers 70003 to another spelling of a valid UserSig', async () => {
    const sig = officialSig(ADMIN)
    const unpadded = sig.replace(/_+$/, '')
    expect((await server.call(IMPORT, { UserID: 'u3' }, { usersig: unpadded })).ErrorCode).toBe(0)
    for (const bad of [`${sig}_`, `${unpadded}___`, `${sig.slice(0, 10)}%0A${sig.slice(10)}`, `${sig}%20`]) {
      expect((await server.call(IMPORT, { UserID: 'u3' }, { usersig: bad })).ErrorCode, bad).toBe(70003)
    }
  })

  it("answers 70014 for another app's UserSig, 70013 for another identifier, 70009 for a wrong key", async () => {
    expect(
      (await server.call(IMPORT, {}, { usersig: officialSig(ADMIN, { app: OTHER_APP }) })).ErrorCode,
    ).toBe(70014)
    expect((await server.call(IMPORT, {}, { usersig: officialSig('someone') })).ErrorCode).toBe(70013)
    expect(
      (await server.call(IMPORT, {}, { usersig: officialSig(ADMIN, { key: OTHER_KEY }) })).ErrorCode,
    ).toBe(70009)
    // The other app's key, used for this app: the message Tencent gives (spec §1.3).
    const r = await server.call(IMPORT, {}, { usersig: officialSig(ADMIN, { key: OTHER_KEY }) })
    expect(r.ErrorInfo).toMatch(/generated by Secret Key from other SDKAppID/)
  })

  it('answers 70001 once now > time + expire, also for a UserSig verified before', async () => {
    const sig = officialSig(ADMIN, { expire: 60 })
    clock.set(Date.now())
    expect((await server.call(IMPORT, { UserID: 'u2' }, { usersig: sig })).ErrorCode).toBe(0)
    clock.advanceSeconds(120)
    expect((await server.call(IMPORT, { UserID: 'u2' }, { usersig: sig })).ErrorCode).toBe(70001)
    clock.set(Date.now())
  })

  it('answers 60010 for a valid UserSig of a user who is not an admin', async () => {
    expect((await server.call(IMPORT, { UserID: 'x' }, { identifier: 'alice' })).ErrorCode).toBe(60010)
    expect((await server.call(IMPORT, { UserID: 'x' }, { identifier: 'ops' })).ErrorCode).toBe(0)
  })

  it('answers 60007 past the rate limit of the app and command, and recovers', async () => {
    clock.set(Date.now())
    const sig = officialSig(ADMIN, { app: OTHER_APP, key: OTHER_KEY })
    const call = () => server.call(IMPORT, { UserID: 'r' }, { sdkAppId: OTHER_APP, usersig: sig })
    const codes = []
    for (let i = 0; i < 5; i++) codes.push((await call()).ErrorCode)
    expect(codes).toEqual([0, 0, 0, 60007, 60007])
    // Another command of the same app has its own bucket.
    const check = await server.call(
      'im_open_login_svc/account_check',
      { CheckItem: [{ UserID: 'r' }] },
      {
        sdkAppId: OTHER_APP,
        usersig: sig,
      },
    )
    expect(check.ErrorCode).toBe(0)
    clock.advanceSeconds(1)
    expect((await call()).ErrorCode).toBe(0)
  })

  it('checks the UserSig before the body', async () => {
    expect((await server.call(IMPORT, undefined, { usersig: '', rawBody: '{' })).ErrorCode).toBe(70002)
  })
})

describe('request bodies', () => {
  it.each([
    ['invalid JSON', '{"UserID":'],
    ['empty body', ''],
    ['a JSON array', '[{"UserID":"a"}]'],
    ['a JSON string', '"a"'],
    ['null', 'null'],
    ['deep nesting', '{"a":' + '['.repeat(5000) + ']'.repeat(5000) + '}'],
  ])('answers 70402 (the accounts parse code) for %s', async (_n, raw) => {
    const r = await server.call(IMPORT, undefined, { rawBody: raw })
    expect(r.ActionStatus).toBe('FAIL')
    expect(r.ErrorCode).toBe(70402)
  })

  it('answers 70402 for bytes that are not UTF-8', async () => {
    const raw = Buffer.concat([
      Buffer.from('{"UserID":"'),
      Buffer.from([0xff, 0xfe, 0xc3]),
      Buffer.from('"}'),
    ])
    expect((await server.call(IMPORT, undefined, { rawBody: raw })).ErrorCode).toBe(70402)
  })

  it('parses JSON whatever the Content-Type, and with none', async () => {
    for (const contentType of [
      null,
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/octet-stream',
    ]) {
      expect((await server.call(IMPORT, { UserID: 'ct' }, { contentType })).ErrorCode).toBe(0)
    }
  })

  it('refuses a body over the cap with 60008 without reading it all, and keeps answering', async () => {
    const small = await startTestServer(testConfig([testApp()], { bodyLimitBytes: 4096 }))
    try {
      const r = await small.call(IMPORT, undefined, {
        rawBody: JSON.stringify({ UserID: 'x', Nick: 'n'.repeat(10_000) }),
      })
      expect(r.ErrorCode).toBe(60008)
      // Announce 100 MB, send 64 KB: the answer comes without the rest.
      const url = new URL(small.url)
      const answer = await new Promise<string>((resolve, reject) => {
        const req = httpRequest(
          {
            host: url.hostname,
            port: url.port,
            method: 'POST',
            path: `/v4/${IMPORT}?sdkappid=${SDK_APP_ID}&identifier=${ADMIN}&usersig=${small.sig()}`,
            headers: { 'content-length': String(100 * 1024 * 1024) },
          },
          (res) => {
            let text = ''
            res.on('data', (c: Buffer) => (text += c.toString()))
            res.on('end', () => resolve(text))
          },
        )
        req.on('error', reject)
        req.write(Buffer.alloc(65536, 0x20))
      })
      expect(JSON.parse(answer).ErrorCode).toBe(60008)
      expect((await small.call(IMPORT, { UserID: 'after' })).ErrorCode).toBe(0)
    } finally {
      await small.close()
    }
  })

  it('survives a huge string in a field', async () => {
    const r = await server.call(IMPORT, { UserID: 'x'.repeat(500_000) })
    expect(r.ErrorCode).toBe(70402)
    expect((await server.call(IMPORT, { UserID: 'still-here' })).ErrorCode).toBe(0)
  })

  it('treats __proto__ and constructor keys as plain data', async () => {
    const raw = '{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}},"UserID":"proto"}'
    expect((await server.call(IMPORT, undefined, { rawBody: raw })).ErrorCode).toBe(0)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('HTTP surface', () => {
  it("sends Tencent's CORS headers and a request id", async () => {
    const res = await server.post(IMPORT, { UserID: 'cors' })
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(res.headers.get('access-control-allow-headers')).toBe('X-Requested-With')
    expect(res.headers.get('access-control-allow-methods')).toBe('POST')
    expect(res.headers.get('x-request-id')).toBeTruthy()
  })

  it('answers a preflight with 204 and the CORS headers', async () => {
    const res = await fetch(`${server.url}/v4/${IMPORT}`, { method: 'OPTIONS' })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-methods')).toBe('POST')
  })

  it('answers other methods on /v4 with an envelope (60002)', async () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const res = await fetch(`${server.url}/v4/${IMPORT}`, { method })
      expect(res.status).toBe(200)
      expect(((await res.json()) as { ErrorCode: number }).ErrorCode).toBe(60002)
    }
  })

  it('answers unknown paths with 404 and an envelope (60009)', async () => {
    const res = await fetch(`${server.url}/nothing/here`, { method: 'POST', body: '{}' })
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 60009 })
  })

  it('reports health', async () => {
    const res = await fetch(`${server.url}/healthz`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok', store: 'sqlite' })
  })

  it('accepts a Go-style usersig (no compression, no padding) over HTTP', async () => {
    const now = Math.floor(Date.now() / 1000)
    const sig = new Api(SDK_APP_ID, SAMPLE_KEY).genUserSig(ADMIN, 86400)
    const doc = JSON.parse(
      (await import('node:zlib'))
        .inflateSync(Buffer.from(sig.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '='), 'base64'))
        .toString(),
    )
    expect(doc['TLS.time']).toBeGreaterThanOrEqual(now - 5)
    const go = deflateSync(Buffer.from(JSON.stringify(doc)), { level: constants.Z_NO_COMPRESSION })
      .toString('base64')
      .replace(/\+/g, '*')
      .replace(/\//g, '-')
      .replace(/=+$/, '')
    expect((await server.call(IMPORT, { UserID: 'go' }, { usersig: go })).ErrorCode).toBe(0)
  })
})
