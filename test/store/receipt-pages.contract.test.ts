/**
 * Who-read and who-did-not-read pages (GroupReceiptReads.members) at every density, on each store:
 * no reader, one, a few, half, clustered, all but one, everyone, after reads in several runs, a
 * leave and a later join. Every page size pages through exactly the model's list in membership
 * order, and between them the cases take both ways of finding a page (detail-plan.ts), so each
 * is held to the same answers.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { UserId } from '../../src/domain/accounts/user-id.js'
import type { GroupId } from '../../src/domain/groups/group-id.js'
import { detailPlan, type DetailPlan } from '../../src/domain/read-state/detail-plan.js'
import type { NewGroupMessage } from '../../src/store/groups.js'
import type { Store, Tx } from '../../src/store/store.js'
import { openTestStore, STORES, type TestStore } from '../helpers/stores.js'

const APP = 1400000000
const G = 'pages' as GroupId
const N = 100
const users = Array.from({ length: N }, (_, i) => `m${i}` as UserId)
const SENDER = users[0]!
const LATE = 'late' as UserId

function receiptMsg(i: number): NewGroupMessage {
  return {
    sender: SENDER,
    random: i,
    time: 1000 + i,
    body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `m${i}` } }],
    bodyHash: `h${i}`,
    cloudCustomData: undefined,
    priority: 'Normal',
    onlineOnly: false,
    receipt: true,
  }
}

/** Which members (by index, 1…N-1) read message `seq`, for each density under test. */
const DENSITIES: ((i: number) => boolean)[] = [
  () => false,
  (i) => i === N - 1,
  (i) => i % 37 === 5,
  (i) => i % 2 === 0,
  (i) => i >= 70,
  (i) => i !== 1,
  () => true,
  (i) => i < 20 || (i > 60 && i < 70),
]

describe.each(STORES)('%s store: receipt detail pages', (kind) => {
  let t: TestStore
  let store: Store
  const tx = <T>(fn: (tx: Tx) => Promise<T>) => store.transaction(APP, fn)

  beforeEach(async () => {
    t = await openTestStore(kind)
    store = t.store
  })
  afterEach(() => t.close())

  it('pages exactly the readers and the non-readers at every density and page size', async () => {
    await tx((x) =>
      x.groups.createGroup(
        { groupId: G, type: 'Public', name: 'p', owner: SENDER, maxMembers: 0, createdTime: 1 },
        users.map((userId, i) => ({ userId, role: i === 0 ? ('Owner' as const) : ('Member' as const) })),
      ),
    )
    const seqs: number[] = []
    for (let d = 0; d < DENSITIES.length; d++)
      seqs.push((await tx((x) => x.groups.appendMessage(G, receiptMsg(d)))).seq)
    // Each member reads its messages one at a time, so ranges merge and stretches split.
    for (const [k, m] of users.slice(1).entries()) {
      await tx(async (x) => {
        for (const [d, seq] of seqs.entries()) {
          if (DENSITIES[d]!(k + 1)) await x.groupReceipts.acknowledge(G, m, [{ lo: seq, hi: seq }])
        }
      })
    }
    // A member who leaves takes its reads and stretches along; one who joins later is in no audience.
    await tx((x) => x.groups.removeMembers(G, [users[3]!]))
    await tx((x) => x.groups.addMembers(G, [{ userId: LATE, role: 'Member' }], 2))
    await tx((x) => x.groupReceipts.acknowledge(G, LATE, [{ lo: 1, hi: 99 }]))

    const plans = new Set<DetailPlan>()
    for (const [d, seq] of seqs.entries()) {
      const audience = users.slice(1).filter((_, k) => k + 1 !== 3)
      const readers = audience.filter((u) => DENSITIES[d]!(users.indexOf(u)))
      const want = { true: readers, false: audience.filter((u) => !readers.includes(u)) }
      const counts = (await store.read(APP, (x) => x.groupReceipts.counts(G, [seq])))!.counts.get(seq)!
      expect(counts).toEqual({ seq, read: readers.length, unread: audience.length - readers.length })
      for (const read of [true, false]) {
        for (const limit of [7, 50, 200]) {
          const matches = read ? readers.length : audience.length - readers.length
          plans.add(detailPlan({ matches, audience: audience.length, limit }))
          const got: UserId[] = []
          let after = 0
          for (let p = 0; p < 200; p++) {
            const page = await store.read(APP, (x) => x.groupReceipts.members(G, seq, { read, after, limit }))
            expect(page).toBeDefined()
            expect(page!.members.length).toBeLessThanOrEqual(limit)
            got.push(...page!.members)
            if (page!.next === undefined) break
            expect(page!.members).toHaveLength(limit)
            after = page!.next
          }
          expect({ seq, read, limit, got }).toEqual({ seq, read, limit, got: want[`${read}`] })
        }
      }
    }
    expect([...plans].sort()).toEqual(['scan', 'stab'])
  })
})
