/**
 * The login-state concern of the store (spec part 2 §19.2): per user, the time up to which UserSigs
 * are void because the user was kicked. Kept in the store, so a kick holds after a restart and on
 * every instance sharing the database.
 */
import type { UserId } from '../domain/accounts/user-id.js'

/** What a read-only snapshot may ask of login state. */
export interface LoginReads {
  /** UserSigs of `userId` issued at or before this Unix second are void; undefined if never kicked. */
  notBefore(userId: UserId): Promise<number | undefined>
}

export interface LoginStore extends LoginReads {
  /** Voids `userId`'s UserSigs issued up to `nowSeconds` (never moves back); returns the new bound. */
  kick(userId: UserId, nowSeconds: number): Promise<number>
}
