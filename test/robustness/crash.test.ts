/**
 * Durability under a killed process: load running, `kill -9`, restart on the same data folder;
 * every write that was answered OK must be there (README "Durability", default mode).
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { signUserSig } from '../../src/auth/tls-sig-api-v2.js'
import { spawnCli } from '../helpers/cli.js'
import { freePort, waitHealthy } from '../helpers/process.js'
import { dropSchema, freshSchema, TEST_STORE, testDatabaseUrl } from '../helpers/stores.js'

const APP = 1400000000
const KEY = 'crash-test-key'
const sig = signUserSig({
  sdkAppId: APP,
  secretKey: KEY,
  identifier: 'administrator',
  expireSeconds: 3600,
  nowSeconds: Math.floor(Date.now() / 1000),
})

async function start(dataDir: string, config: string, port: number) {
  const child = spawnCli([
    'serve',
    '--data',
    dataDir,
    '--config',
    config,
    '--port',
    String(port),
    '--log-level',
    'warn',
  ])
  child.stdout.resume()
  child.stderr.resume()
  const url = `http://127.0.0.1:${port}`
  await waitHealthy(url)
  return { child, url }
}

async function v4(url: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const q = `sdkappid=${APP}&identifier=administrator&usersig=${sig}&random=1&contenttype=json`
  const res = await fetch(`${url}/v4/${path}?${q}`, { method: 'POST', body: JSON.stringify(body) })
  return (await res.json()) as Record<string, unknown>
}

describe.each(['default', 'strict'])('kill -9 with durability %s', (durability) => {
  it('loses no write that was answered OK', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'receiptd-crash-'))
    const config = join(dir, 'apps.json')
    const apps = [{ sdkAppId: APP, secretKey: KEY, limits: { ratePerSecond: 0 } }]
    const schema = freshSchema()
    const store = TEST_STORE === 'postgres' ? { durability, postgres: { schema } } : { durability }
    writeFileSync(config, JSON.stringify({ apps, store }))
    const port = await freePort()
    const first = await start(join(dir, 'data'), config, port)
    const setup = await v4(first.url, 'im_open_login_svc/multiaccount_import', { Accounts: ['a', 'b'] })
    expect(setup.ErrorCode).toBe(0)

    const imported: string[] = []
    const sent: string[] = []
    let stop = false
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const r = await v4(first.url, 'im_open_login_svc/account_import', { UserID: `w${w}-${i}` })
          if (r.ErrorCode === 0) imported.push(`w${w}-${i}`)
          const m = await v4(first.url, 'openim/sendmsg', {
            From_Account: 'a',
            To_Account: 'b',
            MsgRandom: w * 1_000_000 + i,
            MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `m${w}-${i}` } }],
          })
          if (m.ErrorCode === 0) sent.push(m.MsgKey as string)
        } catch {
          return // the server is gone
        }
      }
    }
    const workers = Array.from({ length: 16 }, (_, w) => worker(w))
    while (imported.length < 300) await new Promise((r) => setTimeout(r, 20))
    const firstClosed = new Promise((r) => first.child.once('close', r))
    first.child.kill('SIGKILL')
    stop = true
    await Promise.all(workers)
    await firstClosed

    const second = await start(join(dir, 'data'), config, port)
    try {
      for (let i = 0; i < imported.length; i += 100) {
        const CheckItem = imported.slice(i, i + 100).map((UserID) => ({ UserID }))
        const r = await v4(second.url, 'im_open_login_svc/account_check', { CheckItem })
        const statuses = (r.ResultItem as { AccountStatus: string }[]).map((x) => x.AccountStatus)
        expect(statuses.every((s) => s === 'Imported')).toBe(true)
      }
      const unread = await v4(second.url, 'openim/get_c2c_unread_msg_num', {
        To_Account: 'b',
        Peer_Account: ['a'],
      })
      const list = unread.C2CUnreadMsgNumList as { C2CUnreadMsgNum: number }[]
      expect(list[0]!.C2CUnreadMsgNum).toBeGreaterThanOrEqual(sent.length)
      expect(sent.length).toBeGreaterThan(0)
    } finally {
      const secondClosed = new Promise((r) => second.child.once('close', r))
      second.child.kill('SIGTERM')
      await secondClosed
      if (TEST_STORE === 'postgres') await dropSchema(testDatabaseUrl(), schema)
    }
  })
})
