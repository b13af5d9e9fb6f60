/** Row shapes and lookups shared by the SQLite group stores. */
import type { UserId } from '../../domain/accounts/user-id.js'
import type { GroupId } from '../../domain/groups/group-id.js'
import type { Statements } from './statements.js'
import { toGroup, type GroupRow } from '../rows/group-rows.js'

export { toGroup, type GroupRow }

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

export function memberRow(s: Statements, app: number, gid: number, userId: UserId): MemberRow | undefined {
  return s
    .get('SELECT member_no, join_seq FROM group_members WHERE app_id = ? AND gid = ? AND user_id = ?')
    .get(app, gid, userId) as MemberRow | undefined
}
