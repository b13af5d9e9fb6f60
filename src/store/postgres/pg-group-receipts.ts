/**
 * GroupReceiptStore on PostgreSQL (spec §6.11–§6.13), with SQLite's model: a membership's reads
 * are seq ranges; each receipt message's `read_count` moves by one for each seq a member newly
 * reads, filtered exactly as `audience` was counted. An acknowledgement locks its membership row,
 * so two of one member never merge ranges from the same stale read and a leave in flight waits for
 * it (then takes its reads back); members of one group acknowledge in parallel. Unread stretches
 * and interval-tree nodes are kept as on SQLite (sqlite-group-receipts.ts says why). An
 * acknowledgement is one statement, a function created by migration 0014.
 */
import type { UserId } from '../../domain/accounts/user-id.js'
import type { GroupId } from '../../domain/groups/group-id.js'
import { detailPlan } from '../../domain/read-state/detail-plan.js'
import { stabsOf } from '../../domain/read-state/interval-nodes.js'
import type { SeqRange } from '../../domain/read-state/seq-ranges.js'
import type { GroupCounts, GroupReceiptStore, ReceiptCounts, ReceiptPage } from '../groups.js'
import { GROUP_COLUMNS, toGroup, toReceiptCounts, toReceiptPage, type GroupRow } from '../rows/group-rows.js'
import { GID } from './pg-group-rows.js'
import type { Queryable } from './pg-store.js'

export class PgGroupReceipts implements GroupReceiptStore {
  readonly #db: Queryable
  readonly #app: number

  constructor(db: Queryable, sdkAppId: number) {
    this.#db = db
    this.#app = sdkAppId
  }

  async acknowledge(
    groupId: GroupId,
    reader: UserId,
    seqs: readonly SeqRange[],
  ): Promise<ReceiptCounts[] | 'not-member'> {
    // One statement: the function of migration 0014 does what sqlite-group-receipts.ts does.
    const { rows } = await this.#db.query<{
      o_status: string
      o_seq: number
      o_read: number
      o_audience: number
    }>('SELECT * FROM receiptd_group_ack($1, $2, $3, $4::int8multirange)', [
      this.#app,
      groupId,
      reader,
      `{${seqs.map((r) => `[${r.lo},${r.hi}]`).join(',')}}`,
    ])
    if (rows[0]?.o_status === 'not-member') return 'not-member'
    return rows.map((r) => toReceiptCounts({ seq: r.o_seq, read_count: r.o_read, audience: r.o_audience }))
  }

  async counts(groupId: GroupId, seqs: readonly number[]): Promise<GroupCounts | undefined> {
    const { rows } = await this.#db.query<GroupRow & { counts: [number, number, number][] }>(
      `SELECT ${GROUP_COLUMNS},
         coalesce((SELECT json_agg(json_build_array(m.seq, m.read_count, m.audience)) FROM group_messages m
           WHERE m.app_id = $1 AND m.gid = g.gid AND m.seq = ANY($3::bigint[]) AND m.receipt AND NOT m.recalled),
           '[]') AS counts
       FROM groups g WHERE g.app_id = $1 AND g.group_id = $2`,
      [this.#app, groupId, [...new Set(seqs)]],
    )
    const r = rows[0]
    if (r === undefined) return undefined
    const counts = r.counts.map(([seq, read_count, audience]) =>
      toReceiptCounts({ seq, read_count, audience }),
    )
    return { group: toGroup(r), counts: new Map(counts.map((c) => [c.seq, c])) }
  }

  async members(
    groupId: GroupId,
    seq: number,
    q: { read: boolean; after: number; limit: number },
  ): Promise<ReceiptPage | undefined> {
    const found = await this.#db.query<MessageRow>(
      `SELECT gid, sender, member_bound, audience, read_count FROM group_messages
       WHERE app_id = $1 AND gid = ${GID} AND seq = $3 AND receipt AND NOT recalled`,
      [this.#app, groupId, seq],
    )
    const msg = found.rows[0]
    if (msg === undefined) return undefined
    const matches = q.read ? msg.read_count : msg.audience - msg.read_count
    const plan = detailPlan({ matches, audience: msg.audience, limit: q.limit })
    const rows =
      matches === 0 ? [] : plan === 'scan' ? await this.#scan(seq, msg, q) : await this.#stab(seq, msg, q)
    return toReceiptPage(rows, q.limit)
  }

  /**
   * The audience is the memberships numbered below member_bound (they joined before the send and
   * have not left), minus the sender. Each is checked against its one range that could hold seq;
   * the scan stops as soon as the page and one more member are found.
   */
  async #scan(seq: number, msg: MessageRow, q: PageQuery): Promise<MemberHit[]> {
    const { rows } = await this.#db.query<MemberHit>(
      `SELECT m.member_no AS no, m.user_id AS "user" FROM group_members m
       WHERE m.app_id = $1 AND m.gid = $2 AND m.member_no > $4 AND m.member_no < $5 AND m.user_id <> $6
         AND (coalesce((SELECT r.hi FROM group_read_ranges r
               WHERE r.app_id = $1 AND r.gid = m.gid AND r.member_no = m.member_no AND r.lo <= $3
               ORDER BY r.lo DESC LIMIT 1), 0) >= $3) = $7
       ORDER BY m.member_no LIMIT $8`,
      [this.#app, msg.gid, seq, q.after, msg.member_bound, msg.sender, q.read, q.limit + 1],
    )
    return rows
  }

  /**
   * Every membership whose read range (or unread stretch) contains seq, through the interval
   * nodes on seq's path (one index range scan per node, each returning only matches), then the
   * first of them in membership order.
   */
  async #stab(seq: number, msg: MessageRow, q: PageQuery): Promise<MemberHit[]> {
    const table = q.read ? 'group_read_ranges' : 'group_unread_gaps'
    const stabs = stabsOf(seq)
    const { rows } = await this.#db.query<MemberHit>(
      `WITH hits AS (
         SELECT r.member_no FROM unnest($3::bigint[]) AS n(node)
         JOIN ${table} r ON r.app_id = $1 AND r.gid = $2 AND r.node = n.node AND r.lo <= $5
         UNION ALL
         SELECT r.member_no FROM unnest($4::bigint[]) AS n(node)
         JOIN ${table} r ON r.app_id = $1 AND r.gid = $2 AND r.node = n.node AND r.hi >= $5)
       SELECT m.member_no AS no, m.user_id AS "user" FROM hits
       JOIN group_members m ON m.app_id = $1 AND m.gid = $2 AND m.member_no = hits.member_no
       WHERE hits.member_no > $6 AND hits.member_no < $7 AND m.user_id <> $8
       ORDER BY hits.member_no LIMIT $9`,
      [
        this.#app,
        msg.gid,
        stabs.filter((x) => x.byLo).map((x) => x.node),
        stabs.filter((x) => !x.byLo).map((x) => x.node),
        seq,
        q.after,
        msg.member_bound,
        msg.sender,
        q.limit + 1,
      ],
    )
    return rows
  }
}

interface MessageRow {
  gid: number
  sender: string
  member_bound: number
  audience: number
  read_count: number
}

interface PageQuery {
  read: boolean
  after: number
  limit: number
}

interface MemberHit {
  no: number
  user: UserId
}
