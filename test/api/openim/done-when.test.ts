import { Api } from 'tls-sig-api-v2'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { ManualClock } from '../../../src/domain/clock.js'
import {
  ADMIN,
  SAMPLE_KEY,
  SDK_APP_ID,
  startTestServer,
  testConfig,
  type TestServer,
} from '../../helpers/server.js'
import { importAccounts, outbox, text, unread } from './c2c.js'

let server: TestServer
const clock = new ManualClock(1_700_000_000_000)

beforeAll(async () => {
  server = await startTestServer(testConfig(), { clock })
})
afterAll(() => server.close())

it('import A and B → send with receipt → receipt → set read, as issue 3 describes', async () => {
  // Every call of this flow is signed by Tencent's official tls-sig-api-v2 package.
  const usersig = new Api(SDK_APP_ID, SAMPLE_KEY).genUserSig(ADMIN, 86400)
  const call = (path: string, body: unknown) => server.call(path, body, { usersig })
  expect((await call('im_open_login_svc/account_import', { UserID: 'A' })).ErrorCode).toBe(0)
  await importAccounts(server, 'B')

  const sent = await call('openim/sendmsg', {
    From_Account: 'A',
    To_Account: 'B',
    MsgRandom: 7,
    MsgSeq: 42,
    MsgBody: text('hello'),
    IsNeedReadReceipt: 1,
  })
  expect(sent).toEqual({
    ActionStatus: 'OK',
    ErrorInfo: '',
    ErrorCode: 0,
    MsgTime: 1_700_000_000,
    MsgKey: '42_7_1700000000',
  })
  expect((await unread(server, 'B')).AllC2CUnreadMsgNum).toBe(1)

  clock.advanceSeconds(5)
  const receipt = await call('openim/c2c_msg_read_receipt', {
    Operator_Account: 'B',
    Peer_Account: 'A',
    C2CMsgInfo: [{ From_Account: 'A', To_Account: 'B', MsgKey: sent.MsgKey }],
  })
  expect(receipt).toEqual({ ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 })

  const roam = await call('openim/admin_getroammsg', {
    Operator_Account: 'A',
    Peer_Account: 'B',
    MaxCnt: 10,
    MinTime: 0,
    MaxTime: 2_000_000_000,
  })
  expect(roam.MsgList).toEqual([
    {
      From_Account: 'A',
      To_Account: 'B',
      MsgSeq: 42,
      MsgRandom: 7,
      MsgTimeStamp: 1_700_000_000,
      MsgFlagBits: 0,
      IsPeerRead: 1,
      MsgKey: '42_7_1700000000',
      MsgBody: text('hello'),
      CloudCustomData: '',
    },
  ])
  expect(await unread(server, 'B', ['A'])).toMatchObject({
    AllC2CUnreadMsgNum: 1,
    C2CUnreadMsgNumList: [{ Peer_Account: 'A', C2CUnreadMsgNum: 1 }],
  })
  expect(await outbox(server, 'C2C.CallbackAfterMsgReport')).toEqual([])

  const read = await call('openim/admin_set_msg_read', { Report_Account: 'B', Peer_Account: 'A' })
  expect(read).toEqual({ ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 })
  expect((await unread(server, 'B')).AllC2CUnreadMsgNum).toBe(0)
  expect(await outbox(server, 'C2C.CallbackAfterMsgReport')).toEqual([
    {
      command: 'C2C.CallbackAfterMsgReport',
      ordering_key: 'c2c:A:B',
      body: {
        CallbackCommand: 'C2C.CallbackAfterMsgReport',
        Report_Account: 'B',
        Peer_Account: 'A',
        LastReadTime: 1_700_000_005,
        UnreadMsgNum: 0,
      },
    },
  ])
})
