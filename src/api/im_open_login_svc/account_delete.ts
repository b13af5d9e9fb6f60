/**
 * Deletes up to 100 accounts (spec §3.3), each with its own `ResultItem`. Unknown accounts answer
 * 70107 per item while the call succeeds. Tencent allows this only on trial apps (71000); receiptd
 * allows it everywhere, except for the app's admins, who sign every REST call.
 */
import type { UserId } from '../../domain/accounts/user-id.js'
import { codes } from '../../domain/codes.js'
import { command } from '../command.js'
import { userItems } from './user-items.js'

export const account_delete = command({
  service: 'im_open_login_svc',
  name: 'account_delete',
  perSecond: 100,
  request: { DeleteItem: userItems() },
  async run(req, { app, transaction }) {
    const deletable = req.DeleteItem.flatMap((i) =>
      i.userId !== undefined && !app.admins.includes(i.userId) ? [i.userId] : [],
    )
    const deleted = await transaction(async (tx) => {
      const gone = await tx.accounts.deleteAccounts(deletable)
      // Nick and Image go with the account row; the other profile fields with it too.
      await tx.profiles.forget([...gone])
      return gone
    })
    const reported = new Set<UserId>()
    const ResultItem = req.DeleteItem.map(({ raw, userId }) => {
      if (userId !== undefined && app.admins.includes(userId)) {
        return { ResultCode: 71000, ResultInfo: 'an app admin account cannot be deleted', UserID: raw }
      }
      // A repeated UserID is deleted once; the repeat finds nothing left, as a second call would.
      if (userId !== undefined && deleted.has(userId) && !reported.has(userId)) {
        reported.add(userId)
        return { ResultCode: 0, ResultInfo: '', UserID: raw }
      }
      return { ResultCode: 70107, ResultInfo: codes[70107], UserID: raw }
    })
    return { ResultItem }
  },
})
