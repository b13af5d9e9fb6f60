/**
 * MessageEditStore for both engines, through the `SqlRunner` of `sql-inspection.ts`. Bodies are
 * JSON text on both; a CloudCustomData is JSON text too (`encodeCloudCustomData`).
 * A write re-checks `recalled` in its own WHERE, so a recall that commits first wins.
 */
import type { UserId } from '../domain/accounts/user-id.js'
import type { MsgKey } from '../domain/c2c/msg-key.js'
import type { GroupId } from '../domain/groups/group-id.js'
import type { EditableMessage, MessageContent, MessageEditStore } from './message-edits.js'
import { decodeCloudCustomData, encodeCloudCustomData } from './rows/group-rows.js'
import { GID, type Dialect, type SqlRunner } from './sql-inspection.js'

type Flag = number | boolean

export class SqlMessageEdits implements MessageEditStore {
  readonly #db: SqlRunner
  readonly #app: number
  readonly #d: Dialect

  constructor(runner: SqlRunner, sdkAppId: number, dialect: Dialect) {
    this.#db = runner
    this.#app = sdkAppId
    this.#d = dialect
  }

  async c2cMessage(from: UserId, to: UserId, msgKey: MsgKey): Promise<EditableMessage | undefined> {
    const [lo, hi] = from < to ? [from, to] : [to, from]
    const rows = await this.#db.all<{ body: string; cloud_custom_data: string; recalled: Flag }>(
      `SELECT body, cloud_custom_data, recalled FROM c2c_messages
       WHERE app_id = $1 AND user_lo = $2 AND user_hi = $3 AND msg_key = $4 AND from_id = $5 AND to_id = $6`,
      [this.#app, lo, hi, msgKey, from, to],
    )
    const r = rows[0]
    if (r === undefined) return undefined
    return {
      body: JSON.parse(r.body) as unknown,
      cloudCustomData: JSON.parse(r.cloud_custom_data) as string,
      recalled: Boolean(r.recalled),
      onlineOnly: false,
    }
  }

  async setC2CContent(from: UserId, to: UserId, msgKey: MsgKey, content: MessageContent): Promise<boolean> {
    const [lo, hi] = from < to ? [from, to] : [to, from]
    const changed = await this.#db.run(
      `UPDATE c2c_messages SET body = $7, cloud_custom_data = $8
       WHERE app_id = $1 AND user_lo = $2 AND user_hi = $3 AND msg_key = $4 AND from_id = $5 AND to_id = $6
         AND recalled = NOT ${this.#d.true}`,
      [
        this.#app,
        lo,
        hi,
        msgKey,
        from,
        to,
        JSON.stringify(content.body),
        JSON.stringify(content.cloudCustomData),
      ],
    )
    return changed > 0
  }

  async groupMessage(groupId: GroupId, seq: number): Promise<EditableMessage | undefined> {
    const rows = await this.#db.all<{
      body: string
      cloud_custom_data: string | null
      recalled: Flag
      online_only: Flag
    }>(
      `SELECT body, cloud_custom_data, recalled, online_only FROM group_messages
       WHERE app_id = $1 AND gid = ${GID} AND seq = $3`,
      [this.#app, groupId, seq],
    )
    const r = rows[0]
    if (r === undefined) return undefined
    return {
      body: JSON.parse(r.body) as unknown,
      cloudCustomData: decodeCloudCustomData(r.cloud_custom_data) ?? '',
      recalled: Boolean(r.recalled),
      onlineOnly: Boolean(r.online_only),
    }
  }

  async setGroupContent(groupId: GroupId, seq: number, content: MessageContent): Promise<boolean> {
    const changed = await this.#db.run(
      `UPDATE group_messages SET body = $4, cloud_custom_data = $5
       WHERE app_id = $1 AND gid = ${GID} AND seq = $3 AND recalled = NOT ${this.#d.true}`,
      [this.#app, groupId, seq, JSON.stringify(content.body), encodeCloudCustomData(content.cloudCustomData)],
    )
    return changed > 0
  }
}
