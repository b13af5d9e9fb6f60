import { describe, expect, it } from 'vitest'
import { nextCursor } from './list-page.js'

describe('nextCursor', () => {
  const from = { time: 0, index: 0 }
  it('answers the current time and 0 on the last page', () => {
    expect(nextCursor(from, [5, 6], false, 99)).toEqual({ time: 99, index: 0 })
    expect(nextCursor(from, [], false, 99)).toEqual({ time: 99, index: 0 })
  })
  it('counts the entries of the last time on the page', () => {
    expect(nextCursor(from, [5, 6, 6, 6], true, 99)).toEqual({ time: 6, index: 3 })
  })
  it('adds the entries of that time the request had already skipped', () => {
    expect(nextCursor({ time: 6, index: 4 }, [6, 6], true, 99)).toEqual({ time: 6, index: 6 })
    expect(nextCursor({ time: 6, index: 4 }, [6, 7], true, 99)).toEqual({ time: 7, index: 1 })
  })
})
