/**
 * The head of each ordering key on PostgreSQL: the oldest pending event of an (app, key) carries
 * `head = true`, and only heads are claimed (migration 0006). Several transactions may write one
 * key at once, so everything that decides a head does it under the key's transaction-scoped
 * advisory lock, taken in a statement of its own: under READ COMMITTED the statements after it see
 * every transaction that held the lock before. The unique index `outbox_head_of_key` refuses a
 * second head should anything ever skip the lock.
 */
import type { Queryable } from './pg-store.js'

/**
 * Takes the advisory locks of `keys` of `app` until the transaction ends. Sorted, so two
 * transactions that lock the same keys take them in the same order and never wait on each other
 * in a cycle. The schema is part of the lock key: deployments (and tests) sharing a database do
 * not wait on each other's keys.
 */
export async function lockKeys(db: Queryable, app: number, keys: readonly string[]): Promise<void> {
  const sorted = [...new Set(keys)].sort()
  await db.query(
    `SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || '/' || $1 || '/' || k.key, 0))
     FROM unnest($2::text[]) WITH ORDINALITY AS k(key, n) ORDER BY k.n`,
    [String(app), sorted],
  )
}

const OLDEST_PENDING = `(SELECT min(id) FROM outbox WHERE status = 'pending' AND app_id = $1 AND ordering_key = $2)`

/**
 * Marks the oldest pending event of `key` its head, after the key's head finished (delivered,
 * failed or skipped); the caller holds the key's lock. One index probe, however long the key.
 */
export async function promoteOldest(db: Queryable, app: number, key: string): Promise<void> {
  await db.query(`UPDATE outbox SET head = true WHERE id = ${OLDEST_PENDING} AND NOT head`, [app, key])
}

/**
 * Moves the head of `key` to its oldest pending event, wherever it was: after a finished event of
 * the key became pending again, perhaps older than the head. Two statements, the old head cleared
 * before the new one is marked, so the unique index never sees two.
 */
export async function rehead(db: Queryable, app: number, key: string): Promise<void> {
  await db.query(
    `UPDATE outbox SET head = false
     WHERE status = 'pending' AND head AND app_id = $1 AND ordering_key = $2 AND id <> ${OLDEST_PENDING}`,
    [app, key],
  )
  await promoteOldest(db, app, key)
}
