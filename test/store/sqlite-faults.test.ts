/**
 * The SQLite group commit under faults (issue 11 points 5 and 6): statements fail as a full disk
 * or a failing device makes them fail, at every position of a batch, including BEGIN, COMMIT and
 * the rollbacks. Every transaction settles, nothing rejected is stored, nothing resolved is lost
 * (checked by reopening the file), no promise rejects unhandled, and `check()` says why writes
 * fail while they do and recovers after.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { UserId } from '../../src/domain/accounts/user-id.js'
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import { faultySqlite, type Fault } from '../helpers/faulty-sqlite.js'
import { TEST_STORE } from '../helpers/stores.js'

const APP = 1400000000
const account = (s: string) => ({ userId: s as UserId, nick: undefined, faceUrl: undefined })

/** What a transaction of the load does; every one writes its own account `name`. */
type Shape = 'writes' | 'refuses-before-writing' | 'fails-after-writing' | 'reads'

function runShape(store: SqliteStore, name: string, shape: Shape): Promise<unknown> {
  if (shape === 'reads') return store.read(APP, (tx) => tx.accounts.count())
  return store.transaction(APP, async (tx) => {
    if (shape === 'refuses-before-writing') {
      await tx.accounts.existing([name as UserId])
      throw new Error('refused')
    }
    await tx.accounts.importAccounts([account(name)], 1)
    await tx.accounts.importAccounts([account(`${name}-second`)], 1)
    if (shape === 'fails-after-writing') throw new Error('failed after writing')
    return name
  })
}

/** Settles every promise or fails the test: a pending one is the bug this suite is about. */
async function settleAll(
  promises: Promise<unknown>[],
  ms = 10_000,
): Promise<PromiseSettledResult<unknown>[]> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`a transaction was still pending after ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([Promise.allSettled(promises), timeout])
  } finally {
    clearTimeout(timer)
  }
}

function observed<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined)
  return p
}

const FAULTS: Fault[] = [
  { code: 'SQLITE_IOERR_WRITE' },
  { code: 'SQLITE_FULL', rollsBack: true },
  { code: 'SQLITE_IOERR_FSYNC', rollsBack: true },
  { code: 'SQLITE_BUSY' },
  { code: 'SQLITE_CONSTRAINT_UNIQUE' },
]

describe.runIf(TEST_STORE === 'sqlite')('SQLite store under injected faults', () => {
  let unhandled: unknown[]
  const onUnhandled = (e: unknown) => unhandled.push(e)
  beforeEach(() => {
    unhandled = []
    process.on('unhandledRejection', onUnhandled)
  })
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled)
  })

  it('settles every transaction, stores exactly the resolved ones, and keeps working', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.constantFrom<Shape>(
            'writes',
            'writes',
            'refuses-before-writing',
            'fails-after-writing',
            'reads',
          ),
          {
            minLength: 1,
            maxLength: 60,
          },
        ),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 400 }), fc.constantFrom(...FAULTS)), { maxLength: 4 }),
        fc.integer({ min: 1, max: 3 }),
        async (shapes, faultAt, waves) => {
          const dir = mkdtempSync(join(tmpdir(), 'receiptd-faults-'))
          const sqlite = faultySqlite(() => undefined)
          const store = new SqliteStore({ dataDir: dir, durability: 'default', open: sqlite.open })
          const start = sqlite.count
          const faults = new Map(faultAt.map(([n, f]) => [start + n, f]))
          sqlite.plan = (n) => faults.get(n)
          const names: string[] = []
          const all: Promise<unknown>[] = []
          // Several waves, so faults meet batches at different positions and later batches run
          // after earlier ones failed.
          for (let w = 0; w < waves; w++) {
            shapes.forEach((shape, i) => {
              const name = `w${w}-${i}`
              names.push(name)
              // Handled from the start: only the store's own unhandled rejections count.
              all.push(observed(runShape(store, name, shape)))
            })
            await new Promise((r) => setImmediate(r))
          }
          const outcomes = await settleAll(all)
          sqlite.plan = () => undefined
          // Writes work again after the faults, and the store says so.
          await store.transaction(APP, (tx) => tx.accounts.importAccounts([account('after')], 1))
          await store.check()
          await store.close()

          const reopened = new SqliteStore({ dataDir: dir, durability: 'default' })
          const stored = await reopened.read(APP, (tx) => tx.accounts.existing(names.map((n) => n as UserId)))
          const shapeOf = (i: number) => shapes[i % shapes.length]!
          outcomes.forEach((o, i) => {
            const shape = shapeOf(i)
            if (shape === 'reads') return
            const expected = o.status === 'fulfilled' && shape === 'writes'
            expect({
              name: names[i],
              shape,
              status: o.status,
              stored: stored.has(names[i] as UserId),
            }).toEqual({
              name: names[i],
              shape,
              status: o.status,
              stored: expected,
            })
          })
          expect((await reopened.read(APP, (tx) => tx.accounts.existing(['after' as UserId]))).size).toBe(1)
          await reopened.close()
          expect(unhandled).toEqual([])
        },
      ),
      { numRuns: 60 },
    )
  })

  it('rejects the whole batch when a rollback to a savepoint fails, then recovers', async () => {
    const sqlite = faultySqlite(() => undefined)
    const store = new SqliteStore({ dataDir: undefined, durability: 'default', open: sqlite.open })
    // The first failure after writing undoes the batch, which runs again with a savepoint per job;
    // there the second one fails after writing too, and rolling back to its savepoint fails.
    let failures = 0
    sqlite.plan = (_n, sql) =>
      sql === 'ROLLBACK TO job' && ++failures === 1 ? { code: 'SQLITE_IOERR_WRITE' } : undefined
    const outcomes = await settleAll([
      runShape(store, 'a', 'writes'),
      runShape(store, 'b', 'fails-after-writing'),
      runShape(store, 'c', 'fails-after-writing'),
      runShape(store, 'd', 'writes'),
    ])
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected'])
    expect(String((outcomes[0] as PromiseRejectedResult).reason)).toMatch(/injected fault/)
    await expect(store.check()).resolves.toBeUndefined()
    await runShape(store, 'e', 'writes')
    const found = await store.read(APP, (tx) => tx.accounts.existing(['a', 'b', 'c', 'd', 'e'] as UserId[]))
    expect([...found]).toEqual(['e'])
    await store.close()
    expect(unhandled).toEqual([])
  })

  it('reports itself unhealthy with the reason while writes fail, and healthy once they commit', async () => {
    const sqlite = faultySqlite(() => undefined)
    const store = new SqliteStore({ dataDir: undefined, durability: 'default', open: sqlite.open })
    await store.check()
    sqlite.plan = (_n, sql) => (sql === 'COMMIT' ? { code: 'SQLITE_FULL', rollsBack: true } : undefined)
    await expect(runShape(store, 'a', 'writes')).rejects.toThrow(/injected fault/)
    await expect(store.check()).rejects.toThrow(/writes are failing: SQLITE_FULL/)
    // Reads still answer while writes fail.
    expect(await store.read(APP, (tx) => tx.accounts.count())).toBe(0)
    sqlite.plan = () => undefined
    await expect(store.check()).resolves.toBeUndefined()
    await expect(runShape(store, 'b', 'writes')).resolves.toBe('b')
    await store.close()
  })

  it('is not made unhealthy by a request of its own failing', async () => {
    const sqlite = faultySqlite(() => undefined)
    const store = new SqliteStore({ dataDir: undefined, durability: 'default', open: sqlite.open })
    sqlite.plan = (_n, sql) =>
      sql.includes('INSERT INTO accounts') ? { code: 'SQLITE_CONSTRAINT_CHECK' } : undefined
    await expect(runShape(store, 'a', 'writes')).rejects.toThrow(/injected fault/)
    sqlite.plan = () => undefined
    await expect(store.check()).resolves.toBeUndefined()
    await store.close()
  })
})
