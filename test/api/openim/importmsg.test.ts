import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../../src/domain/clock.js'
import { startTestServer, testConfig, type TestServer } from '../../helpers/server.js'
import { importAccounts, outbox, roam, text, unread } from './c2c.js'

let server: TestServer
const clock = new ManualClock(1_700_000_000_000)

beforeAll(async () => {
  server = await startTestServer(testConfig(), { clock })
  await importAccounts(server, 'alice', 'bob', 'carol', 'dave')
})
afterAll(() => server.close())

let seq = 1
const importMsg = (fields: Record<string, unknown>) =>
  server.call('openim/importmsg', {
    SyncFromOldSystem: 2,
    From_Account: 'alice',
    To_Account: 'bob',
    MsgSeq: seq++,
    MsgRandom: 1,
    MsgTimeStamp: 1_600_000_000,
    MsgBody: text('old'),
    ...fields,
  })

const keysSeenBy = async (viewer: string, peer: string) =>
  (await roam(server, viewer, peer)).map((m) => [m.MsgKey, m.MsgBody])

describe('importmsg', () => {
  it('imports history (2) as read and real-time messages (5, and legacy 1) as unread', async () => {
    expect(await importMsg({ SyncFromOldSystem: 2 })).toEqual({
      ActionStatus: 'OK',
      ErrorInfo: '',
      ErrorCode: 0,
    })
    expect((await unread(server, 'bob')).AllC2CUnreadMsgNum).toBe(0)
    await importMsg({ SyncFromOldSystem: 5 })
    await importMsg({ SyncFromOldSystem: 1 })
    expect((await unread(server, 'bob')).AllC2CUnreadMsgNum).toBe(2)
    expect(await outbox(server)).toEqual([])
  })

  it('keeps the first import of a MsgKey, also when From and To are swapped', async () => {
    const key = { MsgSeq: 900, MsgRandom: 9, MsgTimeStamp: 1_600_000_100 }
    await importMsg({ ...key, From_Account: 'carol', To_Account: 'dave', MsgBody: text('first') })
    await importMsg({ ...key, From_Account: 'carol', To_Account: 'dave', MsgBody: text('second') })
    await importMsg({ ...key, From_Account: 'dave', To_Account: 'carol', MsgBody: text('swapped') })
    expect(await keysSeenBy('dave', 'carol')).toEqual([['900_9_1600000100', text('first')]])
  })

  it('does not count a real-time import at or before the read time', async () => {
    await server.call('openim/admin_set_msg_read', {
      Report_Account: 'dave',
      Peer_Account: 'alice',
      MsgReadTime: 1_600_000_500,
    })
    await importMsg({ SyncFromOldSystem: 5, To_Account: 'dave', MsgTimeStamp: 1_600_000_500 })
    expect((await unread(server, 'dave')).AllC2CUnreadMsgNum).toBe(0)
    await importMsg({ SyncFromOldSystem: 5, To_Account: 'dave', MsgTimeStamp: 1_600_000_501 })
    expect((await unread(server, 'dave')).AllC2CUnreadMsgNum).toBe(1)
  })

  it.each([
    ['SyncFromOldSystem is missing', { SyncFromOldSystem: undefined }, 90030],
    ['SyncFromOldSystem is not an integer', { SyncFromOldSystem: 'history' }, 90030],
    ['SyncFromOldSystem is 3', { SyncFromOldSystem: 3 }, 90030],
    ['From_Account is missing', { From_Account: undefined }, 90008],
    ['From_Account is not an account', { From_Account: 'nobody' }, 90008],
    ['From_Account is a number', { From_Account: 3 }, 60015],
    ['To_Account is missing', { To_Account: undefined }, 90003],
    ['To_Account is not an account', { To_Account: 'nobody' }, 90012],
    ['MsgRandom is missing', { MsgRandom: undefined }, 90005],
    ['MsgTimeStamp is missing', { MsgTimeStamp: undefined }, 90006],
    ['MsgTimeStamp is not an integer', { MsgTimeStamp: 'yesterday' }, 90006],
    ['MsgSeq is not an integer', { MsgSeq: true }, 90004],
    ['MsgBody is missing', { MsgBody: undefined }, 90002],
    ['MsgBody is not an array', { MsgBody: 1 }, 90007],
    [
      'MsgBody has a bad location',
      { MsgBody: [{ MsgType: 'TIMLocationElem', MsgContent: { Latitude: 1 } }] },
      90010,
    ],
    ['the message is over 12 KB', { MsgBody: text('y'.repeat(13_000)) }, 93000],
  ])('answers the code when %s, and stores nothing', async (_name, fields, code) => {
    const before = await keysSeenBy('bob', 'alice')
    expect(await importMsg(fields)).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: code })
    expect(await keysSeenBy('bob', 'alice')).toEqual(before)
  })
})
