/**
 * The gateway's UserSig check (spec §1.6 step 3–4): 70002 empty, 70003 undecodable, 70014 other
 * SDKAppID, 70013 other identifier, 70009 wrong key, 70001 expired; then 60010 for a caller that is
 * not one of the app's admins. Verified usersigs are cached (bounded, and still checked for expiry
 * on every hit), so inflating and hashing is not a per-request cost.
 */
import { decodeUserSig, hasValidHmac, isExpired } from '../auth/tls-sig-api-v2.js'
import type { AppConfig } from '../config/config.js'
import { TencentError } from '../domain/codes.js'

export class UserSigVerifier {
  readonly #verified = new Map<string, number>()
  readonly #maxEntries: number

  constructor(maxEntries = 10_000) {
    this.#maxEntries = maxEntries
  }

  /** Throws the Tencent code of the first failing check; returns when the caller may proceed. */
  verify(app: AppConfig, identifier: string, usersig: string, nowSeconds: number): void {
    if (usersig === '') throw new TencentError(70002)
    const key = `${app.sdkAppId}\n${identifier}\n${usersig}`
    let expiresAt = this.#verified.get(key)
    if (expiresAt === undefined) {
      const decoded = decodeUserSig(usersig)
      if (!decoded.ok) throw new TencentError(70003)
      const doc = decoded.doc
      if (doc.sdkAppId !== app.sdkAppId) throw new TencentError(70014)
      if (doc.identifier !== identifier) throw new TencentError(70013)
      if (!hasValidHmac(doc, app.secretKey)) throw new TencentError(70009)
      expiresAt = doc.time + doc.expire
      if (!isExpired(doc, nowSeconds)) this.#remember(key, expiresAt)
    }
    if (nowSeconds > expiresAt) {
      this.#verified.delete(key)
      throw new TencentError(70001)
    }
    if (!app.admins.includes(identifier)) throw new TencentError(60010)
  }

  #remember(key: string, expiresAt: number): void {
    if (this.#verified.size >= this.#maxEntries) {
      // Oldest first: Map iterates in insertion order.
      const oldest = this.#verified.keys().next().value
      if (oldest !== undefined) this.#verified.delete(oldest)
    }
    this.#verified.set(key, expiresAt)
  }
}
