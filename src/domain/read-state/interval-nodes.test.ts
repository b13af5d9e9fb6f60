import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MAX_SEQ, nodeOf, stabsOf } from './interval-nodes.js'

const seq = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: MAX_SEQ }))
const interval = fc.tuple(seq, seq).map(([a, b]) => ({ lo: Math.min(a, b), hi: Math.max(a, b) }))

describe('interval nodes', () => {
  it('select exactly the intervals that contain a seq', () => {
    fc.assert(
      fc.property(fc.array(interval, { maxLength: 40 }), seq, (intervals, s) => {
        const stabs = new Map(stabsOf(s).map((x) => [x.node, x.byLo]))
        const found = intervals.filter((r) => {
          const byLo = stabs.get(nodeOf(r.lo, r.hi))
          return byLo !== undefined && (byLo ? r.lo <= s : r.hi >= s)
        })
        expect(found).toEqual(intervals.filter((r) => r.lo <= s && s <= r.hi))
      }),
      { numRuns: 2000 },
    )
  })

  it('file an interval under one node of 33 levels, up to "unread from here on"', () => {
    expect(nodeOf(5, 5)).toBe(5 * 64)
    expect(nodeOf(1, MAX_SEQ) % 64).toBe(32)
    expect(stabsOf(7)).toHaveLength(33)
  })
})
