/**
 * The PostgreSQL store, for several receiptd instances sharing one database. Each transaction()
 * runs on a pooled connection between BEGIN and COMMIT, or as its one statement alone (TxShape
 * 'one-statement', under the same connection rules); concerns keep counters with atomic
 * `x = x + d` updates and take a lock first where a read decides a write, so concurrent instances
 * lose no update and break no limit. A transaction may run more than once (`pg-transaction.ts`),
 * which is why `fn` must do nothing but store calls. No database fault ends the process: every
 * connection listens for errors, and every statement, open transaction and wait for a connection
 * is bounded by the configured timeouts.
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
import { SqlLogins } from '../sql-logins.js'
import { SqlMessageEdits } from '../sql-message-edits.js'
import { SqlProfiles } from '../sql-profiles.js'
import { SqlRecent } from '../sql-recent.js'
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
import { runOneStatement, runReadOnly, runTransaction, type Queryable } from './pg-transaction.js'

export type { Queryable }

export interface PgStoreOptions {
  url: string
  /**
   * Tables live in this schema (created when missing); lets tests and tenants share a database.
   * A plain identifier (`[A-Za-z_][A-Za-z0-9_]*`), checked by the config.
   */
  schema: string
  poolMax: number
  /** Longest wait for a pooled connection, new or busy, before the call fails. */
  acquireTimeoutMs: number
  /**
   * Server-side bound of one statement and of a transaction left idle; the client gives up on a
   * server that does not answer at all (frozen) shortly after it.
   */
  statementTimeoutMs: number
  idleTimeoutMs: number
}

/**
 * How much longer than the server's statement timeout the client waits for an answer before it
 * drops the connection: the server's own cancel (57014) normally comes first.
 */
const CLIENT_TIMEOUT_MARGIN_MS = 500
/** /healthz must say 503 within 2 s of the database going away, whatever the timeouts. */
const CHECK_TIMEOUT_MS = 1500

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
      connectionTimeoutMillis: options.acquireTimeoutMs,
      idleTimeoutMillis: options.idleTimeoutMs,
      // Sent in the startup packet of every connection: no statement and no open transaction can
      // hold a connection (and its locks) longer than this.
      statement_timeout: options.statementTimeoutMs,
      idle_in_transaction_session_timeout: options.statementTimeoutMs,
      query_timeout: options.statementTimeoutMs + CLIENT_TIMEOUT_MARGIN_MS,
      // In the startup packet, so no pooled connection can ever run a query outside the schema.
      options: `-c search_path=${options.schema}`,
      types,
    })
    // Idle clients that lose their server emit here; without a listener the process would crash.
    pool.on('error', () => undefined)
    // Migrations run on a connection of their own, without the request timeouts: a migration may
    // take long on a large table, and so may waiting for another instance's.
    const migrator = new pg.Client({
      connectionString: options.url,
      connectionTimeoutMillis: options.acquireTimeoutMs,
      types,
    })
    migrator.on('error', () => undefined)
    try {
      await migrator.connect()
    } catch (e) {
      await pool.end().catch(() => undefined)
      throw new StoreUnavailableError(`cannot connect to PostgreSQL: ${(e as Error).message}`)
    }
    try {
      await migratePostgres(migrator, options.schema)
    } catch (e) {
      await pool.end().catch(() => undefined)
      if (e instanceof MigrationError) throw e
      throw new StoreUnavailableError(
        `cannot prepare schema ${options.schema} in PostgreSQL: ${(e as Error).message}`,
      )
    } finally {
      await migrator.end().catch(() => undefined)
    }
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
        recent: new SqlRecent(pgRunner(client), sdkAppId, PG_DIALECT),
        logins: new SqlLogins(pgRunner(client), sdkAppId),
        profiles: new SqlProfiles(pgRunner(client), sdkAppId),
        edits: new SqlMessageEdits(pgRunner(client), sdkAppId, PG_DIALECT),
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
  onCommit(listener: (sdkAppId: number | undefined) => void, watching?: () => void): () => void {
    const off = this.#commits.subscribe(listener)
    const offDeliveries = this.#signal.subscribe(() => listener(undefined))
    this.#watch.retain(watching)
    return () => {
      off()
      offDeliveries()
      this.#watch.release()
    }
  }

  /**
   * A read-only REPEATABLE READ transaction: one snapshot for every statement of `fn`, no row locks,
   * and never a serialization failure; with TxShape 'one-statement', the statement alone.
   */
  read<T>(sdkAppId: number, fn: (tx: ReadTx) => Promise<T>, shape?: TxShape): Promise<T> {
    const tx = (client: Queryable) => fn(this.#readTx(client, sdkAppId))
    // One statement sees one snapshot by itself: no transaction block is needed around it.
    if (shape === 'one-statement') return runOneStatement(this.#pool, tx, () => undefined, { readOnly: true })
    return runReadOnly(this.#pool, tx)
  }

  #readTx(client: Queryable, sdkAppId: number): ReadTx {
    return {
      accounts: new PgAccounts(client, sdkAppId),
      c2c: new PgC2C(client, sdkAppId),
      groups: new PgGroups(client, sdkAppId),
      groupReceipts: new PgGroupReceipts(client, sdkAppId),
      recent: new SqlRecent(pgRunner(client), sdkAppId, PG_DIALECT),
      logins: new SqlLogins(pgRunner(client), sdkAppId),
      profiles: new SqlProfiles(pgRunner(client), sdkAppId),
      deliveries: new PgDeliveryLog(client, sdkAppId, { outboxChanged: false }),
      inspection: new SqlInspection(pgRunner(client), sdkAppId, PG_DIALECT),
    }
  }

  /** `fn`'s one statement in autocommit, guarded as `runOneStatement` says; observed as a commit. */
  #oneStatement<T>(fn: (client: Queryable) => Promise<T>): Promise<T> {
    return runOneStatement(this.#pool, fn, (seconds) => this.#observer?.batch(1, seconds), {
      readOnly: false,
    })
  }

  /** BEGIN … COMMIT around `fn`, retried as `runTransaction` says; every commit is observed. */
  #inTransaction<T>(fn: (client: Queryable) => Promise<T>): Promise<T> {
    return runTransaction(this.#pool, fn, (seconds) => this.#observer?.batch(1, seconds))
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

  /**
   * `SELECT 1` within CHECK_TIMEOUT_MS: a frozen server, or a pool whose every connection waits on
   * one, answers nothing, and /healthz must still say so quickly.
   */
  async check(): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`PostgreSQL did not answer within ${CHECK_TIMEOUT_MS} ms`)),
        CHECK_TIMEOUT_MS,
      )
    })
    try {
      await Promise.race([this.#pool.query('SELECT 1'), late])
    } finally {
      clearTimeout(timer)
    }
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
