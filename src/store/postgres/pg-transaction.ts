/**
 * Transactions on pooled PostgreSQL connections, and what is safe to run again. A write
 * transaction is retried whole on a deadlock or serialization failure, and once on a fresh
 * connection when its connection died before COMMIT was sent (the server rolled it back, so
 * running it again cannot apply it twice); a connection lost during COMMIT leaves the outcome
 * unknown, and that error reaches the caller. A read-only snapshot changes nothing, so one that
 * lost its connection is simply asked again. Dead and suspect connections are destroyed, never
 * pooled (`pg-connection.ts`).
 */
import type pg from 'pg'
import { checkout, isClientTimeout, isConnectionLoss, type Checkout } from './pg-connection.js'

/** The query surface concerns use: a pooled client inside a transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    params?: unknown[],
  ): Promise<pg.QueryResult<R>>
}

const RETRYABLE = new Set(['40001', '40P01'])
const MAX_ATTEMPTS = 5

/** BEGIN … COMMIT around `fn`; `committed` gets the seconds from BEGIN to the end of COMMIT. */
export async function runTransaction<T>(
  pool: pg.Pool,
  fn: (client: Queryable) => Promise<T>,
  committed: (seconds: number) => void,
): Promise<T> {
  let reconnected = false
  for (let attempt = 1; ; attempt++) {
    const c = await checkout(pool)
    let commitSent = false
    try {
      const began = performance.now()
      await c.client.query('BEGIN')
      const result = await fn(c.client)
      commitSent = true
      await c.client.query('COMMIT')
      c.release(false)
      committed((performance.now() - began) / 1000)
      return result
    } catch (e) {
      const dead = c.lost !== undefined || isConnectionLoss(e)
      // A connection that cannot even roll back is broken: it leaves the pool instead of returning.
      c.release(dead || isClientTimeout(e) || !(await rollback(c)))
      if (dead) {
        if (commitSent || reconnected) throw e
        reconnected = true
        continue
      }
      const code = (e as { code?: string }).code
      if (code === undefined || !RETRYABLE.has(code) || attempt >= MAX_ATTEMPTS) throw e
    }
  }
}

/**
 * A read-only REPEATABLE READ transaction: one snapshot for every statement of `fn`, no row locks,
 * and never a serialization failure.
 */
export async function runReadOnly<T>(pool: pg.Pool, fn: (client: Queryable) => Promise<T>): Promise<T> {
  for (let reconnected = false; ; reconnected = true) {
    const c = await checkout(pool)
    try {
      await c.client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
      const value = await fn(c.client)
      await c.client.query('COMMIT')
      c.release(false)
      return value
    } catch (e) {
      const dead = c.lost !== undefined || isConnectionLoss(e)
      c.release(dead || isClientTimeout(e) || !(await rollback(c)))
      if (dead && !reconnected) continue
      throw e
    }
  }
}

/**
 * `fn`'s one statement alone on a pooled connection, in autocommit (TxShape 'one-statement'): one
 * round trip, the statement being its own transaction. A second statement would commit apart from
 * the first, so it is refused before it is sent. A statement that failed with an SQLSTATE changed
 * nothing, so a deadlock or serialization failure is retried like a transaction. A connection
 * found dead before the statement went out is replaced once; one lost after it went out leaves a
 * write's outcome unknown (as a lost COMMIT does) and reaches the caller, while a read is simply
 * asked again. The pool's statement timeout bounds the statement; a client timeout destroys the
 * connection.
 */
export async function runOneStatement<T>(
  pool: pg.Pool,
  fn: (client: Queryable) => Promise<T>,
  committed: (seconds: number) => void,
  options: { readOnly: boolean },
): Promise<T> {
  let reconnected = false
  for (let attempt = 1; ; attempt++) {
    const c = await checkout(pool)
    let sent = false
    const once: Queryable = {
      query: (text, params) => {
        if (sent) return Promise.reject(new Error('a one-statement transaction sent a second statement'))
        if (c.lost !== undefined) return Promise.reject(c.lost)
        sent = true
        return c.client.query(text, params)
      },
    }
    try {
      const began = performance.now()
      const result = await fn(once)
      c.release(false)
      committed((performance.now() - began) / 1000)
      return result
    } catch (e) {
      const dead = c.lost !== undefined || isConnectionLoss(e)
      // Autocommit leaves no transaction open: only a dead or timed-out connection is destroyed.
      c.release(dead || isClientTimeout(e))
      if (dead) {
        if ((sent && !options.readOnly) || reconnected) throw e
        reconnected = true
        continue
      }
      const code = (e as { code?: string }).code
      if (code === undefined || !RETRYABLE.has(code) || attempt >= MAX_ATTEMPTS) throw e
    }
  }
}

/** ROLLBACK after a failure; false when the connection could not even do that. */
async function rollback(c: Checkout): Promise<boolean> {
  if (c.lost !== undefined) return false
  return c.client.query('ROLLBACK').then(
    () => true,
    () => false,
  )
}
