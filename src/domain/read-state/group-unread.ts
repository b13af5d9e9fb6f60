/**
 * Why a group message is or is not part of one member's unread count (spec part 2 §13.5): it counts
 * when it comes after the member's read seq, is stored (not online only), was not sent with
 * `NoUnread`, is not recalled, is not the member's own, and is either for the whole group or
 * targeted at this member. ChatRoom and AVChatRoom keep no unread counts at all. The store keeps
 * the count as counters; this is the rule those counters must agree with, message by message.
 */

export type GroupNotUnreadReason =
  | 'type-keeps-none'
  | 'before-read-seq'
  | 'own'
  | 'online-only'
  | 'no-unread'
  | 'recalled'
  | 'targeted-at-others'

export interface MemberMessageFacts {
  seq: number
  sender: string
  onlineOnly: boolean
  /** Stored as counting: not online only and not sent with NoUnread. */
  counts: boolean
  recalled: boolean
  /** Sent to some members only (`To_Account`). */
  targeted: boolean
  /** This member is one of its targets. */
  targetsMember: boolean
}

/** Every reason `m` is not unread for `member`; empty when it is unread. */
export function groupNotUnreadReasons(
  m: MemberMessageFacts,
  member: string,
  readSeq: number,
  typeKeepsCounts: boolean,
): GroupNotUnreadReason[] {
  const reasons: GroupNotUnreadReason[] = []
  if (!typeKeepsCounts) reasons.push('type-keeps-none')
  if (m.seq <= readSeq) reasons.push('before-read-seq')
  if (m.sender === member) reasons.push('own')
  if (m.onlineOnly) reasons.push('online-only')
  else if (!m.counts) reasons.push('no-unread')
  if (m.recalled) reasons.push('recalled')
  if (m.targeted && !m.targetsMember) reasons.push('targeted-at-others')
  return reasons
}
