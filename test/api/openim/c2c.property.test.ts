/**
 * Random sequences of send / batchsend / import (2 and 5) / withdraw / admin_set_msg_read (past,
 * now, future) / c2c_msg_read_receipt / recentcontact/delete (with and without ClearRamble) over
 * three users, run over HTTP against a real server and checked after every step against the
 * reference model for every unread count, total, IsPeerRead flag, history page and conversation
 * list, and for the webhook bodies the steps record.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { ManualClock } from '../../../src/domain/clock.js'
import { startTestServer, testConfig, type TestServer } from '../../helpers/server.js'
import { importAccounts, outbox, text } from './c2c.js'
import { C2CModel, type ModelMessage } from './c2c-model.js'

let server: TestServer
const clock = new ManualClock(1_700_000_000_000)

beforeAll(async () => {
  server = await startTestServer(testConfig(), { clock })
})
afterAll(() => server.close())

const who = fc.integer({ min: 0, max: 2 })
const small = fc.integer({ min: 1, max: 3 })
const options = fc.record({
  noUnread: fc.boolean(),
  onlineOnly: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
  needReceipt: fc.boolean(),
  hideFromSender: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  noLastMsg: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
})
const step = fc.oneof(
  fc.record({ kind: fc.constant('tick' as const), seconds: fc.integer({ min: 1, max: 3 }) }),
  fc.record({
    kind: fc.constant('send' as const),
    from: who,
    to: who,
    seq: small,
    random: small,
    o: options,
  }),
  fc.record({
    kind: fc.constant('batch' as const),
    from: who,
    to: fc.uniqueArray(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 }),
    seq: small,
    random: small,
    o: options,
  }),
  fc.record({
    kind: fc.constant('import' as const),
    from: who,
    to: who,
    seq: small,
    random: small,
    offset: fc.integer({ min: -6, max: 3 }),
    mode: fc.constantFrom(1, 2, 5),
  }),
  fc.record({ kind: fc.constant('withdraw' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('read' as const),
    reader: who,
    peer: who,
    when: fc.constantFrom('absent', 'now', 'past', 'past-string', 'future'),
    back: fc.integer({ min: 0, max: 6 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), owner: who, peer: who, clear: fc.boolean() }),
  fc.record({
    kind: fc.constant('receipt' as const),
    reader: who,
    peer: who,
    picks: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
  }),
)
type Step = typeof step extends fc.Arbitrary<infer S> ? S : never

let run = 0

async function check(model: C2CModel, users: string[]): Promise<void> {
  await Promise.all(
    users.map(async (u) => {
      const peers = users.filter((p) => p !== u)
      const r = await server.call('openim/get_c2c_unread_msg_num', { To_Account: u, Peer_Account: peers })
      expect(r.AllC2CUnreadMsgNum).toBe(model.total(u, users))
      expect(r.C2CUnreadMsgNumList).toEqual(
        peers.map((p) => ({ Peer_Account: p, C2CUnreadMsgNum: model.unread(u, p) })),
      )
    }),
  )
  const pairs = users.flatMap((v) => users.filter((p) => p !== v).map((p) => [v, p] as const))
  await Promise.all(pairs.map(([v, p]) => checkFirstPage(model, v, p)))
  await Promise.all(
    users.map(async (u) => {
      const r = await server.call('recentcontact/get_list', {
        ...{ From_Account: u, TimeStamp: 0, StartIndex: 0, TopTimeStamp: 0, TopStartIndex: 0 },
        AssistFlags: 7,
      })
      expect(r.CompleteFlag).toBe(1)
      expect(r.SessionItem).toEqual(
        model.list(u).map((e) => ({ Type: 1, To_Account: e.peer, MsgTime: e.time, TopFlag: 0 })),
      )
    }),
  )
}

const wire = (m: ModelMessage) => ({
  From_Account: m.from,
  To_Account: m.to,
  MsgSeq: m.seq,
  MsgRandom: m.random,
  MsgTimeStamp: m.time,
  MsgFlagBits: m.recalled ? 8 : 0,
  IsPeerRead: m.peerRead ? 1 : 0,
  MsgKey: m.key,
  MsgBody: m.recalled ? [] : text(m.text),
  CloudCustomData: '',
})

async function roam(viewer: string, peer: string, maxCnt: number, maxTime: number, last?: string) {
  return server.call('openim/admin_getroammsg', {
    Operator_Account: viewer,
    Peer_Account: peer,
    MaxCnt: maxCnt,
    MinTime: 0,
    MaxTime: maxTime,
    ...(last === undefined ? {} : { LastMsgKey: last }),
  })
}

async function checkFirstPage(model: C2CModel, viewer: string, peer: string): Promise<void> {
  const all = model.history(viewer, peer)
  const page = all.slice(0, 4)
  const r = await roam(viewer, peer, 4, 4_000_000_000)
  expect(r.MsgList).toEqual(page.map(wire).reverse())
  expect(r.Complete).toBe(all.length > 4 ? 0 : 1)
  expect(r.LastMsgKey).toBe(page.at(-1)?.key ?? '')
}

/** Walks every page, two messages at a time, as a client continues with LastMsgTime/LastMsgKey. */
async function checkAllPages(model: C2CModel, viewer: string, peer: string): Promise<void> {
  const seen: unknown[] = []
  let maxTime = 4_000_000_000
  let last: string | undefined
  for (;;) {
    const r = await roam(viewer, peer, 2, maxTime, last)
    seen.push(...(r.MsgList as unknown[]).slice().reverse())
    if (r.Complete === 1) break
    maxTime = r.LastMsgTime as number
    last = r.LastMsgKey as string
  }
  expect(seen).toEqual(model.history(viewer, peer).map(wire))
}

async function apply(s: Step, model: C2CModel, users: string[], ghost: string): Promise<void> {
  const now = clock.nowSeconds()
  const body = `m${model.messages.length}`
  switch (s.kind) {
    case 'tick':
      clock.advanceSeconds(s.seconds)
      return
    case 'send': {
      const [from, to] = [users[s.from]!, users[s.to]!]
      const sends = (await outbox(server, 'C2C.CallbackAfterSendMsg')).length
      const r = await server.call('openim/sendmsg', sendBody(s, from, { To_Account: to }, body))
      const m = model.send(from, to, s.seq, s.random, now, body, s.o)
      expect(r).toMatchObject({ ErrorCode: 0, MsgKey: m.key, MsgTime: now })
      const events = await outbox(server, 'C2C.CallbackAfterSendMsg')
      expect(events.length).toBe(sends + (m.delivered ? 1 : 0))
      if (m.delivered) expect(events.at(-1)!.body.UnreadMsgNum).toBe(model.total(to, users))
      return
    }
    case 'batch': {
      const from = users[s.from]!
      const to = s.to.map((i) => users[i] ?? ghost)
      const r = await server.call('openim/batchsendmsg', sendBody(s, from, { To_Account: to }, body))
      const real = to.filter((t) => t !== ghost)
      if (real.length === 0) return void expect(r.ErrorCode).toBe(90012)
      expect(r.ActionStatus).toBe(real.length === to.length ? 'OK' : 'SomeError')
      for (const t of real) model.send(from, t, s.seq, s.random, now, body, s.o)
      return
    }
    case 'import': {
      const [from, to] = [users[s.from]!, users[s.to]!]
      const r = await server.call('openim/importmsg', {
        SyncFromOldSystem: s.mode,
        ...{ From_Account: from, To_Account: to, MsgSeq: s.seq, MsgRandom: s.random },
        ...{ MsgTimeStamp: now + s.offset, MsgBody: text(body) },
      })
      expect(r.ErrorCode).toBe(0)
      model.import(from, to, s.seq, s.random, now + s.offset, body, s.mode)
      return
    }
    case 'withdraw': {
      const target = model.messages[s.pick % Math.max(1, model.messages.length)]
      const [from, to, key] = target ? [target.from, target.to, target.key] : [users[0]!, users[1]!, '1_1_1']
      const r = await server.call('openim/admin_msgwithdraw', {
        From_Account: from,
        To_Account: to,
        MsgKey: key,
      })
      const code = model.withdraw(from, to, key)
      expect(r.ErrorCode).toBe(code)
      if (code === 0) expect((await outbox(server)).at(-1)!.body.UnreadMsgNum).toBe(model.total(to, users))
      return
    }
    case 'read': {
      const [reader, peer] = [users[s.reader]!, users[s.peer]!]
      const t = {
        absent: undefined,
        now,
        past: now - s.back,
        'past-string': now - s.back,
        future: now + 100,
      }[s.when]
      const r = await server.call('openim/admin_set_msg_read', {
        ...{ Report_Account: reader, Peer_Account: peer },
        ...(t === undefined ? {} : { MsgReadTime: s.when === 'past-string' ? String(t) : t }),
      })
      expect(r.ErrorCode).toBe(0)
      const readTime = model.setRead(reader, peer, t, now)
      expect((await outbox(server)).at(-1)!.body).toEqual({
        CallbackCommand: 'C2C.CallbackAfterMsgReport',
        ...{ Report_Account: reader, Peer_Account: peer, LastReadTime: readTime },
        UnreadMsgNum: model.total(reader, users),
      })
      return
    }
    case 'delete': {
      const [owner, peer] = [users[s.owner]!, users[s.peer]!]
      const events = (await outbox(server)).length
      const r = await server.call('recentcontact/delete', {
        ...{ From_Account: owner, Type: 1, To_Account: peer },
        ...(s.clear ? { ClearRamble: 1 } : {}),
      })
      expect(r.ErrorCode).toBe(0)
      model.deleteConversation(owner, peer, s.clear)
      // No read report: deleting is not reading.
      expect((await outbox(server)).length).toBe(events)
      return
    }
    case 'receipt': {
      const [reader, peer] = [users[s.reader]!, users[s.peer]!]
      const keys = s.picks.map((p) => model.messages[p % Math.max(1, model.messages.length)]?.key ?? '9_9_9')
      const r = await server.call('openim/c2c_msg_read_receipt', {
        ...{ Operator_Account: reader, Peer_Account: peer },
        C2CMsgInfo: keys.map((k) => ({ From_Account: peer, To_Account: reader, MsgKey: k })),
      })
      expect(r.ErrorCode).toBe(0)
      model.receipt(reader, peer, keys)
      return
    }
  }
}

function sendBody(s: Extract<Step, { kind: 'send' | 'batch' }>, from: string, to: object, body: string) {
  return {
    From_Account: from,
    ...to,
    MsgSeq: s.seq,
    MsgRandom: s.random,
    MsgBody: text(body),
    ...(s.o.noUnread || s.o.noLastMsg
      ? { SendMsgControl: [...(s.o.noUnread ? ['NoUnread'] : []), ...(s.o.noLastMsg ? ['NoLastMsg'] : [])] }
      : {}),
    ...(s.o.onlineOnly ? { MsgLifeTime: 0 } : {}),
    ...(s.o.needReceipt ? { IsNeedReadReceipt: 1 } : {}),
    ...(s.o.hideFromSender ? { SyncOtherMachine: 2 } : {}),
  }
}

it('keeps every count, flag and history page equal to the reference model', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
      run++
      const users = [`r${run}a`, `r${run}b`, `r${run}c`]
      await importAccounts(server, ...users)
      const model = new C2CModel()
      for (const s of steps) {
        await apply(s, model, users, `r${run}ghost`)
        await check(model, users)
      }
      for (const v of users) for (const p of users) if (v !== p) await checkAllPages(model, v, p)
    }),
    { numRuns: 40 },
  )
})
