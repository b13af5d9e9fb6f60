/**
 * Every check that decides a write holds when many requests run at once, on every kind in STORES
 * (issue 10 point 3): the account limit, MaxMemberCount, duplicate group sends and duplicate C2C
 * sends of one second. The commands run in-process through the gateway handler against a fresh
 * store, all at once, and then the stored state is counted exactly.
 */
import { Api } from 'tls-sig-api-v2'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultLimits, type AppConfig } from '../../src/config/config.js'
import type { UserId } from '../../src/domain/accounts/user-id.js'
import { ManualClock } from '../../src/domain/clock.js'
import type { GroupId } from '../../src/domain/groups/group-id.js'
import { createV4Handler, type V4Handler } from '../../src/gateway/handler.js'
import { LocalRateLimiter } from '../../src/gateway/rate-limit.js'
import { UserSigVerifier } from '../../src/gateway/usersig.js'
import type { Log } from '../../src/log.js'
import type { Store } from '../../src/store/store.js'
import { BeforeSendClient } from '../../src/webhooks/before-send.js'
import { CallbackHttp } from '../../src/webhooks/http-client.js'
import { ADMIN, SAMPLE_KEY, SDK_APP_ID, testApp } from '../helpers/server.js'
import { openTestStore, STORES, type TestStore } from '../helpers/stores.js'

const http = new CallbackHttp({ connections: 1 })
afterAll(() => http.close())

const silent = (() => {
  const log = { fatal() {}, error() {}, warn() {}, info() {}, debug() {}, trace() {} }
  return { ...log, child: () => log } as unknown as Log
})()
const sig = new Api(SDK_APP_ID, SAMPLE_KEY).genUserSig(ADMIN, 86_400)

interface Answer {
  ErrorCode: number
  [field: string]: unknown
}

function gateway(store: Store, app: AppConfig, clock: ManualClock) {
  const handle: V4Handler = createV4Handler({
    apps: [app],
    store,
    clock,
    rateLimiter: new LocalRateLimiter(),
    verifier: new UserSigVerifier(),
    beforeSend: new BeforeSendClient({ http, clock }),
  })
  return async (path: string, body: object): Promise<Answer> => {
    const out = await handle({
      path: `/v4/${path}`,
      query: `sdkappid=${SDK_APP_ID}&identifier=${ADMIN}&usersig=${sig}&random=1&contenttype=json`,
      body: Buffer.from(JSON.stringify(body)),
      log: silent,
    })
    return out.envelope as unknown as Answer
  }
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i)
const codes = (answers: Answer[]) => answers.map((a) => a.ErrorCode).sort((a, b) => a - b)

describe.each(STORES)('%s store: checks that decide writes, under concurrency', (kind) => {
  let t: TestStore
  let clock: ManualClock
  let call: ReturnType<typeof gateway>

  beforeEach(async () => {
    t = await openTestStore(kind)
    clock = new ManualClock(1_700_000_000_000)
    const limits = { ...defaultLimits, ratePerSecond: 0, maxAccounts: 10 }
    call = gateway(t.store, testApp({ callback: undefined, limits }), clock)
  })
  afterEach(() => t.close())

  const accounts = () => t.store.read(SDK_APP_ID, (tx) => tx.accounts.count())
  const importAll = (ids: string[]) =>
    Promise.all(ids.map((id) => call('im_open_login_svc/account_import', { UserID: id })))

  it('maxAccounts: of 30 concurrent account_import, exactly the 10 that fit succeed (70398 for the rest)', async () => {
    const answers = await importAll(range(30).map((i) => `u${i}`))
    expect(codes(answers)).toEqual([...range(10).map(() => 0), ...range(20).map(() => 70398)])
    expect(await accounts()).toBe(10)
  })

  it('maxAccounts: concurrent multiaccount_import fill the limit exactly and list every refused id once', async () => {
    const batches = range(6).map((b) => range(5).map((i) => `b${b}_${i}`))
    const answers = await Promise.all(
      batches.map((Accounts) => call('im_open_login_svc/multiaccount_import', { Accounts })),
    )
    expect(codes(answers)).toEqual(range(6).map(() => 0))
    const refused = answers.flatMap((a) => a.FailAccounts as string[])
    expect(refused).toHaveLength(20)
    expect(new Set(refused).size).toBe(20)
    expect(await accounts()).toBe(10)
  })

  it('MaxMemberCount: 8 concurrent add_group_member to a group of 3 fill it exactly (10014 for the rest)', async () => {
    await importAll(['owner', ...range(8).map((i) => `m${i}`)])
    const created = await call('group_open_http_svc/create_group', {
      Owner_Account: 'owner',
      Type: 'Public',
      GroupId: 'cap3',
      Name: 'cap',
      MaxMemberCount: 3,
    })
    expect(created.ErrorCode).toBe(0)
    const answers = await Promise.all(
      range(8).map((i) =>
        call('group_open_http_svc/add_group_member', {
          GroupId: 'cap3',
          MemberList: [{ Member_Account: `m${i}` }],
        }),
      ),
    )
    expect(codes(answers)).toEqual([0, 0, ...range(6).map(() => 10014)])
    const group = await t.store.read(SDK_APP_ID, (tx) => tx.groups.find('cap3' as GroupId))
    expect(group?.memberCount).toBe(3)
    const members = await t.store.read(SDK_APP_ID, (tx) =>
      tx.groups.members('cap3' as GroupId, ['owner', ...range(8).map((i) => `m${i}`)] as UserId[]),
    )
    expect(members.size).toBe(3)
  })

  it('8 identical concurrent send_group_msg store one message and all answer its MsgSeq', async () => {
    await importAll(['owner'])
    await call('group_open_http_svc/create_group', {
      Owner_Account: 'owner',
      Type: 'Public',
      GroupId: 'dup',
      Name: 'dup',
    })
    const send = {
      GroupId: 'dup',
      From_Account: 'owner',
      Random: 4242,
      MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'once' } }],
    }
    const answers = await Promise.all(range(8).map(() => call('group_open_http_svc/send_group_msg', send)))
    expect(codes(answers)).toEqual(range(8).map(() => 0))
    expect(new Set(answers.map((a) => a.MsgSeq))).toEqual(new Set([1]))
    const group = await t.store.read(SDK_APP_ID, (tx) => tx.groups.find('dup' as GroupId))
    expect(group?.lastSeq).toBe(1)
  })

  const history = (viewer: string, peer: string) =>
    t.store.read(SDK_APP_ID, (tx) =>
      tx.c2c.history({
        viewer: viewer as UserId,
        peer: peer as UserId,
        minTime: 0,
        maxTime: 2_000_000_000,
        before: undefined,
        limit: 100,
      }),
    )
  const text = { MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } }] }

  it('8 identical concurrent sendmsg in one second store one message and all answer its MsgKey', async () => {
    await importAll(['x', 'y'])
    // Several rounds, each with its own MsgRandom: the later ones find every pooled connection open.
    for (const round of range(4)) {
      const answers = await Promise.all(
        range(8).map(() =>
          call('openim/sendmsg', { From_Account: 'x', To_Account: 'y', MsgRandom: 70 + round, ...text }),
        ),
      )
      expect(codes(answers)).toEqual(range(8).map(() => 0))
      const page = await history('y', 'x')
      expect(page.messages).toHaveLength(round + 1)
      const stored = page.messages.filter((m) => m.msgRandom === 70 + round)
      expect(stored).toHaveLength(1)
      expect(new Set(answers.map((a) => a.MsgKey))).toEqual(new Set([stored[0]!.msgKey]))
    }
  })

  it('8 identical concurrent batchsendmsg in one second store one message per recipient', async () => {
    await importAll(['x', 'y', 'z'])
    const answers = await Promise.all(
      range(8).map((i) =>
        call('openim/batchsendmsg', {
          From_Account: 'x',
          // Half list the recipients the other way round: the locks are taken in one order anyway.
          To_Account: i % 2 === 0 ? ['y', 'z'] : ['z', 'y'],
          MsgRandom: 78,
          ...text,
        }),
      ),
    )
    expect(codes(answers)).toEqual(range(8).map(() => 0))
    expect((await history('y', 'x')).messages).toHaveLength(1)
    expect((await history('z', 'x')).messages).toHaveLength(1)
  })
})
