/**
 * What the store recorded, read directly for tests of things a client cannot see over the v4 API
 * (webhook events in the outbox, "nothing changed" after a refused request), on either store.
 */
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import type { TestServer } from './server.js'

export interface OutboxRow {
  id: number
  command: string
  ordering_key: string
  body: Record<string, unknown>
}

/** Outbox rows after `afterId`, in the order they were written. */
export async function outboxRows(server: TestServer, afterId = 0): Promise<OutboxRow[]> {
  const sql = 'SELECT id, command, ordering_key, body FROM outbox WHERE id > $1 ORDER BY id'
  const rows =
    server.receiptd.store.kind === 'sqlite'
      ? ((server.receiptd.store as SqliteStore).database.prepare(sql.replace('$1', '?')).all(afterId) as {
          id: number
          command: string
          ordering_key: string
          body: string
        }[])
      : await server.sql<{ id: number; command: string; ordering_key: string; body: string }>(sql, [afterId])
  return rows.map((r) => ({ ...r, body: JSON.parse(r.body) as Record<string, unknown> }))
}

/** Every row of every table, as text: equal before and after means nothing changed. */
/**
 * Delivery progress that the webhook dispatcher changes on its own, whatever a request did: left
 * out of snapshots, which compare what requests store.
 */
const DISPATCHER_TABLES = new Set(['webhook_attempts'])
const DISPATCHER_COLUMNS = new Set([
  'head',
  'status',
  'tries',
  'next_attempt_ms',
  'lease_owner',
  'lease_until_ms',
  'finished_ms',
])

function withoutDispatcherState(table: string, rows: unknown): unknown {
  if (table !== 'outbox' || !Array.isArray(rows)) return rows
  return rows.map((r: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(r).filter(([k]) => !DISPATCHER_COLUMNS.has(k))),
  )
}

export async function snapshot(server: TestServer): Promise<string> {
  if (server.receiptd.store.kind === 'sqlite') {
    const db = (server.receiptd.store as SqliteStore).database
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all() as { name: string }[]
    return tables
      .filter((t) => !DISPATCHER_TABLES.has(t.name))
      .map(
        (t) =>
          `${t.name}:${JSON.stringify(withoutDispatcherState(t.name, db.prepare(`SELECT * FROM "${t.name}"`).all()))}`,
      )
      .join('\n')
  }
  const tables = (
    await server.sql<{ name: string }>(
      'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1',
    )
  ).filter((t) => !DISPATCHER_TABLES.has(t.name))
  // One round trip; rows sorted by their text, as heap order is not an order.
  const [row] = await server.sql<Record<string, unknown>>(
    `SELECT ${tables
      .map((t) => `(SELECT coalesce(json_agg(x ORDER BY x::text), '[]') FROM "${t.name}" x) AS "${t.name}"`)
      .join(', ')}`,
  )
  return tables
    .map((t) => `${t.name}:${JSON.stringify(withoutDispatcherState(t.name, row![t.name]))}`)
    .join('\n')
}
