/**
 * ProfileStore for both engines, through the `SqlRunner` of `sql-inspection.ts`. Nick and Image
 * live in the accounts table (account_import writes the same columns); other tags in
 * `profile_fields`, their values as JSON so numbers stay numbers.
 */
import type { UserId } from '../domain/accounts/user-id.js'
import { IMAGE_TAG, NICK_TAG, type ProfileValue } from '../domain/profiles/profile-tags.js'
import type { ProfileStore } from './profiles.js'
import type { SqlRunner } from './sql-inspection.js'

const ACCOUNT_COLUMNS: Readonly<Record<string, 'nick' | 'face_url'>> = {
  [NICK_TAG]: 'nick',
  [IMAGE_TAG]: 'face_url',
}

export class SqlProfiles implements ProfileStore {
  readonly #db: SqlRunner
  readonly #app: number

  constructor(runner: SqlRunner, sdkAppId: number) {
    this.#db = runner
    this.#app = sdkAppId
  }

  async read(
    userIds: readonly UserId[],
    tags: readonly string[],
  ): Promise<Map<UserId, Map<string, ProfileValue>>> {
    const out = new Map<UserId, Map<string, ProfileValue>>()
    const ids = [...new Set(userIds)]
    if (ids.length === 0) return out
    const wanted = new Set(tags)
    // Two statements for the whole call (portrait_get asks for up to 100 accounts).
    const list = ids.map((_, i) => `$${i + 2}`).join(', ')
    const accounts = await this.#db.all<{ user_id: UserId; nick: string | null; face_url: string | null }>(
      `SELECT user_id, nick, face_url FROM accounts WHERE app_id = $1 AND user_id IN (${list})`,
      [this.#app, ...ids],
    )
    for (const a of accounts) {
      const values = new Map<string, ProfileValue>()
      if (wanted.has(NICK_TAG) && a.nick !== null) values.set(NICK_TAG, a.nick)
      if (wanted.has(IMAGE_TAG) && a.face_url !== null) values.set(IMAGE_TAG, a.face_url)
      out.set(a.user_id, values)
    }
    const rows = await this.#db.all<{ user_id: UserId; tag: string; value: string }>(
      `SELECT user_id, tag, value FROM profile_fields WHERE app_id = $1 AND user_id IN (${list})`,
      [this.#app, ...ids],
    )
    for (const r of rows) {
      if (wanted.has(r.tag)) out.get(r.user_id)?.set(r.tag, JSON.parse(r.value) as ProfileValue)
    }
    return out
  }

  async write(userId: UserId, fields: ReadonlyMap<string, ProfileValue>): Promise<boolean> {
    const exists = await this.#db.all('SELECT 1 AS x FROM accounts WHERE app_id = $1 AND user_id = $2', [
      this.#app,
      userId,
    ])
    if (exists.length === 0) return false
    for (const [tag, value] of fields) {
      const column = Object.hasOwn(ACCOUNT_COLUMNS, tag) ? ACCOUNT_COLUMNS[tag] : undefined
      if (column !== undefined) {
        await this.#db.run(`UPDATE accounts SET ${column} = $3 WHERE app_id = $1 AND user_id = $2`, [
          this.#app,
          userId,
          value,
        ])
        continue
      }
      await this.#db.run(
        `INSERT INTO profile_fields (app_id, user_id, tag, value) VALUES ($1, $2, $3, $4)
         ON CONFLICT (app_id, user_id, tag) DO UPDATE SET value = excluded.value`,
        [this.#app, userId, tag, JSON.stringify(value)],
      )
    }
    return true
  }

  async forget(userIds: readonly UserId[]): Promise<void> {
    for (const id of userIds) {
      await this.#db.run('DELETE FROM profile_fields WHERE app_id = $1 AND user_id = $2', [this.#app, id])
    }
  }
}
