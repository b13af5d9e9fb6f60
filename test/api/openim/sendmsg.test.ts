import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../../src/domain/clock.js'
import { ADMIN, startTestServer, testConfig, type TestServer } from '../../helpers/server.js'
import { importAccounts, nextRandom, outbox, roam, text, unread } from './c2c.js'

let server: TestServer
const clock = new ManualClock(1_700_000_000_000)
const now = () => clock.nowSeconds()

beforeAll(async () => {
  server = await startTestServer(testConfig(), { clock })
  await importAccounts(server, 'alice', 'bob', 'carol')
})
afterAll(() => server.close())

const send = (fields: Record<string, unknown>) =>
  server.call('openim/sendmsg', {
    From_Account: 'alice',
    To_Account: 'bob',
    MsgRandom: nextRandom(),
    MsgBody: text('hi'),
    ...fields,
  })

const history = (viewer: string, peer: string) => roam(server, viewer, peer)

describe('sendmsg', () => {
  it('answers MsgTime and MsgKey and records C2C.CallbackAfterSendMsg exactly as spec §7.4', async () => {
    const before = (await unread(server, 'bob')).AllC2CUnreadMsgNum as number
    const r = await send({ MsgSeq: 48374, MsgRandom: 2837546, CloudCustomData: 'ccd' })
    expect(r).toEqual({
      ActionStatus: 'OK',
      ErrorInfo: '',
      ErrorCode: 0,
      MsgTime: now(),
      MsgKey: `48374_2837546_${now()}`,
    })
    const event = (await outbox(server, 'C2C.CallbackAfterSendMsg')).at(-1)!
    expect(event.ordering_key).toBe('c2c:alice:bob')
    expect(JSON.stringify(event.body)).toBe(
      JSON.stringify({
        CallbackCommand: 'C2C.CallbackAfterSendMsg',
        From_Account: 'alice',
        To_Account: 'bob',
        MsgSeq: 48374,
        MsgRandom: 2837546,
        MsgTime: now(),
        MsgKey: `48374_2837546_${now()}`,
        OnlineOnlyFlag: 0,
        SendMsgResult: 0,
        ErrorInfo: 'send msg succeed',
        UnreadMsgNum: before + 1,
        MsgBody: text('hi'),
        CloudCustomData: 'ccd',
      }),
    )
  })

  it('sends as the calling admin without From_Account, and fills a missing MsgSeq', async () => {
    const r = await server.call('openim/sendmsg', { To_Account: 'carol', MsgRandom: 5, MsgBody: text('x') })
    expect(r.MsgKey).toMatch(new RegExp(`^\\d+_5_${now()}$`))
    expect((await history('carol', ADMIN)).map((m) => m.MsgKey)).toEqual([r.MsgKey])
  })

  it('accepts numbers sent as strings (design.md decision 2)', async () => {
    const r = await send({ MsgRandom: '77', MsgSeq: '8' })
    expect(r.MsgKey).toBe(`8_77_${now()}`)
  })

  it('keeps emoji and other 4-byte UTF-8 exactly', async () => {
    clock.advanceSeconds(1)
    const body = [{ MsgType: 'TIMTextElem', MsgContent: { Text: '😀 𠀋 héllo \u0000' } }]
    const r = await send({ To_Account: 'carol', MsgBody: body })
    expect((await history('carol', 'alice')).find((m) => m.MsgKey === r.MsgKey)?.MsgBody).toEqual(body)
  })

  it('returns a lone UTF-16 surrogate in Text and CloudCustomData as it was sent', async () => {
    const raw =
      '{"From_Account":"alice","To_Account":"carol","MsgRandom":4242,"CloudCustomData":"\\ud83d",' +
      '"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"\\ud83d!"}}]}'
    const r = await server.call('openim/sendmsg', undefined, { rawBody: raw })
    const stored = (await history('carol', 'alice')).find((m) => m.MsgKey === r.MsgKey)
    expect(stored).toMatchObject({ CloudCustomData: '\ud83d', MsgBody: text('\ud83d!') })
  })

  it('treats a repeat in the same second with the same MsgRandom as the same message', async () => {
    clock.advanceSeconds(1)
    const before = (await unread(server, 'bob')).AllC2CUnreadMsgNum as number
    const events = (await outbox(server)).length
    const a = await send({ MsgRandom: 999, MsgSeq: 1 })
    const b = await send({ MsgRandom: 999, MsgSeq: 2 })
    expect(b.MsgKey).toBe(a.MsgKey)
    expect((await unread(server, 'bob')).AllC2CUnreadMsgNum).toBe(before + 1)
    expect((await outbox(server)).length).toBe(events + 1)
  })

  it('does not count NoUnread, MsgLifeTime 0 or messages to oneself; stores no online-only message', async () => {
    const before = (await unread(server, 'bob')).AllC2CUnreadMsgNum
    await send({ SendMsgControl: ['NoUnread', 'NoLastMsg', 'SomethingNew'] })
    const online = await send({ MsgLifeTime: 0 })
    await send({ From_Account: 'bob', To_Account: 'bob' })
    expect((await unread(server, 'bob')).AllC2CUnreadMsgNum).toBe(before)
    expect((await history('bob', 'alice')).some((m) => m.MsgKey === online.MsgKey)).toBe(false)
    expect((await outbox(server, 'C2C.CallbackAfterSendMsg')).at(-2)!.body.OnlineOnlyFlag).toBe(1)
  })

  it('clamps MsgLifeTime above 7 days instead of refusing it', async () => {
    expect((await send({ MsgLifeTime: 10 ** 9 })).ErrorCode).toBe(0)
  })

  it('hides a SyncOtherMachine 2 message from the sender only', async () => {
    const r = await send({ From_Account: 'carol', To_Account: 'bob', SyncOtherMachine: 2 })
    expect((await history('carol', 'bob')).map((m) => m.MsgKey)).not.toContain(r.MsgKey)
    expect((await history('bob', 'carol')).map((m) => m.MsgKey)).toContain(r.MsgKey)
  })

  it('records no AfterSendMsg event with ForbidAfterSendMsgCallback', async () => {
    const events = (await outbox(server)).length
    await send({ ForbidCallbackControl: ['ForbidAfterSendMsgCallback'] })
    expect((await outbox(server)).length).toBe(events)
  })

  const long = 'x'.repeat(12 * 1024)
  const custom = { MsgType: 'TIMCustomElem', MsgContent: { Data: 'd' } }
  it.each([
    ['To_Account is missing', { To_Account: undefined }, 90003],
    ['To_Account is a number', { To_Account: 7 }, 60015],
    ['To_Account is not imported', { To_Account: 'nobody' }, 90012],
    ['From_Account is not imported', { From_Account: 'nobody' }, 90008],
    ['From_Account is empty', { From_Account: '' }, 90008],
    ['From_Account is a number', { From_Account: 1 }, 60015],
    ['MsgRandom is missing', { MsgRandom: undefined }, 90005],
    ['MsgRandom is not an integer', { MsgRandom: 'abc' }, 90005],
    ['MsgRandom is over 32 bits', { MsgRandom: 2 ** 32 }, 90005],
    ['MsgSeq is negative', { MsgSeq: -1 }, 90004],
    ['MsgBody is missing', { MsgBody: undefined }, 90002],
    ['MsgBody is not an array', { MsgBody: { MsgType: 'TIMTextElem' } }, 90007],
    ['MsgBody is empty', { MsgBody: [] }, 90002],
    ['an element is not an object', { MsgBody: ['hi'] }, 90002],
    ['MsgType is unknown', { MsgBody: [{ MsgType: 'TIMNopeElem', MsgContent: {} }] }, 90002],
    ['MsgContent is missing', { MsgBody: [{ MsgType: 'TIMTextElem' }] }, 90002],
    ['Text is missing', { MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: {} }] }, 90010],
    ['Text is a number', { MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 1 } }] }, 90010],
    ['two TIMCustomElem', { MsgBody: [custom, custom] }, 90010],
    [
      'Download_Flag is not 2',
      { MsgBody: [{ MsgType: 'TIMSoundElem', MsgContent: { Url: 'u', Download_Flag: 1 } }] },
      90010,
    ],
    ['the message is over 12 KB', { MsgBody: text(long) }, 93000],
    ['CloudCustomData makes it over 12 KB', { CloudCustomData: long }, 93000],
    ['SyncOtherMachine is not an integer', { SyncOtherMachine: 'yes' }, 90031],
    ['SyncOtherMachine is 3', { SyncOtherMachine: 3 }, 90031],
    ['MsgLifeTime is not an integer', { MsgLifeTime: 1.5 }, 90044],
    ['MsgLifeTime is negative', { MsgLifeTime: -1 }, 90044],
    ['SendMsgControl is not an array', { SendMsgControl: 'NoUnread' }, 20001],
    ['ForbidCallbackControl holds a number', { ForbidCallbackControl: [1] }, 20001],
    ['CloudCustomData is a number', { CloudCustomData: 1 }, 20001],
    ['IsNeedReadReceipt is 2', { IsNeedReadReceipt: 2 }, 20001],
    ['OfflinePushInfo is an array', { OfflinePushInfo: [] }, 20001],
  ])('answers the code when %s, and stores nothing', async (_name, fields, code) => {
    const events = (await outbox(server)).length
    const before = await history('bob', 'alice')
    const r = await send(fields)
    expect(r).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: code })
    expect((await outbox(server)).length).toBe(events)
    expect(await history('bob', 'alice')).toEqual(before)
  })

  it('answers 90001 for a body that is not JSON', async () => {
    const r = await server.call('openim/sendmsg', undefined, { rawBody: '{"To_Account":' })
    expect(r).toEqual({
      ActionStatus: 'FAIL',
      ErrorInfo: 'Fail to Parse json data of body, Please check it',
      ErrorCode: 90001,
    })
  })
})
