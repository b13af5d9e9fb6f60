/**
 * Account rules of spec §3: profile field sizes and the batch limits of the account APIs.
 */
import type { UserId } from './user-id.js'

/** `Nick` and `FaceUrl` are profile fields: at most 500 bytes each (40601 beyond). */
export const MAX_PROFILE_FIELD_BYTES = 500

/** multiaccount_import, account_delete and account_check take at most 100 accounts a call. */
export const MAX_ACCOUNTS_PER_BATCH = 100

export interface NewAccount {
  userId: UserId
  nick: string | undefined
  faceUrl: string | undefined
}

export type AccountStatus = 'Imported' | 'NotImported'
