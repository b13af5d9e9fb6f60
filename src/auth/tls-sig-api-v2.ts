/**
 * TLSSigAPIv2: the HMAC-SHA256 UserSig of Tencent Cloud Chat (spec §2.1). Signing is used by the CLI
 * and the start-up banner; decoding and verification by the gateway. Verification never compares
 * usersig strings: libraries differ in JSON layout and zlib level, so the sig is decoded and the HMAC
 * recomputed from its own fields.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { deflateSync, inflateSync } from 'node:zlib'

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

function hmac(secretKey: string, doc: Omit<SigDocument, 'sig'>): string {
  let content =
    `TLS.identifier:${doc.identifier}\n` +
    `TLS.sdkappid:${doc.sdkAppId}\n` +
    `TLS.time:${doc.time}\n` +
    `TLS.expire:${doc.expire}\n`
  if (doc.userbuf !== undefined) content += `TLS.userbuf:${doc.userbuf}\n`
  return createHmac('sha256', secretKey).update(content).digest('base64')
}

/** Signs as the official Node library does: compact JSON, zlib level 6, `+/=` → `*-_`. */
export function signUserSig(input: SignInput): string {
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

/** Reverses the URL-safe alphabet, inflates and parses; any failure means 70003. */
export function decodeUserSig(usersig: string): DecodeResult {
  if (usersig.length > MAX_USERSIG_LENGTH || !/^[A-Za-z0-9*_\-+/=]+$/.test(usersig)) return { ok: false }
  // Padding is optional: Go's encoder and some hand-rolled clients drop it.
  const base64 = usersig.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '=').replace(/=+$/, '')
  let parsed: unknown
  try {
    const inflated = inflateSync(Buffer.from(base64, 'base64'), { maxOutputLength: MAX_INFLATED_BYTES })
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
  return { ok: true, doc: { identifier, sdkAppId, time, expire, sig, userbuf } }
}

/** Recomputes the HMAC with the app's key and compares in constant time. */
export function hasValidHmac(doc: SigDocument, secretKey: string): boolean {
  const expected = Buffer.from(hmac(secretKey, doc), 'base64')
  const given = Buffer.from(doc.sig, 'base64')
  return expected.length === given.length && timingSafeEqual(expected, given)
}

/** Expired when now > time + expire: the reference libraries use a strict comparison (spec §2.1). */
export function isExpired(doc: SigDocument, nowSeconds: number): boolean {
  return nowSeconds > doc.time + doc.expire
}
