/**
 * The embedded store: one better-sqlite3 connection in WAL mode with group commit (sqlite-batch.ts):
 * the transactions asked for during one turn of the event loop share one SQLite transaction and
 * resolve only after its COMMIT. `default` durability survives a killed process (WAL,
 * synchronous=NORMAL), `strict` survives power loss (synchronous=FULL, one fsync per batch).
 */
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import type { Durability } from '../../config/config.js'
import type { OutboxBacklog, ReadTx, Store, StoreDescription, StoreObserver, Tx } from '../store.js'
import { GroupCommit } from './sqlite-batch.js'
import { WriteHealth } from './sqlite-health.js'
import { migrateSqlite } from './sqlite-migrate.js'
import { SqliteAccounts } from './sqlite-accounts.js'
import { SqliteC2C } from './sqlite-c2c.js'
import { SqlLogins } from '../sql-logins.js'
import { SqlMessageEdits } from '../sql-message-edits.js'
import { SqlProfiles } from '../sql-profiles.js'
import { SqlRecent } from '../sql-recent.js'
import { SqliteGroupReceipts } from './sqlite-group-receipts.js'
import { SqliteGroups } from './sqlite-groups.js'
import { OutboxSignal, SqliteDeliveryLog, SqliteDeliveryQueue } from './sqlite-deliveries.js'
import { SqliteOutbox } from './sqlite-outbox.js'
import { Statements } from './statements.js'
import { CommitListeners } from '../commit-listeners.js'
import { SqlInspection, type Dialect, type SqlRunner } from '../sql-inspection.js'
import { SqlMaintenance } from '../sql-maintenance.js'
import { lockDataFolder, openDatabase, SQLITE_FILE, type DataFolderLock } from './sqlite-open.js'

export { SQLITE_FILE } from './sqlite-open.js'

export interface SqliteStoreOptions {
  /** A folder for `receiptd.sqlite`, or undefined for an in-memory database. */
  dataDir: string | undefined
  durability: Durability
  /** Most transactions in one batch; a longer queue is committed in several. */
  maxBatch?: number
  /** Opens the connection; tests wrap it to inject faults. */
  open?: (path: string) => Database.Database
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const
  readonly #db: Database.Database
  readonly #lock: DataFolderLock | undefined
  readonly #statements: Statements
  readonly #signal = new OutboxSignal()
  readonly #health = new WriteHealth()
  readonly #batch: GroupCommit
  readonly #commits = new CommitListeners()
  readonly #runner: SqlRunner
  readonly deliveryQueue: SqliteDeliveryQueue
  readonly #path: string
  #observer: StoreObserver | undefined
  #closed = false

  constructor(options: SqliteStoreOptions) {
    let path = ':memory:'
    if (options.dataDir !== undefined) {
      this.#lock = lockDataFolder(options.dataDir)
      path = join(options.dataDir, SQLITE_FILE)
    }
    this.#path = path
    try {
      this.#db = openDatabase(
        path,
        (db) => {
          db.pragma('journal_mode = WAL')
          db.pragma(`synchronous = ${options.durability === 'strict' ? 'FULL' : 'NORMAL'}`)
          db.pragma('foreign_keys = ON')
          db.pragma('busy_timeout = 5000')
          db.pragma('cache_size = -65536')
          db.pragma('temp_store = MEMORY')
          migrateSqlite(db)
        },
        options.open,
      )
    } catch (e) {
      this.#lock?.release()
      throw e
    }
    this.#statements = new Statements(this.#db)
    this.#batch = new GroupCommit(this.#db, {
      maxBatch: options.maxBatch ?? 2000,
      health: this.#health,
      onCommit: (jobs, seconds, apps) => {
        this.#observer?.batch(jobs, seconds)
        this.#signal.flush()
        for (const app of apps) this.#commits.emit(app)
      },
    })
    this.deliveryQueue = new SqliteDeliveryQueue(this.#statements, (work) => this.#submit(work), this.#signal)
    this.#runner = sqliteRunner(this.#statements)
  }

  transaction<T>(sdkAppId: number, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.#submit(() => fn(this.#txFor(sdkAppId)), sdkAppId)
  }

  onCommit(listener: (sdkAppId: number | undefined) => void, watching?: () => void): () => void {
    const off = this.#commits.subscribe(listener)
    watching?.()
    // Deliveries change outside any app's transaction: the dispatcher's signal covers them.
    const offDeliveries = this.#signal.subscribe(() => listener(undefined))
    return () => {
      off()
      offDeliveries()
    }
  }

  /**
   * Reads run on the write connection in the read phase of the next batch (`GroupCommit.read`): the
   * reads of one turn share one read transaction, which sees exactly what has committed, since the
   * write phase of a batch starts only after it. A read never waits for a write transaction to
   * commit other than the one the turn before may still have open.
   */
  read<T>(sdkAppId: number, fn: (tx: ReadTx) => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('the store is closed'))
    return this.#batch.read(() => fn(this.#txFor(sdkAppId)))
  }

  /** Queues `work` for the next batch; it resolves after the batch commits. */
  #submit<T>(work: () => T | Promise<T>, app?: number): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('the store is closed'))
    return this.#batch.submit(work, app)
  }

  resetApp(sdkAppId: number): Promise<void> {
    return this.#submit(() => {
      const tables = this.#db
        .prepare(
          `SELECT m.name AS name FROM sqlite_master m JOIN pragma_table_info(m.name) c
           WHERE m.type = 'table' AND c.name = 'app_id' ORDER BY m.name`,
        )
        .all() as { name: string }[]
      for (const { name } of tables) {
        this.#db.prepare(`DELETE FROM "${name.replace(/"/g, '""')}" WHERE app_id = ?`).run(sdkAppId)
      }
    }, sdkAppId)
  }

  async describe(): Promise<StoreDescription> {
    const row = this.#db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number }
    return { kind: 'sqlite', location: this.#path, schema: undefined, migration: row.v }
  }

  async outboxBacklog(): Promise<OutboxBacklog[]> {
    const rows = this.#db
      .prepare(
        `SELECT app_id AS sdkAppId, count(*) AS pending, min(created_ms) AS oldestCreatedMs
         FROM outbox WHERE status = 'pending' GROUP BY app_id`,
      )
      .all() as OutboxBacklog[]
    return rows
  }

  observe(observer: StoreObserver): void {
    this.#observer = observer
  }

  /**
   * Rejects with the reason while writes fail for a reason of the store (disk full, I/O error):
   * then each check tries a small write of its own, so the store reports healthy again as soon as
   * writes commit, with or without other traffic.
   */
  async check(): Promise<void> {
    if (this.#closed) throw new Error('the store is closed')
    if (this.#health.failure === undefined) {
      this.#statements.get('SELECT 1').get()
      return
    }
    try {
      await this.#submit(() =>
        this.#statements
          .get(
            `INSERT INTO store_probe (id, written_ms) VALUES (1, ?)
             ON CONFLICT (id) DO UPDATE SET written_ms = excluded.written_ms`,
          )
          .run(Date.now()),
      )
    } catch {
      // The batch has recorded why the probe failed; the answer below gives that reason.
    }
    const failure = this.#health.failure
    if (failure !== undefined) throw new Error(`writes are failing: ${failure}`)
  }

  async close(): Promise<void> {
    this.#closed = true
    await this.#batch.drain()
    this.#db.close()
    this.#lock?.release()
  }

  /** Direct access for tests and tools that inspect the database; not for handlers. */
  get database(): Database.Database {
    return this.#db
  }

  #txFor(sdkAppId: number): Tx {
    return {
      accounts: new SqliteAccounts(this.#statements, sdkAppId),
      c2c: new SqliteC2C(this.#statements, sdkAppId),
      groups: new SqliteGroups(this.#statements, sdkAppId),
      groupReceipts: new SqliteGroupReceipts(this.#statements, sdkAppId),
      recent: new SqlRecent(this.#runner, sdkAppId, SQLITE_DIALECT),
      logins: new SqlLogins(this.#runner, sdkAppId),
      profiles: new SqlProfiles(this.#runner, sdkAppId),
      edits: new SqlMessageEdits(this.#runner, sdkAppId, SQLITE_DIALECT),
      outbox: new SqliteOutbox(this.#statements, sdkAppId, this.#signal),
      deliveries: new SqliteDeliveryLog(this.#statements, sdkAppId, this.#signal),
      inspection: new SqlInspection(this.#runner, sdkAppId, SQLITE_DIALECT),
      maintenance: new SqlMaintenance(this.#runner, sdkAppId, SQLITE_DIALECT),
    }
  }
}

const SQLITE_DIALECT: Dialect = {
  true: '1',
  unread: 'counted = 1 AND recalled = 0',
  forUpdate: '',
}

/** `$n` parameters as better-sqlite3 named ones (`@pn`), so one SQL text serves both engines. */
function sqliteRunner(statements: Statements): SqlRunner {
  const texts = new Map<string, string>()
  const prepare = (sql: string) => {
    let text = texts.get(sql)
    if (text === undefined) {
      text = sql.replace(/\$(\d+)/g, '@p$1')
      texts.set(sql, text)
    }
    return statements.get(text)
  }
  const bind = (params: readonly unknown[]) => Object.fromEntries(params.map((v, i) => [`p${i + 1}`, v]))
  return {
    all: async <R>(sql: string, params: readonly unknown[]) => prepare(sql).all(bind(params)) as R[],
    run: async (sql: string, params: readonly unknown[]) => prepare(sql).run(bind(params)).changes,
  }
}
