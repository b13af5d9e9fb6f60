/**
 * The read path of the store contract (design.md "Reads and writes"): `read` answers from a
 * snapshot without joining the write queue, and still sees every write that was answered before it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { UserId } from '../../src/domain/accounts/user-id.js'
import { formatMsgKey } from '../../src/domain/c2c/msg-key.js'
import type { NewMessage } from '../../src/domain/c2c/rules.js'
import type { Store, StoreKind } from '../../src/store/store.js'
import { openTestStore, STORES, type TestStore } from '../helpers/stores.js'

const APP = 1400000000
const [A, B] = ['a', 'b'] as UserId[] as [UserId, UserId]

function message(n: number): NewMessage {
  const parts = { msgSeq: n, msgRandom: n, msgTime: 1000 + n }
  return {
    from: A,
    to: B,
    ...parts,
    msgKey: formatMsgKey(parts),
    body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `m${n}` } }],
    cloudCustomData: '',
    needReadReceipt: false,
    senderSees: true,
    recipientSees: true,
    counted: true,
    uncounted: undefined,
  }
}

describe.each(STORES)('%s store reads', (kind) => {
  let t: TestStore
  let store: Store

  beforeEach(async () => {
    t = await openTestStore(kind)
    store = t.store
    await store.transaction(APP, (tx) =>
      tx.accounts.importAccounts(
        [A, B].map((userId) => ({ userId, nick: undefined, faceUrl: undefined })),
        1,
      ),
    )
  })
  afterEach(() => t.close())

  it('sees every write answered before the read was issued, however the writes are batched', async () => {
    let answered = 0
    const missed: string[] = []
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        store
          .transaction(APP, (tx) => tx.c2c.addMessage(message(i + 1)))
          .then(async () => {
            const mustSee = ++answered
            const n = await store.read(APP, (tx) => tx.c2c.unreadTotal(B))
            if (n < mustSee) missed.push(`read ${n} after ${mustSee} answered writes`)
          }),
      ),
    )
    expect(missed).toEqual([])
    expect(await store.read(APP, (tx) => tx.c2c.unreadTotal(B))).toBe(60)
  })

  it('answers without waiting for writes that are queued but not yet committed', async () => {
    // SQLite reads between batches, so a queued write is not seen yet; PostgreSQL may or may not
    // have committed it by the time the snapshot is taken.
    const possible: Record<StoreKind, number[]> = { sqlite: [0], postgres: [0, 1] }
    const write = store.transaction(APP, (tx) => tx.c2c.addMessage(message(1)))
    const before = await store.read(APP, (tx) => tx.c2c.unreadTotal(B))
    await write
    expect(possible[kind]).toContain(before)
    expect(await store.read(APP, (tx) => tx.c2c.unreadTotal(B))).toBe(1)
  })
})
