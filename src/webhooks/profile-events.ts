/**
 * The profile after-event webhook (spec part 2 §21.5): `Profile.CallbackPortraitSet`, with the items
 * that were set. `EventTime` is milliseconds as a JSON integer (design.md decision 10).
 */
import type { UserId } from '../domain/accounts/user-id.js'
import type { ProfileValue } from '../domain/profiles/profile-tags.js'
import type { WebhookEvent } from './events.js'

export function portraitSet(
  operator: string,
  user: UserId,
  items: readonly { Tag: string; Value: ProfileValue }[],
  eventMs: number,
): WebhookEvent {
  return {
    command: 'Profile.CallbackPortraitSet',
    orderingKey: `profile:${user}`,
    createdMs: eventMs,
    body: {
      CallbackCommand: 'Profile.CallbackPortraitSet',
      Operator_Account: operator,
      From_Account: user,
      EventTime: eventMs,
      ProfileItem: items,
    },
  }
}
