/**
 * TLSSigAPIv2: the HMAC-SHA256 UserSig of Tencent Cloud Chat (spec §2.1). Signing is used by the CLI
 * and the start-up banner; decoding and verification by the gateway. Verification never compares
 * usersig strings: libraries differ in JSON layout and zlib level, so the sig is decoded and the HMAC
 * recomputed from its own fields.
 *
 * Decoding is strict, because the string to sign is lines of `name:value`: a field that could hold
 * a newline would let the HMAC of one document pass for another (an identifier
 * `administrator\nTLS.sdkappid:…` signed by an app backend re-packed as a UserSig for
 * `administrator`). So the identifier must be a UserID (no control characters), `TLS.userbuf` and
 * `TLS.sig` canonical standard base64 as every official library writes them, and the outer string
 * canonical in the `*-_` alphabet (its padding may be left off, as Go's encoder does). Every
 * accepted document then has exactly one string to sign, and one spelling per zlib stream.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { deflateSync, inflateSync } from 'node:zlib'
import { checkUserId } from '../domain/accounts/user-id.js'

export interface SigDocument {
  identifier: string
  sdkAppId: number
  time: number
  expire: number
  /** Standard-alphabet base64, present only in TRTC PrivateMapKeys. */
  userbuf: string | undefined
  sig: string
}

export type DecodeResult = { ok: true; doc: SigDocument } | { ok: false }

export interface SignInput {
  sdkAppId: number
  secretKey: string
  identifier: string
  expireSeconds: number
  nowSeconds: number
}

/** The largest usersig receiptd tries to inflate; real ones are under 300 bytes. */
const MAX_USERSIG_LENGTH = 4096
const MAX_INFLATED_BYTES = 8192
/**
 * [U] The largest `TLS.userbuf`, decoded. Only TRTC's PrivateMapKey carries one: 25 bytes plus the
 * UserID and an optional room name; Tencent documents no limit.
 */
export const MAX_USERBUF_BYTES = 1024
/** An HMAC-SHA256 in standard base64, padded: 44 characters. */
const SIG_BYTES = 32

/** The string the HMAC is computed over (spec §2.1 step 1). */
export function stringToSign(doc: Omit<SigDocument, 'sig'>): string {
  let content =
    `TLS.identifier:${doc.identifier}\n` +
    `TLS.sdkappid:${doc.sdkAppId}\n` +
    `TLS.time:${doc.time}\n` +
    `TLS.expire:${doc.expire}\n`
  if (doc.userbuf !== undefined) content += `TLS.userbuf:${doc.userbuf}\n`
  return content
}

function hmac(secretKey: string, doc: Omit<SigDocument, 'sig'>): string {
  return createHmac('sha256', secretKey).update(stringToSign(doc)).digest('base64')
}

/**
 * Why a UserSig for `identifier` could never verify, or undefined when it could: the identifier
 * must be a UserID as accounts are (src/domain/accounts/user-id.ts).
 */
export function unsignableIdentifier(identifier: string): string | undefined {
  const check = checkUserId(identifier)
  return check.ok ? undefined : `the UserID ${check.reason}`
}

/**
 * The bytes of `text` when it is canonical standard base64 with padding, the only form the
 * official libraries write; undefined otherwise. Node's decoder skips characters outside the
 * alphabet, takes `-_` for `+/` and ignores non-zero trailing bits, so a round trip is the test.
 */
function canonicalBase64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined
  const bytes = Buffer.from(text, 'base64')
  return bytes.toString('base64') === text ? bytes : undefined
}

/**
 * The zlib stream of an outer usersig: canonical base64 in the `*-_` alphabet, with its `_` padding
 * or without any (spec §2.2: Go's encoder drops it); undefined for any other spelling.
 */
function usersigBytes(usersig: string): Buffer | undefined {
  if (usersig.length > MAX_USERSIG_LENGTH || !/^[A-Za-z0-9*-]+_{0,2}$/.test(usersig)) return undefined
  let base64 = usersig.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '=')
  if (!base64.endsWith('=')) {
    if (base64.length % 4 === 1) return undefined
    base64 += '='.repeat((4 - (base64.length % 4)) % 4)
  }
  return canonicalBase64(base64)
}

/**
 * Signs as the official Node library does: compact JSON, zlib level 6, `+/=` → `*-_`. Refuses
 * (RangeError) an identifier the verifier would refuse, so nothing signed here can be re-read as
 * another document.
 */
export function signUserSig(input: SignInput): string {
  const unsignable = unsignableIdentifier(input.identifier)
  if (unsignable !== undefined) throw new RangeError(`cannot sign a UserSig: ${unsignable}`)
  const base = {
    identifier: input.identifier,
    sdkAppId: input.sdkAppId,
    time: input.nowSeconds,
    expire: input.expireSeconds,
    userbuf: undefined,
  }
  const json = JSON.stringify({
    'TLS.ver': '2.0',
    'TLS.identifier': base.identifier,
    'TLS.sdkappid': base.sdkAppId,
    'TLS.time': base.time,
    'TLS.expire': base.expire,
    'TLS.sig': hmac(input.secretKey, base),
  })
  return deflateSync(Buffer.from(json, 'utf8'))
    .toString('base64')
    .replace(/\+/g, '*')
    .replace(/\//g, '-')
    .replace(/=/g, '_')
}

const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0

/**
 * Reverses the URL-safe alphabet, inflates, parses and checks every field's form; any failure
 * means 70003.
 */
export function decodeUserSig(usersig: string): DecodeResult {
  const compressed = usersigBytes(usersig)
  if (compressed === undefined) return { ok: false }
  let parsed: unknown
  try {
    const inflated = inflateSync(compressed, { maxOutputLength: MAX_INFLATED_BYTES })
    parsed = JSON.parse(inflated.toString('utf8'))
  } catch {
    return { ok: false }
  }
  if (typeof parsed !== 'object' || parsed === null) return { ok: false }
  const o = parsed as Record<string, unknown>
  const identifier = o['TLS.identifier']
  const sdkAppId = o['TLS.sdkappid']
  const time = o['TLS.time']
  const expire = o['TLS.expire']
  const sig = o['TLS.sig']
  const userbuf = o['TLS.userbuf']
  if (
    typeof identifier !== 'string' ||
    !isInteger(sdkAppId) ||
    !isInteger(time) ||
    !isInteger(expire) ||
    typeof sig !== 'string' ||
    (userbuf !== undefined && typeof userbuf !== 'string')
  ) {
    return { ok: false }
  }
  if (unsignableIdentifier(identifier) !== undefined) return { ok: false }
  if (canonicalBase64(sig)?.length !== SIG_BYTES) return { ok: false }
  if (userbuf !== undefined) {
    const bytes = canonicalBase64(userbuf)
    if (bytes === undefined || bytes.length > MAX_USERBUF_BYTES) return { ok: false }
  }
  return { ok: true, doc: { identifier, sdkAppId, time, expire, sig, userbuf } }
}

/** Recomputes the HMAC with the app's key and compares in constant time. */
export function hasValidHmac(doc: SigDocument, secretKey: string): boolean {
  const expected = Buffer.from(hmac(secretKey, doc), 'base64')
  // decodeUserSig admitted only a canonical 32-byte sig.
  const given = Buffer.from(doc.sig, 'base64')
  return expected.length === given.length && timingSafeEqual(expected, given)
}

/** Expired when now > time + expire: the reference libraries use a strict comparison (spec §2.1). */
export function isExpired(doc: SigDocument, nowSeconds: number): boolean {
  return nowSeconds > doc.time + doc.expire
}
