/**
 * The group commit of the SQLite store: every job submitted while a batch is not running joins the
 * next batch, one SQLite transaction, and every job settles only after that transaction's COMMIT
 * (or its failure). A transaction per request would throw most of the machine away (design.md "The
 * write path"); answering after COMMIT keeps the durability promise.
 *
 * A job that fails before it changed anything (the usual failure: a check that refuses the
 * request) is simply left out. Savepoints would let a job that fails after writing roll back alone,
 * but they cost every job a page copy per page it touches, so a batch runs without them: a job that
 * fails after writing rolls back the whole transaction, is rejected, and the rest of the batch runs
 * again in a new one, this time with a savepoint per job. Running a job again is allowed by the
 * store contract (`transaction`'s `fn` changes nothing outside itself, as PostgreSQL retries need).
 *
 * Reads join a batch too, but not its write transaction: the reads queued in one turn run first,
 * together, in one deferred (read-only) transaction of their own, and settle at once. Outside a
 * transaction every statement would be its own read transaction, and taking and dropping SQLite's
 * WAL read locks for each cost reads more than half their throughput (measured: a one-row read
 * answered 0.36 of the bare server's requests/s alone, 0.85 batched).
 *
 * Whatever SQLite does, every job settles: when BEGIN, COMMIT or a rollback fails, or SQLite has
 * rolled the transaction back on its own (SQLITE_FULL, I/O errors), every unsettled job of the batch
 * is rejected with that error, and `health` remembers why until a later write commits.
 */
import type { Database, Statement } from 'better-sqlite3'
import type { WriteHealth } from './sqlite-health.js'

interface Job {
  /** The app whose transaction this is; undefined for the dispatcher's own jobs. */
  app: number | undefined
  work: () => unknown
  resolve: (value: unknown) => void
  reject: (reason: unknown) => void
}

export interface GroupCommitOptions {
  /** Most jobs in one batch; a longer queue is committed in several. */
  maxBatch: number
  health: WriteHealth
  /**
   * Called after every COMMIT, before the batch's jobs resolve, with its size, its duration and the
   * apps whose transactions in it succeeded.
   */
  onCommit(jobs: number, seconds: number, apps: ReadonlySet<number>): void
}

/** Transaction control, compiled once (compiling it on every call cost more than running it). */
function control(db: Database) {
  return {
    begin: db.prepare('BEGIN IMMEDIATE'),
    beginRead: db.prepare('BEGIN DEFERRED'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
    savepoint: db.prepare('SAVEPOINT job'),
    release: db.prepare('RELEASE job'),
    rollbackTo: db.prepare('ROLLBACK TO job'),
    changes: db.prepare('SELECT total_changes()').pluck() as Statement<[], number>,
  }
}

/** Thrown out of a batch when a transaction-control statement fails: every unsettled job gets it. */
class BatchFailure {
  constructor(readonly error: unknown) {}
}

export class GroupCommit {
  readonly #db: Database
  readonly #tc: ReturnType<typeof control>
  readonly #options: GroupCommitOptions
  #queue: Job[] = []
  #reads: Job[] = []
  #scheduled = false
  /** The next batch gives each job a savepoint: the last one was undone by a job's failure. */
  #savepoints = false
  #running: Promise<void> | undefined

  constructor(db: Database, options: GroupCommitOptions) {
    this.#db = db
    this.#tc = control(db)
    this.#options = options
  }

  /** Queues `work` for a batch; it settles after that batch's COMMIT. */
  submit<T>(work: () => T | Promise<T>, app?: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ app, work, resolve: resolve as (v: unknown) => void, reject })
      this.#schedule()
    })
  }

  /** Queues `work`, which only reads, for the read phase of the next batch. */
  read<T>(work: () => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#reads.push({ app: undefined, work, resolve: resolve as (v: unknown) => void, reject })
      this.#schedule()
    })
  }

  /** Settles once no batch is running and none is queued. */
  async drain(): Promise<void> {
    while (this.#running !== undefined || this.#queue.length > 0 || this.#reads.length > 0) {
      await (this.#running ?? this.#start())
    }
  }

  #schedule(): void {
    if (this.#running !== undefined || this.#scheduled) return
    this.#scheduled = true
    // setImmediate runs after the poll phase, so every request parsed in this turn joins the batch.
    setImmediate(() => {
      this.#scheduled = false
      if (this.#running === undefined) this.#start()
    })
  }

  #start(): Promise<void> {
    const run = this.#flushReads()
      .then(() => this.#flush())
      .finally(() => {
        this.#running = undefined
        if (this.#queue.length > 0 || this.#reads.length > 0) this.#schedule()
      })
    this.#running = run
    return run
  }

  /**
   * The queued reads in one read transaction; never rejects, every read settles. The transaction is
   * ended with ROLLBACK: it wrote nothing, and ending it cannot fail for a reason of the disk (a
   * failure to end it is left to the next BEGIN, which ends any transaction still open).
   */
  async #flushReads(): Promise<void> {
    const reads = this.#reads.splice(0)
    if (reads.length === 0) return
    try {
      this.#control(() => {
        if (this.#db.inTransaction) this.#tc.rollback.run()
        this.#tc.beginRead.run()
      })
    } catch (e) {
      const error = e instanceof BatchFailure ? e.error : e
      this.#options.health.failed(error)
      for (const job of reads) job.reject(error)
      return
    }
    const settled: { ok: boolean; value: unknown }[] = []
    for (const job of reads) {
      try {
        settled.push({ ok: true, value: await job.work() })
      } catch (e) {
        this.#options.health.failed(e)
        settled.push({ ok: false, value: e })
      }
    }
    this.#control(() => this.#db.inTransaction && this.#tc.rollback.run(), false)
    settled.forEach((o, i) => (o.ok ? reads[i]!.resolve(o.value) : reads[i]!.reject(o.value)))
  }

  /** Never rejects: every way a batch can fail ends in its jobs being settled. */
  async #flush(): Promise<void> {
    const jobs = this.#queue.splice(0, this.#options.maxBatch)
    if (jobs.length === 0) return
    const savepoints = this.#savepoints
    this.#savepoints = false
    const began = performance.now()
    const settled: { ok: boolean; value: unknown }[] = []
    let wrote = false
    try {
      const start = this.#control(() => {
        if (this.#db.inTransaction) this.#tc.rollback.run()
        this.#tc.begin.run()
        return this.#tc.changes.get()
      })
      for (const job of jobs) {
        const outcome = await this.#runJob(job, savepoints)
        if (outcome === 'undone') {
          // The job is rejected; the others run again, in a new transaction, each in a savepoint.
          this.#queue.unshift(...jobs.filter((j) => j !== job))
          this.#savepoints = true
          return
        }
        settled.push(outcome)
      }
      wrote = this.#control(() => this.#tc.changes.get()) !== start
      this.#control(() => this.#tc.commit.run())
    } catch (e) {
      const error = e instanceof BatchFailure ? e.error : e
      this.#options.health.failed(error)
      this.#control(() => this.#db.inTransaction && this.#tc.rollback.run(), false)
      for (const job of jobs) job.reject(error)
      return
    }
    // Only a commit that wrote says the store writes again (an empty one touches no file).
    if (wrote) this.#options.health.committed()
    const apps = new Set(jobs.flatMap((j, i) => (j.app !== undefined && settled[i]!.ok ? [j.app] : [])))
    this.#options.onCommit(jobs.length, (performance.now() - began) / 1000, apps)
    settled.forEach((o, i) => (o.ok ? jobs[i]!.resolve(o.value) : jobs[i]!.reject(o.value)))
  }

  /**
   * Runs one job inside the open transaction. 'undone': it failed after writing and the whole
   * transaction was rolled back (only without savepoints); the job has been rejected.
   */
  async #runJob(job: Job, savepoints: boolean): Promise<{ ok: boolean; value: unknown } | 'undone'> {
    const tc = this.#tc
    const before = savepoints ? 0 : this.#control(() => tc.changes.get()!)
    if (savepoints) this.#control(() => tc.savepoint.run())
    try {
      const value = await job.work()
      if (savepoints) this.#control(() => tc.release.run())
      return { ok: true, value }
    } catch (e) {
      this.#options.health.failed(e)
      // SQLite rolls the whole transaction back itself on some errors (SQLITE_FULL, I/O errors).
      if (!this.#db.inTransaction) throw new BatchFailure(e)
      if (savepoints) {
        this.#control(() => {
          tc.rollbackTo.run()
          tc.release.run()
        })
      } else if (this.#control(() => tc.changes.get()!) !== before) {
        this.#control(() => tc.rollback.run())
        job.reject(e)
        return 'undone'
      }
      return { ok: false, value: e }
    }
  }

  /** Runs transaction control; a failure of it fails the whole batch. */
  #control<T>(fn: () => T, rethrow = true): T | undefined {
    try {
      return fn()
    } catch (e) {
      if (rethrow) throw new BatchFailure(e)
      this.#options.health.failed(e)
      return undefined
    }
  }
}
