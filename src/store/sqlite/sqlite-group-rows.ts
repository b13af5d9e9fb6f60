/** Row shapes and lookups shared by the SQLite group stores. */
import type { UserId } from '../../domain/accounts/user-id.js'
import type { GroupId } from '../../domain/groups/group-id.js'
import type { GroupType } from '../../domain/groups/group-types.js'
import type { Group } from '../groups.js'
import type { Statements } from './statements.js'

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

export interface MemberRow {
  member_no: number
  join_seq: number
}

export function groupRow(s: Statements, app: number, groupId: GroupId): GroupRow | undefined {
  return s
    .get(
      `SELECT gid, group_id, type, name, owner_id, max_members, member_count, last_seq
       FROM groups WHERE app_id = ? AND group_id = ?`,
    )
    .get(app, groupId) as GroupRow | undefined
}

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

export function memberRow(s: Statements, app: number, gid: number, userId: UserId): MemberRow | undefined {
  return s
    .get('SELECT member_no, join_seq FROM group_members WHERE app_id = ? AND gid = ? AND user_id = ?')
    .get(app, gid, userId) as MemberRow | undefined
}
