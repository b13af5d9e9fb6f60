/**
 * A transaction that PostgreSQL runs twice changes nothing (issue 10 point 4): every command's
 * `fn` returns what it needs and touches nothing outside the transaction. The same requests go to
 * two fresh stores, one of which fails every transaction once with a serialization failure (40001)
 * after `fn` has done all its work, so each is rolled back and run again; the answers and the
 * stored state must be the same as where nothing was retried.
 */
import { Api } from 'tls-sig-api-v2'
import { afterAll, describe, expect, it } from 'vitest'
import { defaultLimits, type AppConfig } from '../../src/config/config.js'
import { ManualClock } from '../../src/domain/clock.js'
import type { GroupId } from '../../src/domain/groups/group-id.js'
import { createV4Handler } from '../../src/gateway/handler.js'
import { LocalRateLimiter } from '../../src/gateway/rate-limit.js'
import { UserSigVerifier } from '../../src/gateway/usersig.js'
import type { Log } from '../../src/log.js'
import type { Store } from '../../src/store/store.js'
import { BeforeSendClient } from '../../src/webhooks/before-send.js'
import { CallbackHttp } from '../../src/webhooks/http-client.js'
import { ADMIN, SAMPLE_KEY, SDK_APP_ID, testApp } from '../helpers/server.js'
import { openTestStore, TEST_STORE } from '../helpers/stores.js'

const http = new CallbackHttp({ connections: 1 })
afterAll(() => http.close())

const silent = (() => {
  const log = { fatal() {}, error() {}, warn() {}, info() {}, debug() {}, trace() {} }
  return { ...log, child: () => log } as unknown as Log
})()
const sig = new Api(SDK_APP_ID, SAMPLE_KEY).genUserSig(ADMIN, 86_400)
const G = 'retried' as GroupId
const text = (t: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text: t } }]

/** Every write request of the sequence: each kind of command that writes, with what it refuses. */
const REQUESTS: [string, object][] = [
  ['im_open_login_svc/multiaccount_import', { Accounts: ['a', 'b', 'c', 'd', 'e', 'f', ' bad '] }],
  ['im_open_login_svc/account_import', { UserID: 'g' }],
  ['im_open_login_svc/account_import', { UserID: 'a', Nick: 'Ann' }],
  ['group_open_http_svc/create_group', { Owner_Account: 'a', Type: 'Public', GroupId: G, Name: 'r' }],
  [
    'group_open_http_svc/add_group_member',
    { GroupId: G, MemberList: [{ Member_Account: 'b' }, { Member_Account: 'c' }, { Member_Account: 'zz' }] },
  ],
  [
    'group_open_http_svc/send_group_msg',
    { GroupId: G, From_Account: 'a', Random: 1, MsgBody: text('g1'), NeedReadReceipt: 1 },
  ],
  [
    'group_open_http_svc/send_group_msg',
    { GroupId: G, From_Account: 'a', Random: 1, MsgBody: text('g1'), NeedReadReceipt: 1 },
  ],
  ['group_open_http_svc/group_msg_receipt', { GroupId: G, From_Account: 'b', MsgSeqList: [{ MsgSeq: 1 }] }],
  ['group_open_http_svc/delete_group_member', { GroupId: G, MemberToDel_Account: ['c'] }],
  ['group_open_http_svc/set_unread_msg_num', { GroupId: G, Member_Account: 'b', UnreadMsgNum: 0 }],
  ['group_open_http_svc/group_msg_recall', { GroupId: G, MsgSeqList: [{ MsgSeq: 1 }, { MsgSeq: 9 }] }],
  [
    'openim/sendmsg',
    {
      From_Account: 'a',
      To_Account: 'b',
      MsgSeq: 5,
      MsgRandom: 6,
      MsgBody: text('c1'),
      IsNeedReadReceipt: 1,
    },
  ],
  ['openim/sendmsg', { From_Account: 'a', To_Account: 'b', MsgSeq: 7, MsgRandom: 6, MsgBody: text('c1') }],
  [
    'openim/batchsendmsg',
    { From_Account: 'a', To_Account: ['b', 'c', 'nobody'], MsgSeq: 8, MsgRandom: 9, MsgBody: text('c2') },
  ],
  [
    'openim/importmsg',
    {
      From_Account: 'c',
      To_Account: 'a',
      MsgSeq: 1,
      MsgRandom: 2,
      MsgTimeStamp: 1_600_000_000,
      SyncFromOldSystem: 1,
      MsgBody: text('old'),
    },
  ],
  [
    'openim/c2c_msg_read_receipt',
    {
      C2CMsgInfo: [{ From_Account: 'a', To_Account: 'b', MsgKey: '5_6_1700000000' }],
      Operator_Account: 'b',
      Peer_Account: 'a',
    },
  ],
  ['openim/admin_set_msg_read', { Report_Account: 'b', Peer_Account: 'a', MsgReadTime: '1700000000' }],
  ['openim/admin_msgwithdraw', { From_Account: 'a', To_Account: 'c', MsgKey: '8_9_1700000000' }],
  ['group_open_http_svc/destroy_group', { GroupId: G }],
  ['im_open_login_svc/account_delete', { DeleteItem: [{ UserID: 'g' }, { UserID: 'nobody' }] }],
]

/** `store`, but every transaction fails once with 40001 after its `fn` did everything it does. */
function retryingOnce(store: Store): { store: Store; retries: () => number } {
  let retries = 0
  const failing = Object.create(store) as Store
  // Called on the store itself: its methods use private fields.
  failing.read = (sdkAppId, fn, shape) => store.read(sdkAppId, fn, shape)
  // Always a real transaction, whatever the shape asked: a one-statement write has committed by
  // the time `fn` returns, so the failure injected here can only hit a transaction.
  failing.transaction = (sdkAppId, fn) => {
    let failed = false
    return store.transaction(sdkAppId, async (tx) => {
      const value = await fn(tx)
      if (!failed) {
        failed = true
        retries++
        throw Object.assign(new Error('could not serialize access due to concurrent update'), {
          code: '40001',
        })
      }
      return value
    })
  }
  return { store: failing, retries: () => retries }
}

async function run(store: Store, app: AppConfig) {
  const clock = new ManualClock(1_700_000_000_000)
  const handle = createV4Handler({
    apps: [app],
    store,
    clock,
    rateLimiter: new LocalRateLimiter(),
    verifier: new UserSigVerifier(),
    beforeSend: new BeforeSendClient({ http, clock }),
  })
  const answers: unknown[] = []
  for (const [path, body] of REQUESTS) {
    const out = await handle({
      path: `/v4/${path}`,
      query: `sdkappid=${SDK_APP_ID}&identifier=${ADMIN}&usersig=${sig}&random=1&contenttype=json`,
      body: Buffer.from(JSON.stringify(body)),
      log: silent,
    })
    answers.push(out.envelope)
  }
  return answers
}

/** Everything the app has, in forms that do not depend on database sequences. */
function dump(store: Store) {
  const all = { after: undefined, limit: 1000 }
  return store.read(SDK_APP_ID, async (tx) => ({
    accounts: await tx.inspection.accounts({ prefix: '', ...all }),
    groups: await tx.inspection.groups({ prefix: '', ...all }),
    messages: await tx.inspection.allMessages(all),
    readTimes: await tx.inspection.readTimes(all),
    events: (
      await tx.deliveries.list({ command: undefined, status: undefined, beforeId: undefined, limit: 1000 })
    ).map((d) => ({ command: d.command, key: d.orderingKey, status: d.status, body: d.body })),
  }))
}

describe.runIf(TEST_STORE === 'postgres')('a transaction PostgreSQL runs twice', () => {
  it('gives the same answers and leaves the same state as one that ran once', async () => {
    const app = testApp({ limits: { ...defaultLimits, ratePerSecond: 0, maxAccounts: 5 } })
    const once = await openTestStore('postgres')
    const twice = await openTestStore('postgres')
    try {
      const retrying = retryingOnce(twice.store)
      const expected = await run(once.store, app)
      const answers = await run(retrying.store, app)
      expect(retrying.retries()).toBeGreaterThanOrEqual(REQUESTS.length - 1)
      expect(answers).toEqual(expected)
      // The sequence exercised refusals as well as writes.
      expect(JSON.stringify(expected)).toContain('"FailAccounts":["f"," bad "]')
      const state = await dump(twice.store)
      expect(state).toEqual(await dump(once.store))
      expect(state.events.length).toBeGreaterThan(5)
    } finally {
      await once.close()
      await twice.close()
    }
  })
})
