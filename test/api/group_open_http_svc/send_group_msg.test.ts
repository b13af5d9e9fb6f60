import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../../src/domain/clock.js'
import { startTestServer, testApp, testConfig, type TestServer } from '../../helpers/server.js'
import { code, G, makeGroup, ok, outboxReader, send, text } from './helpers.js'

let server: TestServer
const clock = new ManualClock(1_700_000_000_000)
beforeAll(async () => {
  const app = testApp()
  server = await startTestServer(
    // 60 sends to one group in one (still) second: no per-group limit here (group-msg-limit.test.ts has it).
    testConfig([{ ...app, limits: { ...app.limits, groupReceiptMaxMembers: 3, groupMsgPerSecond: 0 } }]),
    { clock },
  )
  await makeGroup(server, 'chat', 'owner', ['a', 'b'])
})
afterAll(() => server.close())

const msg = (extra: Record<string, unknown>) => ({
  GroupId: 'chat',
  Random: 7,
  MsgBody: text('hi'),
  ...extra,
})

describe('send_group_msg', () => {
  it('answers MsgSeq from 1 and MsgTime, and fires Group.CallbackAfterSendMsg as spec §7.7', async () => {
    const events = outboxReader(server)
    await events()
    const r = await ok(server, 'send_group_msg', msg({ From_Account: 'a', Random: 1, CloudCustomData: 'cd' }))
    expect(r).toEqual({
      ActionStatus: 'OK',
      ErrorCode: 0,
      ErrorInfo: '',
      MsgTime: 1_700_000_000,
      MsgSeq: 1,
      MsgDropReason: '',
    })
    expect(await events()).toEqual([
      {
        command: 'Group.CallbackAfterSendMsg',
        ordering_key: 'group:chat',
        body: {
          CallbackCommand: 'Group.CallbackAfterSendMsg',
          GroupId: 'chat',
          Type: 'Public',
          From_Account: 'a',
          Operator_Account: 'administrator',
          Random: 1,
          MsgSeq: 1,
          MsgTime: 1_700_000_000,
          OnlineOnlyFlag: 0,
          MsgBody: text('hi'),
          CloudCustomData: 'cd',
          EventTime: 1_700_000_000_000,
        },
      },
    ])
  })

  it('accepts MsgRandom for Random and sends as the admin without From_Account', async () => {
    const r = await ok(server, 'send_group_msg', { GroupId: 'chat', MsgRandom: 2, MsgBody: text('x') })
    expect(r.MsgSeq).toBe(2)
  })

  it('drops a repeat of the same Random and content within 5 minutes, answering the first seq', async () => {
    const first = await ok(server, 'send_group_msg', msg({ Random: 99, From_Account: 'b' }))
    const again = await ok(server, 'send_group_msg', msg({ Random: 99, From_Account: 'b' }))
    expect(again.MsgSeq).toBe(first.MsgSeq)
    clock.advanceSeconds(301)
    const later = await ok(server, 'send_group_msg', msg({ Random: 99, From_Account: 'b' }))
    expect(later.MsgSeq).toBe((first.MsgSeq as number) + 1)
  })

  it('numbers concurrent sends 1..N with no gaps or repeats', async () => {
    await makeGroup(server, 'busy', 'owner', ['a'])
    const sends = Array.from({ length: 60 }, (_, i) =>
      server.call(G + 'send_group_msg', {
        GroupId: 'busy',
        Random: 1000 + i,
        MsgBody: text(`c${i}`),
        NeedReadReceipt: i % 2,
      }),
    )
    const seqs = (await Promise.all(sends)).map((r) => r.MsgSeq as number).sort((x, y) => x - y)
    expect(seqs).toEqual(Array.from({ length: 60 }, (_, i) => i + 1))
  })

  it('answers 10061 for an online-only message with a receipt and 10004 with SendMsgControl', async () => {
    expect(await code(server, 'send_group_msg', msg({ OnlineOnlyFlag: 1, NeedReadReceipt: 1 }))).toBe(10061)
    expect(
      await code(server, 'send_group_msg', msg({ OnlineOnlyFlag: 1, SendMsgControl: ['NoUnread'] })),
    ).toBe(10004)
  })

  it('treats To_Account [""] as no target; refuses receipts on targeted messages (10004)', async () => {
    expect(await send(server, 'chat', 'a', { To_Account: [''], NeedReadReceipt: 1 })).toBeGreaterThan(0)
    expect(await send(server, 'chat', 'a', { To_Account: ['b'] })).toBeGreaterThan(0)
    expect(await code(server, 'send_group_msg', msg({ To_Account: ['b'], NeedReadReceipt: 1 }))).toBe(10004)
    expect(await code(server, 'send_group_msg', msg({ To_Account: ['stranger'] }))).toBe(10004)
    expect(await code(server, 'send_group_msg', msg({ To_Account: [3] }))).toBe(60015)
  })

  it('answers 10060 for a receipt message in a group above groupReceiptMaxMembers', async () => {
    await makeGroup(server, 'big', 'owner', ['a', 'b', 'c'])
    expect(await code(server, 'send_group_msg', { ...msg({ NeedReadReceipt: 1 }), GroupId: 'big' })).toBe(
      10060,
    )
    expect(await code(server, 'send_group_msg', { ...msg({}), GroupId: 'big' })).toBe(0)
  })

  it('answers 10007 for a sender who is not a member, 80002 for a body over 12 KB', async () => {
    expect(await code(server, 'send_group_msg', msg({ From_Account: 'c' }))).toBe(10007)
    expect(await code(server, 'send_group_msg', msg({ MsgBody: text('x'.repeat(13_000)) }))).toBe(80002)
  })

  it('answers 10004 for missing or malformed fields, 60015 for a non-string From_Account, 10010 for no group', async () => {
    for (const body of [
      { GroupId: 'chat', MsgBody: text('x') },
      msg({ Random: -1 }),
      msg({ Random: 2 ** 32 }),
      msg({ MsgBody: undefined }),
      msg({ MsgBody: [] }),
      msg({ MsgBody: [{ MsgType: 'TIMTextElem' }] }),
      msg({ NeedReadReceipt: 2 }),
      msg({ MsgPriority: 'Urgent' }),
    ]) {
      expect(await code(server, 'send_group_msg', body), JSON.stringify(body)).toBe(10004)
    }
    expect(await code(server, 'send_group_msg', msg({ From_Account: 5 }))).toBe(60015)
    expect(await code(server, 'send_group_msg', msg({ GroupId: 'nope' }))).toBe(10010)
  })
})
