/**
 * Group message reads on PostgreSQL: history (group_msg_get_simple, spec §6.7), newest first, and
 * the duplicate lookup of send_group_msg (spec §6.6).
 */
import type { UserId } from '../../domain/accounts/user-id.js'
import type { GroupId } from '../../domain/groups/group-id.js'
import type { StoredGroupMessage } from '../groups.js'
import { GROUP_HISTORY_COLUMNS, toStoredGroupMessage, type GroupHistoryRow } from '../rows/group-rows.js'
import { GID } from './pg-group-rows.js'
import type { Queryable } from './pg-store.js'

export async function history(
  db: Queryable,
  app: number,
  groupId: GroupId,
  q: { upTo: number; limit: number; withRecalled: boolean },
): Promise<{ messages: StoredGroupMessage[]; more: boolean }> {
  const { rows } = await db.query<GroupHistoryRow>(
    `SELECT ${GROUP_HISTORY_COLUMNS} FROM group_messages
     WHERE app_id = $1 AND gid = ${GID} AND seq <= $3 AND NOT online_only AND ($4 OR NOT recalled)
     ORDER BY seq DESC LIMIT $5`,
    [app, groupId, q.upTo, q.withRecalled, q.limit + 1],
  )
  return { messages: rows.slice(0, q.limit).map(toStoredGroupMessage), more: rows.length > q.limit }
}

export async function findDuplicate(
  db: Queryable,
  app: number,
  groupId: GroupId,
  q: { sender: UserId; random: number; bodyHash: string; sinceTime: number },
): Promise<{ seq: number; time: number } | undefined> {
  const { rows } = await db.query<{ seq: number; time: number }>(
    `SELECT seq, time FROM group_messages WHERE app_id = $1 AND gid = ${GID} AND random = $3
       AND sender = $4 AND body_hash = $5 AND time >= $6 ORDER BY seq DESC LIMIT 1`,
    [app, groupId, q.random, q.sender, q.bodyHash, q.sinceTime],
  )
  return rows[0]
}
