/**
 * Sets of message seqs as sorted, disjoint, non-adjacent closed ranges. Members read what is on
 * screen, in runs, so a member's group read state is a handful of ranges however many messages
 * they read (design.md "Read state at scale").
 */
export interface SeqRange {
  lo: number
  hi: number
}

/** Seqs (any order, repeats allowed) → ranges. */
export function toRanges(seqs: Iterable<number>): SeqRange[] {
  const sorted = [...new Set(seqs)].sort((a, b) => a - b)
  const out: SeqRange[] = []
  for (const s of sorted) {
    const last = out[out.length - 1]
    if (last !== undefined && last.hi + 1 === s) last.hi = s
    else out.push({ lo: s, hi: s })
  }
  return out
}

/** Normalises any list of ranges (overlapping, adjacent, unordered) to the canonical form. */
export function normalize(ranges: readonly SeqRange[]): SeqRange[] {
  const sorted = ranges.filter((r) => r.lo <= r.hi).sort((a, b) => a.lo - b.lo)
  const out: SeqRange[] = []
  for (const r of sorted) {
    const last = out[out.length - 1]
    if (last !== undefined && r.lo <= last.hi + 1) last.hi = Math.max(last.hi, r.hi)
    else out.push({ ...r })
  }
  return out
}

/** The part of `add` not covered by `have`; both canonical. */
export function subtract(add: readonly SeqRange[], have: readonly SeqRange[]): SeqRange[] {
  const out: SeqRange[] = []
  let j = 0
  for (const r of add) {
    let lo = r.lo
    while (j < have.length && have[j]!.hi < lo) j++
    let k = j
    while (lo <= r.hi) {
      const h = have[k]
      if (h === undefined || h.lo > r.hi) {
        out.push({ lo, hi: r.hi })
        break
      }
      if (h.lo > lo) out.push({ lo, hi: h.lo - 1 })
      lo = Math.max(lo, h.hi + 1)
      k++
    }
  }
  return out
}

/**
 * Adds `add` to `have`: `merged` replaces `have`, `added` lists exactly the seqs that were new
 * (each new seq must move a message's read count by one, no more).
 */
export function mergeRanges(
  have: readonly SeqRange[],
  add: readonly SeqRange[],
): { merged: SeqRange[]; added: SeqRange[] } {
  const a = normalize(add)
  return { merged: normalize([...have, ...a]), added: subtract(a, normalize(have)) }
}

/** Clips ranges to [lo, hi]. */
export function clip(ranges: readonly SeqRange[], lo: number, hi: number): SeqRange[] {
  return ranges.flatMap((r) => {
    const l = Math.max(r.lo, lo)
    const h = Math.min(r.hi, hi)
    return l <= h ? [{ lo: l, hi: h }] : []
  })
}

export const rangeSize = (ranges: readonly SeqRange[]): number =>
  ranges.reduce((n, r) => n + r.hi - r.lo + 1, 0)
