/** add_group_member, delete_group_member and destroy_group (spec §6.3–§6.5). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../../helpers/server.js'
import { code, importAccounts, makeGroup, ok, outboxReader, send } from './helpers.js'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
  await importAccounts(server, ['dave', 'erin'])
  await makeGroup(server, 'club', 'owner', ['a', 'b'])
})
afterAll(() => server.close())

describe('add_group_member', () => {
  it('answers a Result per member: 1 added, 2 already a member (or repeated), 0 not imported', async () => {
    const events = outboxReader(server)
    await events()
    const r = await ok(server, 'add_group_member', {
      GroupId: 'club',
      MemberList: [
        { Member_Account: 'dave' },
        { Member_Account: 'a' },
        { Member_Account: 'ghost' },
        { Member_Account: 'dave' },
      ],
    })
    expect(r.MemberList).toEqual([
      { Member_Account: 'dave', Result: 1 },
      { Member_Account: 'a', Result: 2 },
      { Member_Account: 'ghost', Result: 0 },
      { Member_Account: 'dave', Result: 2 },
    ])
    expect((await events()).map((e) => e.body)).toEqual([
      {
        CallbackCommand: 'Group.CallbackAfterNewMemberJoin',
        GroupId: 'club',
        Type: 'Public',
        JoinType: 'Invited',
        Operator_Account: 'administrator',
        NewMemberList: [{ Member_Account: 'dave' }],
        EventTime: expect.any(Number),
      },
    ])
  })

  it('answers 10004, 10005, 10010, 10015, 60015 for bad requests', async () => {
    expect(await code(server, 'add_group_member', { GroupId: 'club' })).toBe(10004)
    expect(await code(server, 'add_group_member', { GroupId: 'club', MemberList: [] })).toBe(10004)
    expect(
      await code(server, 'add_group_member', { GroupId: 'club', MemberList: [{ Member_Account: 1 }] }),
    ).toBe(60015)
    const many = Array.from({ length: 301 }, (_, i) => ({ Member_Account: `m${i}` }))
    expect(await code(server, 'add_group_member', { GroupId: 'club', MemberList: many })).toBe(10005)
    expect(
      await code(server, 'add_group_member', { GroupId: 'none', MemberList: [{ Member_Account: 'a' }] }),
    ).toBe(10010)
    expect(
      await code(server, 'add_group_member', { GroupId: '', MemberList: [{ Member_Account: 'a' }] }),
    ).toBe(10004)
    expect(
      await code(server, 'add_group_member', { GroupId: 'é', MemberList: [{ Member_Account: 'a' }] }),
    ).toBe(10015)
  })

  it('answers 10014 when the group would pass MaxMemberCount, adding no one', async () => {
    await ok(server, 'create_group', { GroupId: 'tiny', Type: 'Private', Name: 't', MaxMemberCount: 2 })
    const three = ['a', 'b', 'dave'].map((m) => ({ Member_Account: m }))
    expect(await code(server, 'add_group_member', { GroupId: 'tiny', MemberList: three })).toBe(10014)
    const r = await ok(server, 'add_group_member', { GroupId: 'tiny', MemberList: three.slice(0, 2) })
    expect(r.MemberList).toEqual([
      { Member_Account: 'a', Result: 1 },
      { Member_Account: 'b', Result: 1 },
    ])
  })

  it('answers 10007 for AVChatRoom', async () => {
    await ok(server, 'create_group', { GroupId: 'av', Type: 'AVChatRoom', Name: 'av' })
    expect(
      await code(server, 'add_group_member', { GroupId: 'av', MemberList: [{ Member_Account: 'a' }] }),
    ).toBe(10007)
  })
})

describe('delete_group_member', () => {
  it('removes members, succeeds for non-members, fires Group.CallbackAfterMemberExit once', async () => {
    const events = outboxReader(server)
    await events()
    await ok(server, 'delete_group_member', { GroupId: 'club', MemberToDel_Account: ['b', 'erin'] })
    expect((await events()).map((e) => e.body)).toEqual([
      {
        CallbackCommand: 'Group.CallbackAfterMemberExit',
        GroupId: 'club',
        Type: 'Public',
        ExitType: 'Kicked',
        Operator_Account: 'administrator',
        ExitMemberList: [{ Member_Account: 'b' }],
        EventTime: expect.any(Number),
      },
    ])
    await ok(server, 'delete_group_member', { GroupId: 'club', MemberToDel_Account: ['erin'] })
    expect(await events()).toEqual([])
  })

  it('answers 10004 for the owner, AVChatRoom, a bad list; 60015 for a non-string; 10010 unknown group', async () => {
    expect(
      await code(server, 'delete_group_member', { GroupId: 'club', MemberToDel_Account: ['owner'] }),
    ).toBe(10004)
    expect(await code(server, 'delete_group_member', { GroupId: 'av', MemberToDel_Account: ['a'] })).toBe(
      10004,
    )
    expect(await code(server, 'delete_group_member', { GroupId: 'club', MemberToDel_Account: [] })).toBe(
      10004,
    )
    const many = Array.from({ length: 101 }, (_, i) => `m${i}`)
    expect(await code(server, 'delete_group_member', { GroupId: 'club', MemberToDel_Account: many })).toBe(
      10004,
    )
    expect(await code(server, 'delete_group_member', { GroupId: 'club', MemberToDel_Account: [5] })).toBe(
      60015,
    )
    expect(await code(server, 'delete_group_member', { GroupId: 'zzz', MemberToDel_Account: ['a'] })).toBe(
      10010,
    )
  })
})

describe('destroy_group', () => {
  it('removes the group and its messages and fires Group.CallbackAfterGroupDestroyed', async () => {
    await makeGroup(server, 'doomed', 'owner', ['a'])
    await send(server, 'doomed', 'a')
    const events = outboxReader(server)
    await events()
    await ok(server, 'destroy_group', { GroupId: 'doomed' })
    expect((await events()).map((e) => e.body)).toEqual([
      {
        CallbackCommand: 'Group.CallbackAfterGroupDestroyed',
        GroupId: 'doomed',
        Type: 'Public',
        Owner_Account: 'owner',
        Name: 'doomed',
        MemberList: [{ Member_Account: 'owner' }, { Member_Account: 'a' }],
        EventTime: expect.any(Number),
      },
    ])
    expect(
      await code(server, 'get_group_msg_receipt', { GroupId: 'doomed', MsgSeqList: [{ MsgSeq: 1 }] }),
    ).toBe(10010)
    expect(await code(server, 'destroy_group', { GroupId: 'doomed' })).toBe(10010)
    // The id is free again; the new group starts from MsgSeq 1.
    await makeGroup(server, 'doomed', 'owner', ['a'])
    expect(await send(server, 'doomed', 'a')).toBe(1)
  })

  it('answers 10004 without GroupId and 10015 for a malformed one', async () => {
    expect(await code(server, 'destroy_group', {})).toBe(10004)
    expect(await code(server, 'destroy_group', { GroupId: 12 })).toBe(10004)
    expect(await code(server, 'destroy_group', { GroupId: 'x'.repeat(60) })).toBe(10015)
  })
})
