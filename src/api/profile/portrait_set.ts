/**
 * Sets profile fields of one account (spec part 2 §20.2): standard `Tag_Profile_IM_*` fields with
 * their types and values, and any `Tag_Profile_Custom_*` field [U]. All items are applied or none
 * [U]; a repeated tag takes its last value. `Tag_Profile_IM_Nick` and `Tag_Profile_IM_Image` are the
 * account's Nick and FaceUrl. Fires `Profile.CallbackPortraitSet` with the items set.
 */
import { TencentError } from '../../domain/codes.js'
import { checkProfileValue, type ProfileValue } from '../../domain/profiles/profile-tags.js'
import { portraitSet } from '../../webhooks/profile-events.js'
import { command } from '../command.js'
import { f, own, type Json, type JsonObject } from '../fields.js'

function profileItem(item: Json, at: string): { Tag: string; Value: ProfileValue } {
  if (typeof item !== 'object' || item === null || Array.isArray(item))
    throw new TencentError(40001, `${at} must be an object`)
  const tag = own(item as JsonObject, 'Tag')
  if (typeof tag !== 'string') throw new TencentError(40001, `${at}.Tag must be a string`)
  const value = own(item as JsonObject, 'Value')
  if (value === undefined) throw new TencentError(40001, `${at}.Value is missing`)
  const check = checkProfileValue(tag, value)
  if (!check.ok) throw new TencentError(check.code, `${at}: ${check.reason}`)
  return { Tag: tag, Value: check.value }
}

export const portrait_set = command({
  service: 'profile',
  name: 'portrait_set',
  perSecond: 200,
  request: {
    From_Account: f.userId({ missing: 40001 }),
    ProfileItem: f.array({ missing: 40001, minItems: 1 }, profileItem),
  },
  async run(req, { caller, clock, transaction }) {
    const user = req.From_Account
    const fields = new Map(req.ProfileItem.map((i) => [i.Tag, i.Value]))
    await transaction(async (tx) => {
      if (!(await tx.profiles.write(user, fields))) throw new TencentError(40003)
      const items = [...fields].map(([Tag, Value]) => ({ Tag, Value }))
      await tx.outbox.enqueue(portraitSet(caller, user, items, clock.nowMs()))
    })
    return {}
  },
})
