/**
 * Online status of up to 500 accounts (spec part 2 §19.1), served under both its current path and
 * the older `querystate`. receiptd has no client connections yet, so every existing account is
 * `Offline`, with no `Detail` (as Tencent leaves it out for offline accounts); unknown accounts go
 * to `ErrorList` with 70107, and the call fails with 70107 when every account is unknown.
 */
import type { UserId } from '../../domain/accounts/user-id.js'
import { checkUserId } from '../../domain/accounts/user-id.js'
import { TencentError } from '../../domain/codes.js'
import { MAX_BATCH_RECIPIENTS } from '../../domain/c2c/rules.js'
import { command } from '../command.js'
import { f } from '../fields.js'

function queryOnlineStatus(name: string) {
  return command({
    service: 'openim',
    name,
    perSecond: 200,
    request: {
      To_Account: f.array({ missing: 90003, maxItems: MAX_BATCH_RECIPIENTS, tooMany: 90011 }, (item, at) => {
        if (typeof item !== 'string') throw new TencentError(90003, `${at} must be a string`)
        return item
      }),
      IsNeedDetail: f.optional(f.int({ missing: 90001, max: 1 })),
    },
    async run(req, { read }) {
      if (req.To_Account.length === 0) throw new TencentError(90001, 'To_Account is a null array')
      const ids = req.To_Account.flatMap((raw) => {
        const c = checkUserId(raw)
        return c.ok ? [c.userId] : []
      })
      const existing = await read((tx) => tx.accounts.existing(ids))
      const QueryResult: { To_Account: string; Status: 'Offline' }[] = []
      const ErrorList: { To_Account: string; ErrorCode: number }[] = []
      // [U] A repeated account is answered once.
      for (const raw of new Set(req.To_Account)) {
        if (existing.has(raw as UserId)) QueryResult.push({ To_Account: raw, Status: 'Offline' })
        else ErrorList.push({ To_Account: raw, ErrorCode: 70107 })
      }
      if (QueryResult.length === 0) throw new TencentError(70107, 'none of the accounts exists')
      return { QueryResult, ErrorList }
    },
  })
}

export const query_online_status = queryOnlineStatus('query_online_status')
/** The older name of the same API (INTL-OLD documents `v4/openim/querystate`). */
export const querystate = queryOnlineStatus('querystate')
