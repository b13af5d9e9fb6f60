/**
 * GroupReceiptStore on SQLite (spec §6.11–§6.13). A membership's reads are stored as seq ranges;
 * each receipt message's `read_count` moves by one for each seq a member newly reads, filtered
 * exactly as `audience` was counted (receipt message, not the member's own), so a leave can take
 * both back with range updates and ReadNum + UnreadNum = |audience| holds after every write.
 */
import type { UserId } from '../../domain/accounts/user-id.js'
import type { GroupId } from '../../domain/groups/group-id.js'
import { clip, mergeRanges, normalize, type SeqRange } from '../../domain/read-state/seq-ranges.js'
import type { GroupReceiptStore, ReceiptCounts, ReceiptPage } from '../groups.js'
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
      'INSERT INTO group_read_ranges (app_id, gid, member_no, lo, hi) VALUES (?, ?, ?, ?, ?)',
    )
    for (const r of merged) ins.run(this.#app, g.gid, m.member_no, r.lo, r.hi)
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
        if (x.recalled === 0)
          moved.push({ seq: x.seq, read: x.read_count, unread: x.audience - x.read_count })
      }
    }
    return moved.sort((a, b) => a.seq - b.seq)
  }

  async counts(groupId: GroupId, seqs: readonly number[]): Promise<Map<number, ReceiptCounts>> {
    const out = new Map<number, ReceiptCounts>()
    const g = groupRow(this.#s, this.#app, groupId)
    if (g === undefined) return out
    for (const part of chunks([...new Set(seqs)])) {
      const rows = this.#s
        .get(
          `SELECT seq, read_count, audience FROM group_messages
           WHERE app_id = ? AND gid = ? AND seq IN (${placeholders(part.length)}) AND receipt = 1 AND recalled = 0`,
        )
        .all(this.#app, g.gid, ...part) as { seq: number; read_count: number; audience: number }[]
      for (const r of rows)
        out.set(r.seq, { seq: r.seq, read: r.read_count, unread: r.audience - r.read_count })
    }
    return out
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
        `SELECT sender, member_bound FROM group_messages
         WHERE app_id = ? AND gid = ? AND seq = ? AND receipt = 1 AND recalled = 0`,
      )
      .get(this.#app, g.gid, seq) as { sender: string; member_bound: number } | undefined
    if (msg === undefined) return undefined
    // The audience is the memberships numbered below member_bound (they joined before the send and
    // have not left), minus the sender. Each is checked against its one range that could hold seq;
    // the scan stops as soon as the page and one more member are found.
    const rows = this.#s
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
        g.gid,
        q.after,
        msg.member_bound,
        msg.sender,
        seq,
        seq,
        q.read ? 1 : 0,
        q.limit + 1,
      ) as {
      no: number
      user: UserId
    }[]
    const page = rows.slice(0, q.limit)
    return {
      members: page.map((r) => r.user),
      next: rows.length > q.limit ? page[page.length - 1]!.no : undefined,
    }
  }
}
