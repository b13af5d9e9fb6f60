/**
 * The group receipt counters recounted from first principles (design.md decision 8), to check the
 * counters the store keeps on every write: a receipt message's audience is the members who joined
 * before it was sent (membership number below its bound), minus its sender; its read count is the
 * members of that audience whose read ranges cover its seq. One sweep over the seqs with a Fenwick
 * tree over membership numbers: O((ranges + messages) log members), never messages × members.
 */

export interface RecountInput {
  members: readonly { memberNo: number; userId: string }[]
  ranges: readonly { memberNo: number; lo: number; hi: number }[]
  receiptMessages: readonly { seq: number; sender: string; memberBound: number }[]
}

export interface Recount {
  memberCount: number
  /** Per receipt message seq. */
  messages: Map<number, { audience: number; readCount: number }>
}

export function recountGroup(input: RecountInput): Recount {
  const nos = input.members.map((m) => m.memberNo).sort((a, b) => a - b)
  const index = new Map(nos.map((no, i) => [no, i]))
  const byUser = new Map(input.members.map((m) => [m.userId, m.memberNo]))
  /** How many members have a number below `bound`. */
  const below = (bound: number): number => lowerBound(nos, bound)

  // Ranges of members who left are not part of any audience (they are deleted with the member).
  const ranges = input.ranges.filter((r) => index.has(r.memberNo))
  const rangesOf = new Map<number, { lo: number; hi: number }[]>()
  for (const r of ranges) {
    const list = rangesOf.get(r.memberNo) ?? []
    list.push(r)
    rangesOf.set(r.memberNo, list)
  }
  const starts = [...ranges].sort((a, b) => a.lo - b.lo)
  const ends = [...ranges].sort((a, b) => a.hi - b.hi)
  const tree = new Fenwick(nos.length)
  const messages = new Map<number, { audience: number; readCount: number }>()
  let s = 0
  let e = 0
  for (const m of [...input.receiptMessages].sort((a, b) => a.seq - b.seq)) {
    while (s < starts.length && starts[s]!.lo <= m.seq) tree.add(index.get(starts[s++]!.memberNo)!, 1)
    while (e < ends.length && ends[e]!.hi < m.seq) tree.add(index.get(ends[e++]!.memberNo)!, -1)
    const inAudience = below(m.memberBound)
    let covering = tree.prefix(inAudience)
    const senderNo = byUser.get(m.sender)
    const senderCounts = senderNo !== undefined && senderNo < m.memberBound
    if (senderCounts && (rangesOf.get(senderNo) ?? []).some((r) => r.lo <= m.seq && m.seq <= r.hi)) covering--
    messages.set(m.seq, { audience: inAudience - (senderCounts ? 1 : 0), readCount: covering })
  }
  return { memberCount: input.members.length, messages }
}

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid]! < value) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Prefix sums over positions 0..n-1 with point updates, both O(log n). */
class Fenwick {
  readonly #t: Int32Array

  constructor(n: number) {
    this.#t = new Int32Array(n + 1)
  }

  add(i: number, d: number): void {
    for (let x = i + 1; x < this.#t.length; x += x & -x) this.#t[x]! += d
  }

  /** Sum over positions [0, n). */
  prefix(n: number): number {
    let sum = 0
    for (let x = n; x > 0; x -= x & -x) sum += this.#t[x]!
    return sum
  }
}
