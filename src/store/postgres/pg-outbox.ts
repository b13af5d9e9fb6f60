/**
 * OutboxStore on PostgreSQL. Events are held until the transaction is about to commit and written
 * then, each ordering key under a transaction-scoped advisory lock. Ids come from a sequence when
 * the row is inserted, so without the lock two transactions writing one key could commit in the
 * opposite order of their ids, and a dispatcher could deliver the higher id before the lower one
 * became visible. Holding the key's lock from the INSERT to COMMIT means the next writer of that
 * key draws its id after this commit: per key, id order is commit order. The same lock makes the
 * first event of a key with nothing pending its head (pg-heads.ts).
 */
import { REST_PLATFORM, type WebhookEvent } from '../../webhooks/events.js'
import type { OutboxStore } from '../outbox.js'
import { lockKeys } from './pg-heads.js'
import type { Queryable } from './pg-store.js'

/** [U] `ClientIP` of an event recorded outside a request (a tool, a test): the local host. */
const NO_CLIENT_IP = '127.0.0.1'

/** What a transaction did that dispatchers should hear of once it has committed. */
export interface TxEffects {
  outboxChanged: boolean
}

export class PgOutbox implements OutboxStore {
  readonly #db: Queryable
  readonly #app: number
  readonly #effects: TxEffects
  readonly #events: WebhookEvent[] = []

  constructor(db: Queryable, sdkAppId: number, effects: TxEffects) {
    this.#db = db
    this.#app = sdkAppId
    this.#effects = effects
  }

  async enqueue(event: WebhookEvent): Promise<void> {
    this.#events.push(event)
  }

  /** Writes the held events; the store calls it once, right before COMMIT. */
  async flush(): Promise<void> {
    const events = this.#events.splice(0)
    if (events.length === 0) return
    await lockKeys(
      this.#db,
      this.#app,
      events.map((e) => e.orderingKey),
    )
    // Under the keys' locks, "nothing of this key is pending" cannot change before COMMIT: the
    // first event of such a key in this transaction is its head.
    await this.#db.query(
      `INSERT INTO outbox (app_id, command, ordering_key, body, created_ms, client_ip, opt_platform, head)
       SELECT $1, e.command, e.key, e.body, e.created_ms, e.client_ip, e.opt_platform,
         e.n = min(e.n) OVER (PARTITION BY e.key)
           AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.status = 'pending' AND p.app_id = $1 AND p.ordering_key = e.key)
       FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[])
         WITH ORDINALITY AS e(command, key, body, created_ms, client_ip, opt_platform, n)
       ORDER BY e.n`,
      [
        this.#app,
        events.map((e) => e.command),
        events.map((e) => e.orderingKey),
        events.map((e) => JSON.stringify(e.body)),
        events.map((e) => e.createdMs),
        events.map((e) => e.clientIp ?? NO_CLIENT_IP),
        events.map((e) => e.optPlatform ?? REST_PLATFORM),
      ],
    )
    this.#effects.outboxChanged = true
  }
}
