/**
 * Group ids (spec §6.1): generated ids start with `@TGS#`; custom ids are printable ASCII, shorter
 * than 48 bytes, and must not start with `@TGS#`, except Community ids, which must start `@TGS#_`.
 */
import type { GroupType } from './group-types.js'

export type GroupId = string & { readonly __brand: 'GroupId' }

export const GENERATED_PREFIX = '@TGS#'
export const COMMUNITY_PREFIX = '@TGS#_'
export const MAX_GROUP_ID_BYTES = 47

const PRINTABLE = /^[\x20-\x7e]+$/

/** A group id as callers may name it in any request: non-empty printable ASCII under 48 bytes. */
export function checkGroupId(value: string): GroupId | undefined {
  if (value.length === 0 || value.length > MAX_GROUP_ID_BYTES || !PRINTABLE.test(value)) return undefined
  return value as GroupId
}

/** A custom id chosen in create_group for a group of `type`. */
export function checkCustomGroupId(value: string, type: GroupType): GroupId | undefined {
  const id = checkGroupId(value)
  if (id === undefined) return undefined
  if (type === 'Community') return id.startsWith(COMMUNITY_PREFIX) && id.length > 6 ? id : undefined
  return id.startsWith(GENERATED_PREFIX) ? undefined : id
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
const TYPE_DIGIT: Record<GroupType, string> = {
  Private: '1',
  Public: '2',
  ChatRoom: '3',
  AVChatRoom: 'a',
  Community: '',
}

/**
 * A generated id like Tencent's `@TGS#2J4SZEAEL`. [U] The meaning of the character after the
 * prefix is not documented; receiptd uses one per type. `random` returns numbers in [0, 1).
 */
export function generateGroupId(type: GroupType, random: () => number): GroupId {
  let tail = ''
  for (let i = 0; i < 8; i++) tail += ALPHABET[Math.floor(random() * ALPHABET.length)]
  const prefix = type === 'Community' ? COMMUNITY_PREFIX : GENERATED_PREFIX + TYPE_DIGIT[type]
  return (prefix + tail) as GroupId
}
