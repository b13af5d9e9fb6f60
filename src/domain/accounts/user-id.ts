/**
 * UserIDs (spec §2.1, §3.1): non-empty strings of at most 32 bytes of UTF-8. Tencent recommends
 * `[a-zA-Z0-9_-]` but accepts more; receiptd refuses only what cannot round-trip safely: control
 * characters.
 */
export type UserId = string & { readonly __brand: 'UserId' }

export const MAX_USER_ID_BYTES = 32

export type UserIdCheck = { ok: true; userId: UserId } | { ok: false; reason: string }

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

export function checkUserId(value: string): UserIdCheck {
  if (value.length === 0) return { ok: false, reason: 'is empty' }
  if (Buffer.byteLength(value, 'utf8') > MAX_USER_ID_BYTES) {
    return { ok: false, reason: `is longer than ${MAX_USER_ID_BYTES} bytes` }
  }
  if (CONTROL.test(value)) return { ok: false, reason: 'contains control characters' }
  if (LONE_SURROGATE.test(value)) return { ok: false, reason: 'is not well-formed Unicode' }
  return { ok: true, userId: value as UserId }
}
