/** Row shapes and lookups shared by the PostgreSQL group stores. */
import type { GroupId } from '../../domain/groups/group-id.js'
import type { Queryable } from './pg-store.js'
import { GROUP_COLUMNS, type GroupRow } from '../rows/group-rows.js'

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

/** `gid` of a group by its GroupId, for use inside a statement with `$1` = app and `$2` = GroupId. */
export const GID = '(SELECT gid FROM groups WHERE app_id = $1 AND group_id = $2)'
