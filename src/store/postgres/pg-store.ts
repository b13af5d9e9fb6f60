/**
 * The PostgreSQL store, for several receiptd instances sharing one database. Each transaction()
 * runs on a pooled connection between BEGIN and COMMIT; concerns keep counters with atomic
 * `x = x + d` updates and take row locks where a read decides a write, so concurrent instances
 * lose no update. A deadlock or serialization failure is retried a few times with the whole
 * function, which is why `fn` must do nothing but store calls.
 */
import pg from 'pg'
import type { Store, Tx } from '../store.js'
import { PgAccounts } from './pg-accounts.js'
import { migratePostgres } from './pg-migrate.js'
import { PgOutbox } from './pg-outbox.js'

/** The query surface concerns use: a pooled client inside a transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    params?: unknown[],
  ): Promise<pg.QueryResult<R>>
}

export interface PgStoreOptions {
  url: string
  /** Tables live in this schema (created when missing); lets tests and tenants share a database. */
  schema: string
  poolMax: number
  connectionTimeoutMs: number
  idleTimeoutMs: number
}

export class StoreUnavailableError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'StoreUnavailableError'
  }
}

const RETRYABLE = new Set(['40001', '40P01'])
const MAX_ATTEMPTS = 5

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`

export class PgStore implements Store {
  readonly kind = 'postgres' as const
  readonly #pool: pg.Pool

  private constructor(pool: pg.Pool) {
    this.#pool = pool
  }

  /** Connects, creates the schema and migrates; a clear `StoreUnavailableError` when it cannot. */
  static async open(options: PgStoreOptions): Promise<PgStore> {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolMax,
      connectionTimeoutMillis: options.connectionTimeoutMs,
      idleTimeoutMillis: options.idleTimeoutMs,
    })
    // Idle clients that lose their server emit here; without a listener the process would crash.
    pool.on('error', () => undefined)
    pool.on('connect', (client) => {
      client.query(`SET search_path TO ${quoteIdent(options.schema)}`).catch(() => undefined)
    })
    let client: pg.PoolClient
    try {
      client = await pool.connect()
    } catch (e) {
      await pool.end().catch(() => undefined)
      throw new StoreUnavailableError(`cannot connect to PostgreSQL: ${(e as Error).message}`)
    }
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(options.schema)}`)
      await client.query(`SET search_path TO ${quoteIdent(options.schema)}`)
      await migratePostgres(client)
    } catch (e) {
      client.release()
      await pool.end().catch(() => undefined)
      throw e
    }
    client.release()
    return new PgStore(pool)
  }

  async transaction<T>(sdkAppId: number, fn: (tx: Tx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.#pool.connect()
      try {
        await client.query('BEGIN')
        const result = await fn(this.#txFor(client, sdkAppId))
        await client.query('COMMIT')
        return result
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined)
        const code = (e as { code?: string }).code
        if (code === undefined || !RETRYABLE.has(code) || attempt >= MAX_ATTEMPTS) throw e
      } finally {
        client.release()
      }
    }
  }

  #txFor(client: Queryable, sdkAppId: number): Tx {
    return {
      accounts: new PgAccounts(client, sdkAppId),
      outbox: new PgOutbox(client, sdkAppId),
    }
  }

  async check(): Promise<void> {
    await this.#pool.query('SELECT 1')
  }

  async close(): Promise<void> {
    await this.#pool.end()
  }
}
