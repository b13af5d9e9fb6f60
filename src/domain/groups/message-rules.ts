/**
 * Rules of group messages that do not depend on storage (spec §6.6): the content fingerprint used
 * to spot a duplicate send, and the shape a `MsgBody` must have.
 */
import { createHash } from 'node:crypto'

/** Same content + same Random within 5 minutes is one message sent twice (spec §6.6). */
export function contentHash(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('base64url')
}

/**
 * [U] Tencent's exact MsgBody checks for groups are undocumented; receiptd asks for a non-empty
 * list of `{MsgType: String, MsgContent: Object}` elements, as every documented sample has.
 */
export function checkMsgBody(body: unknown): string | undefined {
  if (!Array.isArray(body) || body.length === 0) return 'MsgBody must be a non-empty array'
  for (const [i, el] of body.entries()) {
    if (typeof el !== 'object' || el === null || Array.isArray(el)) return `MsgBody[${i}] must be an object`
    const { MsgType, MsgContent } = el as Record<string, unknown>
    if (typeof MsgType !== 'string' || MsgType === '') return `MsgBody[${i}].MsgType must be a string`
    if (typeof MsgContent !== 'object' || MsgContent === null || Array.isArray(MsgContent)) {
      return `MsgBody[${i}].MsgContent must be an object`
    }
  }
  return undefined
}
