/** AccountStore on SQLite. */
import type { NewAccount } from '../../domain/accounts/accounts.js'
import type { UserId } from '../../domain/accounts/user-id.js'
import type { AccountStore } from '../accounts.js'
import { chunks, placeholders, type Statements } from './statements.js'

export class SqliteAccounts implements AccountStore {
  readonly #s: Statements
  readonly #app: number

  constructor(statements: Statements, sdkAppId: number) {
    this.#s = statements
    this.#app = sdkAppId
  }

  async importAccounts(accounts: readonly NewAccount[], nowSeconds: number): Promise<UserId[]> {
    const created: UserId[] = []
    const insert = this.#s.get(
      `INSERT INTO accounts (app_id, user_id, nick, face_url, created_time) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (app_id, user_id) DO NOTHING`,
    )
    const update = this.#s.get(
      `UPDATE accounts SET nick = coalesce(?, nick), face_url = coalesce(?, face_url)
       WHERE app_id = ? AND user_id = ?`,
    )
    for (const a of accounts) {
      const nick = a.nick ?? null
      const faceUrl = a.faceUrl ?? null
      if (insert.run(this.#app, a.userId, nick, faceUrl, nowSeconds).changes > 0) created.push(a.userId)
      else if (nick !== null || faceUrl !== null) update.run(nick, faceUrl, this.#app, a.userId)
    }
    return created
  }

  async existing(userIds: readonly UserId[]): Promise<Set<UserId>> {
    const found = new Set<UserId>()
    for (const part of chunks(userIds)) {
      const rows = this.#s
        .get(`SELECT user_id FROM accounts WHERE app_id = ? AND user_id IN (${placeholders(part.length)})`)
        .all(this.#app, ...part) as { user_id: UserId }[]
      for (const r of rows) found.add(r.user_id)
    }
    return found
  }

  /** Write transactions already run one at a time (the group commit), so there is nothing to wait for. */
  async lockCount(): Promise<void> {}

  async deleteAccounts(userIds: readonly UserId[]): Promise<Set<UserId>> {
    const deleted = new Set<UserId>()
    const del = this.#s.get('DELETE FROM accounts WHERE app_id = ? AND user_id = ?')
    for (const id of userIds) if (del.run(this.#app, id).changes > 0) deleted.add(id)
    return deleted
  }

  async count(): Promise<number> {
    return (
      this.#s.get('SELECT count(*) AS n FROM accounts WHERE app_id = ?').get(this.#app) as { n: number }
    ).n
  }
}
