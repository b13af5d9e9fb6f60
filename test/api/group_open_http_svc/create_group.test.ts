import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../../helpers/server.js'
import { code, importAccounts, ok, outboxReader } from './helpers.js'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
  await importAccounts(server, ['alice', 'bob', 'carol'])
})
afterAll(() => server.close())

describe('create_group', () => {
  it('creates a group with a custom id and fires Group.CallbackAfterCreateGroup', async () => {
    const events = outboxReader(server)
    const r = await ok(server, 'create_group', {
      GroupId: 'team',
      Type: 'Work',
      Name: 'Team',
      Owner_Account: 'alice',
      MemberList: [{ Member_Account: 'bob', Role: 'Admin' }, { Member_Account: 'alice' }],
    })
    expect(r.GroupId).toBe('team')
    const [e] = await events()
    expect(e).toMatchObject({ command: 'Group.CallbackAfterCreateGroup', ordering_key: 'group:team' })
    expect(e!.body).toEqual({
      CallbackCommand: 'Group.CallbackAfterCreateGroup',
      GroupId: 'team',
      Type: 'Private',
      Operator_Account: 'administrator',
      Owner_Account: 'alice',
      Name: 'Team',
      MemberList: [{ Member_Account: 'bob' }],
      EventTime: expect.any(Number),
    })
  })

  it('generates @TGS# ids, and @TGS#_ ids for communities', async () => {
    expect((await ok(server, 'create_group', { Type: 'Public', Name: 'x' })).GroupId).toMatch(/^@TGS#\w{9}$/)
    expect((await ok(server, 'create_group', { Type: 'Community', Name: 'x' })).GroupId).toMatch(
      /^@TGS#_\w{8}$/,
    )
  })

  it('answers 10025 for an id the same owner already has and 10021 for one someone else has', async () => {
    expect(
      await code(server, 'create_group', {
        GroupId: 'team',
        Type: 'Public',
        Name: 'x',
        Owner_Account: 'alice',
      }),
    ).toBe(10025)
    expect(
      await code(server, 'create_group', {
        GroupId: 'team',
        Type: 'Public',
        Name: 'x',
        Owner_Account: 'bob',
      }),
    ).toBe(10021)
  })

  it('answers 10015 for custom ids that break the rules of spec §6.1', async () => {
    for (const [GroupId, Type] of [
      ['@TGS#mine', 'Public'],
      ['x'.repeat(48), 'Public'],
      ['tab\there', 'Public'],
      ['no-prefix', 'Community'],
    ]) {
      expect(await code(server, 'create_group', { GroupId, Type, Name: 'x' })).toBe(10015)
    }
  })

  it('answers 10004 for missing or bad Type, Name and options', async () => {
    for (const body of [
      { Name: 'x' },
      { Type: 'Secret', Name: 'x' },
      { Type: 'public', Name: 'x' },
      { Type: 'Public' },
      { Type: 'Public', Name: 'x'.repeat(31) },
      { Type: 'Public', Name: 'x', Introduction: 'x'.repeat(241) },
      { Type: 'Public', Name: 'x', ApplyJoinOption: 'Sometimes' },
      { Type: 'Public', Name: 'x', MaxMemberCount: 0 },
      { Type: 'Public', Name: 'x', MemberList: [{ Member_Account: 'bob', Role: 'Owner' }] },
      { Type: 'Public', Name: 'x', MemberList: [{}] },
    ]) {
      expect(await code(server, 'create_group', body), JSON.stringify(body)).toBe(10004)
    }
  })

  it('answers 60015 for a UserID that is not a string', async () => {
    expect(await code(server, 'create_group', { Type: 'Public', Name: 'x', Owner_Account: 7 })).toBe(60015)
    expect(
      await code(server, 'create_group', { Type: 'Public', Name: 'x', MemberList: [{ Member_Account: 7 }] }),
    ).toBe(60015)
  })

  it('answers 10005 for more than 100 initial members and 10007 for an AVChatRoom MemberList', async () => {
    const many = Array.from({ length: 101 }, (_, i) => ({ Member_Account: `m${i}` }))
    expect(await code(server, 'create_group', { Type: 'Public', Name: 'x', MemberList: many })).toBe(10005)
    const one = [{ Member_Account: 'bob' }]
    expect(await code(server, 'create_group', { Type: 'AVChatRoom', Name: 'x', MemberList: one })).toBe(10007)
  })

  it('answers 10019 for members that are not imported and 10014 past MaxMemberCount, storing nothing', async () => {
    const body = { GroupId: 'g2', Type: 'Public', Name: 'x', MemberList: [{ Member_Account: 'ghost' }] }
    expect(await code(server, 'create_group', body)).toBe(10019)
    const full = {
      GroupId: 'g2',
      Type: 'Public',
      Name: 'x',
      MaxMemberCount: 1,
      Owner_Account: 'alice',
      MemberList: [{ Member_Account: 'bob' }],
    }
    expect(await code(server, 'create_group', full)).toBe(10014)
    expect(await code(server, 'destroy_group', { GroupId: 'g2' })).toBe(10010)
  })

  it('answers 10011 for a body that is not JSON', async () => {
    expect(
      (await server.call('group_open_http_svc/create_group', undefined, { rawBody: 'nope' })).ErrorCode,
    ).toBe(10011)
  })
})
