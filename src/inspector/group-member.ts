/**
 * One member of a group with the unread count explained (issue 16 §1, spec part 2 §13.5): the count
 * get_joined_group_list and get_group_member_info answer, the recount from the messages, the read
 * seq, and the messages from a little before the read seq on, each with whether it is part of the
 * count and, when not, why (`groupNotUnreadReasons`).
 */
import type { UserId } from '../domain/accounts/user-id.js'
import { TencentError } from '../domain/codes.js'
import { hasUnreadCounts } from '../domain/groups/group-types.js'
import type { GroupId } from '../domain/groups/group-id.js'
import { groupNotUnreadReasons, type GroupNotUnreadReason } from '../domain/read-state/group-unread.js'
import type { Store } from '../store/store.js'
import { decodeCursor, isNumber, pageSize, param, paging, type InspectRequest } from './request.js'

/** The wire names of the reasons; the README's "Console" section lists them. */
const REASON_NAMES: Record<GroupNotUnreadReason, string> = {
  'type-keeps-none': 'GroupTypeKeepsNoUnread',
  'before-read-seq': 'BeforeReadSeq',
  own: 'OwnMessage',
  'online-only': 'OnlineOnly',
  'no-unread': 'NoUnread',
  recalled: 'Recalled',
  'targeted-at-others': 'TargetedAtOthers',
}

/** Read messages shown before the first unread one, so the read seq is seen in context. */
const READ_CONTEXT = 10

export async function explainGroupMember(store: Store, r: InspectRequest) {
  const groupId = param(r, 'groupId') as GroupId
  const userId = param(r, 'userId') as UserId
  const cursor = decodeCursor(r.query, isNumber)
  const limit = pageSize(r.query)
  const seen = await store.read(r.app.sdkAppId, async (tx) => {
    const group = await tx.groups.find(groupId)
    if (group === undefined) return undefined
    const [member] = await tx.groups.memberStates(groupId, { userIds: [userId], offset: 0, limit: 1 })
    if (member === undefined) return { group, member }
    const after = cursor ?? Math.max(0, member.readSeq - READ_CONTEXT)
    return {
      group,
      member,
      recount: await tx.inspection.recountMemberUnread(groupId, userId),
      page: await tx.inspection.memberMessages(groupId, userId, { after, limit }),
    }
  })
  if (seen === undefined) throw new TencentError(60009, `no group ${groupId} in app ${r.app.sdkAppId}`)
  const { group, member } = seen
  if (member === undefined || seen.page === undefined) {
    throw new TencentError(60009, `${userId} is not a member of group ${groupId}`)
  }
  const keeps = hasUnreadCounts(group.type)
  const shown = (n: number) => (keeps ? n : 0)
  const stored = shown(member.unread)
  const recounted = shown(seen.recount ?? 0)
  return {
    GroupId: group.groupId,
    Type: group.type,
    Member_Account: userId,
    MsgSeq: member.readSeq,
    LastMsgSeq: group.lastSeq,
    UnreadMsgNum: stored,
    RecountedUnreadMsgNum: recounted,
    Drift: recounted - stored,
    Messages: seen.page.items.map((m) => {
      const reasons = groupNotUnreadReasons(m, userId, member.readSeq, keeps)
      return {
        MsgSeq: m.seq,
        From_Account: m.sender,
        MsgTime: m.time,
        MsgBody: m.body,
        OnlineOnlyFlag: m.onlineOnly ? 1 : 0,
        Recalled: m.recalled ? 1 : 0,
        Targeted: m.targeted ? 1 : 0,
        Unread: reasons.length === 0 ? 1 : 0,
        NotUnreadBecause: reasons.map((x) => REASON_NAMES[x]),
      }
    }),
    ...paging(seen.page.more, seen.page.items.at(-1)?.seq),
  }
}
