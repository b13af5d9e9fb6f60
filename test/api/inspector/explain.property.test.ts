/**
 * Property (issue 16 "Tests"): for random C2C and group histories made over HTTP, the unread
 * explanation agrees with the v4 answers — its stored and recounted counts with
 * get_c2c_unread_msg_num, its list of unread messages with that count — and the group pages agree
 * with get_group_msg_receipt and with the who-read lists, and each member's explanation with
 * get_group_member_info's read seq and unread count; the recount finds no drift.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { ManualClock } from '../../../src/domain/clock.js'
import { startTestServer, testConfig, type TestServer } from '../../helpers/server.js'
import { importAccounts, text } from '../openim/c2c.js'
import { all, api } from './api.js'

let server: TestServer
const clock = new ManualClock(1_700_000_000_000)
beforeAll(async () => {
  server = await startTestServer(testConfig(), { clock })
})
afterAll(() => server.close())

const who = fc.integer({ min: 0, max: 2 })
const step = fc.oneof(
  fc.record({ kind: fc.constant('tick' as const), seconds: fc.integer({ min: 1, max: 3 }) }),
  fc.record({
    kind: fc.constant('send' as const),
    from: who,
    to: who,
    noUnread: fc.boolean(),
    receipt: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('import' as const),
    from: who,
    to: who,
    back: fc.integer({ min: -2, max: 6 }),
    mode: fc.constantFrom(2, 5),
  }),
  fc.record({ kind: fc.constant('withdraw' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('read' as const),
    reader: who,
    peer: who,
    back: fc.integer({ min: 0, max: 4 }),
  }),
  fc.record({
    kind: fc.constant('gsend' as const),
    from: who,
    receipt: fc.boolean(),
    noUnread: fc.boolean(),
    to: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('grecall' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('gunread' as const),
    who: fc.integer({ min: 0, max: 4 }),
    n: fc.integer({ min: 0, max: 4 }),
  }),
  fc.record({
    kind: fc.constant('gread' as const),
    reader: fc.integer({ min: 0, max: 3 }),
    picks: fc.array(fc.nat(), { maxLength: 3 }),
  }),
  fc.record({ kind: fc.constant('gjoin' as const), who: fc.integer({ min: 3, max: 4 }) }),
  fc.record({ kind: fc.constant('gleave' as const), who: fc.integer({ min: 1, max: 4 }) }),
)

let run = 0

it('explains every unread count and receipt count exactly as the v4 API reports it', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), async (steps) => {
      run++
      const users = [0, 1, 2, 3, 4].map((i) => `p${run}_${i}`)
      const group = `pg_${run}`
      await importAccounts(server, ...users)
      await server.call('group_open_http_svc/create_group', {
        GroupId: group, Type: 'Public', Name: group, Owner_Account: users[0],
        MemberList: [{ Member_Account: users[1] }, { Member_Account: users[2] }],
      }) // prettier-ignore
      const sent: { from: string; to: string; key: string }[] = []
      let random = 1
      let lastSeq = 0
      for (const s of steps) {
        const now = clock.nowSeconds()
        if (s.kind === 'tick') clock.set(clock.nowMs() + s.seconds * 1000)
        else if (s.kind === 'send') {
          const r = await server.call('openim/sendmsg', {
            From_Account: users[s.from], To_Account: users[s.to], MsgRandom: random++, MsgBody: text('m'),
            ...(s.noUnread && { SendMsgControl: ['NoUnread'] }), ...(s.receipt && { IsNeedReadReceipt: 1 }),
          }) // prettier-ignore
          if (r.ErrorCode === 0)
            sent.push({ from: users[s.from]!, to: users[s.to]!, key: r.MsgKey as string })
        } else if (s.kind === 'import') {
          await server.call('openim/importmsg', {
            SyncFromOldSystem: s.mode, From_Account: users[s.from], To_Account: users[s.to], MsgRandom: random++,
            MsgTimeStamp: now - s.back, MsgBody: text('i'),
          }) // prettier-ignore
        } else if (s.kind === 'withdraw' && sent.length > 0) {
          const m = sent[s.pick % sent.length]!
          await server.call('openim/admin_msgwithdraw', {
            From_Account: m.from,
            To_Account: m.to,
            MsgKey: m.key,
          })
        } else if (s.kind === 'read') {
          await server.call('openim/admin_set_msg_read', {
            Report_Account: users[s.reader], Peer_Account: users[s.peer], MsgReadTime: now - s.back,
          }) // prettier-ignore
        } else if (s.kind === 'gsend') {
          const r = await server.call('group_open_http_svc/send_group_msg', {
            GroupId: group, From_Account: users[s.from], Random: random++, MsgBody: text('g'),
            ...(s.to === undefined ? s.receipt && { NeedReadReceipt: 1 } : { To_Account: [users[s.to]] }),
            ...(s.noUnread && { SendMsgControl: ['NoUnread'] }),
          }) // prettier-ignore
          if (r.ErrorCode === 0) lastSeq = r.MsgSeq as number
        } else if (s.kind === 'gread' && lastSeq > 0) {
          await server.call('group_open_http_svc/group_msg_receipt', {
            GroupId: group, From_Account: users[s.reader], MsgSeqList: s.picks.map((p) => ({ MsgSeq: 1 + (p % lastSeq) })),
          }) // prettier-ignore
        } else if (s.kind === 'grecall' && lastSeq > 0) {
          await server.call('group_open_http_svc/group_msg_recall', {
            GroupId: group,
            MsgSeqList: [{ MsgSeq: 1 + (s.pick % lastSeq) }],
          })
        } else if (s.kind === 'gunread') {
          await server.call('group_open_http_svc/set_unread_msg_num', {
            GroupId: group,
            Member_Account: users[s.who],
            UnreadMsgNum: s.n,
          })
        } else if (s.kind === 'gjoin') {
          await server.call('group_open_http_svc/add_group_member', {
            GroupId: group,
            MemberList: [{ Member_Account: users[s.who] }],
          })
        } else if (s.kind === 'gleave') {
          await server.call('group_open_http_svc/delete_group_member', {
            GroupId: group,
            MemberToDel_Account: [users[s.who]],
          })
        }
      }

      for (const u of users.slice(0, 3)) {
        const peers = users.slice(0, 3)
        const v4 = await server.call('openim/get_c2c_unread_msg_num', { To_Account: u, Peer_Account: peers })
        const counts = new Map(
          (v4.C2CUnreadMsgNumList as { Peer_Account: string; C2CUnreadMsgNum: number }[]).map((c) => [
            c.Peer_Account,
            c.C2CUnreadMsgNum,
          ]),
        )
        let total = 0
        for (const p of peers) {
          const pages = await all<{ Unread: number; NotUnreadBecause: string[] }>(
            server,
            `accounts/${u}/conversations/${p}`,
            'Messages',
            { limit: 3 },
          )
          const first = pages.pages[0]!
          expect(first.UnreadMsgNum).toBe(counts.get(p))
          expect(first.RecountedUnreadMsgNum).toBe(counts.get(p))
          expect(pages.items.filter((m) => m.Unread === 1)).toHaveLength(counts.get(p)!)
          for (const m of pages.items) expect(m.Unread === 1).toBe(m.NotUnreadBecause.length === 0)
          total += first.UnreadMsgNum as number
        }
        expect(v4.AllC2CUnreadMsgNum).toBe(total)
        const account = await api(server, 'GET', `accounts/${u}`)
        expect((account.Totals as { C2CUnreadMsgNum: number }).C2CUnreadMsgNum).toBe(total)
      }

      const info = await server.call('group_open_http_svc/get_group_member_info', {
        GroupId: group,
        MemberInfoFilter: ['MsgSeq', 'UnreadMsgNum'],
      })
      const members = info.MemberList as { Member_Account: string; MsgSeq: number; UnreadMsgNum: number }[]
      for (const m of members) {
        const explained = await all<{ Unread: number; NotUnreadBecause: string[] }>(
          server,
          `groups/${group}/members/${m.Member_Account}`,
          'Messages',
          { limit: 3 },
        )
        const first = explained.pages[0]!
        expect([first.MsgSeq, first.UnreadMsgNum, first.RecountedUnreadMsgNum]).toEqual([
          m.MsgSeq,
          m.UnreadMsgNum,
          m.UnreadMsgNum,
        ])
        expect(explained.items.filter((x) => x.Unread === 1)).toHaveLength(m.UnreadMsgNum)
        for (const x of explained.items) expect(x.Unread === 1).toBe(x.NotUnreadBecause.length === 0)
      }

      const messages = await all<{ MsgSeq: number; NeedReadReceipt: number; Recalled: number; ReadNum?: number; UnreadNum?: number }>(
        server, `groups/${group}/messages`, 'Messages', { limit: 4 },
      ) // prettier-ignore
      expect(messages.items.map((m) => m.MsgSeq)).toEqual(
        Array.from({ length: lastSeq }, (_, i) => lastSeq - i),
      )
      if (lastSeq > 0) {
        const seqs = messages.items.map((m) => ({ MsgSeq: m.MsgSeq }))
        const v4 = await server.call('group_open_http_svc/get_group_msg_receipt', {
          GroupId: group,
          MsgSeqList: seqs,
        })
        const byseq = new Map(
          (
            v4.GroupMsgReceiptList as { MsgSeq: number; Code: number; ReadNum: number; UnreadNum: number }[]
          ).map((c) => [c.MsgSeq, c]),
        )
        for (const m of messages.items) {
          const c = byseq.get(m.MsgSeq)!
          if (c.Code !== 0) continue
          expect([m.ReadNum, m.UnreadNum]).toEqual([c.ReadNum, c.UnreadNum])
          const read = await all<string>(server, `groups/${group}/messages/${m.MsgSeq}/readers`, 'Members', {
            limit: 2,
          })
          const unread = await all<string>(
            server,
            `groups/${group}/messages/${m.MsgSeq}/readers`,
            'Members',
            { filter: 'unread', limit: 2 },
          )
          expect([read.items.length, unread.items.length]).toEqual([c.ReadNum, c.UnreadNum])
        }
      }
      const recount = await api(server, 'POST', 'recount')
      expect(recount).toMatchObject({
        C2C: { DriftCount: 0 },
        C2CTotals: { DriftCount: 0 },
        Groups: { DriftCount: 0 },
      })
    }),
    { numRuns: 25 },
  )
}, 120_000)
