/**
 * The request line of every callback (spec §7.1, §7.2): the app's URL with Tencent's query
 * parameters appended, and, with a token, `Sign` = lowercase hex SHA-256 of token + RequestTime.
 * Plain concatenation, not HMAC: that is what Tencent computes and what receivers verify.
 */
import { createHash } from 'node:crypto'
import type { CallbackCommand } from './events.js'

export function sign(token: string, requestTime: number): string {
  return createHash('sha256')
    .update(token + String(requestTime))
    .digest('hex')
}

export interface CallbackTarget {
  url: string
  token: string | undefined
  sdkAppId: number
  command: CallbackCommand
  clientIp: string
  optPlatform: string
  /** Unix seconds, the `RequestTime` that is signed. */
  nowSeconds: number
}

/** The URL to POST to; parameters are appended after any query the configured URL already has. */
export function callbackUrl(t: CallbackTarget): string {
  const q = new URLSearchParams({
    SdkAppid: String(t.sdkAppId),
    CallbackCommand: t.command,
    contenttype: 'json',
    ClientIP: t.clientIp,
    OptPlatform: t.optPlatform,
  })
  // Spec §7.2: "appended as &Sign=<64 hex>&RequestTime=<seconds>".
  if (t.token !== undefined) {
    q.set('Sign', sign(t.token, t.nowSeconds))
    q.set('RequestTime', String(t.nowSeconds))
  }
  const hash = t.url.indexOf('#')
  const base = hash < 0 ? t.url : t.url.slice(0, hash)
  return `${base}${base.includes('?') ? '&' : '?'}${q.toString()}`
}
