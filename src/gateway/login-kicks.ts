/**
 * Kicked logins at the gateway (spec part 2 §19.2): a UserSig issued at or before its user's kick
 * is refused with 70001 from then on. The kick is kept in the store (`LoginStore`), so it holds after
 * a restart and on every instance; each instance keeps what it read for `refreshMs`, so a kick made
 * on this instance holds at once and one made on another within `refreshMs`, without a store read
 * per request. Only admin identifiers reach this check (REST callers), so the cache stays small.
 */
import type { UserId } from '../domain/accounts/user-id.js'
import type { Clock } from '../domain/clock.js'
import type { Store } from '../store/store.js'

/** What the UserSig check asks, and what a kick tells it. */
export interface KickedLogins {
  /** UserSigs of `userId` issued at or before this Unix second are void; undefined if none are. */
  notBefore(sdkAppId: number, userId: string): Promise<number | undefined>
  /** This instance committed a kick: apply it now rather than at the next refresh. */
  kicked(sdkAppId: number, userId: string, notBefore: number): void
}

/** How long an instance trusts what it read about a user's kicks. */
export const KICK_REFRESH_MS = 1000

export class LoginKicks implements KickedLogins {
  readonly #store: Store
  readonly #clock: Clock
  readonly #refreshMs: number
  readonly #known = new Map<string, { notBefore: number | undefined; readMs: number }>()

  constructor(store: Store, clock: Clock, refreshMs = KICK_REFRESH_MS) {
    this.#store = store
    this.#clock = clock
    this.#refreshMs = refreshMs
  }

  async notBefore(sdkAppId: number, userId: string): Promise<number | undefined> {
    const key = `${sdkAppId}\n${userId}`
    const now = this.#clock.nowMs()
    const known = this.#known.get(key)
    if (known !== undefined && now - known.readMs < this.#refreshMs && now >= known.readMs)
      return known.notBefore
    const notBefore = await this.#store.read(sdkAppId, (tx) => tx.logins.notBefore(userId as UserId))
    this.#known.set(key, { notBefore, readMs: now })
    return notBefore
  }

  kicked(sdkAppId: number, userId: string, notBefore: number): void {
    this.#known.set(`${sdkAppId}\n${userId}`, { notBefore, readMs: this.#clock.nowMs() })
  }
}
