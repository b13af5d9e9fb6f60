/**
 * What the HTTP layer refuses still gets the envelope with a documented code (docs/errors.md
 * "Transport"), over a raw socket so nothing in a client library tidies the request up first.
 */
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN, SDK_APP_ID, startTestServer, type TestServer } from '../helpers/server.js'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.close())

interface RawAnswer {
  status: number
  headers: Record<string, string>
  body: string
}

/** Sends `raw` as is and reads until the server closes or a whole answer has arrived. */
function rawRequest(raw: string | Buffer): Promise<RawAnswer> {
  const url = new URL(server.url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.write(raw))
    let text = ''
    const done = () => {
      const [head = '', ...rest] = text.split('\r\n\r\n')
      const [statusLine = '', ...lines] = head.split('\r\n')
      const headers: Record<string, string> = {}
      for (const l of lines) {
        const i = l.indexOf(':')
        headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim()
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') })
    }
    socket.on('data', (c: Buffer) => {
      text += c.toString('latin1')
      const m = /content-length: (\d+)/i.exec(text)
      const headEnd = text.indexOf('\r\n\r\n')
      if (m && headEnd >= 0 && text.length - headEnd - 4 >= Number(m[1])) {
        socket.destroy()
        done()
      }
    })
    socket.on('end', done)
    socket.on('error', reject)
  })
}

const query = () =>
  `sdkappid=${SDK_APP_ID}&identifier=${ADMIN}&usersig=${server.sig()}&random=1&contenttype=json`
const envelopeOf = (a: RawAnswer) => JSON.parse(a.body) as { ActionStatus: string; ErrorCode: number }

describe('failures at the HTTP layer answer the envelope', () => {
  it('answers 414 with 60002 for a URL over the header limit', async () => {
    const a = await rawRequest(`POST /v4/openim/sendmsg?x=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`)
    expect(a.status).toBe(414)
    expect(envelopeOf(a)).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 60002 })
    expect(a.headers.connection).toBe('close')
  })

  it('answers 431 with 60008 for headers over the limit', async () => {
    const a = await rawRequest(
      `POST /v4/openim/sendmsg HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`,
    )
    expect(a.status).toBe(431)
    expect(envelopeOf(a).ErrorCode).toBe(60008)
  })

  it('answers 501 with 60002 for a method HTTP does not know', async () => {
    const a = await rawRequest('FOO /v4/openim/sendmsg HTTP/1.1\r\nHost: x\r\n\r\n')
    expect(a.status).toBe(501)
    expect(envelopeOf(a).ErrorCode).toBe(60002)
  })

  it('answers 400 with 60008 for a bare CR in a header', async () => {
    const a = await rawRequest('POST /v4/openim/sendmsg HTTP/1.1\r\nHost: x\rX-A: b\r\n\r\n')
    expect(a.status).toBe(400)
    expect(envelopeOf(a).ErrorCode).toBe(60008)
  })

  it('answers 400 with 60008 for a bad Content-Length', async () => {
    const a = await rawRequest('POST /v4/openim/sendmsg HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n')
    expect(a.status).toBe(400)
    expect(envelopeOf(a).ErrorCode).toBe(60008)
  })

  it.each(['TRACE', 'PROPFIND', 'DELETE', 'HEAD'])(
    'answers %s on /v4 with 60002 (non-POST)',
    async (method) => {
      const a = await rawRequest(
        `${method} /v4/openim/sendmsg HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      )
      expect(a.status).toBe(200)
      expect(a.headers.allow).toBe('POST, OPTIONS')
      if (method !== 'HEAD') expect(envelopeOf(a).ErrorCode).toBe(60002)
    },
  )

  it('accepts an absolute-form target as RFC 9112 §3.2.2 requires', async () => {
    const body = '{"UserID":"absolute"}'
    const a = await rawRequest(
      `POST http://example.test/v4/im_open_login_svc/account_import?${query()} HTTP/1.1\r\nHost: example.test\r\n` +
        `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    )
    expect(a.status).toBe(200)
    expect(envelopeOf(a)).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0 })
  })

  it('answers CONNECT with 405 and 60002, and an upgrade with 400 and 60002', async () => {
    const c = await rawRequest('CONNECT example.test:443 HTTP/1.1\r\nHost: example.test:443\r\n\r\n')
    expect(c.status).toBe(405)
    expect(envelopeOf(c).ErrorCode).toBe(60002)
    const u = await rawRequest(
      'GET /v4/openim/sendmsg HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n',
    )
    expect(u.status).toBe(400)
    expect(envelopeOf(u).ErrorCode).toBe(60002)
  })

  it('answers a method an /api path does not take with 405, Allow and 60002', async () => {
    const res = await fetch(`${server.url}/api/apps/${SDK_APP_ID}/webhooks/deliveries`, { method: 'DELETE' })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('GET')
    expect(((await res.json()) as { ErrorCode: number }).ErrorCode).toBe(60002)
  })

  it('answers 60008 to Expect: 100-continue with a body over the cap, without asking for it', async () => {
    const a = await rawRequest(
      `POST /v4/im_open_login_svc/account_import?${query()} HTTP/1.1\r\nHost: x\r\n` +
        `Content-Length: ${100 * 1024 * 1024}\r\nExpect: 100-continue\r\n\r\n`,
    )
    expect(a.status).toBe(200)
    expect(envelopeOf(a).ErrorCode).toBe(60008)
  })

  it('sends 100 Continue for a body within the cap and answers it', async () => {
    const body = '{"UserID":"continued"}'
    const url = new URL(server.url)
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () =>
        socket.write(
          `POST /v4/im_open_login_svc/account_import?${query()} HTTP/1.1\r\nHost: x\r\n` +
            `Content-Length: ${body.length}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`,
        ),
      )
      let text = ''
      socket.on('data', (c: Buffer) => {
        text += c.toString()
        if (text.startsWith('HTTP/1.1 100') && !text.includes('\r\n\r\n{')) socket.write(body)
      })
      socket.on('end', () => resolve(text))
      socket.on('error', reject)
    })
    expect(answer).toMatch(/^HTTP\/1.1 100 Continue/)
    expect(answer).toContain('"ErrorCode":0')
  })

  it('echoes a well-formed x-request-id and makes one otherwise', async () => {
    const res = await server.post('im_open_login_svc/account_import', { UserID: 'rid' })
    expect(res.headers.get('x-request-id')).toMatch(/^[\w.:-]+$/)
    const mine = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'trace-123' } })
    expect(mine.headers.get('x-request-id')).toBe('trace-123')
  })
})
