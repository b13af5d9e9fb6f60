/**
 * The group read APIs (spec part 2 §14): get_joined_group_list, get_group_info,
 * get_group_member_info, get_specified_group_member_info, get_role_in_group and
 * get_appid_group_list, over HTTP: fields, filters, paging and error codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, testApp, testConfig, type TestServer } from '../../helpers/server.js'
import { code, importAccounts, makeGroup, ok, send } from './helpers.js'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.close())

const plain = { NeedReadReceipt: 0 }

describe('get_joined_group_list', () => {
  it('lists the groups by join, with base fields and SelfInfo as filtered, and TotalCount before paging', async () => {
    await importAccounts(server, ['jg_u', 'jg_o'])
    await makeGroup(server, 'jg_pub', 'jg_o', ['jg_u'])
    await makeGroup(server, 'jg_work', 'jg_o', ['jg_u'], 'Private')
    await ok(server, 'create_group', { GroupId: 'jg_live', Type: 'AVChatRoom', Name: 'live' })
    await ok(server, 'add_group_member', { GroupId: 'jg_pub', MemberList: [{ Member_Account: 'jg_u' }] })
    await send(server, 'jg_pub', 'jg_o', plain)
    await send(server, 'jg_pub', 'jg_o', plain)

    // Plain request: GroupIds only; the Work group has no message yet (not activated).
    const plainList = await ok(server, 'get_joined_group_list', { Member_Account: 'jg_u' })
    expect(plainList).toMatchObject({ TotalCount: 1, GroupIdList: [{ GroupId: 'jg_pub' }] })
    expect(Object.keys((plainList.GroupIdList as object[])[0]!)).toEqual(['GroupId'])

    const all = await ok(server, 'get_joined_group_list', {
      Member_Account: 'jg_u',
      WithNoActiveGroups: 1,
      Limit: 1,
      Offset: 0,
      ResponseFilter: {
        GroupBaseInfoFilter: [
          'Type',
          'Name',
          'NextMsgSeq',
          'MemberNum',
          'LastMsgTime',
          'ShutUpAllMember',
          'Nope',
        ],
        SelfInfoFilter: ['Role', 'MsgSeq', 'UnreadMsgNum', 'MsgFlag', 'ShutUpUntil'],
      },
    })
    expect(all.TotalCount).toBe(2)
    expect(all.GroupIdList).toEqual([
      {
        GroupId: 'jg_pub',
        Type: 'Public',
        Name: 'jg_pub',
        NextMsgSeq: 3,
        MemberNum: 2,
        LastMsgTime: expect.any(Number),
        MuteAllMember: 'Off',
        SelfInfo: { Role: 'Member', MsgSeq: 0, UnreadMsgNum: 2, MsgFlag: 'AcceptAndNotify', MuteUntil: 0 },
      },
    ])
    const second = await ok(server, 'get_joined_group_list', {
      Member_Account: 'jg_u',
      WithNoActiveGroups: 1,
      Limit: 1,
      Offset: 1,
      GroupType: 'Private',
    })
    expect(second).toMatchObject({ TotalCount: 1, GroupIdList: [] })
    const work = await ok(server, 'get_joined_group_list', {
      Member_Account: 'jg_u',
      WithNoActiveGroups: 1,
      Type: 'Work',
    })
    expect(work).toMatchObject({ TotalCount: 1, GroupIdList: [{ GroupId: 'jg_work' }] })
  })

  it('leaves AVChatRoom groups out unless WithHugeGroups is 1; an unknown account has none', async () => {
    await importAccounts(server, ['jh_o'])
    await ok(server, 'create_group', {
      GroupId: 'jh_live',
      Type: 'AVChatRoom',
      Name: 'l',
      Owner_Account: 'jh_o',
    })
    expect(await ok(server, 'get_joined_group_list', { Member_Account: 'jh_o' })).toMatchObject({
      TotalCount: 0,
    })
    expect(
      await ok(server, 'get_joined_group_list', { Member_Account: 'jh_o', WithHugeGroups: 1 }),
    ).toMatchObject({ TotalCount: 1, GroupIdList: [{ GroupId: 'jh_live' }] })
    expect(await ok(server, 'get_joined_group_list', { Member_Account: 'jh_nobody' })).toMatchObject({
      TotalCount: 0,
      GroupIdList: [],
    })
  })

  it('answers 10004 and 60015 for bad requests', async () => {
    const c = (body: unknown) => code(server, 'get_joined_group_list', body)
    expect(await c({})).toBe(10004)
    expect(await c({ Member_Account: 7 })).toBe(60015)
    expect(await c({ Member_Account: 'x', Limit: 5001 })).toBe(10004)
    expect(await c({ Member_Account: 'x', Offset: -1 })).toBe(10004)
    expect(await c({ Member_Account: 'x', GroupType: 'Big' })).toBe(10004)
    expect(await c({ Member_Account: 'x', WithHugeGroups: 2 })).toBe(10004)
    expect(await c({ Member_Account: 'x', ResponseFilter: [] })).toBe(10004)
    expect(await c({ Member_Account: 'x', ResponseFilter: { SelfInfoFilter: 'Role' } })).toBe(10004)
    expect(await c({ Member_Account: 'x', SupportTopic: 1 })).toBe(10004)
  })
})

describe('get_group_info', () => {
  it('answers every base field and member with read seqs, per-group errors in request order', async () => {
    await importAccounts(server, ['gi_o', 'gi_m'])
    await ok(server, 'create_group', {
      GroupId: 'gi_1',
      Type: 'Public',
      Name: 'info',
      Introduction: 'intro',
      Notification: 'note',
      FaceUrl: 'http://x/y.png',
      ApplyJoinOption: 'FreeAccess',
      MaxMemberCount: 50,
      Owner_Account: 'gi_o',
      MemberList: [{ Member_Account: 'gi_m' }],
    })
    await send(server, 'gi_1', 'gi_o', plain)
    const r = await ok(server, 'get_group_info', { GroupIdList: ['gi_1', 'gi_none', '\u0001'] })
    const [g, none, bad] = r.GroupInfo as Record<string, unknown>[]
    expect(g).toEqual({
      GroupId: 'gi_1',
      ErrorCode: 0,
      ErrorInfo: '',
      Type: 'Public',
      Name: 'info',
      Introduction: 'intro',
      Notification: 'note',
      FaceUrl: 'http://x/y.png',
      Owner_Account: 'gi_o',
      CreateTime: expect.any(Number),
      InfoSeq: 0,
      LastInfoTime: expect.any(Number),
      LastMsgTime: expect.any(Number),
      NextMsgSeq: 2,
      MemberNum: 2,
      MaxMemberNum: 50,
      ApplyJoinOption: 'FreeAccess',
      MuteAllMember: 'Off',
      Appid: 1400000000,
      OnlineMemberNum: 0,
      AppDefinedData: [],
      MemberList: [
        expect.objectContaining({
          Member_Account: 'gi_o',
          Role: 'Owner',
          MsgSeq: 1,
          MuteUntil: 0,
          NameCard: '',
        }),
        expect.objectContaining({ Member_Account: 'gi_m', Role: 'Member', MsgSeq: 0, LastSendMsgTime: 0 }),
      ],
    })
    expect(none).toEqual({ GroupId: 'gi_none', ErrorCode: 10010, ErrorInfo: 'this group does not exist' })
    expect(bad).toMatchObject({ GroupId: '\u0001', ErrorCode: 10015 })
    const filtered = await ok(server, 'get_group_info', {
      GroupIdList: ['gi_1'],
      ResponseFilter: { GroupBaseInfoFilter: ['NextMsgSeq'], MemberInfoFilter: ['MsgSeq'] },
    })
    expect(filtered.GroupInfo).toEqual([
      {
        GroupId: 'gi_1',
        ErrorCode: 0,
        ErrorInfo: '',
        NextMsgSeq: 2,
        Appid: 1400000000,
        OnlineMemberNum: 0,
        MemberList: [
          { Member_Account: 'gi_o', MsgSeq: 1 },
          { Member_Account: 'gi_m', MsgSeq: 0 },
        ],
      },
    ])
    expect(await code(server, 'get_group_info', { GroupIdList: [] })).toBe(10004)
    expect(await code(server, 'get_group_info', {})).toBe(10004)
    const many = Array.from({ length: 51 }, (_, i) => `g${i}`)
    expect(await code(server, 'get_group_info', { GroupIdList: many })).toBe(10004)
  })
})

describe('get_group_member_info', () => {
  it('pages members in join order, filters roles, and reports the whole MemberNum', async () => {
    await makeGroup(server, 'gm_1', 'gm_o', ['gm_a', 'gm_b', 'gm_c'])
    await ok(server, 'add_group_member', { GroupId: 'gm_1', MemberList: [{ Member_Account: 'gm_a' }] })
    const page = await ok(server, 'get_group_member_info', {
      GroupId: 'gm_1',
      Limit: 2,
      Offset: 1,
      MemberInfoFilter: ['Role'],
    })
    expect(page).toMatchObject({
      MemberNum: 4,
      MemberList: [
        { Member_Account: 'gm_a', Role: 'Member' },
        { Member_Account: 'gm_b', Role: 'Member' },
      ],
    })
    const owners = await ok(server, 'get_group_member_info', { GroupId: 'gm_1', MemberRoleFilter: ['Owner'] })
    expect(owners.MemberNum).toBe(4)
    expect(owners.MemberList).toEqual([
      {
        Member_Account: 'gm_o',
        Role: 'Owner',
        JoinTime: expect.any(Number),
        MsgSeq: 0,
        MsgFlag: 'AcceptAndNotify',
        LastSendMsgTime: 0,
        NameCard: '',
        MuteUntil: 0,
        AppMemberDefinedData: [],
      },
    ])
    const c = (body: unknown) => code(server, 'get_group_member_info', body)
    expect(await c({})).toBe(10004)
    expect(await c({ GroupId: 'gm_none' })).toBe(10010)
    expect(await c({ GroupId: 'gm_1', Limit: 6001 })).toBe(10004)
    expect(await c({ GroupId: 'gm_1', MemberRoleFilter: ['Boss'] })).toBe(10004)
  })

  it('pages a Community by Next and refuses AVChatRoom with 10007', async () => {
    await makeGroup(server, '@TGS#_gm_comm', 'gc_o', ['gc_a', 'gc_b'], 'Community')
    const first = await ok(server, 'get_group_member_info', { GroupId: '@TGS#_gm_comm', Limit: 2, Next: '' })
    expect((first.MemberList as object[]).length).toBe(2)
    expect(first.Next).not.toBe('')
    const last = await ok(server, 'get_group_member_info', {
      GroupId: '@TGS#_gm_comm',
      Limit: 2,
      Next: first.Next,
    })
    expect(last).toMatchObject({ Next: '', MemberList: [{ Member_Account: 'gc_b' }] })
    expect(await code(server, 'get_group_member_info', { GroupId: '@TGS#_gm_comm', Limit: 101 })).toBe(10004)
    await ok(server, 'create_group', { GroupId: 'gm_live', Type: 'AVChatRoom', Name: 'l' })
    expect(await code(server, 'get_group_member_info', { GroupId: 'gm_live' })).toBe(10007)
  })
})

describe('get_specified_group_member_info and get_role_in_group', () => {
  it('answer only the named members; roles in request order with NotMember', async () => {
    await makeGroup(server, 'sp_1', 'sp_o', ['sp_a'])
    await importAccounts(server, ['sp_x'])
    const r = await ok(server, 'get_specified_group_member_info', {
      GroupId: 'sp_1',
      Member_List_Account: ['sp_x', 'sp_a'],
      MemberInfoFilter: ['Role', 'OnlineStatus'],
    })
    expect(r.MemberList).toEqual([{ Member_Account: 'sp_a', Role: 'Member', OnlineStatus: 'Offline' }])
    const roles = await ok(server, 'get_role_in_group', {
      GroupId: 'sp_1',
      User_Account: ['sp_a', 'sp_ghost', 'sp_o'],
    })
    expect(roles.UserIdList).toEqual([
      { Member_Account: 'sp_a', Role: 'Member' },
      { Member_Account: 'sp_ghost', Role: 'NotMember' },
      { Member_Account: 'sp_o', Role: 'Owner' },
    ])
    const many = Array.from({ length: 501 }, (_, i) => `u${i}`)
    expect(await code(server, 'get_role_in_group', { GroupId: 'sp_1', User_Account: many })).toBe(10005)
    expect(await code(server, 'get_role_in_group', { GroupId: 'sp_1', User_Account: [1] })).toBe(60015)
    expect(await code(server, 'get_role_in_group', { GroupId: 'sp_none', User_Account: ['a'] })).toBe(10010)
    const fifty = Array.from({ length: 51 }, (_, i) => `u${i}`)
    expect(
      await code(server, 'get_specified_group_member_info', { GroupId: 'sp_1', Member_List_Account: fifty }),
    ).toBe(10004)
  })
})

describe('get_appid_group_list', () => {
  it('pages every group id in creation order with a positive Next, 0 on the last page', async () => {
    const fresh = await startTestServer()
    try {
      await importAccounts(fresh, ['ap_o'])
      for (const [id, type] of [
        ['ap_1', 'Public'],
        ['ap_2', 'Private'],
        ['ap_3', 'Public'],
      ]) {
        await ok(fresh, 'create_group', { GroupId: id, Type: type, Name: id, Owner_Account: 'ap_o' })
      }
      const first = await ok(fresh, 'get_appid_group_list', { Limit: 2 })
      expect(first).toMatchObject({ TotalCount: 3, GroupIdList: [{ GroupId: 'ap_1' }, { GroupId: 'ap_2' }] })
      expect(first.Next).toBeGreaterThan(0)
      // Tencent allows one call a second; the test app has no rate limit.
      const rest = await ok(fresh, 'get_appid_group_list', { Limit: 2, Next: first.Next })
      expect(rest).toMatchObject({ TotalCount: 3, GroupIdList: [{ GroupId: 'ap_3' }], Next: 0 })
      const pub = await ok(fresh, 'get_appid_group_list', { GroupType: 'Public' })
      expect(pub).toMatchObject({
        TotalCount: 2,
        GroupIdList: [{ GroupId: 'ap_1' }, { GroupId: 'ap_3' }],
        Next: 0,
      })
      expect(await ok(fresh, 'get_appid_group_list', {})).toMatchObject({ TotalCount: 3 })
      const legacy = await ok(fresh, 'get_appid_group_list', { Limit: 1, Offset: 1 })
      expect(legacy).toMatchObject({ TotalCount: 3, GroupIdList: [{ GroupId: 'ap_2' }] })
      expect(legacy.Next).toBe(first.Next) // both pages end at ap_2
      expect(await ok(fresh, 'get_appid_group_list', { GroupType: 'BChatRoom' })).toMatchObject({
        TotalCount: 0,
        GroupIdList: [],
        Next: 0,
      })
      expect(await code(fresh, 'get_appid_group_list', { GroupType: 'Huge' })).toBe(10004)
      expect(await code(fresh, 'get_appid_group_list', { Limit: 10001 })).toBe(10004)
    } finally {
      await fresh.close()
    }
  })
})

describe('renamed mute fields (spec part 2 §13.3)', () => {
  it('emits only the current names, and the old ones beside them with legacyMuteFieldNames', async () => {
    const legacy = await startTestServer(testConfig([testApp({ legacyMuteFieldNames: true })]))
    try {
      for (const s of [server, legacy]) await makeGroup(s, 'lg_1', 'lg_o', [])
      const ask = (s: TestServer) =>
        ok(s, 'get_group_info', {
          GroupIdList: ['lg_1'],
          ResponseFilter: { GroupBaseInfoFilter: ['ShutUpAllMember'], MemberInfoFilter: ['ShutUpUntil'] },
        })
      expect((await ask(server)).GroupInfo).toMatchObject([
        { MuteAllMember: 'Off', MemberList: [{ Member_Account: 'lg_o', MuteUntil: 0 }] },
      ])
      expect(JSON.stringify((await ask(server)).GroupInfo)).not.toContain('ShutUp')
      expect((await ask(legacy)).GroupInfo).toMatchObject([
        {
          MuteAllMember: 'Off',
          ShutUpAllMember: 'Off',
          MemberList: [{ Member_Account: 'lg_o', MuteUntil: 0, ShutUpUntil: 0 }],
        },
      ])
    } finally {
      await legacy.close()
    }
  })
})
