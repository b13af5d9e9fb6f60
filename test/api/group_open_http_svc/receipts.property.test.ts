/**
 * The group receipt APIs and members' read state against a reference model (design.md decision 8,
 * spec part 2 §13.5): random joins, leaves, rejoins, sends with and without receipts or NoUnread,
 * receipts, recalls and set_unread_msg_num. After every step every count and every detail page, at
 * every page size and for both filters, equals the model's, each Group.CallbackAfterReadReceipt
 * carries the model's counts, and every member's read seq and unread count, as
 * get_group_member_info and get_joined_group_list show them, are the model's.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inAudience } from '../../../src/domain/read-state/group-audience.js'
import { ADMIN, startTestServer, type TestServer } from '../../helpers/server.js'
import { G, importAccounts, outboxReader, text } from './helpers.js'

const USERS = ['u0', 'u1', 'u2', 'u3', 'u4']

interface Membership {
  userId: string
  joinSeq: number
  active: boolean
  reads: Set<number>
  /** The newest seq the member has read (§13.5); receipts never move it. */
  readSeq: number
}
interface Msg {
  seq: number
  sender: string
  receipt: boolean
  recalled: boolean
  noUnread: boolean
}
interface Model {
  memberships: Membership[]
  messages: Msg[]
}

type Action =
  | { kind: 'join'; user: string }
  | { kind: 'leave'; user: string }
  | { kind: 'send'; from: string; receipt: boolean; noUnread: boolean }
  | { kind: 'setUnread'; user: string; n: number }
  | { kind: 'read'; user: string; seqs: number[] }
  | { kind: 'recall'; seq: number }

const user = fc.constantFrom(...USERS)
const action: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: user.map((u) => ({ kind: 'join' as const, user: u })), weight: 3 },
  { arbitrary: user.map((u) => ({ kind: 'leave' as const, user: u })), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('send' as const),
      from: fc.constantFrom(ADMIN, ...USERS),
      receipt: fc.boolean(),
      noUnread: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('setUnread' as const),
      user,
      n: fc.integer({ min: 0, max: 6 }),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('read' as const),
      user,
      seqs: fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 6 }),
    }),
    weight: 4,
  },
  { arbitrary: fc.integer({ min: 1, max: 10 }).map((seq) => ({ kind: 'recall' as const, seq })), weight: 1 },
)

let server: TestServer
let runNo = 0
beforeAll(async () => {
  server = await startTestServer()
  await importAccounts(server, USERS)
})
afterAll(() => server.close())

const call = (command: string, body: unknown) => server.call(G + command, body)
const active = (m: Model, u: string) => m.memberships.find((x) => x.userId === u && x.active)
const audience = (m: Model, msg: Msg) => m.memberships.filter((x) => inAudience(x, msg))
const visible = (msg: Msg | undefined) => msg !== undefined && msg.receipt && !msg.recalled
/** The messages that count as unread for `user`, newest first (§13.5.3). */
const counting = (m: Model, user: string) =>
  m.messages.filter((x) => !x.recalled && !x.noUnread && x.sender !== user).reverse()
const unread = (m: Model, x: Membership) => counting(m, x.userId).filter((msg) => msg.seq > x.readSeq).length

async function apply(
  model: Model,
  groupId: string,
  a: Action,
  events: () => Promise<{ command: string; body: Record<string, unknown> }[]>,
) {
  const lastSeq = model.messages.length
  if (a.kind === 'join') {
    const r = await call('add_group_member', { GroupId: groupId, MemberList: [{ Member_Account: a.user }] })
    const was = active(model, a.user)
    expect(r.MemberList).toEqual([{ Member_Account: a.user, Result: was ? 2 : 1 }])
    if (!was) {
      model.memberships.push({
        userId: a.user,
        joinSeq: lastSeq,
        active: true,
        reads: new Set(),
        readSeq: lastSeq,
      })
    }
  } else if (a.kind === 'leave') {
    const r = await call('delete_group_member', { GroupId: groupId, MemberToDel_Account: [a.user] })
    expect(r.ErrorCode).toBe(0)
    const m = active(model, a.user)
    if (m) m.active = false
  } else if (a.kind === 'send') {
    const body = {
      GroupId: groupId,
      From_Account: a.from,
      Random: model.messages.length + 1,
      MsgBody: text('x'),
      NeedReadReceipt: a.receipt ? 1 : 0,
      ...(a.noUnread && { SendMsgControl: ['NoUnread'] }),
    }
    const r = await call('send_group_msg', body)
    if (a.from !== ADMIN && !active(model, a.from)) return expect(r.ErrorCode).toBe(10007)
    expect(r.MsgSeq).toBe(lastSeq + 1)
    model.messages.push({
      seq: lastSeq + 1,
      sender: a.from,
      receipt: a.receipt,
      recalled: false,
      noUnread: a.noUnread,
    })
    const sender = active(model, a.from)
    if (sender) sender.readSeq = lastSeq + 1
  } else if (a.kind === 'setUnread') {
    const r = await call('set_unread_msg_num', {
      GroupId: groupId,
      Member_Account: a.user,
      UnreadMsgNum: a.n,
    })
    const m = active(model, a.user)
    if (!m) return expect(r.ErrorCode).toBe(10007)
    expect(r.ErrorCode).toBe(0)
    const mine = counting(model, a.user)
    // Exactly n counting messages after the read seq, or all of them when there are fewer.
    m.readSeq = a.n === 0 ? lastSeq : a.n <= mine.length ? mine[a.n - 1]!.seq - 1 : 0
  } else if (a.kind === 'read') {
    const r = await call('group_msg_receipt', {
      GroupId: groupId,
      From_Account: a.user,
      MsgSeqList: a.seqs.map((s) => ({ MsgSeq: s })),
    })
    const m = active(model, a.user)
    if (!m) return expect(r.ErrorCode).toBe(10007)
    expect(r.ErrorCode).toBe(0)
    const fresh = new Set<number>()
    for (const s of a.seqs) {
      if (s > m.joinSeq && s <= lastSeq && !m.reads.has(s)) {
        m.reads.add(s)
        const msg = model.messages[s - 1]!
        if (visible(msg) && msg.sender !== a.user) fresh.add(s)
      }
    }
    const fired = (await events()).filter((e) => e.command === 'Group.CallbackAfterReadReceipt')
    if (fresh.size === 0) return expect(fired).toEqual([])
    expect(fired).toHaveLength(1)
    expect(fired[0]!.body.GroupMsgReceiptList).toEqual(
      [...fresh]
        .sort((x, y) => x - y)
        .map((s) => {
          const aud = audience(model, model.messages[s - 1]!)
          const read = aud.filter((x) => x.reads.has(s)).length
          return {
            MsgSeq: s,
            ReadNum: read,
            UnreadNum: aud.length - read,
            ReadReceiptMembers: [{ Member_Account: a.user }],
          }
        }),
    )
  } else {
    const r = await call('group_msg_recall', { GroupId: groupId, MsgSeqList: [{ MsgSeq: a.seq }] })
    const msg = model.messages[a.seq - 1]
    const ok = msg !== undefined && !msg.recalled
    expect(r.RecallRetList).toEqual([{ MsgSeq: a.seq, RetCode: ok ? 0 : 10030 }])
    if (ok) msg.recalled = true
  }
}

async function pages(groupId: string, seq: number, filter: number, count: number): Promise<string[][]> {
  const out: string[][] = []
  let cursor = ''
  for (;;) {
    const r = await call('get_group_msg_receipt_detail', {
      GroupId: groupId,
      MsgSeq: seq,
      Filter: filter,
      Cursor: cursor,
      Count: count,
    })
    expect(r.ErrorCode).toBe(0)
    expect(r.IsFinish).toBe(r.IsFinished)
    const list = (filter === 0 ? r.ReadList : r.UnreadList) as Record<string, string>[]
    out.push(list.map((x) => Object.values(x)[0]!))
    if (r.IsFinish === 1) {
      expect(r.Cursor).toBe('0')
      return out
    }
    cursor = r.Cursor as string
    expect(out.length).toBeLessThan(20)
  }
}

const chunk = (xs: string[], k: number) => {
  const out: string[][] = []
  for (let i = 0; i < xs.length; i += k) out.push(xs.slice(i, i + k))
  return out.length === 0 ? [[]] : out
}

/**
 * Every member's read seq and unread count through get_group_member_info, and the badge of the
 * step's actor (or the first member) through get_joined_group_list: one list call a step keeps
 * the runs fast, and over a run it reaches every member.
 */
async function checkReadState(model: Model, groupId: string, actor: string | undefined) {
  const members = model.memberships.filter((x) => x.active)
  const r = await call('get_group_member_info', {
    GroupId: groupId,
    MemberInfoFilter: ['MsgSeq', 'UnreadMsgNum'],
  })
  expect(r.MemberList).toEqual(
    members.map((x) => ({ Member_Account: x.userId, MsgSeq: x.readSeq, UnreadMsgNum: unread(model, x) })),
  )
  const x = members.find((y) => y.userId === actor) ?? members[0]
  if (x === undefined) return
  const j = await call('get_joined_group_list', {
    Member_Account: x.userId,
    WithNoActiveGroups: 1,
    ResponseFilter: { SelfInfoFilter: ['MsgSeq', 'UnreadMsgNum'] },
  })
  const mine = (j.GroupIdList as { GroupId: string; SelfInfo: unknown }[]).find((g) => g.GroupId === groupId)
  expect(mine?.SelfInfo).toEqual({ MsgSeq: x.readSeq, UnreadMsgNum: unread(model, x) })
}

async function check(model: Model, groupId: string, actor: string | undefined) {
  await checkReadState(model, groupId, actor)
  const seqs = Array.from({ length: model.messages.length + 1 }, (_, i) => i + 1)
  const r = await call('get_group_msg_receipt', {
    GroupId: groupId,
    MsgSeqList: seqs.map((s) => ({ MsgSeq: s })),
  })
  const expected = seqs.map((s) => {
    const msg = model.messages[s - 1]
    if (!visible(msg)) return { Code: 10062, MsgSeq: s, ReadNum: 0, UnreadNum: 0 }
    const aud = audience(model, msg!)
    const read = aud.filter((x) => x.reads.has(s)).length
    return { Code: 0, MsgSeq: s, ReadNum: read, UnreadNum: aud.length - read }
  })
  expect(r.GroupMsgReceiptList).toEqual(expected)
  const checks: Promise<void>[] = []
  for (const msg of model.messages) {
    if (!visible(msg)) {
      checks.push(
        call('get_group_msg_receipt_detail', {
          GroupId: groupId,
          MsgSeq: msg.seq,
          Filter: 0,
          Cursor: '',
          Count: 5,
        }).then((d) => expect(d.ErrorCode).toBe(10062)),
      )
      continue
    }
    const aud = audience(model, msg)
    const lists = [aud.filter((x) => x.reads.has(msg.seq)), aud.filter((x) => !x.reads.has(msg.seq))]
    for (const filter of [0, 1]) {
      const want = lists[filter]!.map((x) => x.userId)
      for (let count = 1; count <= USERS.length + 1; count++) {
        checks.push(
          pages(groupId, msg.seq, filter, count).then((got) => expect(got).toEqual(chunk(want, count))),
        )
      }
    }
  }
  await Promise.all(checks)
}

describe('group receipts against the reference model', () => {
  // 30 runs of up to 40 steps over HTTP, read state checked at each: 25 s (SQLite) to 60 s
  // (PostgreSQL) on a busy 2-core machine.
  it(
    'keeps counts and member lists equal to the audience rule after every step',
    { timeout: 180_000 },
    async () => {
      const events = outboxReader(server)
      await fc.assert(
        fc.asyncProperty(fc.array(action, { minLength: 15, maxLength: 40 }), async (actions) => {
          const groupId = `prop-${++runNo}`
          const c = await call('create_group', { GroupId: groupId, Type: 'Private', Name: 'p' })
          expect(c.ErrorCode).toBe(0)
          const model: Model = { memberships: [], messages: [] }
          await events()
          for (const a of actions) {
            if (a.kind === 'send' && model.messages.length >= 10) continue
            await apply(model, groupId, a, events)
            await check(model, groupId, 'user' in a ? a.user : a.kind === 'send' ? a.from : undefined)
            await events()
          }
          await call('destroy_group', { GroupId: groupId })
        }),
        { numRuns: 30 },
      )
    },
  )
})
