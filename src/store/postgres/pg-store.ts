/**
 * The PostgreSQL store, for several receiptd instances sharing one database. Each transaction()
 * runs on a pooled connection between BEGIN and COMMIT; concerns keep counters with atomic
 * `x = x + d` updates and take row locks where a read decides a write, so concurrent instances
 * lose no update. A deadlock or serialization failure is retried a few times with the whole
 * function, which is why `fn` must do nothing but store calls.
 */
import pg from 'pg'
import {
  StoreUnavailableError,
  type OutboxBacklog,
  type ReadTx,
  type Store,
  type StoreDescription,
  type StoreObserver,
  type Tx,
  type TxShape,
} from '../store.js'
import { PgAccounts } from './pg-accounts.js'
import { PgC2C } from './pg-c2c.js'
import { PgGroupReceipts } from './pg-group-receipts.js'
import { PgGroups } from './pg-groups.js'
import { MigrationError } from '../migrations.js'
import { migratePostgres, quoteIdent } from './pg-migrate.js'
import { PgOutbox, type TxEffects } from './pg-outbox.js'
import { CommitSignal, PgDeliveryLog, PgDeliveryQueue } from './pg-deliveries.js'
import { CommitListeners } from '../commit-listeners.js'
import { SqlInspection, type Dialect, type SqlRunner } from '../sql-inspection.js'
import { SqlMaintenance } from '../sql-maintenance.js'
import { PgChangeWatch } from './pg-change-watch.js'

/** The query surface concerns use: a pooled client inside a transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    params?: unknown[],
  ): Promise<pg.QueryResult<R>>
}

export interface PgStoreOptions {
  url: string
  /**
   * Tables live in this schema (created when missing); lets tests and tenants share a database.
   * A plain identifier (`[A-Za-z_][A-Za-z0-9_]*`), checked by the config.
   */
  schema: string
  poolMax: number
  connectionTimeoutMs: number
  idleTimeoutMs: number
}

const RETRYABLE = new Set(['40001', '40P01'])
const MAX_ATTEMPTS = 5

/**
 * Counters, seqs and times are BIGINT columns; every value receiptd stores is a safe integer, so
 * int8 (and count(*)) come back as numbers rather than pg's default strings.
 */
const INT8_OID = 20
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
}

export class PgStore implements Store {
  readonly kind = 'postgres' as const
  readonly #pool: pg.Pool
  readonly #signal = new CommitSignal()
  readonly #commits = new CommitListeners()
  readonly #watch: PgChangeWatch
  readonly #options: PgStoreOptions
  #observer: StoreObserver | undefined
  readonly deliveryQueue: PgDeliveryQueue

  private constructor(pool: pg.Pool, options: PgStoreOptions) {
    this.#pool = pool
    this.#options = options
    this.deliveryQueue = new PgDeliveryQueue(pool, (fn) => this.#inTransaction(fn), this.#signal)
    this.#watch = new PgChangeWatch(pool, () => this.#commits.emit(undefined))
  }

  /** Connects, creates the schema and migrates; a clear `StoreUnavailableError` when it cannot. */
  static async open(options: PgStoreOptions): Promise<PgStore> {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolMax,
      connectionTimeoutMillis: options.connectionTimeoutMs,
      idleTimeoutMillis: options.idleTimeoutMs,
      // In the startup packet, so no pooled connection can ever run a query outside the schema.
      options: `-c search_path=${options.schema}`,
      types,
    })
    // Idle clients that lose their server emit here; without a listener the process would crash.
    pool.on('error', () => undefined)
    let client: pg.PoolClient
    try {
      client = await pool.connect()
    } catch (e) {
      await pool.end().catch(() => undefined)
      throw new StoreUnavailableError(`cannot connect to PostgreSQL: ${(e as Error).message}`)
    }
    try {
      await migratePostgres(client, options.schema)
    } catch (e) {
      client.release(true)
      await pool.end().catch(() => undefined)
      if (e instanceof MigrationError) throw e
      throw new StoreUnavailableError(
        `cannot prepare schema ${options.schema} in PostgreSQL: ${(e as Error).message}`,
      )
    }
    client.release()
    return new PgStore(pool, options)
  }

  async transaction<T>(sdkAppId: number, fn: (tx: Tx) => Promise<T>, shape?: TxShape): Promise<T> {
    let effects: TxEffects = { outboxChanged: false }
    const run = shape === 'one-statement' ? this.#oneStatement.bind(this) : this.#inTransaction.bind(this)
    const result = await run(async (client) => {
      effects = { outboxChanged: false }
      const outbox = new PgOutbox(client, sdkAppId, effects)
      const value = await fn({
        accounts: new PgAccounts(client, sdkAppId),
        c2c: new PgC2C(client, sdkAppId),
        groups: new PgGroups(client, sdkAppId),
        groupReceipts: new PgGroupReceipts(client, sdkAppId),
        outbox,
        deliveries: new PgDeliveryLog(client, sdkAppId, effects),
        inspection: new SqlInspection(pgRunner(client), sdkAppId, PG_DIALECT),
        maintenance: new SqlMaintenance(pgRunner(client), sdkAppId, PG_DIALECT),
      })
      await outbox.flush()
      return value
    })
    if (effects.outboxChanged) this.#signal.notify()
    if (this.#commits.active) this.#commits.emit(sdkAppId)
    return result
  }

  /**
   * This instance's commits are reported as they happen; other instances' are seen by a watch that
   * runs only while someone listens (`PgChangeWatch`).
   */
  onCommit(listener: (sdkAppId: number | undefined) => void): () => void {
    const off = this.#commits.subscribe(listener)
    const offDeliveries = this.#signal.subscribe(() => listener(undefined))
    this.#watch.retain()
    return () => {
      off()
      offDeliveries()
      this.#watch.release()
    }
  }

  /**
   * A read-only REPEATABLE READ transaction: one snapshot for every statement of `fn`, no row locks,
   * and never a serialization failure, so it needs no retry.
   */
  async read<T>(sdkAppId: number, fn: (tx: ReadTx) => Promise<T>, shape?: TxShape): Promise<T> {
    // One statement sees one snapshot by itself: no transaction block is needed around it.
    if (shape === 'one-statement') return this.#oneStatement((client) => fn(this.#readTx(client, sdkAppId)))
    const client = await this.#pool.connect()
    let broken = false
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
      const value = await fn(this.#readTx(client, sdkAppId))
      await client.query('COMMIT')
      return value
    } catch (e) {
      broken = await client.query('ROLLBACK').then(
        () => false,
        () => true,
      )
      throw e
    } finally {
      client.release(broken)
    }
  }

  #readTx(client: Queryable, sdkAppId: number): ReadTx {
    return {
      accounts: new PgAccounts(client, sdkAppId),
      c2c: new PgC2C(client, sdkAppId),
      groups: new PgGroups(client, sdkAppId),
      groupReceipts: new PgGroupReceipts(client, sdkAppId),
      deliveries: new PgDeliveryLog(client, sdkAppId, { outboxChanged: false }),
      inspection: new SqlInspection(pgRunner(client), sdkAppId, PG_DIALECT),
    }
  }

  /**
   * `fn`'s one statement alone on a pooled connection, in autocommit (TxShape 'one-statement'):
   * one round trip. A second statement would commit apart from the first, so it is refused before
   * it is sent. A failed statement changed nothing, so a deadlock is retried like a transaction.
   */
  async #oneStatement<T>(fn: (client: Queryable) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.#pool.connect()
      let sent = false
      const once: Queryable = {
        query: (text, params) => {
          if (sent) return Promise.reject(new Error('a one-statement transaction sent a second statement'))
          sent = true
          return client.query(text, params)
        },
      }
      let broken = false
      try {
        const began = performance.now()
        const result = await fn(once)
        this.#observer?.batch(1, (performance.now() - began) / 1000)
        return result
      } catch (e) {
        const code = (e as { code?: string }).code
        // An error without an SQLSTATE is the connection's, not the statement's.
        broken = code === undefined && sent
        if (code === undefined || !RETRYABLE.has(code) || attempt >= MAX_ATTEMPTS) throw e
      } finally {
        client.release(broken)
      }
    }
  }

  /** BEGIN … COMMIT around `fn` on a pooled connection, the whole of it retried on a deadlock. */
  async #inTransaction<T>(fn: (client: Queryable) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.#pool.connect()
      let broken = false
      try {
        const began = performance.now()
        await client.query('BEGIN')
        const result = await fn(client)
        await client.query('COMMIT')
        this.#observer?.batch(1, (performance.now() - began) / 1000)
        return result
      } catch (e) {
        // A connection that cannot even roll back is broken: it leaves the pool instead of returning.
        broken = await client.query('ROLLBACK').then(
          () => false,
          () => true,
        )
        const code = (e as { code?: string }).code
        if (code === undefined || !RETRYABLE.has(code) || attempt >= MAX_ATTEMPTS) throw e
      } finally {
        client.release(broken)
      }
    }
  }

  async resetApp(sdkAppId: number): Promise<void> {
    await this.#inTransaction(async (client) => {
      const { rows } = await client.query<{ table_name: string }>(
        `SELECT c.table_name FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
         WHERE c.table_schema = current_schema() AND c.column_name = 'app_id' AND t.table_type = 'BASE TABLE'
         ORDER BY c.table_name`,
      )
      for (const { table_name } of rows) {
        await client.query(`DELETE FROM ${quoteIdent(table_name)} WHERE app_id = $1`, [sdkAppId])
      }
    })
    if (this.#commits.active) this.#commits.emit(sdkAppId)
  }

  async describe(): Promise<StoreDescription> {
    const { rows } = await this.#pool.query<{ v: number }>('SELECT max(version) AS v FROM schema_migrations')
    const url = new URL(this.#options.url)
    return {
      kind: 'postgres',
      location: `${url.hostname || 'localhost'}:${url.port || 5432}${url.pathname}`,
      schema: this.#options.schema,
      migration: rows[0]!.v,
    }
  }

  async outboxBacklog(): Promise<OutboxBacklog[]> {
    const { rows } = await this.#pool.query<OutboxBacklog>(
      `SELECT app_id AS "sdkAppId", count(*) AS pending, min(created_ms) AS "oldestCreatedMs"
       FROM outbox WHERE status = 'pending' GROUP BY app_id`,
    )
    return rows
  }

  poolStats(): { total: number; idle: number; waiting: number } {
    return { total: this.#pool.totalCount, idle: this.#pool.idleCount, waiting: this.#pool.waitingCount }
  }

  observe(observer: StoreObserver): void {
    this.#observer = observer
  }

  async check(): Promise<void> {
    await this.#pool.query('SELECT 1')
  }

  async close(): Promise<void> {
    this.#watch.stop()
    await this.#pool.end()
  }
}

const PG_DIALECT: Dialect = {
  true: 'true',
  unread: 'counted AND NOT recalled',
  forUpdate: ' FOR UPDATE',
}

function pgRunner(db: Queryable): SqlRunner {
  return {
    all: async <R>(sql: string, params: readonly unknown[]) => (await db.query(sql, [...params])).rows as R[],
    run: async (sql: string, params: readonly unknown[]) => (await db.query(sql, [...params])).rowCount ?? 0,
  }
}
