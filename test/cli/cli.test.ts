import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { decodeUserSig, hasValidHmac } from '../../src/auth/tls-sig-api-v2.js'
import { runCli, spawnCli, waitForOutput } from '../helpers/cli.js'

const exec = promisify(execFile)
const tmp = () => mkdtempSync(join(tmpdir(), 'receiptd-cli-'))

describe('receiptd serve', () => {
  it('prints a banner whose curl line imports an account when pasted and whose console link shows it, and stops on SIGTERM', async () => {
    const child = spawnCli(['serve', '--memory', '--port', '0', '--log-level', 'warn'])
    try {
      const out = await waitForOutput(child, /\/console\/#.*\n/)
      expect(out).toMatch(/SDKAppID\s+1400000000/)
      expect(out).toMatch(/admin\s+administrator/)
      const curl = /^\s*(curl -s .*)$/m.exec(out)![1]!
      const { stdout } = await exec('bash', ['-c', curl])
      expect(JSON.parse(stdout)).toEqual({ ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 })
      // The console link signs in as the admin (in the fragment) and opens the curl line's account.
      const link = new URL(/^\s*(http:\/\/\S+\/console\/#\S+)$/m.exec(out)![1]!)
      expect((await fetch(link)).headers.get('content-type')).toContain('text/html')
      const sign = new URLSearchParams(link.hash.slice(1))
      expect(sign.get('to')).toBe('/accounts/alice')
      const alice = await fetch(
        `${link.origin}/api/apps/${sign.get('sdkappid')}/accounts/alice?sdkappid=${sign.get('sdkappid')}&identifier=${sign.get('identifier')}&usersig=${sign.get('usersig')}`,
      )
      expect(await alice.json()).toMatchObject({ ErrorCode: 0, Account: { UserID: 'alice' } })
    } finally {
      child.kill('SIGTERM')
    }
    const code = await new Promise((resolve) => child.on('close', resolve))
    expect(code).toBe(0)
  })

  it('keeps the development app in the data folder across restarts', async () => {
    const data = tmp()
    const first = spawnCli(['serve', '--data', data, '--port', '0', '--log-level', 'warn'])
    await waitForOutput(first, /curl -s/)
    first.kill('SIGTERM')
    await new Promise((resolve) => first.on('close', resolve))
    const saved = JSON.parse(readFileSync(join(data, 'dev-app.json'), 'utf8'))
    // A UserSig made now with the CLI is valid for the next start.
    const sig = await runCli(['usersig', 'administrator', '--data', data])
    expect(sig.code).toBe(0)
    const second = spawnCli(['serve', '--data', data, '--port', '0', '--log-level', 'warn'])
    try {
      const out = await waitForOutput(second, /curl -s/)
      const url = /listening on (http:\/\/\S+)/.exec(out)![1]!
      expect(JSON.parse(readFileSync(join(data, 'dev-app.json'), 'utf8'))).toEqual(saved)
      const res = await fetch(
        `${url}/v4/im_open_login_svc/account_check?sdkappid=${saved.sdkAppId}&identifier=administrator&usersig=${sig.stdout.trim()}`,
        { method: 'POST', body: '{"CheckItem":[{"UserID":"administrator"}]}' },
      )
      expect(await res.json()).toMatchObject({ ErrorCode: 0, ResultItem: [{ AccountStatus: 'Imported' }] })
    } finally {
      second.kill('SIGTERM')
    }
  })

  it('finishes an in-flight request after SIGTERM before exiting', async () => {
    const child = spawnCli(['serve', '--memory', '--port', '0', '--log-level', 'info'])
    const out = await waitForOutput(child, /curl -s .*\n/)
    const curl = /^\s*curl -s -X POST "([^"]+)"/m.exec(out)![1]!
    const url = new URL(curl)
    const body = '{"UserID":"inflight"}'
    const answer = new Promise<string>((resolve, reject) => {
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: url.pathname + url.search,
          headers: { 'content-length': body.length },
        },
        (res) => {
          let text = ''
          res.on('data', (c: Buffer) => (text += c.toString()))
          res.on('end', () => resolve(text))
        },
      )
      req.on('error', reject)
      req.write(body.slice(0, 5))
      // The rest of the body follows only once the server has begun shutting down.
      waitForOutput(child, /shutting down/).then(() => req.end(body.slice(5)), reject)
    })
    await new Promise((r) => setTimeout(r, 100))
    child.kill('SIGTERM')
    expect(JSON.parse(await answer)).toEqual({ ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 })
    expect(await new Promise((resolve) => child.on('close', resolve))).toBe(0)
  })

  it('exits with code 2 and names the field of a bad config', async () => {
    const dir = tmp()
    const path = join(dir, 'bad.yaml')
    writeFileSync(path, 'apps:\n  - sdkAppId: 1400000000\n    secretKey: ""\n')
    const r = await runCli(['serve', '--config', path, '--port', '0'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/apps\[0\]\.secretKey/)
    const env = await runCli(['serve', '--memory'], { RECEIPTD_PORT: 'http' })
    expect(env.code).toBe(2)
    expect(env.stderr).toMatch(/RECEIPTD_PORT/)
  })

  it('exits with code 3 and says why when PostgreSQL cannot be reached', async () => {
    const r = await runCli(['serve', '--port', '0', '--database', 'postgres://nobody@127.0.0.1:1/none'])
    expect(r.code).toBe(3)
    expect(r.stderr).toMatch(/receiptd: cannot connect to PostgreSQL/)
    const bad = await runCli(['serve', '--memory'], { DATABASE_URL: 'mysql://x' })
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/DATABASE_URL: expected a postgres:\/\//)
  })

  it('answers --help for each command', async () => {
    for (const args of [['--help'], ['serve', '--help'], ['usersig', '--help']]) {
      const r = await runCli(args)
      expect(r.code).toBe(0)
      expect(r.stdout).toMatch(/Usage: receiptd/)
    }
  })
})

describe('receiptd usersig', () => {
  it('signs with the configured app key', async () => {
    const dir = tmp()
    const path = join(dir, 'apps.json')
    writeFileSync(
      path,
      JSON.stringify({
        apps: [
          { sdkAppId: 1400000001, secretKey: 'sekrit' },
          { sdkAppId: 7, secretKey: 'other' },
        ],
      }),
    )
    const r = await runCli(['usersig', 'alice', '--config', path, '--app', '7', '--expire', '60'])
    expect(r.code).toBe(0)
    const decoded = decodeUserSig(r.stdout.trim())
    if (!decoded.ok) throw new Error('not a usersig')
    expect(decoded.doc).toMatchObject({ identifier: 'alice', sdkAppId: 7, expire: 60 })
    expect(hasValidHmac(decoded.doc, 'other')).toBe(true)
    expect((await runCli(['usersig', 'alice', '--config', path, '--app', '8'])).code).toBe(2)
    // The identifier of issue 11's forgery: refused before any config is read, nothing printed.
    const hostile = await runCli(['usersig', 'administrator\nTLS.sdkappid:7', '--config', path])
    expect(hostile).toMatchObject({ code: 2, stdout: '' })
    expect(hostile.stderr).toMatch(/control characters/)
  })
})
