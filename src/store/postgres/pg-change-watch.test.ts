import type pg from 'pg'
import { expect, it } from 'vitest'
import { PgChangeWatch } from './pg-change-watch.js'

it('says it is watching only once it has a baseline, and reports a commit made right after', async () => {
  let next = 100
  let hold: Promise<void> | undefined = new Promise<void>((r) => setTimeout(r, 50))
  // The first answer is slow, as on a cold pool: a commit lands while it is on its way.
  const pool = {
    query: async () => {
      const slow = hold
      hold = undefined
      const seen = next
      await slow
      return { rows: [{ next: String(seen) }] }
    },
  } as unknown as pg.Pool
  let changes = 0
  let watchingAt: number | undefined
  const watch = new PgChangeWatch(pool, () => changes++, 5)
  watch.retain(() => (watchingAt = next))
  expect(watchingAt).toBeUndefined()
  await new Promise((r) => setTimeout(r, 20))
  expect(watchingAt).toBeUndefined()
  await new Promise((r) => setTimeout(r, 60))
  expect(watchingAt).toBe(100)
  next += 1
  for (let i = 0; i < 100 && changes === 0; i++) await new Promise((r) => setTimeout(r, 5))
  expect(changes).toBe(1)
  watch.stop()
})
