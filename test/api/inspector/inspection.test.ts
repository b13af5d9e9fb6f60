/**
 * The inspection API over HTTP (issue 16 §1): accounts, conversations with the unread count
 * explained, groups with receipt progress and who-read lists, all paged and signed like /v4.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SDK_APP_ID, startTestServer, type TestServer } from '../../helpers/server.js'
import { ok, makeGroup, send } from '../group_open_http_svc/helpers.js'
import { importAccounts, nextRandom, text } from '../openim/c2c.js'
import { all, api, raw } from './api.js'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.close())

const sendmsg = (from: string, to: string, extra: Record<string, unknown> = {}) =>
  server.call('openim/sendmsg', {
    From_Account: from,
    To_Account: to,
    MsgRandom: nextRandom(),
    MsgBody: text('hi'),
    ...extra,
  })

describe('accounts', () => {
  it('searches by prefix, pages with an opaque cursor and shows totals', async () => {
    await importAccounts(server, 'acc_a', 'acc_b', 'acc_c', 'other_x')
    const { items, pages } = await all<{ UserID: string }>(server, 'accounts', 'Accounts', {
      prefix: 'acc_',
      limit: 2,
    })
    expect(items.map((a) => a.UserID)).toEqual(['acc_a', 'acc_b', 'acc_c'])
    expect(pages).toHaveLength(2)
    await sendmsg('acc_b', 'acc_a')
    const one = await api(server, 'GET', 'accounts/acc_a')
    expect(one).toMatchObject({
      ErrorCode: 0,
      Account: { UserID: 'acc_a' },
      Totals: { C2CUnreadMsgNum: 1, Conversations: 1, Groups: 0 },
    })
    expect((await api(server, 'GET', 'accounts/nobody')).ErrorCode).toBe(60009)
  })

  it('answers 60002 for a cursor it did not write and a bad limit', async () => {
    expect((await api(server, 'GET', 'accounts', { cursor: 'bm90IGpzb24' })).ErrorCode).toBe(60002)
    expect((await api(server, 'GET', 'accounts', { limit: 0 })).ErrorCode).toBe(60002)
    expect((await api(server, 'GET', 'accounts', { limit: 201 })).ErrorCode).toBe(60002)
  })

  it('is never open: no UserSig answers 70002, a non-admin 60010, another app 60006', async () => {
    const bare = await fetch(
      `${server.url}/api/apps/${SDK_APP_ID}/accounts?sdkappid=${SDK_APP_ID}&identifier=administrator`,
    )
    expect(((await bare.json()) as { ErrorCode: number }).ErrorCode).toBe(70002)
    const user = await fetch(
      `${server.url}/api/apps/${SDK_APP_ID}/accounts?sdkappid=${SDK_APP_ID}&identifier=acc_a&usersig=${server.sig('acc_a')}`,
    )
    expect(((await user.json()) as { ErrorCode: number }).ErrorCode).toBe(60010)
    expect(
      (
        (await (await raw(server, 'GET', 'accounts', {}, undefined, 1400000009)).json()) as {
          ErrorCode: number
        }
      ).ErrorCode,
    ).toBe(60006)
    const events = await fetch(
      `${server.url}/api/apps/${SDK_APP_ID}/events?sdkappid=${SDK_APP_ID}&identifier=administrator&usersig=x`,
    )
    expect(events.headers.get('content-type')).toContain('application/json')
    expect(((await events.json()) as { ErrorCode: number }).ErrorCode).toBe(70003)
  })
})

describe('a conversation with its unread count explained', () => {
  it('gives each message its reasons and the counts agree with get_c2c_unread_msg_num', async () => {
    await importAccounts(server, 'ex_a', 'ex_b')
    await sendmsg('ex_b', 'ex_a') // counted
    await sendmsg('ex_b', 'ex_a', { SendMsgControl: ['NoUnread'] })
    await sendmsg('ex_a', 'ex_b') // own
    const withdrawn = await sendmsg('ex_b', 'ex_a')
    expect(
      (
        await server.call('openim/admin_msgwithdraw', {
          From_Account: 'ex_b',
          To_Account: 'ex_a',
          MsgKey: withdrawn.MsgKey,
        })
      ).ErrorCode,
    ).toBe(0)
    await server.call('openim/importmsg', {
      SyncFromOldSystem: 2,
      From_Account: 'ex_b',
      To_Account: 'ex_a',
      MsgRandom: nextRandom(),
      MsgTimeStamp: 1000,
      MsgBody: text('old'),
    })
    await server.call('openim/importmsg', {
      SyncFromOldSystem: 5,
      From_Account: 'ex_b',
      To_Account: 'ex_a',
      MsgRandom: nextRandom(),
      MsgTimeStamp: 2000,
      MsgBody: text('older'),
    })
    await server.call('openim/admin_set_msg_read', {
      Report_Account: 'ex_a',
      Peer_Account: 'ex_b',
      MsgReadTime: 2000,
    })
    const e = await api(server, 'GET', 'accounts/ex_a/conversations/ex_b', { limit: 200 })
    const count = await server.call('openim/get_c2c_unread_msg_num', {
      To_Account: 'ex_a',
      Peer_Account: ['ex_b'],
    })
    const unread = (count.C2CUnreadMsgNumList as { C2CUnreadMsgNum: number }[])[0]!.C2CUnreadMsgNum
    expect(e).toMatchObject({
      ErrorCode: 0,
      ReadTime: 2000,
      UnreadMsgNum: unread,
      RecountedUnreadMsgNum: unread,
      Drift: 0,
    })
    const reasons = (e.Messages as { NotUnreadBecause: string[]; Unread: number }[]).map(
      (m) => m.NotUnreadBecause,
    )
    // Messages of one second are ordered by their random MsgSeq: compare as a set.
    expect(reasons.map((r) => r.join('+')).sort()).toEqual([
      '',
      'BeforeReadTime',
      'ImportedAsRead+BeforeReadTime',
      'NoUnread',
      'OwnMessage',
      'Recalled',
    ])
    expect(reasons.slice(0, 2)).toEqual([['ImportedAsRead', 'BeforeReadTime'], ['BeforeReadTime']])
    expect(unread).toBe(1)
    const convs = await api(server, 'GET', 'accounts/ex_b/conversations')
    expect(convs.Conversations).toEqual([
      { Peer_Account: 'ex_a', ReadTime: 0, UnreadMsgNum: 1, PeerReadTime: 2000 },
    ])
  })
})

describe('groups', () => {
  it('shows receipt progress and pages who read and who did not', async () => {
    const members = Array.from({ length: 7 }, (_, i) => `gm_${i}`)
    await makeGroup(server, 'insp_g', 'gm_owner', members)
    const seq = await send(server, 'insp_g', 'gm_owner')
    await send(server, 'insp_g', 'gm_owner', {})
    for (const m of members.slice(0, 3))
      await ok(server, 'group_msg_receipt', {
        GroupId: 'insp_g',
        From_Account: m,
        MsgSeqList: [{ MsgSeq: seq }],
      })
    const found = await api(server, 'GET', 'groups', { prefix: 'insp_' })
    expect(found.Groups).toEqual([
      expect.objectContaining({ GroupId: 'insp_g', MemberNum: 8, LastMsgSeq: 2 }),
    ])
    const msgs = await api(server, 'GET', 'groups/insp_g/messages')
    expect((msgs.Messages as object[]).map((m) => m)).toEqual([
      expect.objectContaining({ MsgSeq: 2, NeedReadReceipt: 0 }),
      expect.objectContaining({ MsgSeq: 1, NeedReadReceipt: 1, ReadNum: 3, UnreadNum: 4 }),
    ])
    const read = await all<string>(server, `groups/insp_g/messages/${seq}/readers`, 'Members', { limit: 2 })
    expect(read.items).toEqual(members.slice(0, 3))
    const unread = await all<string>(server, `groups/insp_g/messages/${seq}/readers`, 'Members', {
      filter: 'unread',
      limit: 3,
    })
    expect(unread.items).toEqual(members.slice(3))
    const people = await all<{ Member_Account: string }>(server, 'groups/insp_g/members', 'Members', {
      limit: 3,
    })
    expect(people.items.map((m) => m.Member_Account)).toEqual(['gm_owner', ...members])
    expect((await api(server, 'GET', 'groups/insp_g/messages/2/readers')).ErrorCode).toBe(60009)
    expect((await api(server, 'GET', 'groups/nope')).ErrorCode).toBe(60009)
  })
})

describe('OpenAPI', () => {
  it('describes /api and every v4 command as OpenAPI 3.1', async () => {
    const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as {
      openapi: string
      paths: Record<string, unknown>
    }
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/apps/{sdkAppId}/accounts/{userId}/conversations/{peer}',
        '/api/apps/{sdkAppId}/reset',
        '/api/apps/{sdkAppId}/events',
        '/v4/openim/admin_set_msg_read',
      ]),
    )
  })
})
