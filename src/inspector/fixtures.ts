/**
 * Loading fixtures into an app (issue 16 §2; exports: `fixture-export.ts`). A load is one
 * transaction through the store's own domain calls (the ones the v4 commands use), so every
 * counter is right by construction and a document that fails half way leaves nothing behind.
 */
import type { UserId } from '../domain/accounts/user-id.js'
import { formatMsgKey, type MsgKey } from '../domain/c2c/msg-key.js'
import type { UnreadExclusion } from '../domain/c2c/rules.js'
import { TencentError } from '../domain/codes.js'
import { MAX_GROUP_MEMBERS } from '../domain/groups/limits.js'
import { contentHash } from '../domain/groups/message-rules.js'
import type { Tx } from '../store/store.js'
import type { FixtureDocument, NotCountedName } from './fixture-format.js'

export interface LoadCounts {
  Accounts: number
  C2CMessages: number
  C2CReadTimes: number
  Groups: number
}

const EXCLUSION: Record<NotCountedName, UnreadExclusion> = {
  NoUnread: 'no-unread',
  ImportedAsRead: 'import-history',
  ConversationDeleted: 'deleted',
}

/** Loads `doc` in the caller's transaction; existing data of the app stays unless it collides. */
export async function loadFixtures(tx: Tx, doc: FixtureDocument, nowSeconds: number): Promise<LoadCounts> {
  const byTime = new Map<number, FixtureDocument['accounts']>()
  for (const a of doc.accounts) {
    const t = a.CreateTime ?? nowSeconds
    byTime.set(t, [...(byTime.get(t) ?? []), a])
  }
  for (const [t, accounts] of byTime) {
    await tx.accounts.importAccounts(
      accounts.map((a) => ({ userId: a.UserID, nick: a.Nick, faceUrl: a.FaceUrl })),
      t,
    )
  }
  const named = new Set<UserId>([
    ...doc.c2cMessages.flatMap((m) => [m.From_Account, m.To_Account]),
    ...doc.c2cReadTimes.flatMap((r) => [r.Report_Account, r.Peer_Account]),
    ...doc.groups.flatMap((g) => [
      ...g.Members.map((m) => m.Member_Account),
      ...g.Messages.map((m) => m.From_Account),
    ]),
  ])
  const known = await tx.accounts.existing([...named])
  const missing = [...named].find((u) => !known.has(u))
  if (missing !== undefined)
    throw new TencentError(60002, `fixtures: ${missing} is not an account: add it to accounts`)

  for (const [i, m] of doc.c2cMessages.entries()) {
    const exclusion = m.From_Account === m.To_Account ? 'self' : m.NotCounted && EXCLUSION[m.NotCounted]
    const parts = { msgSeq: m.MsgSeq, msgRandom: m.MsgRandom, msgTime: m.MsgTime }
    const added = await tx.c2c.addMessage({
      from: m.From_Account,
      to: m.To_Account,
      ...parts,
      msgKey: formatMsgKey(parts),
      body: m.MsgBody,
      cloudCustomData: m.CloudCustomData ?? '',
      needReadReceipt: m.IsNeedReadReceipt === 1,
      senderSees: m.SenderSees !== 0,
      recipientSees: m.RecipientSees !== 0,
      counted: exclusion === undefined,
      uncounted: exclusion,
    })
    if (!added.added) {
      throw new TencentError(
        60002,
        `fixtures: c2cMessages[${i}] has the MsgKey of another message of its conversation`,
      )
    }
    // A loaded message moves the conversation lists as a sent one does (spec part 2 §17.1).
    const owners = m.SenderSees !== 0 ? [m.To_Account, m.From_Account] : [m.To_Account]
    await tx.recent.touchC2C(m.From_Account, m.To_Account, owners, m.MsgTime)
    const key = formatMsgKey(parts) as MsgKey
    if (m.IsPeerRead === 1) {
      if (m.IsNeedReadReceipt !== 1)
        throw new TencentError(60002, `fixtures: c2cMessages[${i}] is peer-read without IsNeedReadReceipt`)
      await tx.c2c.ackReceipts(m.To_Account, m.From_Account, [key])
    }
  }
  for (const r of doc.c2cReadTimes) await tx.c2c.markRead(r.Report_Account, r.Peer_Account, r.MsgReadTime)
  for (const m of doc.c2cMessages) {
    if (m.Recalled === 1)
      await tx.c2c.withdraw(
        m.From_Account,
        m.To_Account,
        formatMsgKey({ msgSeq: m.MsgSeq, msgRandom: m.MsgRandom, msgTime: m.MsgTime }),
      )
  }
  for (const g of doc.groups) await loadGroup(tx, g, nowSeconds)
  return {
    Accounts: doc.accounts.length,
    C2CMessages: doc.c2cMessages.length,
    C2CReadTimes: doc.c2cReadTimes.length,
    Groups: doc.groups.length,
  }
}

async function loadGroup(tx: Tx, g: FixtureDocument['groups'][number], nowSeconds: number): Promise<void> {
  const createdTime = g.CreateTime ?? nowSeconds
  const roleOf = (m: FixtureDocument['groups'][number]['Members'][number]) =>
    m.Role ?? (m.Member_Account === g.Owner_Account ? 'Owner' : 'Member')
  const joinsAt = (seq: number) => g.Members.filter((m) => (m.JoinSeq ?? 0) === seq)
  const created = await tx.groups.createGroup(
    {
      groupId: g.GroupId,
      type: g.Type,
      name: g.Name,
      owner: g.Owner_Account,
      maxMembers: g.MaxMemberNum ?? (g.Type === 'AVChatRoom' ? 0 : MAX_GROUP_MEMBERS),
      createdTime,
    },
    [],
  )
  if (!created.created) throw new TencentError(60002, `fixtures: group ${g.GroupId} already exists`)
  /** Members join in their listed order, in runs of one join time, before message JoinSeq + 1. */
  const join = async (seq: number) => {
    let run: typeof g.Members = []
    const flush = async () => {
      if (run.length === 0) return
      const t = run[0]!.JoinTime ?? createdTime
      await tx.groups.addMembers(
        g.GroupId,
        run.map((m) => ({ userId: m.Member_Account, role: roleOf(m) })),
        t,
      )
      run = []
    }
    for (const m of joinsAt(seq)) {
      if (run.length > 0 && (run[0]!.JoinTime ?? createdTime) !== (m.JoinTime ?? createdTime)) await flush()
      run.push(m)
    }
    await flush()
  }
  await join(0)
  for (const m of g.Messages) {
    const { seq } = await tx.groups.appendMessage(g.GroupId, {
      sender: m.From_Account,
      random: m.Random ?? 0,
      time: m.MsgTime,
      body: m.MsgBody,
      bodyHash: contentHash(m.MsgBody),
      cloudCustomData: m.CloudCustomData,
      priority: m.MsgPriority ?? 'Normal',
      onlineOnly: m.OnlineOnlyFlag === 1,
      receipt: m.NeedReadReceipt === 1,
    })
    // A loaded message moves the members' conversation lists as a sent one does.
    if (m.OnlineOnlyFlag !== 1) await tx.recent.touchGroup(g.GroupId, seq, m.MsgTime)
    await join(m.MsgSeq)
  }
  for (const m of g.Members) {
    if (m.ReadSeqs && m.ReadSeqs.length > 0) {
      await tx.groupReceipts.acknowledge(
        g.GroupId,
        m.Member_Account,
        m.ReadSeqs.map(([lo, hi]) => ({ lo, hi })),
      )
    }
  }
  const recalled = g.Messages.filter((m) => m.Recalled === 1).map((m) => m.MsgSeq)
  if (recalled.length > 0) await tx.groups.recall(g.GroupId, recalled)
  // After the recalls: an unread count is of the messages that count now.
  for (const m of g.Members) {
    if (m.UnreadMsgNum !== undefined)
      await tx.groups.placeReadSeq(g.GroupId, m.Member_Account, m.UnreadMsgNum)
  }
}
