/**
 * The head of each ordering key on SQLite: the oldest pending event of an (app, key) carries
 * `head = 1`, and only heads are claimed (migration 0006). Writers run one at a time on the shared
 * connection, so reading "is anything of this key pending?" and writing the answer cannot be split
 * by another writer.
 */
import type { Statements } from './statements.js'

const OLDEST_PENDING = `(SELECT min(id) FROM outbox WHERE status = 'pending' AND app_id = @app AND ordering_key = @key)`

/** `head` for an event about to be written to `key`: 1 when nothing of the key is pending. */
export const HEAD_FOR_NEW = `NOT EXISTS (SELECT 1 FROM outbox WHERE status = 'pending' AND app_id = @app AND ordering_key = @key)`

/**
 * Moves the head of `key` to its oldest pending event, after an event of the key finished or
 * became pending again. Two index probes: the old head (`outbox_head_of_key`), the oldest pending
 * (`outbox_pending_by_key`).
 */
export function rehead(s: Statements, app: number, key: string): void {
  s.get(
    `UPDATE outbox SET head = 0
     WHERE status = 'pending' AND head = 1 AND app_id = @app AND ordering_key = @key AND id <> ${OLDEST_PENDING}`,
  ).run({ app, key })
  s.get(`UPDATE outbox SET head = 1 WHERE id = ${OLDEST_PENDING} AND head = 0`).run({ app, key })
}
