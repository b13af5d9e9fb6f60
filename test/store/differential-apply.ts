/**
 * How the differential test runs an operation (differential-ops.ts) on one store: in one
 * transaction, or one snapshot for the reads, as the command of that name would.
 */
import type { UserId } from '../../src/domain/accounts/user-id.js'
import { formatMsgKey, type MsgKey } from '../../src/domain/c2c/msg-key.js'
import { unreadExclusion, type NewMessage } from '../../src/domain/c2c/rules.js'
import { DUPLICATE_WINDOW_SECONDS } from '../../src/domain/groups/limits.js'
import { recentOwners, storeMessage } from '../../src/api/openim/c2c-message.js'
import type { Store, Tx, TxShape } from '../../src/store/store.js'
import type { Op } from './differential-ops.js'

/** What a run has seen so far, the same for both stores: the clock and the C2C keys sent. */
export interface RunState {
  now: number
  sent: { from: UserId; to: UserId; key: MsgKey }[]
}

function c2cMessage(
  o: { from: UserId; to: UserId; seq: number; random: number; time: number; cloud: string },
  extra: Partial<NewMessage>,
): NewMessage {
  const parts = { msgSeq: o.seq, msgRandom: o.random, msgTime: o.time }
  const exclusion = unreadExclusion({
    from: o.from,
    to: o.to,
    origin: 'send',
    noUnread: false,
    onlineOnly: false,
  })
  return {
    from: o.from,
    to: o.to,
    ...parts,
    msgKey: formatMsgKey(parts),
    body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `t${o.random}` } }],
    cloudCustomData: o.cloud,
    needReadReceipt: true,
    senderSees: true,
    recipientSees: true,
    counted: exclusion === undefined,
    uncounted: exclusion,
    ...extra,
  }
}

/** Runs one operation on `store` for `app`; the answer is what the store returned. */
export async function apply(store: Store, app: number, op: Op, s: RunState): Promise<unknown> {
  const tx = <T>(fn: (t: Tx) => Promise<T>, shape?: TxShape) => store.transaction(app, fn, shape)
  const now = s.now
  const keyOf = (i: number) => (s.sent.length === 0 ? undefined : s.sent[i % s.sent.length])
  switch (op.kind) {
    case 'tick':
      return undefined
    case 'import':
      return tx((t) =>
        t.accounts.importAccounts(
          op.ids.map((userId) => ({ userId, nick: op.nick, faceUrl: undefined })),
          now,
        ),
      )
    case 'delete':
      return tx((t) => t.accounts.deleteAccounts(op.ids))
    case 'send': {
      const exclusion = unreadExclusion({
        from: op.from,
        to: op.to,
        origin: 'send',
        noUnread: op.noUnread,
        onlineOnly: false,
      })
      const m = c2cMessage(
        { ...op, time: now },
        {
          needReadReceipt: op.receipt,
          senderSees: op.senderSees,
          counted: exclusion === undefined,
          uncounted: exclusion,
        },
      )
      const control = op.noLastMsg ? ['NoLastMsg'] : undefined
      // sendmsg's one statement, or the steps it stands for.
      if (op.via === 'send') {
        const owners = recentOwners(m, control)
        return { added: await tx((t) => t.c2c.send(m, owners), 'one-statement'), key: m.msgKey }
      }
      return tx(async (t) => {
        await t.c2c.lockConversations(op.from, [op.to])
        const known = await t.accounts.existing([op.from, op.to])
        if (!known.has(op.from)) return { added: { sent: 'unknown-sender' } }
        if (!known.has(op.to)) return { added: { sent: 'unknown-recipient' } }
        const first = await t.c2c.findSameSecond(op.from, op.to, op.random, now)
        if (first !== undefined) return { added: { sent: 'same-second', msgKey: first } }
        return { added: await storeMessage(t, m, control), key: m.msgKey }
      })
    }
    case 'batch':
      return tx(async (t) => {
        await t.c2c.lockConversations(op.from, op.to)
        const out: unknown[] = []
        for (const [i, to] of op.to.entries()) {
          const m = c2cMessage(
            { from: op.from, to, seq: i, random: op.random, time: now, cloud: op.cloud },
            {},
          )
          out.push({ added: await storeMessage(t, m, undefined), key: m.msgKey })
        }
        return out
      })
    case 'importmsg':
      return tx(async (t) => {
        const origin = op.history ? 'import-history' : 'import-realtime'
        const exclusion = unreadExclusion({
          from: op.from,
          to: op.to,
          origin,
          noUnread: false,
          onlineOnly: false,
        })
        const m = c2cMessage(
          { from: op.from, to: op.to, seq: 9, random: op.random, time: now - op.back, cloud: 'imp' },
          { counted: exclusion === undefined, uncounted: exclusion },
        )
        return { added: await t.c2c.addMessage(m), key: m.msgKey }
      })
    case 'withdraw': {
      const k = keyOf(op.key)
      return k && tx((t) => t.c2c.withdraw(k.from, k.to, k.key))
    }
    case 'read':
      return tx((t) => t.c2c.markRead(op.reader, op.peer, now - op.back))
    case 'ack': {
      const ks = op.keys.flatMap((i) => keyOf(i) ?? [])
      const peer = ks[0]?.from ?? op.reader
      return tx(
        (t) =>
          t.c2c.ackReceipts(
            op.reader,
            peer,
            ks.map((k) => k.key),
          ),
        'one-statement',
      )
    }
    case 'create':
      return tx((t) =>
        t.groups.createGroup(
          {
            groupId: op.group,
            type: 'Public',
            name: op.group,
            owner: op.owner,
            maxMembers: 0,
            createdTime: now,
          },
          [
            { userId: op.owner, role: 'Owner' as const },
            ...op.members.map((userId) => ({ userId, role: 'Member' as const })),
          ],
        ),
      )
    case 'join':
      return tx((t) =>
        t.groups.addMembers(
          op.group,
          op.ids.map((userId) => ({ userId, role: 'Member' as const })),
          now,
        ),
      )
    case 'leave':
      return tx((t) => t.groups.removeMembers(op.group, op.ids))
    case 'gsend':
      return tx(async (t) => {
        if ((await t.groups.find(op.group)) === undefined) return 'no group'
        const bodyHash = `h${op.random}`
        const dup = await t.groups.findDuplicate(op.group, {
          sender: op.sender,
          random: op.random,
          bodyHash,
          sinceTime: now - DUPLICATE_WINDOW_SECONDS,
        })
        if (dup !== undefined) return { dup }
        const message = {
          sender: op.sender,
          random: op.random,
          time: now,
          body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: bodyHash } }],
          bodyHash,
          cloudCustomData: op.cloud,
          priority: 'Normal' as const,
          onlineOnly: op.onlineOnly,
          receipt: op.receipt,
        }
        const appended = await t.groups.appendMessage(op.group, message)
        if (!op.onlineOnly) await t.recent.touchGroup(op.group, appended.seq, now)
        return appended
      })
    case 'receipt':
      return tx((t) =>
        t.groupReceipts.acknowledge(
          op.group,
          op.reader,
          op.seqs.map((x) => ({ lo: x, hi: x + (x % 2) })),
        ),
      )
    case 'recall':
      return tx((t) => t.groups.recall(op.group, op.seqs))
    case 'destroy':
      return tx((t) => t.groups.destroy(op.group))
    case 'setUnread':
      return tx((t) => t.groups.placeReadSeq(op.group, op.userId, op.unread))
    case 'forget':
      // recentcontact/delete of a C2C conversation.
      return tx((t) => t.recent.deleteC2C(op.owner, op.peer, op.clear))
    case 'forgetGroup':
      // recentcontact/delete of a group conversation: no unread left, as set_unread_msg_num with 0.
      return tx(async (t) => {
        const deleted = await t.recent.deleteGroup(op.owner, op.group)
        return deleted ? { deleted, unread: await t.groups.placeReadSeq(op.group, op.owner, 0) } : { deleted }
      })
    case 'count': {
      const one = 'one-statement' as const
      return {
        unread: await store.read(app, (t) => t.c2c.unreadCounts(op.userId, op.peers), one),
        group: await store.read(app, (t) => t.groupReceipts.counts(op.group, op.seqs), one),
      }
    }
    case 'look':
      return store.read(app, async (t) => ({
        existing: await t.accounts.existing(op.peers),
        count: await t.accounts.count(),
        total: await t.c2c.unreadTotal(op.userId),
        unread: await t.c2c.unreadCounts(op.userId, op.peers),
        history: await t.c2c.history({
          viewer: op.userId,
          peer: op.peers[0]!,
          minTime: 0,
          maxTime: now,
          before: undefined,
          limit: 3,
        }),
        group: await t.groups.find(op.group),
        members: await t.groups.members(op.group, op.peers),
        groupHistory: await t.groups.history(op.group, { upTo: 100, limit: 3, withRecalled: op.read }),
        counts: await t.groupReceipts.counts(op.group, [1, 2, 3, 4, 5, 6, 7]),
        page: await t.groupReceipts.members(op.group, op.seq, { read: op.read, after: 0, limit: 2 }),
      }))
  }
}

/** Moves the run on after `op` answered `answer` (on either store: the answers are equal). */
export function advance(s: RunState, op: Op, answer: unknown): void {
  if (op.kind === 'tick') s.now += op.seconds
  const added = (a: unknown) => {
    const r = a as { added?: { added: boolean }; key?: MsgKey } | undefined
    return r?.added?.added === true ? r.key : undefined
  }
  if (op.kind === 'send' || op.kind === 'importmsg') {
    const key = added(answer)
    if (key !== undefined) s.sent.push({ from: op.from, to: op.to, key })
  }
  if (op.kind === 'batch') {
    ;(answer as unknown[]).forEach((a, i) => {
      const key = added(a)
      if (key !== undefined) s.sent.push({ from: op.from, to: op.to[i]!, key })
    })
  }
}

/** Sets and Maps as sorted arrays, so answers of both engines compare with toEqual. */
export function plain(v: unknown): unknown {
  if (v instanceof Set) return [...v].map(plain).sort()
  if (v instanceof Map)
    return [...v].map(([k, x]) => [k, plain(x)]).sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1))
  if (Array.isArray(v)) return v.map(plain)
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]))
  return v
}
