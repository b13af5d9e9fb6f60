/** AccountStore on PostgreSQL. */
import type { NewAccount } from '../../domain/accounts/accounts.js'
import type { UserId } from '../../domain/accounts/user-id.js'
import type { AccountStore } from '../accounts.js'
import { ADVISORY_KEY } from './pg-locks.js'
import type { Queryable } from './pg-store.js'

export class PgAccounts implements AccountStore {
  readonly #db: Queryable
  readonly #app: number

  constructor(db: Queryable, sdkAppId: number) {
    this.#db = db
    this.#app = sdkAppId
  }

  async importAccounts(accounts: readonly NewAccount[], nowSeconds: number): Promise<UserId[]> {
    if (accounts.length === 0) return []
    const ids = accounts.map((a) => a.userId)
    const { rows } = await this.#db.query<{ user_id: UserId }>(
      `INSERT INTO accounts (app_id, user_id, nick, face_url, created_time)
       SELECT $1, u.id, u.nick, u.face, $5 FROM unnest($2::text[], $3::text[], $4::text[]) AS u(id, nick, face)
       ON CONFLICT (app_id, user_id) DO NOTHING RETURNING user_id`,
      [
        this.#app,
        ids,
        accounts.map((a) => a.nick ?? null),
        accounts.map((a) => a.faceUrl ?? null),
        nowSeconds,
      ],
    )
    const created = new Set(rows.map((r) => r.user_id))
    const updates = accounts.filter(
      (a) => !created.has(a.userId) && (a.nick !== undefined || a.faceUrl !== undefined),
    )
    for (const a of updates) {
      await this.#db.query(
        `UPDATE accounts SET nick = coalesce($1, nick), face_url = coalesce($2, face_url)
         WHERE app_id = $3 AND user_id = $4`,
        [a.nick ?? null, a.faceUrl ?? null, this.#app, a.userId],
      )
    }
    return ids.filter((id) => created.has(id))
  }

  async existing(userIds: readonly UserId[]): Promise<Set<UserId>> {
    if (userIds.length === 0) return new Set()
    const { rows } = await this.#db.query<{ user_id: UserId }>(
      'SELECT user_id FROM accounts WHERE app_id = $1 AND user_id = ANY($2::text[])',
      [this.#app, userIds],
    )
    return new Set(rows.map((r) => r.user_id))
  }

  async lockCount(): Promise<void> {
    await this.#db.query(`SELECT pg_advisory_xact_lock(${ADVISORY_KEY})`, ['accounts', this.#app])
  }

  async deleteAccounts(userIds: readonly UserId[]): Promise<Set<UserId>> {
    if (userIds.length === 0) return new Set()
    const { rows } = await this.#db.query<{ user_id: UserId }>(
      'DELETE FROM accounts WHERE app_id = $1 AND user_id = ANY($2::text[]) RETURNING user_id',
      [this.#app, userIds],
    )
    return new Set(rows.map((r) => r.user_id))
  }

  async count(): Promise<number> {
    const { rows } = await this.#db.query<{ n: string }>(
      'SELECT count(*) AS n FROM accounts WHERE app_id = $1',
      [this.#app],
    )
    return Number(rows[0]!.n)
  }
}
