import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { mergeRanges, normalize, rangeSize, toRanges, type SeqRange } from './seq-ranges.js'

const expand = (rs: readonly SeqRange[]) =>
  rs.flatMap((r) => Array.from({ length: r.hi - r.lo + 1 }, (_, i) => r.lo + i))
const rangeArb = fc
  .tuple(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 8 }))
  .map(([lo, n]) => ({ lo, hi: lo + n }))

describe('seq ranges', () => {
  it('toRanges joins runs', () => {
    expect(toRanges([5, 1, 2, 3, 7, 6, 2])).toEqual([
      { lo: 1, hi: 3 },
      { lo: 5, hi: 7 },
    ])
  })

  it('merge keeps the union and reports exactly the new seqs', () => {
    fc.assert(
      fc.property(fc.array(rangeArb), fc.array(rangeArb), (a, b) => {
        const have = normalize(a)
        const { merged, added } = mergeRanges(have, b)
        const before = new Set(expand(have))
        const union = new Set([...before, ...expand(b)])
        expect(expand(merged)).toEqual([...union].sort((x, y) => x - y))
        expect(expand(added)).toEqual([...union].filter((s) => !before.has(s)).sort((x, y) => x - y))
        expect(rangeSize(added)).toBe(union.size - before.size)
        for (let i = 1; i < merged.length; i++) expect(merged[i]!.lo).toBeGreaterThan(merged[i - 1]!.hi + 1)
      }),
    )
  })
})
