import { connect, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, testApp, testConfig, type TestServer } from '../helpers/server.js'

let server: TestServer
const sockets: Socket[] = []

beforeAll(async () => {
  server = await startTestServer(testConfig([testApp()], { requestTimeoutMs: 1500 }))
})
afterAll(async () => {
  for (const s of sockets) s.destroy()
  await server.close()
})

function open(): Promise<Socket> {
  const url = new URL(server.url)
  return new Promise((resolve, reject) => {
    const s = connect(Number(url.port), url.hostname, () => resolve(s))
    s.on('error', reject)
    // Read whatever comes, or the socket stays paused and never sees the server close it.
    s.resume()
    sockets.push(s)
  })
}

const closed = (s: Socket) =>
  new Promise<void>((resolve) => (s.destroyed ? resolve() : s.once('close', () => resolve())))

describe('slow and idle clients', () => {
  it('keeps answering others while 1,000 connections sit idle or half-sent', async () => {
    const idle = await Promise.all(Array.from({ length: 1000 }, () => open()))
    // Half of them start a request and never finish its headers.
    idle
      .slice(0, 500)
      .forEach((s) => s.write('POST /v4/im_open_login_svc/account_import HTTP/1.1\r\nHost: x\r\n'))
    for (let i = 0; i < 20; i++) {
      expect((await server.call('im_open_login_svc/account_import', { UserID: `busy${i}` })).ErrorCode).toBe(
        0,
      )
    }
  })

  it('closes a connection whose headers do not arrive within the request timeout', async () => {
    const s = await open()
    let answer = ''
    s.on('data', (c: Buffer) => (answer += c.toString()))
    s.write('POST /v4/im_open_login_svc/account_import HTTP/1.1\r\nHost: x\r\n')
    await closed(s)
    expect(answer).toMatch(/^HTTP\/1.1 408/)
  })

  it('closes a connection whose body does not arrive within the request timeout', async () => {
    const s = await open()
    let answer = ''
    s.on('data', (c: Buffer) => (answer += c.toString()))
    s.write(
      'POST /v4/im_open_login_svc/account_import HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"UserID":',
    )
    await closed(s)
    expect(answer).not.toContain('"ErrorCode":0')
  })
})
