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
export async function snapshot(server: TestServer): Promise<string> {
  if (server.receiptd.store.kind === 'sqlite') {
    const db = (server.receiptd.store as SqliteStore).database
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all() as { name: string }[]
    return tables
      .map((t) => `${t.name}:${JSON.stringify(db.prepare(`SELECT * FROM "${t.name}"`).all())}`)
      .join('\n')
  }
  const tables = await server.sql<{ name: string }>(
    'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1',
  )
  // One round trip; rows sorted by their text, as heap order is not an order.
  const [row] = await server.sql<Record<string, unknown>>(
    `SELECT ${tables
      .map((t) => `(SELECT coalesce(json_agg(x ORDER BY x::text), '[]') FROM "${t.name}" x) AS "${t.name}"`)
      .join(', ')}`,
  )
  return tables.map((t) => `${t.name}:${JSON.stringify(row![t.name])}`).join('\n')
}
