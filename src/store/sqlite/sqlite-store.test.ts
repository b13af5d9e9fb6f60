import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import type { UserId } from '../../domain/accounts/user-id.js'
import type { GroupId } from '../../domain/groups/group-id.js'
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

  it('0014 keeps every group CloudCustomData written before it as the same string, in JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'receiptd-mig-'))
    const db = new Database(join(dir, SQLITE_FILE))
    migrateSqlite(
      db,
      sqliteMigrations().filter((m) => m.version < 14),
    )
    db.prepare(
      `INSERT INTO groups (app_id, group_id, type, name, owner_id, max_members, created_time, last_seq)
       VALUES (?, 'g', 'Public', 'g', NULL, 0, 1, 4)`,
    ).run(APP)
    const insert = db.prepare(
      `INSERT INTO group_messages (app_id, gid, seq, sender, random, time, body, body_hash, cloud_custom_data,
         priority, online_only, receipt, member_bound, audience)
       VALUES (?, 1, ?, 'a', 1, 1, '[]', 'h', ?, 'Normal', 0, 0, 1, 0)`,
    )
    const old = [undefined, '', 'abc', '{"k":"v"}']
    old.forEach((v, i) => insert.run(APP, i + 1, v ?? null))
    db.close()
    const store = new SqliteStore({ dataDir: dir, durability: 'default' })
    const seen = await store.read(APP, async (tx) =>
      Promise.all(old.map((_, i) => tx.inspection.groupMessage('g' as GroupId, i + 1))),
    )
    expect(seen.map((m) => m?.cloudCustomData)).toEqual(old)
    await store.close()
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
