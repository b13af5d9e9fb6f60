/**
 * Group types (spec §6.1): the REST names, the new SDK names they alias, and which types can carry
 * read receipts at all. Whether a capable type has receipts in a given app is that app's
 * `groupReceiptTypes` setting, as Tencent's console switch is per group type (spec §6.10).
 */
export const GROUP_TYPES = ['Private', 'Public', 'ChatRoom', 'AVChatRoom', 'Community'] as const
export type GroupType = (typeof GROUP_TYPES)[number]

/** Types that may have read receipts; AVChatRoom and Community never do (spec §6.10). */
export const RECEIPT_CAPABLE_TYPES = ['Private', 'Public', 'ChatRoom'] as const
export type ReceiptCapableType = (typeof RECEIPT_CAPABLE_TYPES)[number]

/** The new SDK names of spec §6.1. [U] The server accepting them is not confirmed; receiptd does. */
const ALIASES: Record<string, GroupType> = { Work: 'Private', Meeting: 'ChatRoom' }

/** `Private`, `Work`, … → the REST type; undefined for anything else (names are case-sensitive). */
export function parseGroupType(name: string): GroupType | undefined {
  if ((GROUP_TYPES as readonly string[]).includes(name)) return name as GroupType
  return Object.hasOwn(ALIASES, name) ? ALIASES[name] : undefined
}

export type ReceiptSupport = 'on' | 'off' | 'never'

/**
 * Whether groups of `type` have read receipts in an app whose switch enables `enabled`:
 * `never` for AVChatRoom and Community, `off` for a capable type the app switched off.
 */
export function receiptSupport(type: GroupType, enabled: readonly ReceiptCapableType[]): ReceiptSupport {
  if (!(RECEIPT_CAPABLE_TYPES as readonly string[]).includes(type)) return 'never'
  return enabled.includes(type as ReceiptCapableType) ? 'on' : 'off'
}

/** Types with roaming history (spec §6.1): every type but AVChatRoom. */
export const hasHistory = (type: GroupType): boolean => type !== 'AVChatRoom'

/** Types with unread counts, so set_unread_msg_num has an effect (spec §6.1, §6.9). */
export const hasUnreadCounts = (type: GroupType): boolean => type !== 'ChatRoom' && type !== 'AVChatRoom'
