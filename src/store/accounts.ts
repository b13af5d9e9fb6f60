/** The accounts concern of the store (spec §3). */
import type { NewAccount } from '../domain/accounts/accounts.js'
import type { UserId } from '../domain/accounts/user-id.js'

/** What a read-only snapshot may ask of the accounts concern. */
export interface AccountReads {
  /** The subset of `userIds` that are imported. */
  existing(userIds: readonly UserId[]): Promise<Set<UserId>>
  count(): Promise<number>
}

export interface AccountStore extends AccountReads {
  /**
   * Imports accounts; an existing account keeps its creation time and takes the new profile fields
   * that are given. Returns the ids that did not exist before.
   */
  importAccounts(accounts: readonly NewAccount[], nowSeconds: number): Promise<UserId[]>
  /**
   * Until commit, keeps every other transaction of this app that calls it waiting here, so a
   * count read after it still holds when the import that follows commits (`maxAccounts`). Every
   * import that is bound by the limit calls it first.
   */
  lockCount(): Promise<void>
  /** Deletes accounts; returns the ids that existed. Other accounts' data is untouched. */
  deleteAccounts(userIds: readonly UserId[]): Promise<Set<UserId>>
}
