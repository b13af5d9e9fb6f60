/**
 * What create_group and import_group share: the group's base fields in the request, their checks
 * (ApplyJoinOption 10004, a custom GroupId 10015) and a generated `@TGS#` id no group holds.
 */
import { TencentError } from '../../domain/codes.js'
import { checkCustomGroupId, generateGroupId, type GroupId } from '../../domain/groups/group-id.js'
import type { GroupType } from '../../domain/groups/group-types.js'
import * as L from '../../domain/groups/limits.js'
import type { ReadTx } from '../../store/store.js'
import { f } from '../fields.js'
import { APPLY_OPTIONS, groupType, text } from './group-fields.js'

export const newGroupFields = {
  Owner_Account: f.optional(f.userId({ missing: 10004 })),
  Type: groupType,
  GroupId: f.optional(f.string({ missing: 10004, invalid: 10015 })),
  Name: f.string({ missing: 10004, maxBytes: L.MAX_NAME_BYTES }),
  Introduction: text(L.MAX_INTRODUCTION_BYTES),
  Notification: text(L.MAX_NOTIFICATION_BYTES),
  FaceUrl: text(L.MAX_FACE_URL_BYTES),
  MaxMemberCount: f.optional(f.int({ missing: 10004, min: 1, max: L.MAX_GROUP_MEMBERS })),
  ApplyJoinOption: f.optional(f.string({ missing: 10004 })),
}

export function checkApplyJoinOption(option: string | undefined): void {
  if (option !== undefined && !APPLY_OPTIONS.includes(option)) {
    throw new TencentError(10004, `ApplyJoinOption must be one of ${APPLY_OPTIONS.join(', ')}`)
  }
}

/** The custom GroupId of the request, checked for its type (10015), if it names one. */
export function customGroupId(req: { Type: GroupType; GroupId?: string | undefined }): GroupId | undefined {
  if (req.GroupId === undefined) return undefined
  const custom = checkCustomGroupId(req.GroupId, req.Type)
  if (custom === undefined)
    throw new TencentError(10015, `GroupId is not a valid custom ID for a ${req.Type} group`)
  return custom
}

/** `custom`, or a generated id of `type` that no group holds now. */
export async function newGroupId(tx: ReadTx, type: GroupType, custom: GroupId | undefined): Promise<GroupId> {
  let id = custom
  while (id === undefined) {
    const candidate = generateGroupId(type, Math.random)
    if ((await tx.groups.find(candidate)) === undefined) id = candidate
  }
  return id
}
