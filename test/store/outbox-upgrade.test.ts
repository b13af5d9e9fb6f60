/**
 * Upgrading a database written before migration 0006: the pending events already in the outbox get
 * their heads (the oldest pending of each key), so the dispatcher goes on where it was, in order.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'
import { expect, it } from 'vitest'
import { defaults } from '../../src/config/config.js'
import type { Migration } from '../../src/store/migrations.js'
import { readMigrations } from '../../src/store/migrations.js'
import { migratePostgres } from '../../src/store/postgres/pg-migrate.js'
import { PgStore } from '../../src/store/postgres/pg-store.js'
import { migrateSqlite, sqliteMigrations } from '../../src/store/sqlite/sqlite-migrate.js'
import { SQLITE_FILE, SqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import type { Store, StoreKind } from '../../src/store/store.js'
import { dropSchema, freshSchema, TEST_STORE, testDatabaseUrl } from '../helpers/stores.js'

const APP = 1400000000
const HEADS = 6
const before = (all: Migration[]) => all.filter((m) => m.version < HEADS)

/** Outbox rows as 0004 left them: key a has one delivered and two pending, key b one pending. */
const ROWS = `INSERT INTO outbox (app_id, command, ordering_key, body, created_ms, status) VALUES
  (${APP}, 'C2C.CallbackAfterMsgReport', 'a', '{"n":1}', 1, 'delivered'),
  (${APP}, 'C2C.CallbackAfterMsgReport', 'a', '{"n":2}', 2, 'pending'),
  (${APP}, 'C2C.CallbackAfterMsgReport', 'a', '{"n":3}', 3, 'pending'),
  (${APP}, 'C2C.CallbackAfterMsgReport', 'b', '{"n":4}', 4, 'pending')`

/** A store over a database written by the release before heads, with ROWS in its outbox. */
const upgraded: Record<StoreKind, () => Promise<{ store: Store; close: () => Promise<void> }>> = {
  sqlite: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'receiptd-upgrade-'))
    const db = new Database(join(dir, SQLITE_FILE))
    migrateSqlite(db, before(sqliteMigrations()))
    db.exec(ROWS)
    db.close()
    const store = new SqliteStore({ dataDir: dir, durability: 'default' })
    return {
      store,
      close: async () => {
        await store.close()
        rmSync(dir, { recursive: true, force: true })
      },
    }
  },
  postgres: async () => {
    const url = testDatabaseUrl()
    const schema = freshSchema()
    const pool = new pg.Pool({ connectionString: url, max: 1 })
    const client = await pool.connect()
    const dir = new URL('../../src/store/postgres/migrations/', import.meta.url)
    await migratePostgres(client, schema, before(readMigrations(dir)))
    await client.query(ROWS)
    client.release()
    await pool.end()
    const store = await PgStore.open({ ...defaults.store.postgres, url, schema, poolMax: 2 })
    return {
      store,
      close: async () => {
        await store.close()
        await dropSchema(url, schema)
      },
    }
  },
}

it(`gives the pending events of an older ${TEST_STORE} outbox their heads`, async () => {
  const { store, close } = await upgraded[TEST_STORE]()
  try {
    const claim = (nowMs: number) =>
      store.deliveryQueue.claim({ owner: 'x', nowMs, leaseMs: 10, limit: 10, wanted: () => true })
    const first = await claim(100)
    expect(first.map((e) => e.body)).toEqual(['{"n":2}', '{"n":4}'])
    const attempt = { startedMs: 1, httpStatus: 200, latencyMs: 1, error: undefined, answerCode: 0 }
    for (const e of first)
      await store.deliveryQueue.record('x', e, attempt, { status: 'delivered', nowMs: 101 })
    expect((await claim(102)).map((e) => e.body)).toEqual(['{"n":3}'])
  } finally {
    await close()
  }
})
