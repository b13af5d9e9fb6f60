/**
 * The embedded store: one better-sqlite3 connection in WAL mode with group commit.
 *
 * Every `transaction()` asked for during one turn of the event loop joins one SQLite transaction;
 * each runs inside its own SAVEPOINT, so a failing one rolls back alone, and all of them resolve
 * only after the shared COMMIT. A transaction per request would throw most of the machine away
 * (design.md "The write path": 21k vs 55k requests/s), and answering after COMMIT keeps the
 * durability promise: `default` survives a killed process (WAL, synchronous=NORMAL), `strict`
 * survives power loss (synchronous=FULL, one fsync per batch).
 */
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import type { Durability } from '../../config/config.js'
import type { OutboxBacklog, ReadTx, Store, StoreDescription, StoreObserver, Tx } from '../store.js'
import { migrateSqlite } from './sqlite-migrate.js'
import { SqliteAccounts } from './sqlite-accounts.js'
import { SqliteC2C } from './sqlite-c2c.js'
import { SqliteGroupReceipts } from './sqlite-group-receipts.js'
import { SqliteGroups } from './sqlite-groups.js'
import { OutboxSignal, SqliteDeliveryLog, SqliteDeliveryQueue } from './sqlite-deliveries.js'
import { SqliteOutbox } from './sqlite-outbox.js'
import { Statements } from './statements.js'
import { lockDataFolder, openDatabase, SQLITE_FILE, type DataFolderLock } from './sqlite-open.js'

export { SQLITE_FILE } from './sqlite-open.js'

export interface SqliteStoreOptions {
  /** A folder for `receiptd.sqlite`, or undefined for an in-memory database. */
  dataDir: string | undefined
  durability: Durability
  /** Most transactions in one batch; a longer queue is committed in several. */
  maxBatch?: number
}

interface Job {
  work: () => unknown
  resolve: (value: unknown) => void
  reject: (reason: unknown) => void
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const
  readonly #db: Database.Database
  readonly #lock: DataFolderLock | undefined
  readonly #statements: Statements
  readonly #maxBatch: number
  readonly #signal = new OutboxSignal()
  readonly deliveryQueue: SqliteDeliveryQueue
  readonly #path: string
  #observer: StoreObserver | undefined
  #queue: Job[] = []
  #scheduled = false
  #running: Promise<void> | undefined
  #closed = false

  constructor(options: SqliteStoreOptions) {
    let path = ':memory:'
    if (options.dataDir !== undefined) {
      this.#lock = lockDataFolder(options.dataDir)
      path = join(options.dataDir, SQLITE_FILE)
    }
    this.#path = path
    try {
      this.#db = openDatabase(path, (db) => {
        db.pragma('journal_mode = WAL')
        db.pragma(`synchronous = ${options.durability === 'strict' ? 'FULL' : 'NORMAL'}`)
        db.pragma('foreign_keys = ON')
        db.pragma('busy_timeout = 5000')
        db.pragma('cache_size = -65536')
        db.pragma('temp_store = MEMORY')
        migrateSqlite(db)
      })
    } catch (e) {
      this.#lock?.release()
      throw e
    }
    this.#statements = new Statements(this.#db)
    this.#maxBatch = options.maxBatch ?? 2000
    this.deliveryQueue = new SqliteDeliveryQueue(this.#statements, (work) => this.#submit(work), this.#signal)
  }

  transaction<T>(sdkAppId: number, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.#submit(() => fn(this.#txFor(sdkAppId)))
  }

  /**
   * Reads run on the write connection between batches, not on a connection of their own: a batch
   * runs to its COMMIT within one turn of the event loop (its jobs await only synchronous store
   * calls), so outside a batch the connection holds no transaction and sees exactly what has
   * committed, and no batch can start while `fn` runs. Only if a batch is still open (a job awaited
   * something else) does the read wait for its end rather than see uncommitted rows.
   */
  read<T>(sdkAppId: number, fn: (tx: ReadTx) => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('the store is closed'))
    if (!this.#db.inTransaction) return fn(this.#txFor(sdkAppId))
    const batchEnd = this.#running ?? new Promise<void>((resolve) => setImmediate(resolve))
    return batchEnd.then(() => this.read(sdkAppId, fn))
  }

  /** Queues `work` for the next batch; it resolves after the batch commits. */
  #submit<T>(work: () => T | Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('the store is closed'))
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (v: unknown) => void, reject })
      this.#schedule()
    })
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
    })
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

  async check(): Promise<void> {
    this.#db.prepare('SELECT 1').get()
  }

  async close(): Promise<void> {
    this.#closed = true
    while (this.#running !== undefined || this.#queue.length > 0) {
      await (this.#running ?? this.#flush())
    }
    this.#db.close()
    this.#lock?.release()
  }

  /** Direct access for tests and tools that inspect the database; not for handlers. */
  get database(): Database.Database {
    return this.#db
  }

  #schedule(): void {
    if (this.#scheduled || this.#running !== undefined) return
    this.#scheduled = true
    // setImmediate runs after the poll phase, so every request parsed in this turn joins the batch.
    setImmediate(() => {
      this.#scheduled = false
      this.#running = this.#flush().finally(() => {
        this.#running = undefined
        if (this.#queue.length > 0) this.#schedule()
      })
    })
  }

  #txFor(sdkAppId: number): Tx {
    return {
      accounts: new SqliteAccounts(this.#statements, sdkAppId),
      c2c: new SqliteC2C(this.#statements, sdkAppId),
      groups: new SqliteGroups(this.#statements, sdkAppId),
      groupReceipts: new SqliteGroupReceipts(this.#statements, sdkAppId),
      outbox: new SqliteOutbox(this.#statements, sdkAppId, this.#signal),
      deliveries: new SqliteDeliveryLog(this.#statements, sdkAppId, this.#signal),
    }
  }

  async #flush(): Promise<void> {
    const jobs = this.#queue.splice(0, this.#maxBatch)
    if (jobs.length === 0) return
    const outcomes: { ok: boolean; value: unknown }[] = []
    const db = this.#db
    const began = performance.now()
    try {
      db.exec('BEGIN IMMEDIATE')
    } catch (e) {
      for (const job of jobs) job.reject(e)
      return
    }
    for (const job of jobs) {
      db.exec('SAVEPOINT job')
      try {
        const value = await job.work()
        db.exec('RELEASE job')
        outcomes.push({ ok: true, value })
      } catch (e) {
        db.exec('ROLLBACK TO job')
        db.exec('RELEASE job')
        outcomes.push({ ok: false, value: e })
      }
    }
    try {
      db.exec('COMMIT')
    } catch (e) {
      if (db.inTransaction) db.exec('ROLLBACK')
      for (const job of jobs) job.reject(e)
      return
    }
    this.#observer?.batch(jobs.length, (performance.now() - began) / 1000)
    jobs.forEach((job, i) => {
      const o = outcomes[i]!
      if (o.ok) job.resolve(o.value)
      else job.reject(o.value)
    })
    this.#signal.flush()
  }
}
