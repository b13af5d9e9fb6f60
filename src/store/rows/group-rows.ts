/** Row shape of `groups` and its mapping to the domain, shared by both engines. */
import type { UserId } from '../../domain/accounts/user-id.js'
import type { GroupId } from '../../domain/groups/group-id.js'
import type { GroupType } from '../../domain/groups/group-types.js'
import type { Group } from '../groups.js'

export interface GroupRow {
  gid: number
  group_id: string
  type: string
  name: string
  owner_id: string | null
  max_members: number
  member_count: number
  last_seq: number
}

export const GROUP_COLUMNS = 'gid, group_id, type, name, owner_id, max_members, member_count, last_seq'

export function toGroup(r: GroupRow): Group {
  return {
    groupId: r.group_id as GroupId,
    type: r.type as GroupType,
    name: r.name,
    owner: (r.owner_id ?? undefined) as UserId | undefined,
    maxMembers: r.max_members,
    memberCount: r.member_count,
    lastSeq: r.last_seq,
  }
}
