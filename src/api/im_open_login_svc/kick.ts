/**
 * Invalidates a user's login state (spec part 2 §19.2): every UserSig of the user issued up to now
 * stops working (70001), a newly generated one works. Kept in the store, so it holds after a
 * restart and on every instance. receiptd has no client connections yet, so today this matters for
 * the REST calls of admin identifiers (an admin that kicks itself is logged out too).
 */
import { TencentError } from '../../domain/codes.js'
import { command } from '../command.js'
import { f } from '../fields.js'

export const kick = command({
  service: 'im_open_login_svc',
  name: 'kick',
  perSecond: 200,
  request: { UserID: f.userId({ missing: 70402 }) },
  async run(req, { clock, transaction, kicked }) {
    const user = req.UserID
    const notBefore = await transaction(async (tx) => {
      if (!(await tx.accounts.existing([user])).has(user)) throw new TencentError(70107)
      return tx.logins.kick(user, clock.nowSeconds())
    })
    kicked(user, notBefore)
    return {}
  },
})
