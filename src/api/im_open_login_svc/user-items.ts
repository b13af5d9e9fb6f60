/**
 * `[{"UserID": "..."}]` lists of account_delete and account_check (spec §3.3, §3.4). A malformed
 * list is 70402 for the whole request; a well-typed but impossible UserID is a per-item result.
 */
import { MAX_ACCOUNTS_PER_BATCH } from '../../domain/accounts/accounts.js'
import { checkUserId, type UserId } from '../../domain/accounts/user-id.js'
import { TencentError } from '../../domain/codes.js'
import { f, own, type Json } from '../fields.js'

/** `userId` is undefined when the string cannot be a UserID (too long, empty, control characters). */
export interface UserItem {
  raw: string
  userId: UserId | undefined
}

export function userItems(): ReturnType<typeof f.array<UserItem>> {
  return f.array(
    { missing: 70402, minItems: 1, maxItems: MAX_ACCOUNTS_PER_BATCH },
    (item: Json, at: string) => {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        throw new TencentError(70402, `${at} must be an object with UserID`)
      }
      const v = own(item, 'UserID')
      if (v === undefined) throw new TencentError(70402, `${at}.UserID is missing`)
      if (typeof v !== 'string') throw new TencentError(60015, `${at}.UserID must be a string`)
      const check = checkUserId(v)
      return { raw: v, userId: check.ok ? check.userId : undefined }
    },
  )
}
