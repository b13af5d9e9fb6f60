/**
 * Logging never holds the server (issue 11 point 8): with stdout a pipe nobody reads, requests are
 * still answered, log lines past the bounded buffer are dropped and counted (and the count is
 * logged once the reader is back), and SIGTERM ends the process within server.shutdownTimeoutMs,
 * exiting 5 with a line saying what was still pending.
 */
import { describe, expect, it } from 'vitest'
import { Api } from 'tls-sig-api-v2'
import { spawnCli } from '../helpers/cli.js'
import { freePort, waitHealthy } from '../helpers/process.js'

const KEY = 'shutdown-test-key'
const SDK_APP_ID = 1400000000

/** Requests that are each logged once and limited by nothing: health checks, and a v4 call. */
async function load(url: string, requests: number): Promise<void> {
  const sig = new Api(SDK_APP_ID, KEY).genUserSig('administrator', 3600)
  const v4 = `${url}/v4/im_open_login_svc/account_check?sdkappid=${SDK_APP_ID}&identifier=administrator&usersig=${sig}`
  const r = await fetch(v4, { method: 'POST', body: '{"CheckItem":[{"UserID":"administrator"}]}' })
  expect(((await r.json()) as { ErrorCode: number }).ErrorCode).toBe(0)
  let next = 0
  const worker = async () => {
    while (next < requests) {
      next++
      expect((await fetch(`${url}/healthz`)).status).toBe(200)
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker))
}

async function start(env: Record<string, string>) {
  const port = await freePort()
  const child = spawnCli(
    ['serve', '--memory', '--port', String(port), '--secret-key', KEY, '--log-format', 'json'],
    { RECEIPTD_LOG_BUFFER: '65536', ...env },
  )
  let stderr = ''
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  const url = `http://127.0.0.1:${port}`
  await waitHealthy(url)
  return { child, url, exited, stderr: () => stderr }
}

describe('a log reader that stops reading', () => {
  it('drops lines past the buffer, counts them, and says so once it can write again', async () => {
    const s = await start({})
    // Nobody reads stdout: the pipe fills, then the 64 KiB buffer, then lines are dropped.
    await load(s.url, 2500)
    let out = ''
    const warned = new Promise<void>((resolve) =>
      s.child.stdout.on('data', (c: Buffer) => {
        out += c.toString()
        if (/log lines were dropped[^\n]*\n/.test(out)) resolve()
      }),
    )
    await warned
    const line = out.split('\n').find((l) => l.includes('log lines were dropped'))!
    const warning = JSON.parse(line) as { level: number; dropped: number }
    expect(warning.level).toBe(40)
    expect(warning.dropped).toBeGreaterThan(100)
    s.child.kill('SIGTERM')
    expect(await s.exited).toBe(0)
    expect(out).toContain('"msg":"receiptd stopped"')
  })

  it('ends on SIGTERM within server.shutdownTimeoutMs, exiting 5 and naming what was pending', async () => {
    const s = await start({ RECEIPTD_SHUTDOWN_TIMEOUT: '1500' })
    await load(s.url, 1500)
    const sent = Date.now()
    s.child.kill('SIGTERM')
    expect(await s.exited).toBe(5)
    expect(Date.now() - sent).toBeLessThan(1500 + 2000)
    expect(s.stderr()).toMatch(
      /^receiptd: shutdown did not finish within 1500 ms \(server\.shutdownTimeoutMs\); still pending: \d+ bytes of log output not yet written\n$/,
    )
  })
})
