import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../../src/domain/clock.js'
import { startTestServer, testConfig, type TestServer } from '../../helpers/server.js'
import { importAccounts, text } from './c2c.js'

let server: TestServer
const clock = new ManualClock(1_584_669_600_000)
const keys: string[] = []

beforeAll(async () => {
  server = await startTestServer(testConfig(), { clock })
  await importAccounts(server, 'user1', 'user2')
  // Five messages: two in one second (ordered by MsgSeq there), alternating senders.
  for (const [i, seconds] of [0, 10, 10, 20, 30].entries()) {
    clock.set(1_584_669_600_000 + seconds * 1000)
    const r = await server.call('openim/sendmsg', {
      From_Account: i % 2 === 0 ? 'user1' : 'user2',
      To_Account: i % 2 === 0 ? 'user2' : 'user1',
      MsgSeq: 100 + i,
      MsgRandom: 7,
      MsgBody: text(`m${i}`),
      ...(i === 4 ? { SyncOtherMachine: 2 } : {}),
    })
    keys.push(r.MsgKey as string)
  }
})
afterAll(() => server.close())

const roam = (fields: Record<string, unknown>) =>
  server.call('openim/admin_getroammsg', {
    Operator_Account: 'user1',
    Peer_Account: 'user2',
    MaxCnt: 100,
    MinTime: 1_584_669_600,
    MaxTime: 1_584_673_200,
    ...fields,
  })
const listed = (r: Record<string, unknown>) => (r.MsgList as { MsgKey: string }[]).map((m) => m.MsgKey)

describe('admin_getroammsg', () => {
  it('answers the fields of spec §4.6 for each message', async () => {
    const r = await roam({ Operator_Account: 'user2', Peer_Account: 'user1', MaxCnt: 1 })
    expect(r).toEqual({
      ActionStatus: 'OK',
      ErrorInfo: '',
      ErrorCode: 0,
      Complete: 0,
      MsgCnt: 1,
      LastMsgTime: 1_584_669_630,
      LastMsgKey: keys[4],
      MsgList: [
        {
          From_Account: 'user1',
          To_Account: 'user2',
          MsgSeq: 104,
          MsgRandom: 7,
          MsgTimeStamp: 1_584_669_630,
          MsgFlagBits: 0,
          IsPeerRead: 0,
          MsgKey: keys[4],
          MsgBody: text('m4'),
          CloudCustomData: '',
        },
      ],
    })
  })

  it('pages from newest to oldest, each page oldest first, continuing with LastMsgTime and LastMsgKey', async () => {
    const pages: string[][] = []
    let next: Record<string, unknown> = { Operator_Account: 'user2', Peer_Account: 'user1', MaxCnt: 2 }
    for (;;) {
      const r = await roam(next)
      pages.push(listed(r))
      if (r.Complete === 1) break
      next = { ...next, MaxTime: r.LastMsgTime, LastMsgKey: r.LastMsgKey }
    }
    expect(pages).toEqual([[keys[3], keys[4]], [keys[1], keys[2]], [keys[0]]])
  })

  it('keeps SyncOtherMachine 2 messages out of the sender view only', async () => {
    expect(listed(await roam({}))).toEqual(keys.slice(0, 4))
    expect(listed(await roam({ Operator_Account: 'user2', Peer_Account: 'user1' }))).toEqual(keys)
  })

  it('accepts the legacy From_Account/To_Account names', async () => {
    const r = await roam({
      Operator_Account: undefined,
      Peer_Account: undefined,
      From_Account: 'user2',
      To_Account: 'user1',
    })
    expect(listed(r)).toEqual(keys)
  })

  it('filters by MinTime and MaxTime, both inclusive', async () => {
    expect(listed(await roam({ MinTime: 1_584_669_610, MaxTime: 1_584_669_620 }))).toEqual(keys.slice(1, 4))
    expect(await roam({ MinTime: 1_584_669_700 })).toMatchObject({
      Complete: 1,
      MsgCnt: 0,
      LastMsgKey: '',
      MsgList: [],
    })
  })

  it('lists a recalled message with MsgFlagBits 8 and no content', async () => {
    await server.call('openim/admin_msgwithdraw', {
      From_Account: 'user1',
      To_Account: 'user2',
      MsgKey: keys[0],
    })
    const r = await roam({ MaxTime: 1_584_669_600 })
    expect(r.MsgList).toMatchObject([{ MsgKey: keys[0], MsgFlagBits: 8, MsgBody: [], CloudCustomData: '' }])
  })

  it.each([
    ['Operator_Account is missing', { Operator_Account: undefined }, 90008],
    ['Operator_Account is not an account', { Operator_Account: 'nobody' }, 90008],
    ['Operator_Account is a number', { Operator_Account: 1 }, 60015],
    ['Peer_Account is missing', { Peer_Account: undefined }, 90003],
    ['Peer_Account is not an account', { Peer_Account: 'nobody' }, 90003],
    ['MaxCnt is missing', { MaxCnt: undefined }, 90001],
    ['MaxCnt is 0', { MaxCnt: 0 }, 90001],
    ['MinTime is missing', { MinTime: undefined }, 90001],
    ['MaxTime is not an integer', { MaxTime: 'now' }, 90001],
    ['LastMsgKey is not a MsgKey', { LastMsgKey: 'abc' }, 90001],
    ['LastMsgKey is a number', { LastMsgKey: 12 }, 90001],
  ])('answers the code when %s', async (_name, fields, code) => {
    expect(await roam(fields)).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: code })
  })
})
