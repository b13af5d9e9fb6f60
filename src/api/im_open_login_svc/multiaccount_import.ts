/**
 * Imports up to 100 accounts (spec §3.2). Items that cannot be UserIDs, or that would pass the
 * app's account limit, are listed in `FailAccounts`; the rest are imported.
 */
import { MAX_ACCOUNTS_PER_BATCH } from '../../domain/accounts/accounts.js'
import { checkUserId, type UserId } from '../../domain/accounts/user-id.js'
import { TencentError } from '../../domain/codes.js'
import { command } from '../command.js'
import { f, type Json } from '../fields.js'

export const multiaccount_import = command({
  service: 'im_open_login_svc',
  name: 'multiaccount_import',
  perSecond: 100,
  request: {
    Accounts: f.array({ missing: 70402, minItems: 1, maxItems: MAX_ACCOUNTS_PER_BATCH }, (item: Json, at) => {
      if (typeof item !== 'string') throw new TencentError(60015, `${at} must be a string`)
      return item
    }),
  },
  async run(req, { app, clock, transaction }) {
    const invalid: string[] = []
    const wanted: UserId[] = []
    for (const raw of new Set(req.Accounts)) {
      const check = checkUserId(raw)
      if (check.ok) wanted.push(check.userId)
      else invalid.push(raw)
    }
    // The transaction may run more than once (PostgreSQL retries): it returns what it refused
    // rather than adding to a list outside itself.
    const overLimit = await transaction(async (tx) => {
      let accepted = wanted
      const limit = app.limits.maxAccounts
      if (limit > 0) {
        // Held until commit: concurrent imports cannot both take the last free places.
        await tx.accounts.lockCount()
        const known = await tx.accounts.existing(wanted)
        let room = limit - (await tx.accounts.count())
        accepted = wanted.filter((id) => known.has(id) || room-- > 0)
      }
      const accounts = accepted.map((userId) => ({ userId, nick: undefined, faceUrl: undefined }))
      await tx.accounts.importAccounts(accounts, clock.nowSeconds())
      const imported = new Set(accepted)
      return wanted.filter((id) => !imported.has(id))
    })
    return { FailAccounts: [...invalid, ...overLimit] }
  },
})
