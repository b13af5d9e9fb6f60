import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signUserSig } from '../../../src/auth/tls-sig-api-v2.js'
import type { Config } from '../../../src/config/config.js'
import { ManualClock } from '../../../src/domain/clock.js'
import {
  ADMIN,
  SAMPLE_KEY,
  SDK_APP_ID,
  startTestServer,
  testApp,
  testConfig,
  type TestServer,
} from '../../helpers/server.js'
import { TEST_STORE } from '../../helpers/stores.js'

const T = Math.floor(Date.now() / 1000)
const ADMIN2 = 'kick_admin2'
const sig = (identifier: string, issuedAt: number) =>
  signUserSig({
    sdkAppId: SDK_APP_ID,
    secretKey: SAMPLE_KEY,
    identifier,
    expireSeconds: 86_400,
    nowSeconds: issuedAt,
  })
const apps = [testApp({ admins: [ADMIN, ADMIN2] })]

/** A call signed by `identifier` with a UserSig issued at `issuedAt`. */
const callAs = (server: TestServer, identifier: string, issuedAt: number) =>
  server.call(
    'im_open_login_svc/account_check',
    { CheckItem: [{ UserID: ADMIN }] },
    { identifier, usersig: sig(identifier, issuedAt) },
  )

let server: TestServer
const clock = new ManualClock(T * 1000)

beforeAll(async () => {
  server = await startTestServer(testConfig(apps), { clock })
  await server.call('im_open_login_svc/multiaccount_import', { Accounts: [ADMIN2, 'kick_user'] })
})
afterAll(() => server.close())

describe('im_open_login_svc/kick', () => {
  it('refuses with 70001 every UserSig of the user issued up to the kick; a newer one works', async () => {
    expect(await callAs(server, ADMIN2, T - 10)).toMatchObject({ ErrorCode: 0 })
    expect(await server.call('im_open_login_svc/kick', { UserID: ADMIN2 })).toEqual({
      ActionStatus: 'OK',
      ErrorInfo: '',
      ErrorCode: 0,
    })
    expect(await callAs(server, ADMIN2, T - 10)).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 70001 })
    expect(await callAs(server, ADMIN2, T)).toMatchObject({ ErrorCode: 70001 })
    expect(await callAs(server, ADMIN2, T + 1)).toMatchObject({ ErrorCode: 0 })
    // Other admins are untouched, and the own API refuses the kicked UserSig as /v4 does.
    expect(await callAs(server, ADMIN, T - 10)).toMatchObject({ ErrorCode: 0 })
    const res = await fetch(
      `${server.url}/api/apps/${SDK_APP_ID}/webhooks/deliveries?sdkappid=${SDK_APP_ID}&identifier=${ADMIN2}&usersig=${sig(ADMIN2, T - 10)}`,
    )
    expect(await res.json()).toMatchObject({ ErrorCode: 70001 })
  })

  it('answers 70107 for an account that does not exist, 70402 without UserID, 60015 for a non-string', async () => {
    expect(await server.call('im_open_login_svc/kick', { UserID: 'kick_nobody' })).toMatchObject({
      ErrorCode: 70107,
    })
    expect(await server.call('im_open_login_svc/kick', {})).toMatchObject({ ErrorCode: 70402 })
    expect(await server.call('im_open_login_svc/kick', { UserID: '' })).toMatchObject({ ErrorCode: 70402 })
    expect(await server.call('im_open_login_svc/kick', { UserID: 7 })).toMatchObject({ ErrorCode: 60015 })
    expect(await server.call('im_open_login_svc/kick', { UserID: 'kick_user' })).toMatchObject({
      ErrorCode: 0,
    })
  })

  it('holds after a restart and on another instance of the same store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'receiptd-kick-'))
    const base = testConfig(apps)
    const config: Config =
      TEST_STORE === 'postgres' ? base : { ...base, store: { ...base.store, memory: false, dataDir: dir } }
    const first = await startTestServer(config, { clock })
    try {
      await first.call('im_open_login_svc/multiaccount_import', { Accounts: [ADMIN2] })
      expect(await callAs(first, ADMIN2, T - 5)).toMatchObject({ ErrorCode: 0 })
      expect(await first.call('im_open_login_svc/kick', { UserID: ADMIN2 })).toMatchObject({ ErrorCode: 0 })
      // PostgreSQL: a second instance beside the first; SQLite: the next process on the folder.
      if (TEST_STORE !== 'postgres') await first.receiptd.close()
      const second = await startTestServer(config, { clock })
      expect(await callAs(second, ADMIN2, T - 5)).toMatchObject({ ErrorCode: 70001 })
      expect(await callAs(second, ADMIN2, T + 1)).toMatchObject({ ErrorCode: 0 })
      await second.receiptd.close()
    } finally {
      await first.close().catch(() => undefined)
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
