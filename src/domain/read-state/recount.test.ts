import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { recountGroup } from './recount.js'

/** The definition, member by member and message by message (decision 8). */
function naive(input: Parameters<typeof recountGroup>[0]) {
  const messages = new Map<number, { audience: number; readCount: number }>()
  for (const m of input.receiptMessages) {
    const audience = input.members.filter((x) => x.memberNo < m.memberBound && x.userId !== m.sender)
    const readCount = audience.filter((x) =>
      input.ranges.some((r) => r.memberNo === x.memberNo && r.lo <= m.seq && m.seq <= r.hi),
    ).length
    messages.set(m.seq, { audience: audience.length, readCount })
  }
  return { memberCount: input.members.length, messages }
}

describe('recountGroup', () => {
  it('counts the audience and readers of each receipt message as the definition does', () => {
    const state = fc
      .record({
        members: fc.uniqueArray(fc.integer({ min: 1, max: 30 }), { maxLength: 12 }),
        messages: fc.array(
          fc.record({ senderNo: fc.integer({ min: 1, max: 30 }), bound: fc.integer({ min: 1, max: 32 }) }),
          {
            maxLength: 10,
          },
        ),
        ranges: fc.array(
          fc.record({
            memberNo: fc.integer({ min: 1, max: 32 }),
            lo: fc.integer({ min: 1, max: 12 }),
            len: fc.nat(4),
          }),
          { maxLength: 25 },
        ),
      })
      .map(({ members, messages, ranges }) => {
        // Ranges of one member never overlap in the store: keep the first of any overlapping pair.
        const kept: { memberNo: number; lo: number; hi: number }[] = []
        for (const r of ranges) {
          const range = { memberNo: r.memberNo, lo: r.lo, hi: r.lo + r.len }
          if (!kept.some((k) => k.memberNo === range.memberNo && k.lo <= range.hi && range.lo <= k.hi))
            kept.push(range)
        }
        return {
          members: members.map((no) => ({ memberNo: no, userId: `u${no}` })),
          ranges: kept,
          receiptMessages: messages.map((m, i) => ({
            seq: i + 1,
            sender: `u${m.senderNo}`,
            memberBound: m.bound,
          })),
        }
      })
    fc.assert(
      fc.property(state, (input) => {
        expect(recountGroup(input)).toEqual(naive(input))
      }),
    )
  })
})
