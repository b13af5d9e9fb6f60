/**
 * `Store.resetApp`: every row of one app goes, in every table that has `app_id` (and, through the
 * cascade, the webhook attempts of its events); the other app keeps everything; the admins exist
 * again. On both stores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callbackDefaults } from '../../src/config/config.js'
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import { Receiver } from '../helpers/receiver.js'
import { startTestServer, testApp, testConfig, type TestServer } from '../helpers/server.js'

const A = 1400000000
const B = 1400000001
const KEY_B = 'b'.repeat(64)
const TABLES = [
  'accounts',
  'c2c_messages',
  'c2c_conversations',
  'c2c_unread_totals',
  'groups',
  'group_members',
  'group_messages',
  'group_read_ranges',
  'outbox',
]

let server: TestServer
let receiver: Receiver

beforeAll(async () => {
  receiver = await Receiver.start()
  const callback = { ...callbackDefaults, url: receiver.url, retries: 0 }
  server = await startTestServer(
    testConfig([testApp({ callback }), testApp({ sdkAppId: B, secretKey: KEY_B, callback })]),
  )
})
afterAll(async () => {
  await server.close()
  await receiver.down()
})

async function fill(sdkAppId: number) {
  const app = server.receiptd.apps.find((a) => a.sdkAppId === sdkAppId)!
  const opts = { sdkAppId, usersig: server.sig('administrator', app) }
  const ok = async (path: string, body: unknown) =>
    expect((await server.call(path, body, opts)).ErrorCode).toBe(0)
  await ok('im_open_login_svc/multiaccount_import', { Accounts: ['u1', 'u2', 'u3'] })
  await ok('openim/sendmsg', {
    From_Account: 'u1',
    To_Account: 'u2',
    MsgRandom: 1,
    IsNeedReadReceipt: 1,
    MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } }],
  })
  await ok('group_open_http_svc/create_group', {
    Owner_Account: 'u1',
    Type: 'Public',
    GroupId: 'reset_g',
    Name: 'g',
    MemberList: [{ Member_Account: 'u2' }, { Member_Account: 'u3' }],
  })
  await ok('group_open_http_svc/send_group_msg', {
    GroupId: 'reset_g',
    From_Account: 'u1',
    Random: 1,
    NeedReadReceipt: 1,
    MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } }],
  })
  await ok('group_open_http_svc/group_msg_receipt', {
    GroupId: 'reset_g',
    From_Account: 'u2',
    MsgSeqList: [{ MsgSeq: 1 }],
  })
}

async function rows(table: string, sdkAppId: number): Promise<number> {
  if (server.receiptd.store.kind === 'postgres') {
    const r = await server.sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE app_id = $1`, [
      sdkAppId,
    ])
    return r[0]!.n
  }
  const db = (server.receiptd.store as SqliteStore).database
  return (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE app_id = ?`).get(sdkAppId) as { n: number }).n
}

describe('resetApp', () => {
  it("deletes every row of one app and nothing of another's; the admins exist again", async () => {
    await fill(A)
    await fill(B)
    for (const t of TABLES) {
      expect(await rows(t, A), t).toBeGreaterThan(0)
      expect(await rows(t, B), t).toBeGreaterThan(0)
    }
    const before = Object.fromEntries(
      await Promise.all(TABLES.map(async (t) => [t, await rows(t, B)] as const)),
    )
    await server.receiptd.resetApp(A)
    for (const t of TABLES) expect(await rows(t, A), t).toBe(t === 'accounts' ? 1 : 0)
    for (const t of TABLES) expect(await rows(t, B), t).toBe(before[t])
    const check = await server.call('im_open_login_svc/account_check', {
      CheckItem: [{ UserID: 'u1' }, { UserID: 'administrator' }],
    })
    expect(check.ResultItem).toMatchObject([{ AccountStatus: 'NotImported' }, { AccountStatus: 'Imported' }])
    // The app works as new: the same ids can be used again.
    await fill(A)
  })
})
