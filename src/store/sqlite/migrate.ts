/**
 * Versioned, forward-only migrations: `migrations/NNNN_name.sql`, applied in order, each in its own
 * transaction, recorded in `schema_migrations`. A database written by a newer receiptd is refused
 * rather than guessed at.
 */
import { readdirSync, readFileSync } from 'node:fs'
import type { Database } from 'better-sqlite3'

export interface Migration {
  version: number
  name: string
  sql: string
}

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url)

export function readMigrations(dir: URL = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({
      version: Number(f.slice(0, 4)),
      name: f.slice(5, -4),
      sql: readFileSync(new URL(f, dir), 'utf8'),
    }))
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'MigrationError'
  }
}

export function migrate(db: Database, migrations: readonly Migration[] = readMigrations()): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`)
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
      (r) => r.version,
    ),
  )
  const known = new Set(migrations.map((m) => m.version))
  const newer = [...applied].filter((v) => !known.has(v))
  if (newer.length > 0) {
    throw new MigrationError(
      `the database has migration ${Math.max(...newer)}, which this receiptd does not know: it was written by a newer version`,
    )
  }
  const done: number[] = []
  for (const m of migrations) {
    if (applied.has(m.version)) continue
    db.transaction(() => {
      db.exec(m.sql)
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        Math.floor(Date.now() / 1000),
      )
    })()
    done.push(m.version)
  }
  return done
}
