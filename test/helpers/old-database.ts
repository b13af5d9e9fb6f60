/**
 * A database of an older release: migrated only up to a chosen migration, with raw SQL (`?`
 * parameters on both engines) to write the rows that release would have written.
 */
import Database from 'better-sqlite3'
import pg from 'pg'
import { readMigrations, type Migration } from '../../src/store/migrations.js'
import { migratePostgres } from '../../src/store/postgres/pg-migrate.js'
import { migrateSqlite, sqliteMigrations } from '../../src/store/sqlite/sqlite-migrate.js'
import type { StoreKind } from '../../src/store/store.js'
import { dropSchema, freshSchema, testDatabaseUrl } from './stores.js'

export type Sql = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>

export interface OldDatabase {
  sql: Sql
  /** Applies the migrations that `keep` accepts. */
  migrate(keep: (m: Migration) => boolean): Promise<void>
  close(): Promise<void>
}

const opens: Record<StoreKind, () => Promise<OldDatabase>> = {
  sqlite: async () => {
    const db = new Database(':memory:')
    return {
      sql: async (text, params = []) => {
        const stmt = db.prepare(text)
        return stmt.reader ? (stmt.all(...params) as Record<string, unknown>[]) : (stmt.run(...params), [])
      },
      migrate: async (keep) => void migrateSqlite(db, sqliteMigrations().filter(keep)),
      close: async () => void db.close(),
    }
  },
  postgres: async () => {
    const url = testDatabaseUrl()
    const schema = freshSchema()
    const pool = new pg.Pool({ connectionString: url, max: 1, options: `-c search_path=${schema}` })
    const all = readMigrations(new URL('../../src/store/postgres/migrations/', import.meta.url))
    return {
      sql: async (text, params = []) => {
        let n = 0
        return (
          await pool.query(
            text.replace(/\?/g, () => `$${++n}`),
            params,
          )
        ).rows as Record<string, unknown>[]
      },
      migrate: async (keep) => {
        const client = await pool.connect()
        try {
          await migratePostgres(client, schema, all.filter(keep))
        } finally {
          client.release()
        }
      },
      close: async () => {
        await pool.end()
        await dropSchema(url, schema)
      },
    }
  },
}

export const openOldDatabase = (kind: StoreKind): Promise<OldDatabase> => opens[kind]()
