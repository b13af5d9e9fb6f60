/**
 * Test support over HTTP (issue 16 §2): reset, fixtures (load → export → load gives the same
 * state), the recount and its repair, and the refusals that keep them away from other apps.
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { outboxRows } from '../../helpers/inspect.js'
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js'
import { startTestServer, testApp, testConfig, type TestServer } from '../../helpers/server.js'
import { unread } from '../openim/c2c.js'
import { api, raw } from './api.js'

const PROD = 1400000002
let server: TestServer
beforeAll(async () => {
  server = await startTestServer(testConfig([testApp(), testApp({ sdkAppId: PROD, testSupport: undefined })]))
})
afterAll(() => server.close())

const FIXTURE = `
version: 1
accounts:
  - { UserID: fx_a, Nick: Alice }
  - { UserID: fx_b }
  - { UserID: fx_c }
c2cMessages:
  - { From_Account: fx_b, To_Account: fx_a, MsgTime: 1700000000, MsgRandom: 1, Text: one, IsNeedReadReceipt: 1, IsPeerRead: 1 }
  - { From_Account: fx_b, To_Account: fx_a, MsgTime: 1700000010, MsgRandom: 2, Text: two }
  - { From_Account: fx_b, To_Account: fx_a, MsgTime: 1700000020, MsgRandom: 3, Text: three, NotCounted: NoUnread }
  - { From_Account: fx_b, To_Account: fx_a, MsgTime: 1700000030, MsgRandom: 4, Text: four, Recalled: 1 }
  - { From_Account: fx_a, To_Account: fx_b, MsgTime: 1700000040, MsgRandom: 5, Text: reply, SenderSees: 0 }
  - { From_Account: fx_c, To_Account: fx_a, MsgTime: 1600000000, MsgRandom: 6, Text: old, NotCounted: ImportedAsRead }
c2cReadTimes:
  - { Report_Account: fx_a, Peer_Account: fx_b, MsgReadTime: 1700000005 }
groups:
  - GroupId: fx_g
    Type: Public
    Name: Fixture group
    Owner_Account: fx_a
    Members:
      - { Member_Account: fx_a, Role: Owner }
      - { Member_Account: fx_b, ReadSeqs: [[1, 2]] }
      - { Member_Account: fx_c, JoinSeq: 1, JoinTime: 1700000100, ReadSeqs: [[2, 2]] }
    Messages:
      - { From_Account: fx_a, MsgTime: 1700000050, Random: 7, Text: hello, NeedReadReceipt: 1 }
      - { From_Account: fx_a, MsgTime: 1700000200, Random: 8, Text: again, NeedReadReceipt: 1, CloudCustomData: x }
      - { From_Account: fx_b, MsgTime: 1700000300, Random: 9, Text: gone, Recalled: 1 }
`

const exportJson = async () => (await (await raw(server, 'GET', 'export')).json()) as Record<string, unknown>

describe('fixtures', () => {
  it('loads YAML in one transaction, and export → reset → load → export is the same document', async () => {
    const loaded = await api(server, 'POST', 'fixtures', { reset: 1 }, FIXTURE)
    expect(loaded).toMatchObject({
      ErrorCode: 0,
      Loaded: { Accounts: 3, C2CMessages: 6, C2CReadTimes: 1, Groups: 1 },
    })
    expect((await unread(server, 'fx_a', ['fx_b', 'fx_c'])).C2CUnreadMsgNumList).toEqual([
      { Peer_Account: 'fx_b', C2CUnreadMsgNum: 1 },
      { Peer_Account: 'fx_c', C2CUnreadMsgNum: 0 },
    ])
    const receipts = await server.call('group_open_http_svc/get_group_msg_receipt', {
      GroupId: 'fx_g',
      MsgSeqList: [{ MsgSeq: 1 }, { MsgSeq: 2 }],
    })
    expect(receipts.GroupMsgReceiptList).toEqual([
      expect.objectContaining({ MsgSeq: 1, ReadNum: 1, UnreadNum: 0 }),
      expect.objectContaining({ MsgSeq: 2, ReadNum: 2, UnreadNum: 0 }),
    ])
    const first = await exportJson()
    expect((await api(server, 'POST', 'reset')).ErrorCode).toBe(0)
    expect((await api(server, 'POST', 'fixtures', {}, JSON.stringify(first))).ErrorCode).toBe(0)
    expect(await exportJson()).toEqual(first)
    const yaml = await raw(server, 'GET', 'export', { format: 'yaml' })
    expect(yaml.headers.get('content-type')).toContain('yaml')
    expect((await api(server, 'POST', 'fixtures', { reset: 1 }, await yaml.text())).ErrorCode).toBe(0)
    expect(await exportJson()).toEqual(first)
  })

  it('answers 60002 naming the bad field, and keeps nothing of a document that fails', async () => {
    await api(server, 'POST', 'reset')
    const before = await exportJson()
    const bad = await api(
      server,
      'POST',
      'fixtures',
      {},
      'accounts:\n  - { UserID: ok_1 }\n  - { UserID: 5 }\n',
    )
    expect(bad).toMatchObject({ ErrorCode: 60002, ErrorInfo: expect.stringContaining('accounts[1].UserID') })
    const late = await api(
      server,
      'POST',
      'fixtures',
      {},
      'accounts: [{ UserID: ok_2 }]\nc2cMessages: [{ From_Account: ok_2, To_Account: ghost, MsgTime: 1, Text: x }]\n',
    )
    expect(late).toMatchObject({ ErrorCode: 60002, ErrorInfo: expect.stringContaining('ghost') })
    expect(await exportJson()).toEqual(before)
    expect((await api(server, 'POST', 'fixtures', {}, '{ not yaml: [')).ErrorCode).toBe(60002)
  })
})

describe('docs/fixtures.md', () => {
  it('loads the example the format is documented with', async () => {
    const doc = readFileSync(new URL('../../../docs/fixtures.md', import.meta.url), 'utf8')
    const example = /```yaml\n([\s\S]*?)```/.exec(doc)![1]!
    await api(server, 'POST', 'fixtures', { reset: 1 }, 'accounts: [{ UserID: carol }]\n')
    const loaded = await api(server, 'POST', 'fixtures', {}, example)
    expect(loaded).toMatchObject({
      ErrorCode: 0,
      Loaded: { Accounts: 2, C2CMessages: 2, C2CReadTimes: 1, Groups: 1 },
    })
    const group = await api(server, 'GET', 'groups/team/messages')
    expect(group.Messages).toEqual([
      expect.objectContaining({ MsgSeq: 4, OnlineOnlyFlag: 1 }),
      expect.objectContaining({ MsgSeq: 3, Recalled: 1 }),
      expect.objectContaining({ MsgSeq: 2, ReadNum: 1, UnreadNum: 1 }),
      expect.objectContaining({ MsgSeq: 1, ReadNum: 1, UnreadNum: 0 }),
    ])
  })
})

describe('reset', () => {
  it('empties the app, outbox included, keeps its admins, and leaves other apps alone', async () => {
    await api(server, 'POST', 'fixtures', { reset: 1 }, FIXTURE)
    await server.call(
      'im_open_login_svc/account_import',
      { UserID: 'prod_user' },
      { sdkAppId: PROD, usersig: server.sig('administrator', server.receiptd.apps[1]) },
    )
    expect((await api(server, 'POST', 'reset')).ErrorCode).toBe(0)
    const left = await exportJson()
    expect(left).toMatchObject({
      accounts: [],
      c2cMessages: [],
      c2cReadTimes: [],
      groups: [],
    })
    expect((await outboxRows(server)).filter((r) => r.ordering_key.includes('fx_'))).toEqual([])
    // Admins are imported again at once (export leaves them out): they can call straight away.
    expect((await api(server, 'GET', 'accounts/administrator')).ErrorCode).toBe(0)
    const prod = (await (await raw(server, 'GET', 'export', {}, undefined, PROD)).json()) as {
      accounts: { UserID: string }[]
    }
    expect(prod.accounts.map((a) => a.UserID)).toContain('prod_user')
  })

  it('is refused (60009) for an app without testSupport, so production data cannot be wiped', async () => {
    const r = (await (await raw(server, 'POST', 'reset', {}, undefined, PROD)).json()) as {
      ErrorCode: number
      ErrorInfo: string
    }
    expect(r).toMatchObject({ ErrorCode: 60009, ErrorInfo: expect.stringContaining('testSupport') })
    const f = (await (await raw(server, 'POST', 'fixtures', {}, 'accounts: []', PROD)).json()) as {
      ErrorCode: number
    }
    expect(f.ErrorCode).toBe(60009)
  })
})

/** Moves a stored counter behind the store's back, as a bug or a hand edit would. */
async function corrupt(sql: string): Promise<void> {
  const store = server.receiptd.store
  if (store instanceof SqliteStore)
    store.database.prepare(sql.replace(/\$1/g, '?')).run(...(sql.includes('$1') ? [1400000000] : []))
  else await server.sql(sql, sql.includes('$1') ? [1400000000] : [])
}

describe('recount', () => {
  it('finds no drift in a consistent app, then reports and repairs drifted counters', async () => {
    await api(server, 'POST', 'fixtures', { reset: 1 }, FIXTURE)
    const clean = await api(server, 'POST', 'recount')
    expect(clean).toMatchObject({
      ErrorCode: 0,
      Repaired: 0,
      C2C: { DriftCount: 0 },
      C2CTotals: { DriftCount: 0 },
      Groups: { DriftCount: 0 },
    })
    expect((clean.C2C as { Checked: number }).Checked).toBeGreaterThan(0)
    await corrupt(
      "UPDATE c2c_conversations SET unread = unread + 5 WHERE app_id = $1 AND owner_id = 'fx_a' AND peer_id = 'fx_b'",
    )
    await corrupt('UPDATE group_messages SET read_count = 0 WHERE app_id = $1 AND seq = 2')
    await corrupt("UPDATE groups SET member_count = 9 WHERE app_id = $1 AND group_id = 'fx_g'")
    const found = await api(server, 'POST', 'recount')
    expect(found).toMatchObject({
      C2C: {
        DriftCount: 1,
        Drift: [{ Owner_Account: 'fx_a', Peer_Account: 'fx_b', Stored: 6, Recounted: 1 }],
      },
      C2CTotals: { DriftCount: 1, Drift: [{ UserID: 'fx_a', Stored: 1, Recounted: 6 }] },
      Groups: {
        DriftCount: 2,
        Drift: [
          { GroupId: 'fx_g', Counter: 'MemberNum', Stored: 9, Recounted: 3 },
          { GroupId: 'fx_g', MsgSeq: 2, Counter: 'ReadNum', Stored: 0, Recounted: 2 },
        ],
      },
    })
    const e = await api(server, 'GET', 'accounts/fx_a/conversations/fx_b')
    expect(e).toMatchObject({ UnreadMsgNum: 6, RecountedUnreadMsgNum: 1, Drift: -5 })
    expect((await api(server, 'POST', 'recount', { repair: 1 })).Repaired).toBe(1)
    expect(await api(server, 'POST', 'recount')).toMatchObject({
      C2C: { DriftCount: 0 },
      C2CTotals: { DriftCount: 0 },
      Groups: { DriftCount: 0 },
    })
    expect((await unread(server, 'fx_a')).AllC2CUnreadMsgNum).toBe(1)
  })
})
