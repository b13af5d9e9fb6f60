/**
 * One member's side of a group, for the unread explanation (inspection API): the messages after a
 * seq with the facts the unread rule reads (`domain/read-state/group-unread.ts`), and a recount of
 * the member's unread count from the messages, to hold against the counters the store keeps.
 * One SQL for both engines, through the `SqlRunner` of `sql-inspection.ts`.
 */
import type { UserId } from '../domain/accounts/user-id.js'
import type { GroupId } from '../domain/groups/group-id.js'
import type { MemberMessageView, Page } from './inspection.js'
import { GROUP_MESSAGE_COLUMNS, toGroupMessage, type GroupMessageRow } from './rows/inspection-rows.js'
import { GID, type Dialect, type SqlRunner } from './sql-inspection.js'

const TARGETS_MEMBER = `EXISTS (SELECT 1 FROM group_message_targets t
  WHERE t.app_id = x.app_id AND t.gid = x.gid AND t.seq = x.seq AND t.user_id = $3)`

type Row = GroupMessageRow & { counts: number; targeted: number; targets_member: number | boolean }

export async function memberMessages(
  sql: SqlRunner,
  app: number,
  groupId: GroupId,
  userId: UserId,
  q: { after: number; limit: number },
): Promise<Page<MemberMessageView>> {
  const columns = GROUP_MESSAGE_COLUMNS.split(', ')
    .map((c) => `x.${c}`)
    .join(', ')
  const rows = await sql.all<Row>(
    `SELECT ${columns}, x.counts, x.targeted, ${TARGETS_MEMBER} AS targets_member
     FROM group_messages x WHERE x.app_id = $1 AND x.gid = ${GID} AND x.seq > $4
     ORDER BY x.seq LIMIT $5`,
    [app, groupId, userId, q.after, q.limit + 1],
  )
  const items = rows.slice(0, q.limit).map((r) => ({
    ...toGroupMessage(r),
    counts: Boolean(r.counts),
    targeted: Boolean(r.targeted),
    targetsMember: Boolean(r.targets_member),
  }))
  return { items, more: rows.length > q.limit }
}

/** The member's unread count recounted from the messages; undefined when not a member. */
export async function recountMemberUnread(
  sql: SqlRunner,
  d: Dialect,
  app: number,
  groupId: GroupId,
  userId: UserId,
): Promise<number | undefined> {
  const [r] = await sql.all<{ n: number | string }>(
    `SELECT (SELECT count(*) FROM group_messages x
             WHERE x.app_id = m.app_id AND x.gid = m.gid AND x.seq > m.read_seq
               AND x.counts = ${d.true} AND x.recalled <> ${d.true} AND x.sender <> m.user_id
               AND (x.targeted <> ${d.true} OR ${TARGETS_MEMBER})) AS n
     FROM group_members m WHERE m.app_id = $1 AND m.gid = ${GID} AND m.user_id = $3`,
    [app, groupId, userId],
  )
  return r === undefined ? undefined : Number(r.n)
}
