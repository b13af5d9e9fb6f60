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
    const failed: string[] = []
    const wanted: UserId[] = []
    for (const raw of new Set(req.Accounts)) {
      const check = checkUserId(raw)
      if (check.ok) wanted.push(check.userId)
      else failed.push(raw)
    }
    await transaction(async (tx) => {
      let accepted = wanted
      const limit = app.limits.maxAccounts
      if (limit > 0) {
        const known = await tx.accounts.existing(wanted)
        let room = limit - (await tx.accounts.count())
        accepted = wanted.filter((id) => known.has(id) || room-- > 0)
        failed.push(...wanted.filter((id) => !accepted.includes(id)))
      }
      const accounts = accepted.map((userId) => ({ userId, nick: undefined, faceUrl: undefined }))
      await tx.accounts.importAccounts(accounts, clock.nowSeconds())
    })
    return { FailAccounts: failed }
  },
})
