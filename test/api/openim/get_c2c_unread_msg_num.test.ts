import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../../src/domain/clock.js'
import { startTestServer, testConfig, type TestServer } from '../../helpers/server.js'
import { importAccounts, nextRandom, text, unread } from './c2c.js'

let server: TestServer
const clock = new ManualClock(1_700_000_000_000)

const send = (from: string, to: string) =>
  server.call('openim/sendmsg', {
    From_Account: from,
    To_Account: to,
    MsgRandom: nextRandom(),
    MsgBody: text('hi'),
  })

beforeAll(async () => {
  server = await startTestServer(testConfig(), { clock })
  await importAccounts(server, 'dramon1', 'dramon2', 'teacher4', 'leaver')
  for (const from of ['dramon2', 'dramon2', 'teacher4', 'leaver']) await send(from, 'dramon1')
})
afterAll(() => server.close())

describe('get_c2c_unread_msg_num', () => {
  it('answers the total without Peer_Account', async () => {
    expect(await unread(server, 'dramon1')).toEqual({
      ActionStatus: 'OK',
      ErrorInfo: '',
      ErrorCode: 0,
      AllC2CUnreadMsgNum: 4,
    })
  })

  it('answers one count per peer, 0 for a conversation with none, 70107 for a non-account', async () => {
    expect(await unread(server, 'dramon1', ['dramon2', 'teacher4', 'teacher', 'dramon1', ''])).toEqual({
      ActionStatus: 'OK',
      ErrorInfo: '',
      ErrorCode: 0,
      AllC2CUnreadMsgNum: 4,
      C2CUnreadMsgNumList: [
        { Peer_Account: 'dramon2', C2CUnreadMsgNum: 2 },
        { Peer_Account: 'teacher4', C2CUnreadMsgNum: 1 },
        { Peer_Account: 'dramon1', C2CUnreadMsgNum: 0 },
      ],
      ErrorList: [
        { Peer_Account: 'teacher', ErrorCode: 70107 },
        { Peer_Account: '', ErrorCode: 70107 },
      ],
    })
  })

  it('keeps the messages of a deleted account counted, and reports the peer as 70107', async () => {
    await server.call('im_open_login_svc/account_delete', { DeleteItem: [{ UserID: 'leaver' }] })
    expect(await unread(server, 'dramon1', ['leaver'])).toMatchObject({
      AllC2CUnreadMsgNum: 4,
      C2CUnreadMsgNumList: [],
      ErrorList: [{ Peer_Account: 'leaver', ErrorCode: 70107 }],
    })
    expect(await send('dramon2', 'leaver')).toMatchObject({ ErrorCode: 90012 })
    expect(await unread(server, 'leaver')).toMatchObject({ ErrorCode: 90003 })
  })

  it.each([
    ['To_Account is missing', { To_Account: undefined }, 90003],
    ['To_Account is not an account', { To_Account: 'nobody' }, 90003],
    ['To_Account is a number', { To_Account: 5 }, 60015],
    ['Peer_Account is a string', { Peer_Account: 'dramon2' }, 90001],
    ['Peer_Account has 11 peers', { Peer_Account: new Array<string>(11).fill('dramon2') }, 90001],
    ['Peer_Account has 10,000 peers', { Peer_Account: new Array<string>(10_000).fill('dramon2') }, 90001],
    ['a peer is a number', { Peer_Account: ['dramon2', 7] }, 60015],
  ])('answers the code when %s', async (_name, fields, code) => {
    const r = await server.call('openim/get_c2c_unread_msg_num', { To_Account: 'dramon1', ...fields })
    expect(r).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: code })
  })
})
