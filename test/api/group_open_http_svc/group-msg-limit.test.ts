/**
 * The per-group message limit (spec part 2 §22): 40 messages a second per group; later ones are
 * dropped with `MsgDropReason: "MsgFreqCtrl"` (or 10023 in the error mode), store nothing, use no
 * seq, and fire Group.CallbackSendMsgException. The clock stands still, so "within one second" is exact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../../src/domain/clock.js'
import { startTestServer, testApp, testConfig, type TestServer } from '../../helpers/server.js'
import { defaultLimits } from '../../../src/config/config.js'
import { makeGroup, ok, outboxReader, text } from './helpers.js'

const clock = new ManualClock(Date.UTC(2026, 0, 1) + 250)
let server: TestServer
beforeAll(async () => {
  server = await startTestServer(testConfig([testApp({ limits: { ...defaultLimits, ratePerSecond: 0 } })]), {
    clock,
  })
})
afterAll(() => server.close())

const sendTo = (groupId: string, i: number, extra: Record<string, unknown> = {}) =>
  server.call('group_open_http_svc/send_group_msg', {
    GroupId: groupId,
    From_Account: 'fl_o',
    Random: 1000 + i,
    MsgBody: text(`n${i}`),
    ...extra,
  })

describe('40 messages a second per group', () => {
  it('answers 45 sends in one second with 40 seqs and 5 drops; another group is unaffected', async () => {
    await makeGroup(server, 'fl_1', 'fl_o', ['fl_a'])
    await makeGroup(server, 'fl_2', 'fl_o', [])
    const events = outboxReader(server)
    await events()
    const answers = await Promise.all(Array.from({ length: 45 }, (_, i) => sendTo('fl_1', i)))
    const kept = answers.filter((a) => a.MsgDropReason === '')
    const dropped = answers.filter((a) => a.MsgDropReason === 'MsgFreqCtrl')
    expect(kept.map((a) => a.MsgSeq).sort((a, b) => (a as number) - (b as number))).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1),
    )
    expect(dropped).toHaveLength(5)
    for (const a of dropped) {
      expect(a).toEqual({
        ActionStatus: 'OK',
        ErrorCode: 0,
        ErrorInfo: '',
        MsgTime: clock.nowSeconds(),
        MsgSeq: 0,
        MsgDropReason: 'MsgFreqCtrl',
      })
    }
    expect((await sendTo('fl_2', 99)).MsgSeq).toBe(1)

    const info = await ok(server, 'get_group_info', {
      GroupIdList: ['fl_1'],
      ResponseFilter: { GroupBaseInfoFilter: ['NextMsgSeq'], MemberInfoFilter: ['UnreadMsgNum'] },
    })
    expect(info.GroupInfo).toMatchObject([
      {
        NextMsgSeq: 41,
        MemberList: [{ Member_Account: 'fl_o' }, { Member_Account: 'fl_a', UnreadMsgNum: 40 }],
      },
    ])
    const history = await ok(server, 'group_msg_get_simple', {
      GroupId: 'fl_1',
      ReqMsgNumber: 20,
      ReqMsgSeq: 20,
    })
    expect((history.RspMsgList as unknown[]).length).toBe(20)
    const recorded = (await events()).map((e) => e.body)
    const failures = recorded.filter((b) => b.CallbackCommand === 'Group.CallbackSendMsgException')
    expect(recorded.filter((b) => b.CallbackCommand === 'Group.CallbackAfterSendMsg')).toHaveLength(41)
    expect(failures).toHaveLength(5)
    expect(failures[0]).toEqual({
      CallbackCommand: 'Group.CallbackSendMsgException',
      GroupId: 'fl_1',
      Type: 'Public',
      From_Account: 'fl_o',
      Operator_Account: 'administrator',
      Random: expect.any(Number),
      OnlineOnlyFlag: 0,
      MsgBody: expect.any(Array),
      ErrorCode: 10023,
      ErrorInfo: 'msg count exceeds limit,please retry later',
      EventTime: clock.nowMs(),
    })

    // The next second has 40 new slots; Low and Lowest messages give way at 30.
    clock.advanceSeconds(1)
    const low = await Promise.all(
      Array.from({ length: 35 }, (_, i) => sendTo('fl_1', 100 + i, { MsgPriority: 'Low' })),
    )
    expect(low.filter((a) => a.MsgDropReason === 'MsgFreqCtrl')).toHaveLength(5)
    const normal = await Promise.all(Array.from({ length: 12 }, (_, i) => sendTo('fl_1', 200 + i)))
    expect(normal.filter((a) => a.MsgDropReason === '')).toHaveLength(10)
  })

  it('answers 10023 in the error mode, and takes no limit at all with groupMsgPerSecond 0', async () => {
    const limits = {
      ...defaultLimits,
      ratePerSecond: 0,
      groupFreqCtrlMode: 'error' as const,
      groupMsgPerSecond: 2,
    }
    const strict = await startTestServer(testConfig([testApp({ limits })]), { clock })
    try {
      await makeGroup(strict, 'fe_1', 'fl_o', [])
      const send = (i: number) =>
        strict.call('group_open_http_svc/send_group_msg', {
          GroupId: 'fe_1',
          From_Account: 'fl_o',
          Random: i,
          MsgBody: text(`e${i}`),
        })
      expect((await send(1)).MsgSeq).toBe(1)
      expect((await send(2)).MsgSeq).toBe(2)
      expect(await send(3)).toEqual({
        ActionStatus: 'FAIL',
        ErrorCode: 10023,
        ErrorInfo: 'msg count exceeds limit,please retry later',
      })
    } finally {
      await strict.close()
    }
    const off = await startTestServer(
      testConfig([testApp({ limits: { ...defaultLimits, ratePerSecond: 0, groupMsgPerSecond: 0 } })]),
      { clock },
    )
    try {
      await makeGroup(off, 'fo_1', 'fl_o', [])
      const answers = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          off.call('group_open_http_svc/send_group_msg', {
            GroupId: 'fo_1',
            From_Account: 'fl_o',
            Random: i,
            MsgBody: text(`o${i}`),
          }),
        ),
      )
      expect(answers.every((a) => a.MsgDropReason === '' && (a.MsgSeq as number) > 0)).toBe(true)
    } finally {
      await off.close()
    }
  })
})
