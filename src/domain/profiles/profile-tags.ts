/**
 * Profile fields (spec part 2 §20.1): the standard `Tag_Profile_IM_*` tags with their value types
 * and allowed values, and the custom `Tag_Profile_Custom_<Keyword>` ones. Decides, per tag, the
 * value to store or the profile code that refuses it. Pure; the store keeps what this accepts.
 */

export type ProfileValue = string | number

/** Every string value: at most 500 bytes of UTF-8 (40601 beyond). */
export const MAX_PROFILE_VALUE_BYTES = 500

/** portrait_get: at most 100 accounts a call (spec part 2 §20.3). */
export const MAX_PORTRAIT_ACCOUNTS = 100

export const NICK_TAG = 'Tag_Profile_IM_Nick'
export const IMAGE_TAG = 'Tag_Profile_IM_Image'

type TagRule = { type: 'string'; maxBytes: number; values?: readonly string[] } | { type: 'uint32' }

const text = (maxBytes = MAX_PROFILE_VALUE_BYTES): TagRule => ({ type: 'string', maxBytes })
const oneOf = (...values: string[]): TagRule => ({
  type: 'string',
  maxBytes: MAX_PROFILE_VALUE_BYTES,
  values,
})
const uint32: TagRule = { type: 'uint32' }

const STANDARD: Readonly<Record<string, TagRule>> = {
  [NICK_TAG]: text(),
  Tag_Profile_IM_Gender: oneOf('Gender_Type_Unknown', 'Gender_Type_Female', 'Gender_Type_Male'),
  Tag_Profile_IM_BirthDay: uint32,
  Tag_Profile_IM_Location: text(16),
  Tag_Profile_IM_SelfSignature: text(),
  Tag_Profile_IM_AllowType: oneOf(
    'AllowType_Type_NeedConfirm',
    'AllowType_Type_AllowAny',
    'AllowType_Type_DenyAny',
  ),
  Tag_Profile_IM_Language: uint32,
  [IMAGE_TAG]: text(),
  Tag_Profile_IM_MsgSettings: uint32,
  Tag_Profile_IM_AdminForbidType: oneOf('AdminForbid_Type_None', 'AdminForbid_Type_SendOut'),
  Tag_Profile_IM_Level: uint32,
  Tag_Profile_IM_Role: uint32,
}

/** [U] Any custom tag is accepted (receiptd has no console to declare them): letters only, ≤ 8. */
const CUSTOM = /^Tag_Profile_Custom_[A-Za-z]{1,8}$/

const UINT32_MAX = 0xffffffff

export const isProfileTag = (tag: string): boolean => Object.hasOwn(STANDARD, tag) || CUSTOM.test(tag)

export type ProfileCheck =
  { ok: true; value: ProfileValue } | { ok: false; code: 40009 | 40601 | 40605 | 40610; reason: string }

/**
 * The value to store for `tag`, or why not: 40009 unknown tag, 40610 a value of the wrong JSON type,
 * 40605 a value outside a standard field's range or list, 40601 a string over its length. A uint32
 * may come as a numeric string (spec §1.7) and is stored as a number.
 */
export function checkProfileValue(tag: string, value: unknown): ProfileCheck {
  const rule: TagRule | undefined = Object.hasOwn(STANDARD, tag)
    ? STANDARD[tag]
    : CUSTOM.test(tag)
      ? text()
      : undefined
  if (rule === undefined) return { ok: false, code: 40009, reason: `${tag} is not a profile field` }
  if (rule.type === 'uint32') {
    const n = typeof value === 'string' && /^\s*-?\d{1,16}\s*$/.test(value) ? Number(value) : value
    if (typeof n !== 'number' || !Number.isSafeInteger(n))
      return { ok: false, code: 40610, reason: `${tag} must be an integer` }
    if (n < 0 || n > UINT32_MAX)
      return { ok: false, code: 40605, reason: `${tag} must be from 0 to ${UINT32_MAX}` }
    return { ok: true, value: n }
  }
  if (typeof value !== 'string') return { ok: false, code: 40610, reason: `${tag} must be a string` }
  if (Buffer.byteLength(value, 'utf8') > rule.maxBytes)
    return { ok: false, code: 40601, reason: `${tag} is longer than ${rule.maxBytes} bytes` }
  if (rule.values !== undefined && !rule.values.includes(value))
    return { ok: false, code: 40605, reason: `${tag} must be one of ${rule.values.join(', ')}` }
  return { ok: true, value }
}
