/**
 * GroupReceiptStore on SQLite (spec §6.11–§6.13). A membership's reads are stored as seq ranges;
 * each receipt message's `read_count` moves by one for each seq a member newly reads, filtered
 * exactly as `audience` was counted (receipt message, not the member's own), so a leave can take
 * both back with range updates and ReadNum + UnreadNum = |audience| holds after every write.
 * Alongside the ranges each membership keeps its unread stretches (`group_unread_gaps`, from its
 * join on), both filed under interval-tree nodes, so detail pages can list the few members on
 * either side of a seq without walking the others (detail-plan.ts).
 */
import type { UserId } from '../../domain/accounts/user-id.js'
import type { GroupId } from '../../domain/groups/group-id.js'
import { detailPlan } from '../../domain/read-state/detail-plan.js'
import { nodeOf, stabsOf } from '../../domain/read-state/interval-nodes.js'
import { clip, mergeRanges, normalize, subtract, type SeqRange } from '../../domain/read-state/seq-ranges.js'
import type { GroupCounts, GroupReceiptStore, ReceiptCounts, ReceiptPage } from '../groups.js'
import { toGroup, toReceiptCounts, toReceiptPage } from '../rows/group-rows.js'
import { groupRow, memberRow } from './sqlite-group-rows.js'
import { chunks, placeholders, type Statements } from './statements.js'

export class SqliteGroupReceipts implements GroupReceiptStore {
  readonly #s: Statements
  readonly #app: number

  constructor(statements: Statements, sdkAppId: number) {
    this.#s = statements
    this.#app = sdkAppId
  }

  async acknowledge(
    groupId: GroupId,
    reader: UserId,
    seqs: readonly SeqRange[],
  ): Promise<ReceiptCounts[] | 'not-member'> {
    const g = groupRow(this.#s, this.#app, groupId)
    const m = g && memberRow(this.#s, this.#app, g.gid, reader)
    if (g === undefined || m === undefined) return 'not-member'
    // Only seqs this membership could see and that exist are kept (decision 10: others are ignored).
    const wanted = clip(normalize(seqs), m.join_seq + 1, g.last_seq)
    if (wanted.length === 0) return []
    const lo = wanted[0]!.lo
    const hi = wanted[wanted.length - 1]!.hi
    // The stored ranges that overlap or touch [lo, hi]: walk down from hi, stop below lo.
    const near: SeqRange[] = []
    for (const r of this.#s
      .get(
        `SELECT lo, hi FROM group_read_ranges WHERE app_id = ? AND gid = ? AND member_no = ? AND lo <= ?
         ORDER BY lo DESC`,
      )
      .iterate(this.#app, g.gid, m.member_no, hi + 1) as IterableIterator<SeqRange>) {
      if (r.hi < lo - 1) break
      near.push({ lo: r.lo, hi: r.hi })
    }
    const { merged, added } = mergeRanges(near, wanted)
    if (added.length === 0) return []
    const del = this.#s.get(
      'DELETE FROM group_read_ranges WHERE app_id = ? AND gid = ? AND member_no = ? AND lo = ?',
    )
    for (const r of near) del.run(this.#app, g.gid, m.member_no, r.lo)
    const ins = this.#s.get(
      'INSERT INTO group_read_ranges (app_id, gid, member_no, lo, hi, node) VALUES (?, ?, ?, ?, ?, ?)',
    )
    for (const r of merged) ins.run(this.#app, g.gid, m.member_no, r.lo, r.hi, nodeOf(r.lo, r.hi))
    this.#shrinkGaps(g.gid, m.member_no, wanted)
    const bump = this.#s.get(
      `UPDATE group_messages SET read_count = read_count + 1
       WHERE app_id = ? AND gid = ? AND seq BETWEEN ? AND ? AND receipt = 1 AND sender <> ?
       RETURNING seq, read_count, audience, recalled`,
    )
    const moved: ReceiptCounts[] = []
    for (const r of added) {
      const rows = bump.all(this.#app, g.gid, r.lo, r.hi, reader) as {
        seq: number
        read_count: number
        audience: number
        recalled: number
      }[]
      for (const x of rows) {
        if (x.recalled === 0) moved.push(toReceiptCounts(x))
      }
    }
    return moved.sort((a, b) => a.seq - b.seq)
  }

  async counts(groupId: GroupId, seqs: readonly number[]): Promise<GroupCounts | undefined> {
    const out = new Map<number, ReceiptCounts>()
    const g = groupRow(this.#s, this.#app, groupId)
    if (g === undefined) return undefined
    for (const part of chunks([...new Set(seqs)])) {
      const rows = this.#s
        .get(
          `SELECT seq, read_count, audience FROM group_messages
           WHERE app_id = ? AND gid = ? AND seq IN (${placeholders(part.length)}) AND receipt = 1 AND recalled = 0`,
        )
        .all(this.#app, g.gid, ...part) as { seq: number; read_count: number; audience: number }[]
      for (const r of rows) out.set(r.seq, toReceiptCounts(r))
    }
    return { group: toGroup(g), counts: out }
  }

  async members(
    groupId: GroupId,
    seq: number,
    q: { read: boolean; after: number; limit: number },
  ): Promise<ReceiptPage | undefined> {
    const g = groupRow(this.#s, this.#app, groupId)
    if (g === undefined) return undefined
    const msg = this.#s
      .get(
        `SELECT sender, member_bound, audience, read_count FROM group_messages
         WHERE app_id = ? AND gid = ? AND seq = ? AND receipt = 1 AND recalled = 0`,
      )
      .get(this.#app, g.gid, seq) as MessageRow | undefined
    if (msg === undefined) return undefined
    const matches = q.read ? msg.read_count : msg.audience - msg.read_count
    const plan = detailPlan({ matches, audience: msg.audience, limit: q.limit })
    const rows =
      matches === 0 ? [] : plan === 'scan' ? this.#scan(g.gid, seq, msg, q) : this.#stab(g.gid, seq, msg, q)
    return toReceiptPage(rows, q.limit)
  }

  /**
   * The audience is the memberships numbered below member_bound (they joined before the send and
   * have not left), minus the sender. Each is checked against its one range that could hold seq;
   * the scan stops as soon as the page and one more member are found.
   */
  #scan(gid: number, seq: number, msg: MessageRow, q: PageQuery): MemberHit[] {
    return this.#s
      .get(
        `SELECT m.member_no AS no, m.user_id AS user FROM group_members m
         WHERE m.app_id = ? AND m.gid = ? AND m.member_no > ? AND m.member_no < ? AND m.user_id <> ?
           AND (coalesce((SELECT r.hi FROM group_read_ranges r
                 WHERE r.app_id = m.app_id AND r.gid = m.gid AND r.member_no = m.member_no AND r.lo <= ?
                 ORDER BY r.lo DESC LIMIT 1), 0) >= ?) = ?
         ORDER BY m.member_no LIMIT ?`,
      )
      .all(
        this.#app,
        gid,
        q.after,
        msg.member_bound,
        msg.sender,
        seq,
        seq,
        q.read ? 1 : 0,
        q.limit + 1,
      ) as MemberHit[]
  }

  /**
   * Every membership whose read range (or unread stretch) contains seq, through the interval
   * nodes on seq's path: exactly the matches, in node order, then sorted. Only memberships of the
   * audience have either: a later one's stretches start after seq, and one that left has none.
   */
  #stab(gid: number, seq: number, msg: MessageRow, q: PageQuery): MemberHit[] {
    const table = q.read ? 'group_read_ranges' : 'group_unread_gaps'
    const where = `app_id = ? AND gid = ? AND node = ? AND member_no > ? AND member_no < ?`
    const byLo = this.#s.get(`SELECT member_no FROM ${table} WHERE ${where} AND lo <= ?`).pluck()
    const byHi = this.#s.get(`SELECT member_no FROM ${table} WHERE ${where} AND hi >= ?`).pluck()
    const found: number[] = []
    for (const st of stabsOf(seq)) {
      for (const no of (st.byLo ? byLo : byHi).all(this.#app, gid, st.node, q.after, msg.member_bound, seq))
        found.push(no as number)
    }
    // One more than the page, and one for the sender, who may be among them.
    const first = found.sort((a, b) => a - b).slice(0, q.limit + 2)
    return this.#s
      .get(
        `SELECT member_no AS no, user_id AS user FROM group_members
         WHERE app_id = ? AND gid = ? AND member_no IN (SELECT value FROM json_each(?)) AND user_id <> ?
         ORDER BY member_no LIMIT ?`,
      )
      .all(this.#app, gid, JSON.stringify(first), msg.sender, q.limit + 1) as MemberHit[]
  }

  /** The membership has now read `read`: its unread stretches lose those seqs. */
  #shrinkGaps(gid: number, memberNo: number, read: readonly SeqRange[]): void {
    const lo = read[0]!.lo
    const hi = read[read.length - 1]!.hi
    const gaps: SeqRange[] = []
    for (const r of this.#s
      .get(
        `SELECT lo, hi FROM group_unread_gaps WHERE app_id = ? AND gid = ? AND member_no = ? AND lo <= ?
         ORDER BY lo DESC`,
      )
      .iterate(this.#app, gid, memberNo, hi) as IterableIterator<SeqRange>) {
      if (r.hi < lo) break
      gaps.unshift({ lo: r.lo, hi: r.hi })
    }
    const del = this.#s.get(
      'DELETE FROM group_unread_gaps WHERE app_id = ? AND gid = ? AND member_no = ? AND lo = ?',
    )
    for (const r of gaps) del.run(this.#app, gid, memberNo, r.lo)
    const ins = this.#s.get(
      'INSERT INTO group_unread_gaps (app_id, gid, member_no, lo, hi, node) VALUES (?, ?, ?, ?, ?, ?)',
    )
    for (const r of subtract(gaps, read)) ins.run(this.#app, gid, memberNo, r.lo, r.hi, nodeOf(r.lo, r.hi))
  }
}

interface MessageRow {
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
