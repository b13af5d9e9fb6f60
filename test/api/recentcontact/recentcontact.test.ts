import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../../src/domain/clock.js'
import { startTestServer, testConfig, type TestServer } from '../../helpers/server.js'
import { makeGroup, send as sendGroup } from '../group_open_http_svc/helpers.js'
import { api, raw } from '../inspector/api.js'
import { importAccounts, nextRandom, roam, text, unread } from '../openim/c2c.js'

let server: TestServer
const clock = new ManualClock(1_700_000_000_000)
const T0 = 1_700_000_000

const send = (from: string, to: string, extra: Record<string, unknown> = {}) =>
  server.call('openim/sendmsg', {
    From_Account: from,
    To_Account: to,
    MsgRandom: nextRandom(),
    MsgBody: text('hi'),
    ...extra,
  })

/** The doocs-style request of spec part 2 §17.1, with the given cursors. */
const list = (user: string, o: Partial<Record<string, number>> = {}) =>
  server.call('recentcontact/get_list', {
    From_Account: user,
    TimeStamp: 0,
    StartIndex: 0,
    TopTimeStamp: 0,
    TopStartIndex: 0,
    AssistFlags: 7,
    ...o,
  })

const remove = (body: Record<string, unknown>) => server.call('recentcontact/delete', body)

beforeAll(async () => {
  server = await startTestServer(testConfig(), { clock })
})
afterAll(() => server.close())

describe('recentcontact/get_list', () => {
  it('lists C2C and group conversations in ascending MsgTime, as the captured answer', async () => {
    await importAccounts(server, 'rc_a', 'rc_b', 'rc_c')
    await makeGroup(server, 'rc_g1', 'rc_c', ['rc_a'])
    clock.set((T0 + 10) * 1000)
    expect(await send('rc_b', 'rc_a')).toMatchObject({ ErrorCode: 0 })
    clock.set((T0 + 20) * 1000)
    await sendGroup(server, 'rc_g1', 'rc_c')
    clock.set((T0 + 30) * 1000)
    expect(await send('rc_a', 'rc_c')).toMatchObject({ ErrorCode: 0 })
    clock.set((T0 + 40) * 1000)
    expect(await list('rc_a')).toEqual({
      ActionStatus: 'OK',
      ErrorInfo: '',
      ErrorCode: 0,
      ErrorDisplay: '',
      SessionItem: [
        { Type: 1, To_Account: 'rc_b', MsgTime: T0 + 10, TopFlag: 0 },
        { Type: 2, GroupId: 'rc_g1', MsgTime: T0 + 20, TopFlag: 0 },
        { Type: 1, To_Account: 'rc_c', MsgTime: T0 + 30, TopFlag: 0 },
      ],
      CompleteFlag: 1,
      TimeStamp: T0 + 40,
      StartIndex: 0,
      TopTimeStamp: T0 + 40,
      TopStartIndex: 0,
    })
    // The peer's list has the sender; a newer message moves the entry to the end.
    clock.set((T0 + 50) * 1000)
    await send('rc_b', 'rc_a')
    const items = (await list('rc_a', { AssistFlags: 0 })).SessionItem as { MsgTime: number }[]
    expect(items.map((i) => i.MsgTime)).toEqual([T0 + 20, T0 + 30, T0 + 50])
    expect((await list('rc_b')).SessionItem).toEqual([
      { Type: 1, To_Account: 'rc_a', MsgTime: T0 + 50, TopFlag: 0 },
    ])
  })

  it('leaves out messages sent with NoLastMsg, hidden from the sender, or online only', async () => {
    await importAccounts(server, 'rc_n1', 'rc_n2', 'rc_n3', 'rc_n4')
    await send('rc_n1', 'rc_n2', { SendMsgControl: ['NoLastMsg'] })
    await send('rc_n1', 'rc_n3', { SyncOtherMachine: 2 })
    await send('rc_n1', 'rc_n4', { MsgLifeTime: 0 })
    expect((await list('rc_n1')).SessionItem).toEqual([])
    expect((await list('rc_n2')).SessionItem).toEqual([])
    expect((await list('rc_n3')).SessionItem).toMatchObject([{ To_Account: 'rc_n1' }])
    expect((await list('rc_n4')).SessionItem).toEqual([])
    // In a group: a NoLastMsg or online-only message neither creates nor moves the entry.
    await makeGroup(server, 'rc_ng', 'rc_n1', ['rc_n2'])
    clock.set((T0 + 60) * 1000)
    await sendGroup(server, 'rc_ng', 'rc_n1', { SendMsgControl: ['NoLastMsg'] })
    await sendGroup(server, 'rc_ng', 'rc_n1', { OnlineOnlyFlag: 1 })
    expect((await list('rc_n2')).SessionItem).toEqual([])
    await sendGroup(server, 'rc_ng', 'rc_n1', {})
    clock.set((T0 + 61) * 1000)
    await sendGroup(server, 'rc_ng', 'rc_n1', { SendMsgControl: ['NoLastMsg'] })
    expect((await list('rc_n2')).SessionItem).toEqual([
      { Type: 2, GroupId: 'rc_ng', MsgTime: T0 + 60, TopFlag: 0 },
    ])
  })

  it('pages with TimeStamp/StartIndex through entries of one second without loss or repeat', async () => {
    const peers = Array.from({ length: 130 }, (_, i) => `rc_p${String(i).padStart(3, '0')}`)
    await importAccounts(server, 'rc_pager', ...peers.slice(0, 99))
    await importAccounts(server, ...peers.slice(99))
    clock.set((T0 + 100) * 1000)
    for (const p of peers.slice(0, 120)) await send(p, 'rc_pager')
    clock.set((T0 + 101) * 1000)
    for (const p of peers.slice(120)) await send(p, 'rc_pager')
    const first = await list('rc_pager', { AssistFlags: 0 })
    expect(first).toMatchObject({ CompleteFlag: 0, TimeStamp: T0 + 100, StartIndex: 100 })
    const second = await list('rc_pager', { AssistFlags: 0, TimeStamp: T0 + 100, StartIndex: 100 })
    expect(second).toMatchObject({ CompleteFlag: 1, TimeStamp: T0 + 101, StartIndex: 0 })
    const seen = [
      ...(first.SessionItem as { To_Account: string }[]),
      ...(second.SessionItem as { To_Account: string }[]),
    ]
    expect(seen.map((s) => s.To_Account)).toEqual(peers)
  })

  it('lists pinned entries first with TopFlag 1 when AssistFlags has bit 0, among the others without', async () => {
    await importAccounts(server, 'rp_o', 'rp_1', 'rp_2', 'rp_3')
    await makeGroup(server, 'rp_g', 'rp_3', ['rp_o'])
    for (const [i, p] of ['rp_1', 'rp_2', 'rp_3'].entries()) {
      clock.set((T0 + 200 + i) * 1000)
      await send(p, 'rp_o')
    }
    clock.set((T0 + 203) * 1000)
    await sendGroup(server, 'rp_g', 'rp_3')
    const pin = (query: Record<string, string>) => api(server, 'POST', 'accounts/rp_o/pin', query)
    expect(await pin({ peer: 'rp_2' })).toMatchObject({ ErrorCode: 0, TopFlag: 1 })
    expect(await pin({ group: 'rp_g' })).toMatchObject({ ErrorCode: 0 })
    expect(await pin({ peer: 'rp_none' })).toMatchObject({ ErrorCode: 60009 })
    const item = (who: string, t: number, top: 0 | 1) =>
      who === 'rp_g'
        ? { Type: 2, GroupId: who, MsgTime: T0 + t, TopFlag: top }
        : { Type: 1, To_Account: who, MsgTime: T0 + t, TopFlag: top }
    expect((await list('rp_o', { AssistFlags: 1 })).SessionItem).toEqual([
      item('rp_2', 201, 1),
      item('rp_g', 203, 1),
      item('rp_1', 200, 0),
      item('rp_3', 202, 0),
    ])
    expect((await list('rp_o', { AssistFlags: 0 })).SessionItem).toEqual([
      item('rp_1', 200, 0),
      item('rp_2', 201, 0),
      item('rp_3', 202, 0),
      item('rp_g', 203, 0),
    ])
    // A later page of ordinary entries (here: after rp_1) carries no pinned ones without bit 2.
    expect((await list('rp_o', { AssistFlags: 1, TimeStamp: T0 + 200, StartIndex: 1 })).SessionItem).toEqual([
      item('rp_3', 202, 0),
    ])
    // Bit 2 pages the pinned ones with their own cursor.
    expect(
      (
        await list('rp_o', {
          AssistFlags: 5,
          TimeStamp: T0 + 200,
          StartIndex: 1,
          TopTimeStamp: T0 + 201,
          TopStartIndex: 1,
        })
      ).SessionItem,
    ).toEqual([item('rp_g', 203, 1), item('rp_3', 202, 0)])
    await pin({ peer: 'rp_2', pinned: '0' })
    // Deleting a conversation unpins it; the next message brings it back unpinned.
    await remove({ From_Account: 'rp_o', Type: 2, ToGroupid: 'rp_g' })
    await sendGroup(server, 'rp_g', 'rp_3')
    expect(
      ((await list('rp_o', { AssistFlags: 1 })).SessionItem as { TopFlag: number }[]).every(
        (i) => i.TopFlag === 0,
      ),
    ).toBe(true)
  })

  it('answers 50001 for an account that does not exist, 50002 for missing or bad fields, with ErrorDisplay', async () => {
    expect(await list('rc_nobody')).toEqual({
      ActionStatus: 'FAIL',
      ErrorCode: 50001,
      ErrorInfo: 'the account has not been imported',
      ErrorDisplay: '',
    })
    await importAccounts(server, 'rc_f')
    for (const body of [
      {},
      { From_Account: 'rc_f', StartIndex: 0, TopTimeStamp: 0, TopStartIndex: 0, AssistFlags: 0 },
      {
        From_Account: 'rc_f',
        TimeStamp: 'x',
        StartIndex: 0,
        TopTimeStamp: 0,
        TopStartIndex: 0,
        AssistFlags: 0,
      },
      {
        From_Account: 'rc_f',
        TimeStamp: 0,
        StartIndex: 0,
        TopTimeStamp: 0,
        TopStartIndex: 0,
        AssistFlags: 8,
      },
    ]) {
      expect(await server.call('recentcontact/get_list', body), JSON.stringify(body)).toMatchObject({
        ErrorCode: 50002,
        ErrorDisplay: '',
      })
    }
    expect(await server.call('recentcontact/get_list', {}, { rawBody: '{' })).toMatchObject({
      ErrorCode: 50002,
    })
    expect(await list('rc_f', { TimeStamp: '0' as unknown as number })).toMatchObject({ ErrorCode: 0 })
  })

  it('answers 50003 to a caller who is not an admin', async () => {
    await importAccounts(server, 'rc_user')
    const r = await server.call(
      'recentcontact/get_list',
      { From_Account: 'rc_user' },
      { identifier: 'rc_user' },
    )
    expect(r).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 50003, ErrorDisplay: '' })
  })
})

describe('recentcontact/delete', () => {
  it('removes the C2C entry and its unread count from the deleting side only, with no read report', async () => {
    await importAccounts(server, 'rd_a', 'rd_b')
    await send('rd_b', 'rd_a')
    await send('rd_b', 'rd_a')
    await send('rd_a', 'rd_b')
    expect(await unread(server, 'rd_a')).toMatchObject({ AllC2CUnreadMsgNum: 2 })
    expect(await remove({ From_Account: 'rd_a', Type: 1, To_Account: 'rd_b' })).toEqual({
      ActionStatus: 'OK',
      ErrorInfo: '',
      ErrorCode: 0,
      ErrorDisplay: '',
    })
    expect((await list('rd_a')).SessionItem).toEqual([])
    expect((await list('rd_b')).SessionItem).toMatchObject([{ To_Account: 'rd_a' }])
    expect(await unread(server, 'rd_a', ['rd_b'])).toMatchObject({
      AllC2CUnreadMsgNum: 0,
      C2CUnreadMsgNumList: [{ Peer_Account: 'rd_b', C2CUnreadMsgNum: 0 }],
    })
    expect(await unread(server, 'rd_b')).toMatchObject({ AllC2CUnreadMsgNum: 1 })
    // The app's export keeps why those two messages no longer count.
    const exported = (await api(server, 'GET', 'export')) as unknown as {
      c2cMessages: { From_Account: string; To_Account: string; NotCounted?: string }[]
    }
    expect(
      exported.c2cMessages
        .filter((m) => m.From_Account === 'rd_b' && m.To_Account === 'rd_a')
        .map((m) => m.NotCounted),
    ).toEqual(['ConversationDeleted', 'ConversationDeleted'])
    // Without ClearRamble the history stays.
    expect(await roam(server, 'rd_a', 'rd_b')).toHaveLength(3)
    // A new message, even in the same second, brings the conversation back with 1 unread.
    await send('rd_b', 'rd_a')
    expect((await list('rd_a')).SessionItem).toMatchObject([{ To_Account: 'rd_b' }])
    expect(await unread(server, 'rd_a')).toMatchObject({ AllC2CUnreadMsgNum: 1 })
  })

  it('with ClearRamble: 1 hides the history from the deleting side, the peer still sees it', async () => {
    await importAccounts(server, 'rd_c', 'rd_d')
    await send('rd_c', 'rd_d')
    await send('rd_d', 'rd_c')
    expect(await remove({ From_Account: 'rd_c', Type: 1, To_Account: 'rd_d', ClearRamble: 1 })).toMatchObject(
      {
        ErrorCode: 0,
      },
    )
    expect(await roam(server, 'rd_c', 'rd_d')).toEqual([])
    expect(await roam(server, 'rd_d', 'rd_c')).toHaveLength(2)
    // The app's export keeps who no longer sees what: loaded back, the histories are the same.
    const doc = await (await raw(server, 'GET', 'export')).text()
    expect(await api(server, 'POST', 'fixtures', { reset: 1 }, doc)).toMatchObject({ ErrorCode: 0 })
    expect(await roam(server, 'rd_c', 'rd_d')).toEqual([])
    expect(await roam(server, 'rd_d', 'rd_c')).toHaveLength(2)
    await send('rd_d', 'rd_c')
    expect(await roam(server, 'rd_c', 'rd_d')).toHaveLength(1)
  })

  it('hides a group conversation until a newer message; accepts DOBYTE`s type and To_Account', async () => {
    await makeGroup(server, 'rd_g', 'rd_owner', ['rd_m'])
    await sendGroup(server, 'rd_g', 'rd_owner')
    expect((await list('rd_m')).SessionItem).toMatchObject([{ Type: 2, GroupId: 'rd_g' }])
    const unreadOf = async (member: string) => {
      const doc = (await api(server, 'GET', 'export')) as unknown as {
        groups: { GroupId: string; Members: { Member_Account: string; UnreadMsgNum?: number }[] }[]
      }
      const group = doc.groups.find((g) => g.GroupId === 'rd_g')!
      return group.Members.find((m) => m.Member_Account === member)!.UnreadMsgNum
    }
    await server.call('group_open_http_svc/set_unread_msg_num', {
      GroupId: 'rd_g',
      Member_Account: 'rd_m',
      UnreadMsgNum: 1,
    })
    expect(await unreadOf('rd_m')).toBe(1)
    expect(await remove({ From_Account: 'rd_m', Type: 2, ToGroupid: 'rd_g', ClearRamble: 1 })).toMatchObject({
      ErrorCode: 0,
    })
    expect(await unreadOf('rd_m')).toBe(0)
    expect((await list('rd_m')).SessionItem).toEqual([])
    expect((await list('rd_owner')).SessionItem).toMatchObject([{ Type: 2, GroupId: 'rd_g' }])
    await sendGroup(server, 'rd_g', 'rd_owner')
    expect((await list('rd_m')).SessionItem).toMatchObject([{ Type: 2, GroupId: 'rd_g' }])
    expect(await remove({ From_Account: 'rd_m', type: 2, To_Account: 'rd_g' })).toMatchObject({
      ErrorCode: 0,
    })
    expect((await list('rd_m')).SessionItem).toEqual([])
  })

  it('succeeds for a conversation that does not exist; 50001 for an unknown user; 50002 for bad fields', async () => {
    await importAccounts(server, 'rd_e')
    expect(await remove({ From_Account: 'rd_e', Type: 1, To_Account: 'rd_none' })).toMatchObject({
      ErrorCode: 0,
    })
    expect(await remove({ From_Account: 'rd_e', Type: 2, ToGroupid: 'rd_nogroup' })).toMatchObject({
      ErrorCode: 0,
    })
    expect(await remove({ From_Account: 'rd_ghost', Type: 1, To_Account: 'rd_e' })).toMatchObject({
      ErrorCode: 50001,
      ErrorDisplay: '',
    })
    for (const body of [
      { Type: 1, To_Account: 'rd_e' },
      { From_Account: 'rd_e', To_Account: 'x' },
      { From_Account: 'rd_e', Type: 3, To_Account: 'x' },
      { From_Account: 'rd_e', Type: 1 },
      { From_Account: 'rd_e', Type: 2 },
      { From_Account: 'rd_e', Type: 1, To_Account: 'x', ClearRamble: 2 },
    ]) {
      expect(await remove(body), JSON.stringify(body)).toMatchObject({ ErrorCode: 50002 })
    }
  })
})
