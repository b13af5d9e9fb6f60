/**
 * Migration files, shared by both engines: `migrations/NNNN_name.sql` beside each store, applied in
 * order, forward only. Each engine keeps its own set in its own dialect.
 */
import { readdirSync, readFileSync } from 'node:fs'

export interface Migration {
  version: number
  name: string
  sql: string
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'MigrationError'
  }
}

export function readMigrations(dir: URL): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({
      version: Number(f.slice(0, 4)),
      name: f.slice(5, -4),
      sql: readFileSync(new URL(f, dir), 'utf8'),
    }))
}

/** A database written by a newer receiptd is refused rather than guessed at. */
export function refuseNewer(applied: Iterable<number>, migrations: readonly Migration[]): void {
  const known = new Set(migrations.map((m) => m.version))
  const newer = [...applied].filter((v) => !known.has(v))
  if (newer.length > 0) {
    throw new MigrationError(
      `the database has migration ${Math.max(...newer)}, which this receiptd does not know: it was written by a newer version`,
    )
  }
}
