/**
 * Reads profile fields of up to 100 accounts (spec part 2 §20.3): one `UserProfileItem` per
 * requested account, in request order, with the requested tags that have values (a tag never set is
 * left out [U]). An account that does not exist gets `ResultCode` 40003 and goes to `Fail_Account`,
 * present only then; the call fails with 40003 only when every account failed [U].
 */
import type { UserId } from '../../domain/accounts/user-id.js'
import { checkUserId } from '../../domain/accounts/user-id.js'
import { codes, TencentError } from '../../domain/codes.js'
import { isProfileTag, MAX_PORTRAIT_ACCOUNTS } from '../../domain/profiles/profile-tags.js'
import { command } from '../command.js'
import { f } from '../fields.js'

export const portrait_get = command({
  service: 'profile',
  name: 'portrait_get',
  perSecond: 200,
  request: {
    To_Account: f.array(
      { missing: 40002, invalid: 40001, minItems: 1, maxItems: MAX_PORTRAIT_ACCOUNTS },
      (item, at) => {
        if (typeof item !== 'string') throw new TencentError(40001, `${at} must be a string`)
        return item
      },
    ),
    TagList: f.array({ missing: 40001, minItems: 1 }, (item, at) => {
      if (typeof item !== 'string') throw new TencentError(40001, `${at} must be a string`)
      if (!isProfileTag(item)) throw new TencentError(40009, `${at}: ${item} is not a profile field`)
      return item
    }),
  },
  async run(req, { read }) {
    const ids = req.To_Account.flatMap((raw) => {
      const c = checkUserId(raw)
      return c.ok ? [c.userId] : []
    })
    const profiles = await read((tx) => tx.profiles.read(ids, req.TagList))
    const failed: string[] = []
    const UserProfileItem = req.To_Account.map((raw) => {
      const values = profiles.get(raw as UserId)
      if (values === undefined) {
        failed.push(raw)
        return { To_Account: raw, ResultCode: 40003, ResultInfo: codes[40003] }
      }
      const ProfileItem = req.TagList.flatMap((Tag) => {
        const Value = values.get(Tag)
        return Value === undefined ? [] : [{ Tag, Value }]
      })
      return { To_Account: raw, ProfileItem, ResultCode: 0, ResultInfo: '' }
    })
    if (failed.length === req.To_Account.length) throw new TencentError(40003)
    return { UserProfileItem, ...(failed.length > 0 && { Fail_Account: failed }) }
  },
})
