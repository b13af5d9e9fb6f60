/** LoginStore for both engines, through the `SqlRunner` of `sql-inspection.ts`. */
import type { UserId } from '../domain/accounts/user-id.js'
import type { LoginStore } from './logins.js'
import type { SqlRunner } from './sql-inspection.js'

export class SqlLogins implements LoginStore {
  readonly #db: SqlRunner
  readonly #app: number

  constructor(runner: SqlRunner, sdkAppId: number) {
    this.#db = runner
    this.#app = sdkAppId
  }

  async notBefore(userId: UserId): Promise<number | undefined> {
    const rows = await this.#db.all<{ not_before: number | string }>(
      'SELECT not_before FROM login_kicks WHERE app_id = $1 AND user_id = $2',
      [this.#app, userId],
    )
    return rows[0] === undefined ? undefined : Number(rows[0].not_before)
  }

  async kick(userId: UserId, nowSeconds: number): Promise<number> {
    await this.#db.run(
      `INSERT INTO login_kicks AS k (app_id, user_id, not_before) VALUES ($1, $2, $3)
       ON CONFLICT (app_id, user_id) DO UPDATE SET not_before = excluded.not_before
       WHERE k.not_before < excluded.not_before`,
      [this.#app, userId, nowSeconds],
    )
    return (await this.notBefore(userId)) ?? nowSeconds
  }
}
