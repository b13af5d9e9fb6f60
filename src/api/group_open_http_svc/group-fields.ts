/**
 * What the group commands share: the `GroupId` field (10004 absent, 10015 malformed), `MsgSeqList`
 * items, member lists, and the lookups every command starts with, each mapped to its group code:
 * no such group 10010 (spec §6); a type that never has receipts 10007 (spec §6.10, the seed's
 * "Support for this RESTful API: No"); a capable type the app switched off 10059 (spec §8.7).
 */
import type { AppConfig } from '../../config/config.js'
import { checkUserId, type UserId } from '../../domain/accounts/user-id.js'
import { TencentError } from '../../domain/codes.js'
import { checkGroupId, type GroupId } from '../../domain/groups/group-id.js'
import { parseGroupType, receiptSupport, type GroupType } from '../../domain/groups/group-types.js'
import type { Group } from '../../store/groups.js'
import type { ReadTx, Tx } from '../../store/store.js'
import { f, own, type Field, type Json } from '../fields.js'

/** [U] A GroupId that is not a string is a bad parameter (10004); a malformed string is 10015. */
export function groupId(): Field<GroupId> {
  const inner = f.string({ missing: 10004 })
  return {
    read(body, name) {
      const id = checkGroupId(inner.read(body, name))
      if (id === undefined) throw new TencentError(10015, `${name} is not a valid group ID`)
      return id
    },
  }
}

/** `[{"MsgSeq": 1}, …]`: every item an object with a whole-number MsgSeq, else 10004. */
export function seqList(maxItems: number): Field<number[]> {
  return f.array({ missing: 10004, minItems: 1, maxItems }, (item: Json, at) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new TencentError(10004, `${at} must be an object with MsgSeq`)
    }
    const seq = own(item, 'MsgSeq')
    const n = typeof seq === 'string' && /^\d{1,15}$/.test(seq) ? Number(seq) : seq
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
      throw new TencentError(10004, `${at}.MsgSeq must be a whole number`)
    }
    return n
  })
}

/** A UserID inside a list: 60015 when not a string (spec §1.7), 10004 when it cannot be a UserID. */
export function listUserId(v: Json | undefined, at: string): UserId {
  if (v === undefined || v === null) throw new TencentError(10004, `${at} is missing`)
  if (typeof v !== 'string') throw new TencentError(60015, `${at} must be a string`)
  const check = checkUserId(v)
  if (!check.ok) throw new TencentError(10004, `${at} ${check.reason}`)
  return check.userId
}

/** `[{"Member_Account": "…", "Role"?: "Admin"}]` of create_group and add_group_member. */
export function memberItem(item: Json, at: string): { userId: UserId; admin: boolean } {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw new TencentError(10004, `${at} must be an object with Member_Account`)
  }
  const userId = listUserId(own(item, 'Member_Account'), `${at}.Member_Account`)
  const role = own(item, 'Role')
  if (role !== undefined && role !== 'Admin') throw new TencentError(10004, `${at}.Role may only be "Admin"`)
  return { userId, admin: role === 'Admin' }
}

export async function findGroup(tx: ReadTx, id: GroupId): Promise<Group> {
  const group = await tx.groups.find(id)
  if (group === undefined) throw new TencentError(10010)
  return group
}

/**
 * The group, locked until the transaction commits (`GroupStore.lock`): for commands whose checks
 * (existence, owner, members, member count, duplicates) decide a write.
 */
export async function lockGroup(tx: Tx, id: GroupId): Promise<Group> {
  const group = await tx.groups.lock(id)
  if (group === undefined) throw new TencentError(10010)
  return group
}

/** The group, when its type has read receipts in this app. */
export async function findReceiptGroup(tx: ReadTx, id: GroupId, app: AppConfig): Promise<Group> {
  return receiptGroup(await tx.groups.find(id), app)
}

/** `group` (10010 when there is none), when its type has read receipts in this app. */
export function receiptGroup(group: Group | undefined, app: AppConfig): Group {
  if (group === undefined) throw new TencentError(10010)
  const support = receiptSupport(group.type, app.groupReceiptTypes)
  if (support === 'never') throw new TencentError(10007, `${group.type} groups do not support read receipts`)
  if (support === 'off') {
    throw new TencentError(10059, `group read receipts are not enabled for ${group.type} groups in this app`)
  }
  return group
}

/** An optional text field of a group's profile, up to `maxBytes` (10004 beyond). */
export const text = (maxBytes: number) => f.optional(f.string({ missing: 10004, allowEmpty: true, maxBytes }))

/** create_group's and import_group's `Type`: the REST names and their SDK aliases (spec §6.1). */
export const groupType: Field<GroupType> = {
  read(body, name) {
    const t = parseGroupType(f.string({ missing: 10004 }).read(body, name))
    if (t === undefined)
      throw new TencentError(10004, `${name} must be Private, Public, ChatRoom, AVChatRoom or Community`)
    return t
  },
}

export const APPLY_OPTIONS = ['FreeAccess', 'NeedPermission', 'DisableApply']
