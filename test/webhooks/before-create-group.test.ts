/**
 * Group.CallbackBeforeCreateGroup (spec part 2 §21.1) over HTTP with a real app backend: the body
 * it is asked with, allow, refuse (10016), a custom code with the app's ErrorInfo, and a backend
 * that is down (fail open). import_group never asks.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { callbackDefaults } from '../../src/config/config.js'
import { Receiver, OK_ANSWER, type Received } from '../helpers/receiver.js'
import { startTestServer, testApp, testConfig, type TestServer } from '../helpers/server.js'

const BEFORE = 'Group.CallbackBeforeCreateGroup' as const
let receiver: Receiver
let server: TestServer
let answer: Record<string, unknown> = { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 }
const asked = () =>
  receiver.received
    .filter((r: Received) => r.query.get('CallbackCommand') === BEFORE)
    .map((r) => JSON.parse(r.body) as Record<string, unknown>)

beforeAll(async () => {
  receiver = await Receiver.start()
  receiver.answer = (r) =>
    r.query.get('CallbackCommand') === BEFORE
      ? { status: 200, body: JSON.stringify(answer) }
      : { status: 200, body: OK_ANSWER }
  const callback = { ...callbackDefaults, url: `${receiver.url}/im`, token: undefined, commands: [BEFORE] }
  server = await startTestServer(testConfig([testApp({ callback })]))
  await server.call('im_open_login_svc/multiaccount_import', { Accounts: ['cg_o', 'cg_a'] })
})
afterAll(async () => {
  await server.close()
  await receiver.close()
})
beforeEach(() => {
  answer = { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 }
  receiver.received.length = 0
})

const create = (id: string) =>
  server.call('group_open_http_svc/create_group', {
    GroupId: id,
    Type: 'Public',
    Name: id,
    Owner_Account: 'cg_o',
    MemberList: [{ Member_Account: 'cg_a' }],
  })

describe('Group.CallbackBeforeCreateGroup', () => {
  it("asks with the request and the owner's group counts, and creates when allowed", async () => {
    expect((await create('cg_1')).ErrorCode).toBe(0)
    expect((await create('cg_2')).ErrorCode).toBe(0)
    expect(asked()).toEqual([
      {
        CallbackCommand: BEFORE,
        Operator_Account: 'administrator',
        Owner_Account: 'cg_o',
        Type: 'Public',
        Name: 'cg_1',
        CreateGroupNum: 0,
        CreatedGroupNum: {},
        MemberList: [{ Member_Account: 'cg_a' }],
        EventTime: expect.any(Number),
      },
      expect.objectContaining({ Name: 'cg_2', CreateGroupNum: 1, CreatedGroupNum: { Public: 1 } }),
    ])
  })

  it('refuses with 10016 for ErrorCode 1 (and 2), and passes a custom code with its ErrorInfo', async () => {
    answer = { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 1 }
    expect((await create('cg_no')).ErrorCode).toBe(10016)
    answer = { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 2 }
    expect((await create('cg_no')).ErrorCode).toBe(10016)
    answer = { ActionStatus: 'OK', ErrorInfo: 'too many groups', ErrorCode: 10150 }
    expect(await create('cg_no')).toMatchObject({ ErrorCode: 10150, ErrorInfo: 'too many groups' })
    const found = await server.call('group_open_http_svc/get_group_info', { GroupIdList: ['cg_no'] })
    expect(found.GroupInfo).toMatchObject([{ ErrorCode: 10010 }])
    // Imports are not asked (§16.1).
    answer = { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 1 }
    const imported = await server.call('group_open_http_svc/import_group', {
      GroupId: 'cg_imp',
      Type: 'Public',
      Name: 'i',
    })
    expect(imported.ErrorCode).toBe(0)
  })

  it('creates when the app backend is down (fail open)', async () => {
    await receiver.down()
    try {
      expect((await create('cg_down')).ErrorCode).toBe(0)
    } finally {
      await receiver.up()
    }
  })
})
