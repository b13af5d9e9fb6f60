/**
 * The gateway's UserSig check (spec §1.6 step 3–4): 70002 empty, 70003 undecodable, 70014 other
 * SDKAppID, 70013 other identifier, 70009 wrong key, 70001 expired; then 60010 for a caller that is
 * not one of the app's admins; then 70001 for a UserSig issued before its user was kicked (spec part
 * 2 §19.2), asked only for admins, the only callers that get this far. Verified usersigs are cached
 * (bounded, and still checked for expiry on every hit), so inflating and hashing is not a
 * per-request cost.
 */
import { decodeUserSig, hasValidHmac, isExpired } from '../auth/tls-sig-api-v2.js'
import type { AppConfig } from '../config/config.js'
import { TencentError } from '../domain/codes.js'
import type { KickedLogins } from './login-kicks.js'

interface Verified {
  /** `TLS.time`: when the UserSig was issued. */
  issuedAt: number
  expiresAt: number
}

export interface VerifierOptions {
  maxEntries?: number
  /** Where kicks are looked up; without it no UserSig is ever void before it expires. */
  kicks?: KickedLogins
}

export class UserSigVerifier {
  readonly #verified = new Map<string, Verified>()
  readonly #maxEntries: number
  readonly #kicks: KickedLogins | undefined

  constructor(options: VerifierOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 10_000
    this.#kicks = options.kicks
  }

  /** Throws the Tencent code of the first failing check; resolves when the caller may proceed. */
  async verify(app: AppConfig, identifier: string, usersig: string, nowSeconds: number): Promise<void> {
    if (usersig === '') throw new TencentError(70002)
    const key = `${app.sdkAppId}\n${identifier}\n${usersig}`
    let verified = this.#verified.get(key)
    if (verified === undefined) {
      const decoded = decodeUserSig(usersig)
      if (!decoded.ok) throw new TencentError(70003)
      const doc = decoded.doc
      if (doc.sdkAppId !== app.sdkAppId) throw new TencentError(70014)
      if (doc.identifier !== identifier) throw new TencentError(70013)
      if (!hasValidHmac(doc, app.secretKey)) throw new TencentError(70009)
      verified = { issuedAt: doc.time, expiresAt: doc.time + doc.expire }
      if (!isExpired(doc, nowSeconds)) this.#remember(key, verified)
    }
    if (nowSeconds > verified.expiresAt) {
      this.#verified.delete(key)
      throw new TencentError(70001)
    }
    if (!app.admins.includes(identifier)) throw new TencentError(60010)
    if (this.#kicks !== undefined) {
      // [U] 70001, the code of an expired UserSig: the fix, a new UserSig, is the same.
      const notBefore = await this.#kicks.notBefore(app.sdkAppId, identifier)
      if (notBefore !== undefined && verified.issuedAt <= notBefore) {
        throw new TencentError(70001, 'UserSig was invalidated by a kick. Please regenerate UserSig')
      }
    }
  }

  #remember(key: string, verified: Verified): void {
    if (this.#verified.size >= this.#maxEntries) {
      // Oldest first: Map iterates in insertion order.
      const oldest = this.#verified.keys().next().value
      if (oldest !== undefined) this.#verified.delete(oldest)
    }
    this.#verified.set(key, verified)
  }
}
