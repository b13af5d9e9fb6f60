/**
 * PostgreSQL migrations: the same forward-only numbering as SQLite's, one set per engine, applied
 * under an advisory lock so several instances starting at once migrate exactly once.
 */
import type { ClientBase } from 'pg'
import { MigrationError, readMigrations, refuseNewer, type Migration } from '../migrations.js'

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url)
/** An arbitrary constant shared by every receiptd: with the schema, the key of the migration lock. */
const MIGRATION_LOCK = 733_811_900

export const quoteIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`

/** Instances on one schema wait for each other; those on other schemas (tests, tenants) do not. */
export async function migratePostgres(
  client: ClientBase,
  schema: string,
  migrations: readonly Migration[] = readMigrations(MIGRATIONS_DIR),
): Promise<number[]> {
  const lockKey = [MIGRATION_LOCK, schema]
  await client.query('SELECT pg_advisory_lock($1, hashtext($2))', lockKey)
  try {
    // Under the lock: two instances creating one schema at once would otherwise collide.
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`)
    await client.query(`SET search_path TO ${quoteIdent(schema)}`)
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`)
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations')
    const applied = new Set(rows.map((r) => r.version))
    refuseNewer(applied, migrations)
    const done: number[] = []
    for (const m of migrations) {
      if (applied.has(m.version)) continue
      await client.query('BEGIN')
      try {
        await client.query(m.sql)
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          Math.floor(Date.now() / 1000),
        ])
        await client.query('COMMIT')
      } catch (e) {
        await client.query('ROLLBACK')
        throw new MigrationError(`migration ${m.version} (${m.name}) failed: ${(e as Error).message}`)
      }
      done.push(m.version)
    }
    return done
  } finally {
    await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', lockKey)
  }
}
