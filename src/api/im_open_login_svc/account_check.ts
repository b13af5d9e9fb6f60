/** Tells for up to 100 UserIDs whether each is imported (spec §3.4). */
import type { UserId } from '../../domain/accounts/user-id.js'
import { command } from '../command.js'
import { userItems } from './user-items.js'

export const account_check = command({
  service: 'im_open_login_svc',
  name: 'account_check',
  perSecond: 100,
  request: { CheckItem: userItems() },
  async run(req, { read }) {
    const ids = req.CheckItem.flatMap((i) => (i.userId === undefined ? [] : [i.userId]))
    const imported = await read((tx) => tx.accounts.existing(ids))
    const ResultItem = req.CheckItem.map(({ raw, userId }) => ({
      UserID: raw,
      ResultCode: 0,
      ResultInfo: '',
      AccountStatus: userId !== undefined && imported.has(userId as UserId) ? 'Imported' : 'NotImported',
    }))
    return { ResultItem }
  },
})
