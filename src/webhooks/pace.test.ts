import { afterEach, describe, expect, it } from 'vitest'
import { Pace } from './pace.js'
import { backoffMs } from './worker.js'

let pace: Pace | undefined
afterEach(() => pace?.stop())

const sampled = () => new Promise((r) => setTimeout(r, 60))

describe('Pace', () => {
  it('lets every delivery start while the API leaves room', async () => {
    pace = new Pace({ floorPerSecond: 1, busy: 2, sampleMs: 20 })
    await sampled()
    expect(pace.take(64)).toBe(64)
    expect(pace.waitMs).toBe(0)
  })

  it('holds deliveries down, not below the floor, while the API is busy', async () => {
    pace = new Pace({ floorPerSecond: 100, busy: -1, sampleMs: 20 })
    expect(pace.take(1000)).toBe(1000)
    await sampled()
    const allowed = pace.take(1000)
    expect(allowed).toBeGreaterThanOrEqual(1)
    expect(allowed).toBeLessThan(1000)
    expect(pace.take(1000)).toBe(0)
    expect(pace.waitMs).toBeGreaterThan(0)
    expect(pace.waitMs).toBeLessThanOrEqual(10)
  })
})

describe('backoffMs', () => {
  it('doubles from retryBackoffMs and stops at ten minutes', () => {
    const cb = { retryBackoffMs: 1000 }
    expect([1, 2, 3, 4].map((n) => backoffMs(cb, n))).toEqual([1000, 2000, 4000, 8000])
    expect(backoffMs(cb, 40)).toBe(600_000)
  })
})
