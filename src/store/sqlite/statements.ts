/** Prepared statements, compiled once per connection and reused. */
import type { Database, Statement } from 'better-sqlite3'

export class Statements {
  readonly #db: Database
  readonly #cache = new Map<string, Statement>()

  constructor(db: Database) {
    this.#db = db
  }

  get(sql: string): Statement {
    let stmt = this.#cache.get(sql)
    if (stmt === undefined) {
      stmt = this.#db.prepare(sql)
      this.#cache.set(sql, stmt)
    }
    return stmt
  }
}

/** SQLite allows at most 32,766 bound parameters; lists are bound in chunks well below that. */
export const IN_LIST_CHUNK = 500

export function placeholders(n: number): string {
  return new Array<string>(n).fill('?').join(',')
}

export function* chunks<T>(items: readonly T[], size: number = IN_LIST_CHUNK): Generator<readonly T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size)
}
