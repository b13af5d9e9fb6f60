/**
 * The `Store`: everything receiptd keeps, behind one interface in domain words, so handlers never
 * know whether SQLite or PostgreSQL answers. All work happens in `transaction(sdkAppId, fn)`: the
 * state change and the webhook events it causes commit together or not at all (transactional
 * outbox, design.md "Architecture"). A command that only reads uses `read(sdkAppId, fn)` instead: a
 * consistent snapshot that neither takes the write lock nor waits for a batch (design.md "Reads and
 * writes").
 */
import type { AccountReads, AccountStore } from './accounts.js'
import type { C2CReads, C2CStore } from './c2c.js'
import type { GroupReads, GroupReceiptReads, GroupReceiptStore, GroupStore } from './groups.js'
import type { DeliveryLog, DeliveryLogReads, DeliveryQueue } from './deliveries.js'
import type { InspectionReads, MaintenanceStore } from './inspection.js'
import type { OutboxStore } from './outbox.js'
import type { LoginReads, LoginStore } from './logins.js'
import type { MessageEditStore } from './message-edits.js'
import type { ProfileReads, ProfileStore } from './profiles.js'
import type { RecentReads, RecentStore } from './recent.js'

/** The database cannot be reached or prepared; the CLI exits with code 3. */
export class StoreUnavailableError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'StoreUnavailableError'
  }
}

export type StoreKind = 'sqlite' | 'postgres'

/**
 * What a caller promises about a transaction's `fn`. `'one-statement'`: `fn` makes exactly one
 * store call, one documented as a single statement, and enqueues no event. An engine may then run
 * it without a transaction block: PostgreSQL sends the statement alone, in autocommit, one round
 * trip instead of BEGIN, statement, COMMIT. A statement is atomic on its own, so the answer is the
 * same; SQLite, whose batch costs nothing per statement, ignores the promise.
 */
export type TxShape = 'one-statement'

/** Told about every commit, for the metrics. */
export interface StoreObserver {
  /** `size` transactions committed together in `commitSeconds` (BEGIN to the end of COMMIT). */
  batch(size: number, commitSeconds: number): void
}

/** Webhook events still waiting in one app's outbox. */
export interface OutboxBacklog {
  sdkAppId: number
  pending: number
  oldestCreatedMs: number
}

/** What the start-up line says about the store. */
export interface StoreDescription {
  kind: StoreKind
  /** The database file, `:memory:`, or `host:port/database` (never a password). */
  location: string
  /** PostgreSQL's schema; undefined on SQLite. */
  schema: string | undefined
  /** The newest migration applied. */
  migration: number
}

/** One app's view of the store inside a transaction; one member per concern. */
export interface Tx {
  readonly accounts: AccountStore
  readonly c2c: C2CStore
  readonly groups: GroupStore
  readonly groupReceipts: GroupReceiptStore
  readonly recent: RecentStore
  readonly logins: LoginStore
  readonly profiles: ProfileStore
  readonly edits: MessageEditStore
  readonly outbox: OutboxStore
  readonly deliveries: DeliveryLog
  readonly inspection: InspectionReads
  readonly maintenance: MaintenanceStore
}

/** One app's read-only view of the store: the reading half of each concern of `Tx`. */
export interface ReadTx {
  readonly accounts: AccountReads
  readonly c2c: C2CReads
  readonly groups: GroupReads
  readonly groupReceipts: GroupReceiptReads
  readonly recent: RecentReads
  readonly logins: LoginReads
  readonly profiles: ProfileReads
  readonly deliveries: DeliveryLogReads
  readonly inspection: InspectionReads
}

export interface Store {
  readonly kind: StoreKind
  /**
   * Runs `fn` in a transaction scoped to one app and resolves once it has committed. `fn` may await
   * only the store's own calls: a transaction never waits on the network (before-send webhooks run
   * before it). An exception from `fn` rolls back everything `fn` did and rejects with it.
   */
  transaction<T>(sdkAppId: number, fn: (tx: Tx) => Promise<T>, shape?: TxShape): Promise<T>
  /**
   * Runs `fn` on a consistent snapshot of one app's data without joining the write queue. It sees
   * every transaction that resolved before `read` was called. Like `transaction`, `fn` may await
   * only the store's own calls.
   */
  read<T>(sdkAppId: number, fn: (tx: ReadTx) => Promise<T>, shape?: TxShape): Promise<T>
  /**
   * The webhook dispatcher's queue. It spans every app, so it is the one member not scoped by
   * `transaction`; each of its calls is a transaction of its own.
   */
  readonly deliveryQueue: DeliveryQueue
  /**
   * Deletes everything one app has: every row of every table with an `app_id` column, found from
   * the schema (so tables added later are covered; tables without the column must reach an app's
   * rows by a foreign key with ON DELETE CASCADE), in one transaction.
   */
  resetApp(sdkAppId: number): Promise<void>
  describe(): Promise<StoreDescription>
  /**
   * Calls `listener` after a commit that may have changed an app's data, with that app, or with
   * undefined when a change was seen without knowing the app (another instance's commit). Returns
   * the unsubscriber. `watching` is called once every commit from then on will be reported (at
   * once on SQLite; on PostgreSQL when the watch on other instances has its baseline). Used to push
   * live updates; never on the write path when nobody listens.
   */
  onCommit(listener: (sdkAppId: number | undefined) => void, watching?: () => void): () => void
  /** Pending outbox events per app that has any. */
  outboxBacklog(): Promise<OutboxBacklog[]>
  /** Connections of a pooled engine (PostgreSQL). */
  poolStats?(): { total: number; idle: number; waiting: number }
  /** Receives every commit from now on. */
  observe(observer: StoreObserver): void
  /** Throws when the database cannot answer; used by /healthz. */
  check(): Promise<void>
  /** Commits what is pending and closes the database. */
  close(): Promise<void>
}
