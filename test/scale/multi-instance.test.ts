/**
 * Three receiptd processes on one PostgreSQL schema behave as one server: concurrent C2C sends,
 * read reports and receipts, group sends, group receipts, joins and leaves are spread over them,
 * then every count is compared with a reference model built only from the calls answered OK.
 *
 * The model is exact where the answers fix the order. C2C state depends only on the set of OK
 * calls (unread = messages after the highest read time). Stable group members never leave, so
 * their reads are exact; each churning user is driven by one worker, so its membership is a
 * sequence, and whether it is in a message's audience is checked against the real-time order of
 * the join and the send (a join answered before a send began must be in it, one that began after
 * the send was answered must not) and for monotony across seqs. Every after-event the load caused
 * reaches one callback receiver exactly once, each conversation's and group's in order.
 */
import { performance } from 'node:perf_hooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { afterEventCommands } from '../../src/webhooks/events.js'
import { Receiver } from '../helpers/receiver.js'
import { dropSchema, freshSchema, TEST_STORE, testDatabaseUrl } from '../helpers/stores.js'
import { expectArrivalsMatch, settledOutbox } from './deliveries.js'
import { call, startInstances, stopInstances, type Instance } from './instances.js'

const STABLE = ['s0', 's1', 's2', 's3', 's4', 's5']
const CHURN = ['c0', 'c1', 'c2']
const GROUP = 'scale'
const WORKERS = 9
const OPS = 80

interface C2CMsg {
  from: string
  to: string
  time: number
  key: string
}
interface GroupMsg {
  seq: number
  sender: string
  start: number
  end: number
}
/** A churning user's current membership, from the join that started it. */
interface Membership {
  start: number
  end: number
}

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!
const text = (t: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text: t } }]

describe.skipIf(TEST_STORE !== 'postgres')('several instances on one PostgreSQL', () => {
  let instances: Instance[] = []
  let receiver: Receiver
  const url = TEST_STORE === 'postgres' ? testDatabaseUrl() : ''
  const schema = freshSchema()

  beforeAll(async () => {
    receiver = await Receiver.start()
    const callback = { url: receiver.url, commands: afterEventCommands, afterEventTimeoutMs: 10_000 }
    instances = await startInstances(3, url, schema, { callback, webhooks: { pollIntervalMs: 200 } })
  }, 60_000)
  afterAll(async () => {
    await stopInstances(instances)
    await receiver.close()
    await dropSchema(url, schema)
  })

  it('keeps every count, list and MsgSeq exact under concurrent load', { timeout: 120_000 }, async () => {
    const at = (i: number) => instances[i % instances.length]!.url
    const ok = async (i: number, path: string, body: unknown) => {
      const r = await call(at(i), path, body)
      expect(r, `${path} ${JSON.stringify(body)}`).toMatchObject({ ErrorCode: 0 })
      return r
    }
    await ok(0, 'im_open_login_svc/multiaccount_import', { Accounts: [...STABLE, ...CHURN] })
    await ok(1, 'group_open_http_svc/create_group', {
      GroupId: GROUP,
      Type: 'Public',
      Name: GROUP,
      Owner_Account: STABLE[0],
      MemberList: STABLE.slice(1).map((m) => ({ Member_Account: m })),
    })

    const c2c: C2CMsg[] = []
    const readTime = new Map<string, number>() // `${reader}>${peer}` → highest reported
    const peerRead = new Set<string>()
    const group: GroupMsg[] = []
    const groupReads = new Set<string>() // `${reader}@${seq}`
    const membership = new Map<string, Membership | undefined>(CHURN.map((c) => [c, undefined]))
    let random = 1

    const c2cStep = async (w: number) => {
      const [a, b] = [pick(STABLE), pick(STABLE)]
      if (a === b) return
      const kind = Math.random()
      if (kind < 0.5) {
        const r = await ok(w, 'openim/sendmsg', {
          From_Account: a,
          To_Account: b,
          MsgRandom: random++,
          MsgBody: text('hi'),
          IsNeedReadReceipt: 1,
        })
        c2c.push({ from: a, to: b, time: r.MsgTime as number, key: r.MsgKey as string })
        return
      }
      const sent = c2c.filter((m) => m.from === a && m.to === b)
      if (sent.length === 0) return
      if (kind < 0.75) {
        const t = pick(sent).time
        await ok(w, 'openim/admin_set_msg_read', {
          Report_Account: b,
          Peer_Account: a,
          MsgReadTime: String(t),
        })
        readTime.set(`${b}>${a}`, Math.max(readTime.get(`${b}>${a}`) ?? 0, t))
      } else {
        const keys = [pick(sent).key, pick(sent).key]
        await ok(w, 'openim/c2c_msg_read_receipt', {
          Operator_Account: b,
          Peer_Account: a,
          C2CMsgInfo: keys.map((MsgKey) => ({ From_Account: a, To_Account: b, MsgKey })),
        })
        for (const k of keys) peerRead.add(k)
      }
    }

    const groupStep = async (w: number) => {
      if (Math.random() < 0.4) {
        const sender = pick(STABLE)
        const start = performance.now()
        const r = await ok(w, 'group_open_http_svc/send_group_msg', {
          GroupId: GROUP,
          From_Account: sender,
          Random: random++,
          MsgBody: text('g'),
          NeedReadReceipt: 1,
        })
        group.push({ seq: r.MsgSeq as number, sender, start, end: performance.now() })
        return
      }
      if (group.length === 0) return
      const reader = pick(STABLE)
      const seqs = [pick(group).seq, pick(group).seq, pick(group).seq]
      await ok(w, 'group_open_http_svc/group_msg_receipt', {
        GroupId: GROUP,
        From_Account: reader,
        MsgSeqList: seqs.map((MsgSeq) => ({ MsgSeq })),
      })
      for (const s of seqs) groupReads.add(`${reader}@${s}`)
    }

    /** Only worker w drives churning user CHURN[w], so its joins and leaves are in sequence. */
    const churnStep = async (w: number) => {
      const user = CHURN[w]!
      const start = performance.now()
      if (membership.get(user) === undefined) {
        const r = await ok(w, 'group_open_http_svc/add_group_member', {
          GroupId: GROUP,
          MemberList: [{ Member_Account: user }],
        })
        expect(r.MemberList).toEqual([{ Member_Account: user, Result: 1 }])
        membership.set(user, { start, end: performance.now() })
      } else {
        await ok(w, 'group_open_http_svc/delete_group_member', {
          GroupId: GROUP,
          MemberToDel_Account: [user],
        })
        membership.set(user, undefined)
      }
    }

    await Promise.all(
      Array.from({ length: WORKERS }, async (_, w) => {
        for (let i = 0; i < OPS; i++) {
          const roll = Math.random()
          if (w < CHURN.length && roll < 0.2) await churnStep(w)
          else if (roll < 0.6) await c2cStep(w + i)
          else await groupStep(w + i)
        }
      }),
    )

    // C2C: unread counts per conversation and per user, and IsPeerRead, from any instance.
    for (const [i, reader] of STABLE.entries()) {
      const peers = STABLE.filter((p) => p !== reader)
      const expected = peers.map((p) => ({
        Peer_Account: p,
        C2CUnreadMsgNum: c2c.filter(
          (m) => m.from === p && m.to === reader && m.time > (readTime.get(`${reader}>${p}`) ?? 0),
        ).length,
      }))
      const r = await ok(i, 'openim/get_c2c_unread_msg_num', { To_Account: reader, Peer_Account: peers })
      expect(r.C2CUnreadMsgNumList).toEqual(expected)
      expect(r.AllC2CUnreadMsgNum).toBe(expected.reduce((n, e) => n + e.C2CUnreadMsgNum, 0))
      for (const peer of peers) {
        const roam = await ok(i + 1, 'openim/admin_getroammsg', {
          Operator_Account: peer,
          Peer_Account: reader,
          MaxCnt: 100,
          MinTime: 0,
          MaxTime: 4_000_000_000,
        })
        const sent = (roam.MsgList as { From_Account: string; MsgKey: string; IsPeerRead: number }[]).filter(
          (m) => m.From_Account === peer,
        )
        const mine = c2c.filter((m) => m.from === peer && m.to === reader)
        expect(sent.map((m) => m.MsgKey).sort()).toEqual(mine.map((m) => m.key).sort())
        for (const m of sent) expect(m.IsPeerRead, m.MsgKey).toBe(peerRead.has(m.MsgKey) ? 1 : 0)
      }
    }

    // Groups: MsgSeq 1..N across instances, then each message's counts and lists.
    const seqs = group.map((g) => g.seq).sort((a, b) => a - b)
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1))
    const current = CHURN.filter((c) => membership.get(c) !== undefined)
    const inAudience = new Map<string, boolean[]>(current.map((c) => [c, []]))
    for (const m of [...group].sort((a, b) => a.seq - b.seq)) {
      const readers = STABLE.filter((s) => s !== m.sender && groupReads.has(`${s}@${m.seq}`))
      const detail = async (Filter: number) =>
        (
          await ok(m.seq, 'group_open_http_svc/get_group_msg_receipt_detail', {
            GroupId: GROUP,
            MsgSeq: m.seq,
            Filter,
            Cursor: '',
            Count: 200,
          })
        )[Filter === 0 ? 'ReadList' : 'UnreadList'] as
          { Read_Account: string; Unread_Account: string }[] | undefined
      const read = (await detail(0))?.map((x) => x.Read_Account) ?? []
      const unread = (await detail(1))?.map((x) => x.Unread_Account) ?? []
      expect(read.sort(), `read list of ${m.seq}`).toEqual(readers.sort())
      const stableUnread = STABLE.filter((s) => s !== m.sender && !readers.includes(s))
      expect(unread.filter((u) => STABLE.includes(u)).sort(), `unread of ${m.seq}`).toEqual(
        stableUnread.sort(),
      )
      const churnUnread = unread.filter((u) => !STABLE.includes(u))
      for (const c of churnUnread)
        expect(current, `${c} left, yet is in the audience of ${m.seq}`).toContain(c)
      for (const c of current) {
        const joined = membership.get(c)!
        const member = churnUnread.includes(c)
        if (joined.end < m.start) expect(member, `${c} joined before ${m.seq} was sent`).toBe(true)
        if (m.end < joined.start) expect(member, `${c} joined after ${m.seq} was sent`).toBe(false)
        inAudience.get(c)!.push(member)
      }
      const counts = await ok(m.seq + 1, 'group_open_http_svc/get_group_msg_receipt', {
        GroupId: GROUP,
        MsgSeqList: [{ MsgSeq: m.seq }],
      })
      expect(counts.GroupMsgReceiptList).toEqual([
        { Code: 0, MsgSeq: m.seq, ReadNum: readers.length, UnreadNum: unread.length },
      ])
    }
    // A membership is in the audience of every message from its join on: false…false, true…true.
    for (const [c, flags] of inAudience) {
      expect(flags.indexOf(true) === -1 || !flags.slice(flags.indexOf(true)).includes(false), c).toBe(true)
    }
    expect(group.length).toBeGreaterThan(20)
    expect(c2c.length).toBeGreaterThan(20)

    // The receiver always answers OK within the attempt limit: one attempt, one request per event.
    const outbox = await settledOutbox(url, schema)
    expect(outbox.length).toBeGreaterThan(c2c.length + group.length)
    expect(outbox.filter((r) => r.attempts !== 1)).toEqual([])
    expectArrivalsMatch(receiver.received, outbox)
  })
})
