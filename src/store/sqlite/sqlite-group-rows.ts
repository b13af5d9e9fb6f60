/** Row shapes and lookups shared by the SQLite group stores. */
import type { UserId } from '../../domain/accounts/user-id.js'
import type { GroupId } from '../../domain/groups/group-id.js'
import type { Statements } from './statements.js'
import { GROUP_COLUMNS, type GroupRow } from '../rows/group-rows.js'

export interface MemberRow {
  member_no: number
  join_seq: number
}

export function groupRow(s: Statements, app: number, groupId: GroupId): GroupRow | undefined {
  return s.get(`SELECT ${GROUP_COLUMNS} FROM groups WHERE app_id = ? AND group_id = ?`).get(app, groupId) as
    GroupRow | undefined
}

export function memberRow(s: Statements, app: number, gid: number, userId: UserId): MemberRow | undefined {
  return s
    .get('SELECT member_no, join_seq FROM group_members WHERE app_id = ? AND gid = ? AND user_id = ?')
    .get(app, gid, userId) as MemberRow | undefined
}
