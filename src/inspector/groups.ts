/**
 * Groups as the inspection API shows them (issue 16 §1): search, one group, its members in
 * membership order, its messages newest first with the read progress of each receipt message, and
 * the who-read / who-not lists of one message, paged so a 100,000-member group costs a page.
 */
import { TencentError } from '../domain/codes.js'
import type { GroupId } from '../domain/groups/group-id.js'
import { hasUnreadCounts } from '../domain/groups/group-types.js'
import type { Group } from '../store/groups.js'
import type { GroupMessageView } from '../store/inspection.js'
import type { Store } from '../store/store.js'
import {
  decodeCursor,
  isNumber,
  isString,
  optionalInt,
  pageSize,
  param,
  paging,
  type InspectRequest,
} from './request.js'

export function renderGroup(g: Group): Record<string, unknown> {
  return {
    GroupId: g.groupId,
    Type: g.type,
    Name: g.name,
    Owner_Account: g.owner ?? '',
    MemberNum: g.memberCount,
    MaxMemberNum: g.maxMembers,
    LastMsgSeq: g.lastSeq,
  }
}

function renderMessage(m: GroupMessageView): Record<string, unknown> {
  return {
    MsgSeq: m.seq,
    From_Account: m.sender,
    Random: m.random,
    MsgTime: m.time,
    MsgBody: m.body,
    MsgPriority: m.priority,
    OnlineOnlyFlag: m.onlineOnly ? 1 : 0,
    Recalled: m.recalled ? 1 : 0,
    NeedReadReceipt: m.receipt ? 1 : 0,
    ...(m.receipt && { ReadNum: m.readCount, UnreadNum: m.audience - m.readCount }),
  }
}

export async function listGroups(store: Store, r: InspectRequest) {
  const prefix = r.query.get('prefix') ?? ''
  const after = decodeCursor(r.query, isString) as GroupId | undefined
  const limit = pageSize(r.query)
  const page = await store.read(r.app.sdkAppId, (tx) => tx.inspection.groups({ prefix, after, limit }))
  return { Groups: page.items.map(renderGroup), ...paging(page.more, page.items.at(-1)?.groupId) }
}

async function findGroup(store: Store, r: InspectRequest): Promise<Group> {
  const groupId = param(r, 'groupId') as GroupId
  const group = await store.read(r.app.sdkAppId, (tx) => tx.groups.find(groupId))
  if (group === undefined) throw new TencentError(60009, `no group ${groupId} in app ${r.app.sdkAppId}`)
  return group
}

export async function getGroup(store: Store, r: InspectRequest) {
  return { Group: renderGroup(await findGroup(store, r)) }
}

export async function listGroupMembers(store: Store, r: InspectRequest) {
  const group = await findGroup(store, r)
  const after = decodeCursor(r.query, isNumber) ?? 0
  const limit = pageSize(r.query)
  const page = await store.read(r.app.sdkAppId, (tx) =>
    tx.inspection.groupMembers(group.groupId, { after, limit }),
  )
  return {
    Members: page.items.map((m) => ({
      Member_Account: m.userId,
      Role: m.role,
      JoinTime: m.joinTime,
      JoinSeq: m.joinSeq,
      MsgSeq: m.readSeq,
      UnreadMsgNum: hasUnreadCounts(group.type) ? m.unread : 0,
    })),
    ...paging(page.more, page.items.at(-1)?.memberNo),
  }
}

export async function listGroupMessages(store: Store, r: InspectRequest) {
  const group = await findGroup(store, r)
  const before = decodeCursor(r.query, isNumber) ?? group.lastSeq + 1
  const limit = pageSize(r.query)
  const page = await store.read(r.app.sdkAppId, (tx) =>
    tx.inspection.groupMessages(group.groupId, { before, limit }),
  )
  return { Messages: page.items.map(renderMessage), ...paging(page.more, page.items.at(-1)?.seq) }
}

/** `filter=read` (default) lists who read message `seq`, `filter=unread` who has not. */
export async function listReaders(store: Store, r: InspectRequest) {
  const group = await findGroup(store, r)
  const seq = optionalInt(new Map([['seq', param(r, 'seq')]]), 'seq', 1, Number.MAX_SAFE_INTEGER)!
  const filter = r.query.get('filter') ?? 'read'
  if (filter !== 'read' && filter !== 'unread') throw new TencentError(60002, 'filter must be read or unread')
  const after = decodeCursor(r.query, isNumber) ?? 0
  const limit = pageSize(r.query)
  const seen = await store.read(r.app.sdkAppId, async (tx) => ({
    message: await tx.inspection.groupMessage(group.groupId, seq),
    page: await tx.groupReceipts.members(group.groupId, seq, { read: filter === 'read', after, limit }),
  }))
  if (seen.message === undefined) throw new TencentError(60009, `no message ${seq} in group ${group.groupId}`)
  if (seen.page === undefined || !seen.message.receipt) {
    throw new TencentError(60009, `message ${seq} of group ${group.groupId} has no read receipt`)
  }
  return {
    Message: renderMessage(seen.message),
    Filter: filter,
    Members: seen.page.members,
    ...paging(seen.page.next !== undefined, seen.page.next),
  }
}
