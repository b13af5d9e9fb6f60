/**
 * A better-sqlite3 connection that fails on purpose: every statement run (prepared or
 * transaction control) is counted, and `plan` decides which ones throw an SqliteError instead of
 * running, as a full disk or a failing device would make them. With `rollsBack`, the fault also
 * ends the open transaction first, as SQLite itself does after SQLITE_FULL or an I/O error.
 */
import Database from 'better-sqlite3'

export interface Fault {
  code: string
  /** SQLite rolls the whole transaction back before the error reaches the caller. */
  rollsBack?: boolean
}

/** Given the statement's number (from 1) and its SQL, the fault to raise, if any. */
export type FaultPlan = (n: number, sql: string) => Fault | undefined

const RUNNERS = new Set(['run', 'get', 'all', 'iterate'])

export interface FaultySqlite {
  open: (path: string) => Database.Database
  /** Statements run (or refused) so far. */
  readonly count: number
  /** Faults raised so far. */
  readonly raised: number
  plan: FaultPlan
}

export function faultySqlite(initial: FaultPlan): FaultySqlite {
  const state = { count: 0, raised: 0, plan: initial }

  const maybeFail = (db: Database.Database, sql: string) => {
    state.count++
    const fault = state.plan(state.count, sql)
    if (fault === undefined) return
    state.raised++
    if (fault.rollsBack && db.inTransaction) db.exec('ROLLBACK')
    throw new Database.SqliteError(
      `injected fault on statement ${state.count}: ${sql.trim().slice(0, 60)}`,
      fault.code,
    )
  }

  const wrapStatement = (
    db: Database.Database,
    stmt: Database.Statement,
    sql: string,
  ): Database.Statement => {
    const proxy: Database.Statement = new Proxy(stmt, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target) as unknown
        if (typeof value !== 'function') return value
        const fn = value as (...a: unknown[]) => unknown
        if (RUNNERS.has(prop as string)) {
          return (...args: unknown[]) => {
            maybeFail(db, sql)
            return fn.apply(target, args)
          }
        }
        // pluck(), raw(), bind() … return the statement itself: keep returning the wrapper.
        return (...args: unknown[]) => {
          const r = fn.apply(target, args)
          return r === target ? proxy : r
        }
      },
    })
    return proxy
  }

  return {
    get count() {
      return state.count
    },
    get raised() {
      return state.raised
    },
    get plan() {
      return state.plan
    },
    set plan(p: FaultPlan) {
      state.plan = p
    },
    open(path: string) {
      const db = new Database(path)
      return new Proxy(db, {
        get(target, prop) {
          const value = Reflect.get(target, prop, target) as unknown
          if (typeof value !== 'function') return value
          const fn = value as (...a: unknown[]) => unknown
          if (prop === 'prepare') {
            return (sql: string) => wrapStatement(target, fn.call(target, sql) as Database.Statement, sql)
          }
          return (...args: unknown[]) => fn.apply(target, args)
        },
      })
    },
  }
}
