/**
 * Exporting an app as a fixture document (issue 16 §2): one snapshot, paged through the inspection
 * reads, written in the format `fixture-format.ts` reads, so loading it into an empty app and
 * exporting again gives the same document.
 */
import { stringify as toYaml } from 'yaml'
import type { UserId } from '../domain/accounts/user-id.js'
import type { StoredMessage } from '../domain/c2c/rules.js'
import type { GroupId } from '../domain/groups/group-id.js'
import type { MessagePosition } from '../store/inspection.js'
import type { ReadTx } from '../store/store.js'
import { FIXTURE_VERSION, type FixtureDocument } from './fixture-format.js'

const PAGE = 1000

async function* pages<T, C>(
  read: (after: C | undefined) => Promise<{ items: T[]; more: boolean }>,
  next: (last: T) => C,
): AsyncGenerator<T> {
  for (let after: C | undefined, more = true; more;) {
    const page = await read(after)
    yield* page.items
    more = page.more && page.items.length > 0
    if (more) after = next(page.items.at(-1)!)
  }
}

/**
 * The app as a fixture document, read in one snapshot. The app's admins are left out of
 * `accounts`: receiptd imports them itself at start and after a reset.
 */
export async function exportFixtures(tx: ReadTx, admins: ReadonlySet<string>): Promise<FixtureDocument> {
  const doc: FixtureDocument = {
    version: FIXTURE_VERSION,
    accounts: [],
    c2cMessages: [],
    c2cReadTimes: [],
    groups: [],
  }
  const i = tx.inspection
  for await (const a of pages(
    (after: UserId | undefined) => i.accounts({ prefix: '', after, limit: PAGE }),
    (a) => a.userId,
  )) {
    if (admins.has(a.userId)) continue
    doc.accounts.push({
      UserID: a.userId,
      ...(a.nick !== undefined && { Nick: a.nick }),
      ...(a.faceUrl !== undefined && { FaceUrl: a.faceUrl }),
      CreateTime: a.createdTime,
    })
  }
  const position = (m: StoredMessage): MessagePosition => {
    const [lo, hi] = m.from < m.to ? [m.from, m.to] : [m.to, m.from]
    return [lo, hi, m.msgTime, m.msgSeq, m.msgRandom]
  }
  for await (const m of pages(
    (after: MessagePosition | undefined) => i.allMessages({ after, limit: PAGE }),
    position,
  )) {
    doc.c2cMessages.push({
      From_Account: m.from,
      To_Account: m.to,
      MsgTime: m.msgTime,
      MsgSeq: m.msgSeq,
      MsgRandom: m.msgRandom,
      MsgBody: m.body,
      ...(m.cloudCustomData !== '' && { CloudCustomData: m.cloudCustomData }),
      ...(m.needReadReceipt && { IsNeedReadReceipt: 1 as const }),
      ...(m.peerRead && { IsPeerRead: 1 as const }),
      ...(m.recalled && { Recalled: 1 as const }),
      ...(!m.senderSees && { SenderSees: 0 as const }),
      ...(!m.recipientSees && { RecipientSees: 0 as const }),
      ...(m.uncounted === 'no-unread' && { NotCounted: 'NoUnread' as const }),
      ...(m.uncounted === 'import-history' && { NotCounted: 'ImportedAsRead' as const }),
      ...(m.uncounted === 'deleted' && { NotCounted: 'ConversationDeleted' as const }),
    })
  }
  type Pair = { owner: UserId; peer: UserId }
  for await (const r of pages(
    (after: Pair | undefined) => i.readTimes({ after, limit: PAGE }),
    (r) => r,
  )) {
    doc.c2cReadTimes.push({ Report_Account: r.owner, Peer_Account: r.peer, MsgReadTime: r.readTime })
  }
  for await (const groupId of pages(
    (after: GroupId | undefined) => i.groupIds({ after, limit: PAGE }),
    (g) => g,
  )) {
    doc.groups.push(await exportGroup(tx, groupId))
  }
  return doc
}

async function exportGroup(tx: ReadTx, groupId: GroupId): Promise<FixtureDocument['groups'][number]> {
  const i = tx.inspection
  const state = (await i.groupReadState(groupId))!
  const g = state.group
  const ranges = new Map<number, [number, number][]>()
  for (const r of [...state.ranges].sort((a, b) => a.lo - b.lo)) {
    ranges.set(r.memberNo, [...(ranges.get(r.memberNo) ?? []), [r.lo, r.hi]])
  }
  const members: FixtureDocument['groups'][number]['Members'] = []
  for await (const m of pages(
    (after: number | undefined) => i.groupMembers(groupId, { after: after ?? 0, limit: PAGE }),
    (m) => m.memberNo,
  )) {
    members.push({
      Member_Account: m.userId,
      Role: m.role as 'Owner' | 'Admin' | 'Member',
      JoinSeq: m.joinSeq,
      JoinTime: m.joinTime,
      ...(ranges.has(m.memberNo) && { ReadSeqs: ranges.get(m.memberNo)! }),
      // Loading places the read seq so that this many counting messages follow it, as exported.
      UnreadMsgNum: m.unread,
    })
  }
  const newestFirst = []
  for await (const m of pages(
    (before: number | undefined) =>
      i.groupMessages(groupId, { before: before ?? g.lastSeq + 1, limit: PAGE }),
    (m) => m.seq,
  )) {
    newestFirst.push(m)
  }
  return {
    GroupId: g.groupId,
    Type: g.type,
    Name: g.name,
    ...(g.owner !== undefined && { Owner_Account: g.owner }),
    MaxMemberNum: g.maxMembers,
    Members: members,
    Messages: newestFirst.reverse().map((m) => ({
      MsgSeq: m.seq,
      From_Account: m.sender,
      MsgTime: m.time,
      Random: m.random,
      MsgBody: m.body as unknown[],
      ...(m.cloudCustomData !== undefined && { CloudCustomData: m.cloudCustomData }),
      MsgPriority: m.priority,
      ...(m.receipt && { NeedReadReceipt: 1 as const }),
      ...(m.onlineOnly && { OnlineOnlyFlag: 1 as const }),
      ...(m.recalled && { Recalled: 1 as const }),
    })),
  }
}

export function renderFixtures(
  doc: FixtureDocument,
  format: 'json' | 'yaml',
): { contentType: string; body: string } {
  return format === 'yaml'
    ? { contentType: 'application/yaml; charset=utf-8', body: toYaml(doc, { lineWidth: 0 }) }
    : { contentType: 'application/json; charset=utf-8', body: JSON.stringify(doc, null, 2) + '\n' }
}
