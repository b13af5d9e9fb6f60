/** Imports one account (spec §3.1); re-importing is idempotent and updates the given profile fields. */
import { MAX_PROFILE_FIELD_BYTES } from '../../domain/accounts/accounts.js'
import { TencentError } from '../../domain/codes.js'
import { command } from '../command.js'
import { f } from '../fields.js'

const profileField = f.optional(
  f.string({ missing: 70402, allowEmpty: true, maxBytes: MAX_PROFILE_FIELD_BYTES, tooLong: 40601 }),
)

export const account_import = command({
  service: 'im_open_login_svc',
  name: 'account_import',
  perSecond: 200,
  request: {
    // Several SDKs still send the legacy name `Identifier` (spec §3.1).
    UserID: f.alias(['Identifier'], f.userId({ missing: 70402 })),
    Nick: profileField,
    FaceUrl: profileField,
  },
  async run(req, { app, clock, transaction }) {
    await transaction(async (tx) => {
      const limit = app.limits.maxAccounts
      if (limit > 0) {
        // Held until commit: concurrent imports cannot both take the last free place.
        await tx.accounts.lockCount()
        if ((await tx.accounts.existing([req.UserID])).size === 0 && (await tx.accounts.count()) >= limit) {
          throw new TencentError(70398)
        }
      }
      await tx.accounts.importAccounts(
        [{ userId: req.UserID, nick: req.Nick, faceUrl: req.FaceUrl }],
        clock.nowSeconds(),
      )
    })
    return {}
  },
})
