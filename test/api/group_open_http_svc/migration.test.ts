/**
 * Migration from Tencent (spec part 2 §16): import_group, import_group_msg and import_group_member,
 * and the end-to-end walk of §16.4 — an exported state imported in the documented order, every
 * member's badge read back through get_joined_group_list and get_group_member_info.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../../helpers/server.js'
import { code, importAccounts, ok, text } from './helpers.js'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.close())

const now = () => Math.floor(Date.now() / 1000)
const msg = (from: string, sendTime: number, random: number) => ({
  From_Account: from,
  SendTime: sendTime,
  Random: random,
  MsgBody: text(`m${random}`),
})

async function badges(groupId: string, users: readonly string[]) {
  const out: Record<string, unknown> = {}
  for (const u of users) {
    const r = await ok(server, 'get_joined_group_list', {
      Member_Account: u,
      ResponseFilter: { SelfInfoFilter: ['MsgSeq', 'UnreadMsgNum'] },
    })
    out[u] = (r.GroupIdList as { GroupId: string; SelfInfo: unknown }[]).find(
      (g) => g.GroupId === groupId,
    )?.SelfInfo
  }
  return out
}

describe('migration (§16.4)', () => {
  it('imports a group, its history and its members with unread counts; every badge reads back', async () => {
    const created = now() - 10_000
    await importAccounts(server, ['mg_owner', 'mg_b', 'mg_c', 'mg_d'])
    await ok(server, 'import_group', {
      GroupId: 'mg_team',
      Type: 'Public',
      Name: 'Team',
      Owner_Account: 'mg_owner',
      CreateTime: created,
    })
    const sendTimes = [1, 2, 3, 4, 5].map((i) => created + i * 100)
    const first = await ok(server, 'import_group_msg', {
      GroupId: 'mg_team',
      MsgList: sendTimes.slice(0, 3).map((t, i) => msg(i === 1 ? 'mg_c' : 'mg_owner', t, i + 1)),
    })
    expect(first.ImportMsgResult).toEqual(
      sendTimes.slice(0, 3).map((t, i) => ({ MsgSeq: i + 1, MsgTime: t, Result: 0 })),
    )
    await ok(server, 'import_group_msg', {
      GroupId: 'mg_team',
      MsgList: sendTimes.slice(3).map((t, i) => msg('mg_owner', t, i + 4)),
    })
    const members = await ok(server, 'import_group_member', {
      GroupId: 'mg_team',
      MemberList: [
        { Member_Account: 'mg_b', JoinTime: created + 50, UnreadMsgNum: 2 },
        { Member_Account: 'mg_c', Role: 'Admin', JoinTime: created + 60, UnreadMsgNum: 4 },
        { Member_Account: 'mg_d', JoinTime: created + 70, UnreadMsgNum: 99 },
        { Member_Account: 'mg_owner', UnreadMsgNum: 3 },
        { Member_Account: 'mg_ghost' },
      ],
    })
    expect(members.MemberList).toEqual([
      { Member_Account: 'mg_b', Result: 1 },
      { Member_Account: 'mg_c', Result: 1 },
      { Member_Account: 'mg_d', Result: 1 },
      { Member_Account: 'mg_owner', Result: 2 },
      { Member_Account: 'mg_ghost', Result: 0 },
    ])
    // b: 2 unread → read up to 3. c: its own seq 2 never counts, so 4 unread is 1, 3, 4, 5 → read seq 0.
    // d: 99 is capped at the 5 messages. The owner was a member already: read everything at import.
    expect(await badges('mg_team', ['mg_b', 'mg_c', 'mg_d', 'mg_owner'])).toEqual({
      mg_b: { MsgSeq: 3, UnreadMsgNum: 2 },
      mg_c: { MsgSeq: 0, UnreadMsgNum: 4 },
      mg_d: { MsgSeq: 0, UnreadMsgNum: 5 },
      mg_owner: { MsgSeq: 5, UnreadMsgNum: 0 },
    })
    const info = await ok(server, 'get_group_member_info', {
      GroupId: 'mg_team',
      MemberInfoFilter: ['Role', 'JoinTime', 'MsgSeq', 'UnreadMsgNum'],
    })
    expect(info.MemberList).toEqual([
      { Member_Account: 'mg_owner', Role: 'Owner', JoinTime: created, MsgSeq: 5, UnreadMsgNum: 0 },
      { Member_Account: 'mg_b', Role: 'Member', JoinTime: created + 50, MsgSeq: 3, UnreadMsgNum: 2 },
      { Member_Account: 'mg_c', Role: 'Admin', JoinTime: created + 60, MsgSeq: 0, UnreadMsgNum: 4 },
      { Member_Account: 'mg_d', Role: 'Member', JoinTime: created + 70, MsgSeq: 0, UnreadMsgNum: 5 },
    ])
    const group = await ok(server, 'get_group_info', {
      GroupIdList: ['mg_team'],
      ResponseFilter: { GroupBaseInfoFilter: ['NextMsgSeq', 'LastMsgTime', 'CreateTime', 'MemberNum'] },
    })
    expect(group.GroupInfo).toMatchObject([
      { NextMsgSeq: 6, LastMsgTime: sendTimes[4], CreateTime: created, MemberNum: 4 },
    ])
    // One more imported message: everyone has read everything again.
    await ok(server, 'import_group_msg', { GroupId: 'mg_team', MsgList: [msg('mg_owner', created + 600, 6)] })
    expect(await badges('mg_team', ['mg_b'])).toEqual({ mg_b: { MsgSeq: 6, UnreadMsgNum: 0 } })
  })
})

describe('import_group', () => {
  it('answers 10007 for AVChatRoom, 10021 for an id in use, 10004 for a future CreateTime', async () => {
    await importAccounts(server, ['ig_o'])
    const body = { GroupId: 'ig_1', Type: 'Public', Name: 'n', Owner_Account: 'ig_o' }
    expect((await ok(server, 'import_group', body)).GroupId).toBe('ig_1')
    expect(await code(server, 'import_group', body)).toBe(10021)
    expect(await code(server, 'import_group', { ...body, GroupId: 'ig_2', Type: 'AVChatRoom' })).toBe(10007)
    expect(await code(server, 'import_group', { ...body, GroupId: 'ig_3', CreateTime: now() + 3600 })).toBe(
      10004,
    )
    expect(await code(server, 'import_group', { ...body, GroupId: 'ig_4', MaxMemberCount: 6001 })).toBe(10004)
    expect(await code(server, 'import_group', { ...body, GroupId: 'ig_5', Owner_Account: 'ig_nobody' })).toBe(
      10019,
    )
    expect(await code(server, 'import_group', { Type: 'Public' })).toBe(10004)
    const generated = await ok(server, 'import_group', { Type: 'Private', Name: 'gen' })
    expect(generated.GroupId).toMatch(/^@TGS#/)
  })
})

describe('import_group_msg', () => {
  it('fails single messages out of order, in the future, too long or from unknown accounts, with no seq', async () => {
    const created = now() - 1000
    await importAccounts(server, ['im_o'])
    await ok(server, 'import_group', {
      GroupId: 'im_1',
      Type: 'Public',
      Name: 'n',
      Owner_Account: 'im_o',
      CreateTime: created,
    })
    const long = [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'x'.repeat(13_000) } }]
    const r = await ok(server, 'import_group_msg', {
      GroupId: 'im_1',
      MsgList: [
        msg('im_o', created + 10, 1),
        msg('im_o', created + 5, 2),
        msg('im_o', now() + 100, 3),
        { ...msg('im_o', created + 20, 4), MsgBody: long },
        msg('im_nobody', created + 30, 5),
        msg('im_o', created + 10, 1),
        msg('im_o', created + 40, 6),
      ],
    })
    expect(
      (r.ImportMsgResult as { MsgSeq: number; Result: number }[]).map((x) => [x.MsgSeq, x.Result]),
    ).toEqual([
      [1, 0],
      [0, 10004],
      [0, 10004],
      [0, 80002],
      [0, 10004],
      [1, 0], // the same Random and body again: the first copy
      [2, 0],
    ])
    const c = (body: unknown) => code(server, 'import_group_msg', body)
    expect(await c({ GroupId: 'im_1' })).toBe(10004)
    expect(
      await c({
        GroupId: 'im_1',
        MsgList: Array.from({ length: 21 }, (_, i) => msg('im_o', created + 50, i)),
      }),
    ).toBe(10004)
    expect(await c({ GroupId: 'im_1', MsgList: [{ From_Account: 'im_o', SendTime: created }] })).toBe(10004)
    expect(await c({ GroupId: 'im_none', MsgList: [msg('im_o', created + 50, 9)] })).toBe(10010)
    await ok(server, 'create_group', { GroupId: 'im_live', Type: 'AVChatRoom', Name: 'l' })
    expect(await c({ GroupId: 'im_live', MsgList: [msg('im_o', created + 50, 9)] })).toBe(10007)
  })
})

describe('import_group_member', () => {
  it('answers 10005 past 300 members, 10004 for a bad Role, and fails members past MaxMemberCount', async () => {
    await importAccounts(server, ['ia_o', 'ia_a', 'ia_b'])
    await ok(server, 'import_group', {
      GroupId: 'ia_1',
      Type: 'Private',
      Name: 'n',
      Owner_Account: 'ia_o',
      MaxMemberCount: 2,
      CreateTime: now() - 100,
    })
    const r = await ok(server, 'import_group_member', {
      GroupId: 'ia_1',
      MemberList: [{ Member_Account: 'ia_a' }, { Member_Account: 'ia_b' }, { Member_Account: 'ia_a' }],
    })
    expect(r.MemberList).toEqual([
      { Member_Account: 'ia_a', Result: 1 },
      { Member_Account: 'ia_b', Result: 0 },
      { Member_Account: 'ia_a', Result: 2 },
    ])
    const many = Array.from({ length: 301 }, (_, i) => ({ Member_Account: `u${i}` }))
    expect(await code(server, 'import_group_member', { GroupId: 'ia_1', MemberList: many })).toBe(10005)
    const bad = [{ Member_Account: 'ia_b', Role: 'Owner' }]
    expect(await code(server, 'import_group_member', { GroupId: 'ia_1', MemberList: bad })).toBe(10004)
    const early = [{ Member_Account: 'ia_b', JoinTime: 5 }]
    expect(
      (await ok(server, 'import_group_member', { GroupId: 'ia_1', MemberList: early })).MemberList,
    ).toEqual([{ Member_Account: 'ia_b', Result: 0 }])
  })
})
