/**
 * The profile concern of the store (spec part 2 §20): `Tag` → value per account. The standard
 * `Tag_Profile_IM_Nick` and `Tag_Profile_IM_Image` are the account's `Nick` and `FaceUrl` (one
 * datum, whichever API wrote it last); every other tag is a row of its own.
 */
import type { UserId } from '../domain/accounts/user-id.js'
import type { ProfileValue } from '../domain/profiles/profile-tags.js'

/** What a read-only snapshot may ask of profiles. */
export interface ProfileReads {
  /**
   * The values of `tags` each existing account of `userIds` has (a tag never set is absent); an
   * account that does not exist is absent from the map.
   */
  read(userIds: readonly UserId[], tags: readonly string[]): Promise<Map<UserId, Map<string, ProfileValue>>>
}

export interface ProfileStore extends ProfileReads {
  /** Sets fields of an existing account; false (nothing written) when it does not exist. */
  write(userId: UserId, fields: ReadonlyMap<string, ProfileValue>): Promise<boolean>
  /** Forgets the fields of deleted accounts. */
  forget(userIds: readonly UserId[]): Promise<void>
}
