/** Row shapes and lookups shared by the PostgreSQL group stores. */
import type { UserId } from '../../domain/accounts/user-id.js'
import type { GroupId } from '../../domain/groups/group-id.js'
import type { GroupType } from '../../domain/groups/group-types.js'
import type { Group } from '../groups.js'
import type { Queryable } from './pg-store.js'

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

const GROUP_COLUMNS = 'gid, group_id, type, name, owner_id, max_members, member_count, last_seq'

/**
 * The group's row; with `lock`, locked until commit. Every change of membership takes this lock
 * first and so does every send (its `last_seq` update), so a statement that follows sees every
 * membership and message that was committed before: audiences and join seqs stay exact.
 */
export async function groupRow(
  db: Queryable,
  app: number,
  groupId: GroupId,
  lock = false,
): Promise<GroupRow | undefined> {
  const { rows } = await db.query<GroupRow>(
    `SELECT ${GROUP_COLUMNS} FROM groups WHERE app_id = $1 AND group_id = $2${lock ? ' FOR UPDATE' : ''}`,
    [app, groupId],
  )
  return rows[0]
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

/** `gid` of a group by its GroupId, for use inside a statement with `$1` = app and `$2` = GroupId. */
export const GID = '(SELECT gid FROM groups WHERE app_id = $1 AND group_id = $2)'
