/**
 * A normalised dump of every table one app has rows in, the same shape whichever engine wrote it,
 * so two stores given the same operations can be compared row for row (test/store/differential).
 *
 * What the engines may legitimately differ in is normalised away, and nothing else: flags (SQLite
 * 0/1, PostgreSQL booleans) become 0/1; `gid`, an internal number drawn from a sequence that
 * PostgreSQL also advances on a conflicting insert, becomes the group's GroupId; rows are sorted.
 * Every stored text is kept as stored, so a value written differently shows.
 */
import type Database from 'better-sqlite3'
import type pg from 'pg'

export type Row = Record<string, unknown>
export type Dump = Record<string, Row[]>

/** Tables only one engine has by design, or that hold no app's data. */
const ENGINE_TABLES = new Set(['schema_migrations', 'store_probe', 'webhook_attempts'])

export function sqliteTables(db: Database.Database): string[] {
  const rows = db
    .prepare(
      `SELECT m.name AS name FROM sqlite_master m JOIN pragma_table_info(m.name) c
       WHERE m.type = 'table' AND c.name = 'app_id' ORDER BY m.name`,
    )
    .all() as { name: string }[]
  return rows.map((r) => r.name).filter((t) => !ENGINE_TABLES.has(t))
}

export async function postgresTables(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ table_name: string }>(
    `SELECT c.table_name FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = current_schema() AND c.column_name = 'app_id' AND t.table_type = 'BASE TABLE'
     ORDER BY c.table_name`,
  )
  return rows.map((r) => r.table_name).filter((t) => !ENGINE_TABLES.has(t))
}

export function dumpSqlite(db: Database.Database, tables: readonly string[], app: number): Dump {
  const raw: Dump = {}
  for (const t of tables) raw[t] = db.prepare(`SELECT * FROM "${t}" WHERE app_id = ?`).all(app) as Row[]
  return normalise(raw)
}

/** One round trip: every table as a JSON array (BIGINT columns come back as JSON numbers). */
export async function dumpPostgres(client: pg.Client, tables: readonly string[], app: number): Promise<Dump> {
  const parts = tables.map(
    (t) => `'${t}', coalesce((SELECT json_agg(x) FROM "${t}" x WHERE x.app_id = $1), '[]'::json)`,
  )
  const { rows } = await client.query<{ d: Dump }>(`SELECT json_build_object(${parts.join(', ')}) AS d`, [
    app,
  ])
  return normalise(rows[0]!.d)
}

function normalise(raw: Dump): Dump {
  const groupIds = new Map<unknown, unknown>((raw.groups ?? []).map((g) => [g.gid, g.group_id]))
  const out: Dump = {}
  for (const [table, rows] of Object.entries(raw)) {
    out[table] = rows
      .map((r) => {
        const n: Row = {}
        for (const [k, v] of Object.entries(r)) {
          if (k === 'gid') n[k] = groupIds.get(v) ?? '(no such group)'
          else n[k] = typeof v === 'boolean' ? Number(v) : v
        }
        return n
      })
      .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))
  }
  return out
}
