import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import type { UserId } from '../../domain/accounts/user-id.js'
import { MigrationError } from '../migrations.js'
import { migrateSqlite, sqliteMigrations } from './sqlite-migrate.js'
import { SQLITE_FILE, SqliteStore } from './sqlite-store.js'

const APP = 1400000000
const id = (s: string) => s as UserId
const account = (s: string) => ({ userId: id(s), nick: undefined, faceUrl: undefined })

describe('SqliteStore', () => {
  it('commits the transactions of one turn together and rolls back a failing one alone', async () => {
    const store = new SqliteStore({ dataDir: undefined, durability: 'default' })
    const results = await Promise.allSettled([
      store.transaction(APP, (tx) => tx.accounts.importAccounts([account('a')], 1)),
      store.transaction(APP, async (tx) => {
        await tx.accounts.importAccounts([account('b')], 1)
        throw new Error('boom')
      }),
      store.transaction(APP, (tx) => tx.accounts.importAccounts([account('c')], 1)),
    ])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    const found = await store.transaction(APP, (tx) => tx.accounts.existing([id('a'), id('b'), id('c')]))
    expect([...found].sort()).toEqual(['a', 'c'])
    await store.close()
  })

  it('keeps apps apart', async () => {
    const store = new SqliteStore({ dataDir: undefined, durability: 'default' })
    await store.transaction(APP, (tx) => tx.accounts.importAccounts([account('a')], 1))
    expect((await store.transaction(APP + 1, (tx) => tx.accounts.existing([id('a')]))).size).toBe(0)
    await store.close()
  })

  it('keeps what was committed across a reopen, and commits pending work on close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'receiptd-store-'))
    const first = new SqliteStore({ dataDir: dir, durability: 'strict' })
    const pending = first.transaction(APP, (tx) => tx.accounts.importAccounts([account('kept')], 1))
    await first.close()
    await pending
    const second = new SqliteStore({ dataDir: dir, durability: 'default' })
    expect((await second.transaction(APP, (tx) => tx.accounts.existing([id('kept')]))).size).toBe(1)
    await second.close()
  })

  it('refuses transactions after close', async () => {
    const store = new SqliteStore({ dataDir: undefined, durability: 'default' })
    await store.close()
    await expect(store.transaction(APP, (tx) => tx.accounts.count())).rejects.toThrow(/closed/)
  })

  it('splits a long queue into several batches', async () => {
    const store = new SqliteStore({ dataDir: undefined, durability: 'default', maxBatch: 10 })
    const all = Array.from({ length: 95 }, (_, i) =>
      store.transaction(APP, (tx) => tx.accounts.importAccounts([account(`u${i}`)], 1)),
    )
    await Promise.all(all)
    expect(await store.transaction(APP, (tx) => tx.accounts.count())).toBe(95)
    await store.close()
  })
})

describe('migrations', () => {
  it('apply once, in order, and are recorded', () => {
    const db = new Database(':memory:')
    const all = sqliteMigrations()
    expect(migrateSqlite(db)).toEqual(all.map((m) => m.version))
    expect(migrateSqlite(db)).toEqual([])
    db.close()
  })

  it('refuse a database written by a newer receiptd', () => {
    const dir = mkdtempSync(join(tmpdir(), 'receiptd-mig-'))
    const db = new Database(join(dir, SQLITE_FILE))
    migrateSqlite(db)
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, ?, 0)').run('future')
    db.close()
    expect(() => new SqliteStore({ dataDir: dir, durability: 'default' })).toThrow(MigrationError)
  })
})
