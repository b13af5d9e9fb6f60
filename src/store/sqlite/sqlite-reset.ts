/**
 * Store.resetApp on SQLite: every table with an `app_id` column, found from the schema so tables
 * added by later migrations are covered. Rows of tables without one hang off rows that have one
 * (`webhook_attempts` → `outbox`, ON DELETE CASCADE) and go with them.
 */
import type { Database } from 'better-sqlite3'

export function resetAppSqlite(db: Database, sdkAppId: number): void {
  const tables = db
    .prepare(
      `SELECT m.name FROM sqlite_master m WHERE m.type = 'table'
         AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) c WHERE c.name = 'app_id') ORDER BY m.name`,
    )
    .pluck()
    .all() as string[]
  for (const table of tables) db.prepare(`DELETE FROM "${table}" WHERE app_id = ?`).run(sdkAppId)
}
