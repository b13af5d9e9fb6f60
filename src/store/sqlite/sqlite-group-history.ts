/** Group history on SQLite (group_msg_get_simple, spec §6.7): stored messages newest first. */
import type { GroupId } from '../../domain/groups/group-id.js'
import type { StoredGroupMessage } from '../groups.js'
import { GROUP_HISTORY_COLUMNS, toStoredGroupMessage, type GroupHistoryRow } from '../rows/group-rows.js'
import { groupRow } from './sqlite-group-rows.js'
import type { Statements } from './statements.js'

export async function history(
  s: Statements,
  app: number,
  groupId: GroupId,
  q: { upTo: number; limit: number; withRecalled: boolean },
): Promise<{ messages: StoredGroupMessage[]; more: boolean }> {
  const g = groupRow(s, app, groupId)
  if (g === undefined) return { messages: [], more: false }
  const rows = s
    .get(
      `SELECT ${GROUP_HISTORY_COLUMNS} FROM group_messages
       WHERE app_id = ? AND gid = ? AND seq <= ? AND online_only = 0 AND (? OR recalled = 0)
       ORDER BY seq DESC LIMIT ?`,
    )
    .all(app, g.gid, q.upTo, q.withRecalled ? 1 : 0, q.limit + 1) as GroupHistoryRow[]
  return { messages: rows.slice(0, q.limit).map(toStoredGroupMessage), more: rows.length > q.limit }
}
