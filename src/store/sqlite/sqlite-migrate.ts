/** SQLite migrations, each in its own transaction, recorded in `schema_migrations`. */
import type { Database } from 'better-sqlite3'
import { readMigrations, refuseNewer, type Migration } from '../migrations.js'

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url)

export function migrateSqlite(
  db: Database,
  migrations: readonly Migration[] = readMigrations(MIGRATIONS_DIR),
): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`)
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
      (r) => r.version,
    ),
  )
  refuseNewer(applied, migrations)
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

export const sqliteMigrations = (): Migration[] => readMigrations(MIGRATIONS_DIR)
