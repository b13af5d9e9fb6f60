/**
 * The store contract: the documented semantics of each concern (src/store/*.ts), checked directly
 * on every kind in STORES, including what must hold when transactions run at once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { UserId } from '../../src/domain/accounts/user-id.js'
import { formatMsgKey, type MsgKey } from '../../src/domain/c2c/msg-key.js'
import type { NewMessage } from '../../src/domain/c2c/rules.js'
import type { GroupId } from '../../src/domain/groups/group-id.js'
import type { NewGroupMessage } from '../../src/store/groups.js'
import type { Store, StoreKind, Tx } from '../../src/store/store.js'
import { openTestStore, STORES, type TestStore } from '../helpers/stores.js'

const APP = 1400000000
const u = (s: string) => s as UserId
const G = 'g1' as GroupId
const [A, B, C, D] = ['a', 'b', 'c', 'd'].map(u) as [UserId, UserId, UserId, UserId]

let seq = 0
function c2c(from: UserId, to: UserId, msgTime: number, extra: Partial<NewMessage> = {}): NewMessage {
  const parts = { msgSeq: ++seq, msgRandom: seq * 7, msgTime }
  return {
    from,
    to,
    ...parts,
    msgKey: formatMsgKey(parts),
    body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `m${seq}` } }],
    cloudCustomData: '',
    needReadReceipt: true,
    senderSees: true,
    recipientSees: true,
    counted: true,
    uncounted: undefined,
    ...extra,
  }
}

function groupMsg(sender: UserId, receipt = true): NewGroupMessage {
  return {
    sender,
    random: ++seq,
    time: 1000 + seq,
    body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `g${seq}` } }],
    bodyHash: `h${seq}`,
    cloudCustomData: undefined,
    priority: 'Normal',
    onlineOnly: false,
    receipt,
  }
}

const member = (userId: UserId) => ({ userId, role: 'Member' as const })
const account = (userId: UserId) => ({ userId, nick: undefined, faceUrl: undefined })

describe.each(STORES)('%s store', (kind) => {
  let t: TestStore
  let store: Store
  const tx = <T>(fn: (tx: Tx) => Promise<T>) => store.transaction(APP, fn)

  beforeEach(async () => {
    t = await openTestStore(kind)
    store = t.store
  })
  afterEach(() => t.close())

  it('rolls back everything a failing transaction did', async () => {
    await expect(
      tx(async (x) => {
        await x.accounts.importAccounts([{ userId: A, nick: undefined, faceUrl: undefined }], 1)
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect(await tx((x) => x.accounts.count())).toBe(0)
  })

  it('a one-statement transaction answers like a transaction, and a second statement in it is refused where it would commit alone', async () => {
    const none = { nick: undefined, faceUrl: undefined }
    const one = 'one-statement' as const
    expect(
      await store.transaction(APP, (x) => x.accounts.importAccounts([{ userId: A, ...none }], 1), one),
    ).toEqual([A])
    expect(await store.read(APP, (x) => x.accounts.count(), one)).toBe(1)
    const twice = store.transaction(
      APP,
      async (x) => {
        await x.accounts.importAccounts([{ userId: B, ...none }], 1)
        return x.accounts.count()
      },
      one,
    )
    // SQLite runs every transaction in its batch and may ignore the promise; PostgreSQL runs the
    // statement in autocommit, so a second one could not be undone with it and is never sent.
    const second: Record<StoreKind, 'answered' | 'refused'> = { sqlite: 'answered', postgres: 'refused' }
    expect(
      await twice.then(
        () => 'answered',
        () => 'refused',
      ),
    ).toBe(second[kind])
  })

  it('accounts: imports once, lists the existing, deletes and keeps apps apart', async () => {
    const none = { nick: undefined, faceUrl: undefined }
    expect(await tx((x) => x.accounts.importAccounts([{ userId: A, ...none }], 1))).toEqual([A])
    expect(
      await tx((x) =>
        x.accounts.importAccounts(
          [
            { userId: A, ...none },
            { userId: B, ...none },
          ],
          2,
        ),
      ),
    ).toEqual([B])
    expect([...(await tx((x) => x.accounts.existing([A, B, C])))].sort()).toEqual([A, B])
    expect(await store.transaction(APP + 1, (x) => x.accounts.count())).toBe(0)
    expect([...(await tx((x) => x.accounts.deleteAccounts([A, C])))]).toEqual([A])
    expect(await tx((x) => x.accounts.count())).toBe(1)
  })

  it('c2c: counts unread after the read time, recounts on read, never moves the read time back', async () => {
    const m1 = c2c(A, B, 100)
    expect(await tx((x) => x.c2c.addMessage(m1))).toEqual({ added: true, recipientUnreadTotal: 1 })
    expect(await tx((x) => x.c2c.addMessage(m1))).toEqual({ added: false })
    await tx((x) => x.c2c.addMessage(c2c(A, B, 200)))
    await tx((x) => x.c2c.addMessage(c2c(C, B, 300)))
    await tx((x) => x.c2c.addMessage(c2c(A, B, 250, { counted: false, uncounted: 'no-unread' })))
    expect(await tx((x) => x.c2c.unreadTotal(B))).toBe(3)
    expect(await tx((x) => x.c2c.markRead(B, A, 150))).toEqual({ readTime: 150, readerUnreadTotal: 2 })
    expect(await tx((x) => x.c2c.markRead(B, A, 120))).toEqual({ readTime: 150, readerUnreadTotal: 2 })
    // A message older than the read time arrives unread-free.
    expect(await tx((x) => x.c2c.addMessage(c2c(A, B, 140)))).toMatchObject({ recipientUnreadTotal: 2 })
    await tx((x) => x.accounts.importAccounts([A, B, C].map(account), 1))
    const counts = await tx((x) => x.c2c.unreadCounts(B, [A, C, D]))
    expect(counts?.total).toBe(2)
    // D is no account, so it is left out.
    expect([...counts!.peers].sort()).toEqual([
      [A, 1],
      [C, 1],
    ])
    expect(await tx((x) => x.c2c.unreadCounts(D, [A]))).toBeUndefined()
    expect([...(await tx((x) => x.c2c.unreadCounts(A, [B])))!.peers]).toEqual([[B, 0]])
  })

  it('c2c: send checks both accounts, answers a same-second repeat with the first key, then adds', async () => {
    const one = 'one-statement' as const
    const m = c2c(A, B, 100)
    const send = (x: NewMessage) => store.transaction(APP, (t) => t.c2c.send(x, [x.to, x.from]), one)
    expect(await send(m)).toEqual({ sent: 'unknown-sender' })
    await tx((x) => x.accounts.importAccounts([account(A)], 1))
    expect(await send(m)).toEqual({ sent: 'unknown-recipient' })
    await tx((x) => x.accounts.importAccounts([account(B)], 1))
    expect(await send(m)).toEqual({ added: true, recipientUnreadTotal: 1 })
    const again = { ...m, msgSeq: m.msgSeq + 1, msgKey: formatMsgKey({ ...m, msgSeq: m.msgSeq + 1 }) }
    expect(await send(again)).toEqual({ sent: 'same-second', msgKey: m.msgKey })
    const later = c2c(A, B, 101)
    expect(await send(later)).toEqual({ added: true, recipientUnreadTotal: 2 })
    expect(await send(later)).toEqual({ sent: 'same-second', msgKey: later.msgKey })
    expect(await send({ ...c2c(A, B, 102), msgKey: later.msgKey })).toEqual({ added: false })
    // Both conversation lists moved to the newest stored message, and only those that were given.
    const list = (owner: UserId) =>
      store.read(APP, (t) => t.recent.list({ owner, pinned: undefined, fromTime: 0, skip: 0, limit: 10 }))
    expect((await list(A)).map((e) => [e.id, e.msgTime])).toEqual([[B, 101]])
    expect((await list(B)).map((e) => [e.id, e.msgTime])).toEqual([[A, 101]])
    await tx((x) => x.accounts.importAccounts([account(C)], 1))
    expect(await store.transaction(APP, (t) => t.c2c.send(c2c(A, C, 103), []), one)).toMatchObject({
      added: true,
    })
    expect((await list(C)).length).toBe(0)
  })

  it('c2c: a recall of an unread message lowers the counters once', async () => {
    const m = c2c(A, B, 100)
    await tx((x) => x.c2c.addMessage(m))
    expect(await tx((x) => x.c2c.withdraw(A, B, m.msgKey))).toEqual({
      withdrawn: true,
      recipientUnreadTotal: 0,
    })
    expect(await tx((x) => x.c2c.withdraw(A, B, m.msgKey))).toEqual({
      withdrawn: false,
      reason: 'already-recalled',
    })
    expect(await tx((x) => x.c2c.withdraw(A, B, 'x' as MsgKey))).toEqual({
      withdrawn: false,
      reason: 'not-found',
    })
    expect(await tx((x) => x.c2c.markRead(B, A, 50))).toEqual({ readTime: 50, readerUnreadTotal: 0 })
  })

  it('c2c: receipts mark only asked-for, unrecalled messages from the peer, once', async () => {
    const [m1, m2, m3] = [c2c(A, B, 1), c2c(A, B, 2, { needReadReceipt: false }), c2c(B, A, 3)]
    for (const m of [m1, m2, m3]) await tx((x) => x.c2c.addMessage(m))
    const keys = [m1.msgKey, m2.msgKey, m3.msgKey, 'nope' as MsgKey, m1.msgKey]
    expect(await tx((x) => x.c2c.ackReceipts(B, A, keys))).toBe('unknown-account')
    await tx((x) => x.accounts.importAccounts([A].map(account), 1))
    expect(await tx((x) => x.c2c.ackReceipts(B, A, keys))).toBe('unknown-account')
    await tx((x) => x.accounts.importAccounts([B].map(account), 1))
    expect(await tx((x) => x.c2c.ackReceipts(B, A, keys))).toBe(1)
    expect(await tx((x) => x.c2c.ackReceipts(B, A, keys))).toBe(0)
    const page = await tx((x) =>
      x.c2c.history({ viewer: B, peer: A, minTime: 0, maxTime: 10, before: undefined, limit: 2 }),
    )
    expect(page.more).toBe(true)
    expect(page.messages.map((m) => [m.msgKey, m.peerRead])).toEqual([
      [m3.msgKey, false],
      [m2.msgKey, false],
    ])
  })

  it('c2c: concurrent sends and reads of one conversation lose no update', async () => {
    await tx((x) => x.accounts.importAccounts([A, B].map(account), 1))
    const sends = Array.from({ length: 40 }, (_, i) => tx((x) => x.c2c.addMessage(c2c(A, B, 100 + i))))
    const reads = [110, 120, 130].map((t) => tx((x) => x.c2c.markRead(B, A, t)))
    await Promise.all([...sends, ...reads])
    const unread = 40 - 31 // times 131..139 stay unread
    expect(await tx((x) => x.c2c.unreadTotal(B))).toBe(unread)
    expect((await tx((x) => x.c2c.unreadCounts(B, [A])))?.peers.get(A)).toBe(unread)
  })

  it('groups: creates once, adds only new members in order, MsgSeq 1..N under concurrent sends', async () => {
    expect(await tx((x) => x.groups.createGroup(newGroup(), [owner(A), member(B)]))).toEqual({
      created: true,
    })
    expect(await tx((x) => x.groups.createGroup(newGroup(), []))).toEqual({ created: false, owner: A })
    expect(await tx((x) => x.groups.addMembers(G, [member(C), member(B), member(C)], 5))).toEqual([C])
    const seqs = await Promise.all(
      Array.from({ length: 30 }, () => tx((x) => x.groups.appendMessage(G, groupMsg(A)))),
    )
    expect(seqs.map((s) => s.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1))
    expect(await tx((x) => x.groups.find(G))).toMatchObject({ memberCount: 3, lastSeq: 30, owner: A })
    expect([...(await tx((x) => x.groups.members(G, [A, D])))]).toEqual([A])
  })

  it('receipts: audience fixed at send minus sender; reads counted once; leaves take both back', async () => {
    await tx((x) => x.groups.createGroup(newGroup(), [owner(A), member(B), member(C)]))
    const s1 = (await tx((x) => x.groups.appendMessage(G, groupMsg(A)))).seq
    const s2 = (await tx((x) => x.groups.appendMessage(G, groupMsg(A, false)))).seq
    await tx((x) => x.groups.addMembers(G, [member(D)], 5))
    const s3 = (await tx((x) => x.groups.appendMessage(G, groupMsg(B)))).seq
    const counts = async () =>
      [...(await tx((x) => x.groupReceipts.counts(G, [s1, s2, s3, 99])))!.counts.values()].sort(
        (a, b) => a.seq - b.seq,
      )
    expect(await counts()).toEqual([
      { seq: s1, read: 0, unread: 2 },
      { seq: s3, read: 0, unread: 3 },
    ])
    const all = [{ lo: 1, hi: 99 }]
    expect(await tx((x) => x.groupReceipts.acknowledge(G, B, all))).toEqual([{ seq: s1, read: 1, unread: 1 }])
    expect(await tx((x) => x.groupReceipts.acknowledge(G, B, all))).toEqual([])
    expect(await tx((x) => x.groupReceipts.acknowledge(G, D, all))).toEqual([{ seq: s3, read: 1, unread: 2 }])
    expect(await tx((x) => x.groupReceipts.acknowledge(G, u('zed'), all))).toBe('not-member')
    const page = await tx((x) => x.groupReceipts.members(G, s3, { read: false, after: 0, limit: 1 }))
    expect(page?.members).toEqual([A])
    expect(page?.next).toBeDefined()
    const rest = await tx((x) =>
      x.groupReceipts.members(G, s3, { read: false, after: page!.next!, limit: 5 }),
    )
    expect(rest).toEqual({ members: [C], next: undefined })
    expect(
      await tx((x) => x.groupReceipts.members(G, s2, { read: true, after: 0, limit: 5 })),
    ).toBeUndefined()
    expect(await tx((x) => x.groups.removeMembers(G, [D, B, u('zed')]))).toEqual([D, B])
    expect(await counts()).toEqual([
      { seq: s1, read: 0, unread: 1 },
      { seq: s3, read: 0, unread: 2 },
    ])
    expect(await tx((x) => x.groups.recall(G, [s3, s3, 99]))).toEqual(
      new Map([
        [s3, 'recalled'],
        [99, 'not-found'],
      ]),
    )
    // C can have two unread at most: s1 and s2 (s3 is recalled).
    expect(await tx((x) => x.groups.placeReadSeq(G, C, 4))).toBe(2)
    expect(await tx((x) => x.groups.placeReadSeq(G, B, 4))).toBeUndefined()
    expect(await tx((x) => x.groups.destroy(G))).toEqual([A, C])
    expect(await tx((x) => x.groups.find(G))).toBeUndefined()
  })

  it('receipts: members acknowledging, joining and leaving at once keep exact counts', async () => {
    const users = Array.from({ length: 12 }, (_, i) => u(`m${i}`))
    await tx((x) => x.groups.createGroup(newGroup(), [owner(A), ...users.map(member)]))
    for (let i = 0; i < 5; i++) await tx((x) => x.groups.appendMessage(G, groupMsg(A)))
    const leavers = users.slice(0, 4)
    await Promise.all([
      ...users.map((m) => tx((x) => x.groupReceipts.acknowledge(G, m, [{ lo: 1, hi: 5 }]))),
      ...users.map((m) => tx((x) => x.groupReceipts.acknowledge(G, m, [{ lo: 2, hi: 3 }]))),
      ...leavers.map((m) => tx((x) => x.groups.removeMembers(G, [m]))),
      tx((x) => x.groups.addMembers(G, [member(D)], 9)),
      tx((x) => x.groups.appendMessage(G, groupMsg(A))),
    ])
    const counts = (await tx((x) => x.groupReceipts.counts(G, [1, 2, 3, 4, 5])))!.counts
    for (const c of counts.values()) expect(c).toEqual({ seq: c.seq, read: 8, unread: 0 })
    const six = (await tx((x) => x.groupReceipts.counts(G, [6])))!.counts.get(6)!
    expect(six.read).toBe(0)
    expect(six.unread === 8 || six.unread === 9).toBe(true) // D joined before or after the send
  })
})

const newGroup = () => ({
  groupId: G,
  type: 'Public' as const,
  name: 'g',
  owner: A,
  maxMembers: 2000,
  createdTime: 1,
})
const owner = (userId: UserId) => ({ userId, role: 'Owner' as const })
