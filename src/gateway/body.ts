/**
 * Turns the raw request body into a JSON object, whatever the Content-Type says (one real client
 * sends none, design.md decision 3). Not UTF-8, not JSON, nested deeper than any Tencent API needs,
 * or not an object: the service's own parse-error code, never an exception.
 */
import type { JsonObject } from '../api/fields.js'

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })

/** Tencent's deepest body (TIMRelayElem inside MsgBody) is far shallower than this. */
export const MAX_JSON_DEPTH = 32

export type ParsedBody = { ok: true; body: JsonObject } | { ok: false; reason: string }

function depthWithin(text: string, max: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return false
    } else if (c === 0x7d || c === 0x5d) depth--
  }
  return true
}

export function parseJsonBody(raw: Buffer | undefined): ParsedBody {
  if (raw === undefined || raw.length === 0) return { ok: false, reason: 'the request body is empty' }
  let text: string
  try {
    text = decoder.decode(raw)
  } catch {
    return { ok: false, reason: 'the request body is not valid UTF-8' }
  }
  if (!depthWithin(text, MAX_JSON_DEPTH)) {
    return { ok: false, reason: `the request body is nested deeper than ${MAX_JSON_DEPTH} levels` }
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { ok: false, reason: 'the request body is not valid JSON' }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'the request body must be a JSON object' }
  }
  return { ok: true, body: value as JsonObject }
}
