/**
 * InspectionStore for both engines: one set of statements in the SQL both SQLite and PostgreSQL
 * speak, run through a two-method `SqlRunner`, so no inspection query or repair is written twice.
 * Where the engines differ it is declared as data (`Dialect`): how a flag is true, the partial
 * index predicate of unread messages, and the row lock a concurrent engine takes before a repair.
 * Past 300 lines on purpose: it is both engines' reads in one file instead of two.
 */
import type { UserId } from '../domain/accounts/user-id.js'
import type { MsgKeyParts } from '../domain/c2c/msg-key.js'
import type { StoredMessage } from '../domain/c2c/rules.js'
import type { GroupId } from '../domain/groups/group-id.js'
import type { Group } from './groups.js'
import type {
  Account,
  AccountTotals,
  C2CDrift,
  ConversationView,
  GroupMemberView,
  GroupMessageView,
  GroupReadState,
  InspectionReads,
  MessagePosition,
  Page,
  TotalDrift,
} from './inspection.js'
import { toMessage, type MessageRow } from './rows/c2c-rows.js'
import {
  GROUP_MESSAGE_COLUMNS,
  toAccount,
  toConversation,
  toGroupMessage,
  toMember,
  type AccountRow,
  type ConversationRow,
  type GroupMessageRow,
  type MemberViewRow,
} from './rows/inspection-rows.js'
import { GROUP_COLUMNS, toGroup, type GroupRow } from './rows/group-rows.js'
import { memberMessages, recountMemberUnread } from './sql-member-unread.js'

/** Statements with `$1 … $n` parameters. */
export interface SqlRunner {
  all<R>(sql: string, params: readonly unknown[]): Promise<R[]>
  /** Returns the number of rows changed. */
  run(sql: string, params: readonly unknown[]): Promise<number>
}

export interface Dialect {
  true: string
  /** The predicate of the `c2c_messages_unread` partial index, as written in its migration. */
  unread: string
  /** Appended to a SELECT that decides a repair: locks the rows until commit. */
  forUpdate: string
}

export const GID = '(SELECT gid FROM groups WHERE app_id = $1 AND group_id = $2)'
/** Above every UserID and GroupId (both are at most 48 bytes of printable characters). */
const START = ''

/** The store's rule for a conversation's unread count (the one markRead applies), recounted. */
export async function recountConversation(
  sql: SqlRunner,
  d: Dialect,
  app: number,
  reader: UserId,
  peer: UserId,
): Promise<number> {
  const [r] = await sql.all<{ n: number }>(
    `SELECT count(*) AS n FROM c2c_messages
     WHERE app_id = $1 AND to_id = $2 AND from_id = $3 AND ${d.unread}
       AND msg_time > coalesce((SELECT read_time FROM c2c_conversations
                                WHERE app_id = $1 AND owner_id = $2 AND peer_id = $3), 0)`,
    [app, reader, peer],
  )
  return Number(r!.n)
}

export function page<T>(rows: T[], limit: number): Page<T> {
  return { items: rows.slice(0, limit), more: rows.length > limit }
}

export class SqlInspection implements InspectionReads {
  readonly #sql: SqlRunner
  readonly #app: number
  readonly #d: Dialect

  constructor(sql: SqlRunner, sdkAppId: number, dialect: Dialect) {
    this.#sql = sql
    this.#app = sdkAppId
    this.#d = dialect
  }

  async accounts(q: { prefix: string; after: UserId | undefined; limit: number }): Promise<Page<Account>> {
    const rows = await this.#sql.all<AccountRow>(
      `SELECT user_id, nick, face_url, created_time FROM accounts
       WHERE app_id = $1 AND substr(user_id, 1, length(CAST($2 AS TEXT))) = $2 AND user_id > $3
       ORDER BY user_id LIMIT $4`,
      [this.#app, q.prefix, q.after ?? START, q.limit + 1],
    )
    return page(rows.map(toAccount), q.limit)
  }

  async account(userId: UserId): Promise<Account | undefined> {
    const rows = await this.#sql.all<AccountRow>(
      'SELECT user_id, nick, face_url, created_time FROM accounts WHERE app_id = $1 AND user_id = $2',
      [this.#app, userId],
    )
    return rows[0] && toAccount(rows[0])
  }

  async accountTotals(userId: UserId): Promise<AccountTotals> {
    const [r] = await this.#sql.all<{ c2c_unread: number; conversations: number; groups: number }>(
      `SELECT
         coalesce((SELECT unread FROM c2c_unread_totals WHERE app_id = $1 AND user_id = $2), 0) AS c2c_unread,
         (SELECT count(*) FROM (SELECT peer_id FROM c2c_conversations WHERE app_id = $1 AND owner_id = $2
            UNION SELECT owner_id FROM c2c_conversations WHERE app_id = $1 AND peer_id = $2) AS p) AS conversations,
         (SELECT count(*) FROM group_members WHERE app_id = $1 AND user_id = $2) AS groups`,
      [this.#app, userId],
    )
    return {
      c2cUnread: Number(r!.c2c_unread),
      conversations: Number(r!.conversations),
      groups: Number(r!.groups),
    }
  }

  async conversations(
    owner: UserId,
    q: { after: UserId | undefined; limit: number },
  ): Promise<Page<ConversationView>> {
    // Each side of the union is cut to one page first, so a page costs O(page) on the two indexes.
    const rows = await this.#sql.all<ConversationRow>(
      `SELECT p.peer, coalesce(mine.read_time, 0) AS read_time, coalesce(mine.unread, 0) AS unread,
              coalesce(theirs.read_time, 0) AS peer_read_time
       FROM (SELECT peer FROM (SELECT peer_id AS peer FROM c2c_conversations
                               WHERE app_id = $1 AND owner_id = $2 AND peer_id > $3 ORDER BY peer_id LIMIT $4) AS a
             UNION
             SELECT peer FROM (SELECT owner_id AS peer FROM c2c_conversations
                               WHERE app_id = $1 AND peer_id = $2 AND owner_id > $3 ORDER BY owner_id LIMIT $4) AS b) AS p
       LEFT JOIN c2c_conversations mine ON mine.app_id = $1 AND mine.owner_id = $2 AND mine.peer_id = p.peer
       LEFT JOIN c2c_conversations theirs ON theirs.app_id = $1 AND theirs.owner_id = p.peer AND theirs.peer_id = $2
       ORDER BY p.peer LIMIT $4`,
      [this.#app, owner, q.after ?? START, q.limit + 1],
    )
    return page(rows.map(toConversation), q.limit)
  }

  async conversation(owner: UserId, peer: UserId): Promise<ConversationView> {
    const [r] = await this.#sql.all<ConversationRow>(
      `SELECT CAST($3 AS TEXT) AS peer,
         coalesce((SELECT read_time FROM c2c_conversations WHERE app_id = $1 AND owner_id = $2 AND peer_id = $3), 0) AS read_time,
         coalesce((SELECT unread FROM c2c_conversations WHERE app_id = $1 AND owner_id = $2 AND peer_id = $3), 0) AS unread,
         coalesce((SELECT read_time FROM c2c_conversations WHERE app_id = $1 AND owner_id = $3 AND peer_id = $2), 0) AS peer_read_time`,
      [this.#app, owner, peer],
    )
    return toConversation(r!)
  }

  async messages(a: UserId, b: UserId, q: { after: MsgKeyParts | undefined; limit: number }) {
    const [lo, hi] = a < b ? [a, b] : [b, a]
    const after = q.after ?? { msgTime: -1, msgSeq: -1, msgRandom: -1 }
    const rows = await this.#sql.all<MessageRow>(
      `SELECT * FROM c2c_messages WHERE app_id = $1 AND user_lo = $2 AND user_hi = $3
         AND (msg_time > $4 OR (msg_time = $4 AND (msg_seq > $5 OR (msg_seq = $5 AND msg_random > $6))))
       ORDER BY msg_time, msg_seq, msg_random LIMIT $7`,
      [this.#app, lo, hi, after.msgTime, after.msgSeq, after.msgRandom, q.limit + 1],
    )
    return page(rows.map(toMessage), q.limit)
  }

  async recountConversation(reader: UserId, peer: UserId): Promise<number> {
    return recountConversation(this.#sql, this.#d, this.#app, reader, peer)
  }

  async groups(q: { prefix: string; after: GroupId | undefined; limit: number }): Promise<Page<Group>> {
    const rows = await this.#sql.all<GroupRow>(
      `SELECT ${GROUP_COLUMNS} FROM groups
       WHERE app_id = $1 AND substr(group_id, 1, length(CAST($2 AS TEXT))) = $2 AND group_id > $3
       ORDER BY group_id LIMIT $4`,
      [this.#app, q.prefix, q.after ?? START, q.limit + 1],
    )
    return page(rows.map(toGroup), q.limit)
  }

  async groupMembers(groupId: GroupId, q: { after: number; limit: number }): Promise<Page<GroupMemberView>> {
    const rows = await this.#sql.all<MemberViewRow>(
      `SELECT m.member_no, m.user_id, m.role, m.join_time, m.join_seq, m.read_seq,
         m.unread_base + g.counted - m.counted_base AS unread
       FROM groups g JOIN group_members m ON m.app_id = g.app_id AND m.gid = g.gid
       WHERE g.app_id = $1 AND g.group_id = $2 AND m.member_no > $3 ORDER BY m.member_no LIMIT $4`,
      [this.#app, groupId, q.after, q.limit + 1],
    )
    return page(rows.map(toMember), q.limit)
  }

  async groupMessages(
    groupId: GroupId,
    q: { before: number; limit: number },
  ): Promise<Page<GroupMessageView>> {
    const rows = await this.#sql.all<GroupMessageRow>(
      `SELECT ${GROUP_MESSAGE_COLUMNS} FROM group_messages
       WHERE app_id = $1 AND gid = ${GID} AND seq < $3 ORDER BY seq DESC LIMIT $4`,
      [this.#app, groupId, q.before, q.limit + 1],
    )
    return page(
      rows.map((r) => toGroupMessage(r)),
      q.limit,
    )
  }

  async groupMessage(groupId: GroupId, seq: number): Promise<GroupMessageView | undefined> {
    const rows = await this.#sql.all<GroupMessageRow>(
      `SELECT ${GROUP_MESSAGE_COLUMNS} FROM group_messages WHERE app_id = $1 AND gid = ${GID} AND seq = $3`,
      [this.#app, groupId, seq],
    )
    return rows[0] && toGroupMessage(rows[0])
  }

  memberMessages(groupId: GroupId, userId: UserId, q: { after: number; limit: number }) {
    return memberMessages(this.#sql, this.#app, groupId, userId, q)
  }

  recountMemberUnread(groupId: GroupId, userId: UserId): Promise<number | undefined> {
    return recountMemberUnread(this.#sql, this.#d, this.#app, groupId, userId)
  }

  async c2cDrift(q: {
    after: { owner: UserId; peer: UserId } | undefined
    limit: number
  }): Promise<Page<C2CDrift>> {
    const after = q.after ?? { owner: START, peer: START }
    const rows = await this.#sql.all<{
      owner_id: UserId
      peer_id: UserId
      unread: number
      recounted: number
    }>(
      `SELECT c.owner_id, c.peer_id, c.unread,
         (SELECT count(*) FROM c2c_messages m WHERE m.app_id = $1 AND m.to_id = c.owner_id
            AND m.from_id = c.peer_id AND ${this.#d.unread.replace(/\b(counted|recalled)\b/g, 'm.$1')}
            AND m.msg_time > c.read_time) AS recounted
       FROM c2c_conversations c
       WHERE c.app_id = $1 AND (c.owner_id > $2 OR (c.owner_id = $2 AND c.peer_id > $3))
       ORDER BY c.owner_id, c.peer_id LIMIT $4`,
      [this.#app, after.owner, after.peer, q.limit + 1],
    )
    return page(
      rows.map((r) => ({
        owner: r.owner_id,
        peer: r.peer_id,
        stored: Number(r.unread),
        recounted: Number(r.recounted),
      })),
      q.limit,
    )
  }

  async totalDrift(q: { after: UserId | undefined; limit: number }): Promise<Page<TotalDrift>> {
    const rows = await this.#sql.all<{ user_id: UserId; stored: number; recounted: number }>(
      `SELECT u.user_id,
         coalesce((SELECT unread FROM c2c_unread_totals t WHERE t.app_id = $1 AND t.user_id = u.user_id), 0) AS stored,
         CAST(coalesce((SELECT sum(unread) FROM c2c_conversations c
                        WHERE c.app_id = $1 AND c.owner_id = u.user_id), 0) AS BIGINT) AS recounted
       FROM (SELECT user_id FROM (SELECT user_id FROM c2c_unread_totals WHERE app_id = $1 AND user_id > $2
                                  ORDER BY user_id LIMIT $3) AS a
             UNION
             SELECT user_id FROM (SELECT DISTINCT owner_id AS user_id FROM c2c_conversations
                                  WHERE app_id = $1 AND owner_id > $2 ORDER BY owner_id LIMIT $3) AS b) AS u
       ORDER BY u.user_id LIMIT $3`,
      [this.#app, q.after ?? START, q.limit + 1],
    )
    return page(
      rows.map((r) => ({ user: r.user_id, stored: Number(r.stored), recounted: Number(r.recounted) })),
      q.limit,
    )
  }

  async groupIds(q: { after: GroupId | undefined; limit: number }): Promise<Page<GroupId>> {
    const rows = await this.#sql.all<{ group_id: GroupId }>(
      'SELECT group_id FROM groups WHERE app_id = $1 AND group_id > $2 ORDER BY group_id LIMIT $3',
      [this.#app, q.after ?? START, q.limit + 1],
    )
    return page(
      rows.map((r) => r.group_id),
      q.limit,
    )
  }

  async groupReadState(groupId: GroupId): Promise<GroupReadState | undefined> {
    const [g] = await this.#sql.all<GroupRow>(
      `SELECT ${GROUP_COLUMNS} FROM groups WHERE app_id = $1 AND group_id = $2`,
      [this.#app, groupId],
    )
    if (g === undefined) return undefined
    const members = await this.#sql.all<{ member_no: number; user_id: UserId }>(
      'SELECT member_no, user_id FROM group_members WHERE app_id = $1 AND gid = $2',
      [this.#app, g.gid],
    )
    const ranges = await this.#sql.all<{ member_no: number; lo: number; hi: number }>(
      'SELECT member_no, lo, hi FROM group_read_ranges WHERE app_id = $1 AND gid = $2',
      [this.#app, g.gid],
    )
    const messages = await this.#sql.all<{
      seq: number
      sender: UserId
      member_bound: number
      audience: number
      read_count: number
    }>(
      `SELECT seq, sender, member_bound, audience, read_count FROM group_messages
       WHERE app_id = $1 AND gid = $2 AND receipt = ${this.#d.true}`,
      [this.#app, g.gid],
    )
    return {
      group: toGroup(g),
      members: members.map((m) => ({ memberNo: m.member_no, userId: m.user_id })),
      ranges: ranges.map((r) => ({ memberNo: r.member_no, lo: r.lo, hi: r.hi })),
      receiptMessages: messages.map((m) => ({
        seq: m.seq,
        sender: m.sender,
        memberBound: m.member_bound,
        audience: m.audience,
        readCount: m.read_count,
      })),
    }
  }

  async allMessages(q: { after: MessagePosition | undefined; limit: number }): Promise<Page<StoredMessage>> {
    const a = q.after ?? [START, START, -1, -1, -1]
    const rows = await this.#sql.all<MessageRow>(
      `SELECT * FROM c2c_messages WHERE app_id = $1
         AND (user_lo, user_hi, msg_time, msg_seq, msg_random) > ($2, $3, $4, $5, $6)
       ORDER BY user_lo, user_hi, msg_time, msg_seq, msg_random LIMIT $7`,
      [this.#app, ...a, q.limit + 1],
    )
    return page(rows.map(toMessage), q.limit)
  }

  async readTimes(q: { after: { owner: UserId; peer: UserId } | undefined; limit: number }) {
    const a = q.after ?? { owner: START, peer: START }
    const rows = await this.#sql.all<{ owner_id: UserId; peer_id: UserId; read_time: number }>(
      `SELECT owner_id, peer_id, read_time FROM c2c_conversations
       WHERE app_id = $1 AND (owner_id, peer_id) > ($2, $3) AND read_time > 0
       ORDER BY owner_id, peer_id LIMIT $4`,
      [this.#app, a.owner, a.peer, q.limit + 1],
    )
    return page(
      rows.map((r) => ({ owner: r.owner_id, peer: r.peer_id, readTime: Number(r.read_time) })),
      q.limit,
    )
  }
}
